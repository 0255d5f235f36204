// Builds the record services for one unlocked archive: actor from the session, readers from the keyring.
import type { Kysely } from 'kysely';
import { createAttachmentsService } from '../attachments/attachments-service';
import { createDraftsService } from '../drafts/drafts-service';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema } from '../db/schema';
import type { WriteProbe } from '../files/write-errors';
import { readKeyring } from '../vault/keyring';
import { archivePaths, type UnlockedArchive } from '../vault/vault';
import type { Actor, ReadersOf, ReferenceCheck } from './actor';
import { createGrantsService } from './grants-service';
import { createPersonsService } from './persons-service';
import { readersFrom, type Directory } from './record-readers';
import { createSessionsService } from './sessions-service';
import { createTestimoniesService } from './testimonies-service';

/** The archive's users as the keyring lists them (read at each call): ids, roles and X25519 public keys. */
export function keyringDirectory(folder: string): Directory {
  return () =>
    readKeyring(archivePaths(folder).keyring).users.map((u) => ({ id: u.id, role: u.role, disabled: u.disabled, boxPublicKey: Buffer.from(u.boxPublicKey, 'base64') }));
}

/** The author, every active director and the record's grantees: who gets a sealed copy of new restricted content (DESIGN.md section 3). */
export function readersFromKeyring(folder: string): ReadersOf {
  return readersFrom(keyringDirectory(folder));
}

export function actorOf(sodium: Sodium, archive: UnlockedArchive): Actor {
  return {
    userId: archive.user.id,
    role: archive.user.role,
    box: { publicKey: sodium.crypto_scalarmult_base(archive.secrets.boxSecretKey), privateKey: archive.secrets.boxSecretKey },
  };
}

/**
 * The record services of one unlocked archive. `db` defaults to the archive's handle; pass a transaction
 * to make several service calls one all-or-nothing unit (the services join it instead of opening their own).
 */
export function createRecords(deps: { archive: UnlockedArchive; sodium: Sodium; now: () => number; reference: ReferenceCheck; db?: Kysely<ArchiveSchema>; mediaUrl?: (id: string) => string; writeProbe?: WriteProbe }) {
  const directory = keyringDirectory(deps.archive.folder);
  const common = { db: deps.db ?? deps.archive.db.kysely, sodium: deps.sodium, now: deps.now, reference: deps.reference, readersOf: readersFrom(directory) };
  return {
    actor: actorOf(deps.sodium, deps.archive),
    persons: createPersonsService(common),
    testimonies: createTestimoniesService(common),
    sessions: createSessionsService(common),
    /** The signed-in user's autosaved forms (sealed to that user alone). */
    drafts: createDraftsService(common),
    /** Who reads a restricted record; directors grant and revoke sealed copies. */
    grants: createGrantsService({ ...common, directory }),
    /** Encrypted attachments of testimonies and sessions: intake, recording, custody, integrity, segments, playback. */
    attachments: createAttachmentsService({ ...common, folder: deps.archive.folder, ...(deps.mediaUrl ? { mediaUrl: deps.mediaUrl } : {}), ...(deps.writeProbe ? { writeProbe: deps.writeProbe } : {}) }),
  };
}

export type Records = ReturnType<typeof createRecords>;
