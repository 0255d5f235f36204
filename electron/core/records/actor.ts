// Who performs a record operation: the signed-in user, with the X25519 pair that opens their sealed copies.
import type { Role } from '../../../shared/domain/roles';
import type { BoxKeyPair, Reader } from '../crypto/sealed-content';
import type { ReferenceData } from '../reference/reference-data';

export type Actor = { userId: string; role: Role; box: BoxKeyPair };

/** Everyone who must be able to read a restricted record written by `authorId` (DESIGN.md section 3). */
export type ReadersOf = (authorId: string) => Reader[];

/** Checks codes and places against the shipped vocabularies and gazetteer. */
export type ReferenceCheck = Pick<ReferenceData, 'isCode' | 'isPlace'>;
