// Who performs a record operation: the signed-in user, with the X25519 pair that opens their sealed copies.
import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/domain/roles';
import type { BoxKeyPair, Reader } from '../crypto/sealed-content';
import type { ArchiveSchema } from '../db/schema';
import type { ReferenceData } from '../reference/reference-data';
import type { RecordKind } from './record-readers';

export type Actor = { userId: string; role: Role; box: BoxKeyPair };

/** A reader of restricted content and why they read it (the author's copy and directors' copies are structural). */
export type RecordReader = Reader & { via: 'author' | 'director' | 'grant' };

/**
 * Everyone who must be able to read restricted content of the record (DESIGN.md section 3): the author, every
 * active director and the record's explicit grantees, so that a new revision keeps every grant. `db` is the
 * write's transaction.
 */
export type ReadersOf = (db: Kysely<ArchiveSchema>, record: { kind: RecordKind; id: string; authorId: string }) => Promise<RecordReader[]>;

/** Checks codes and places against the shipped vocabularies and gazetteer. */
export type ReferenceCheck = Pick<ReferenceData, 'isCode' | 'isPlace'>;
