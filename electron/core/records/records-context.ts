// Builds the record services for one unlocked archive: actor from the session, readers from the keyring.
import type { Kysely } from 'kysely';
import { createDraftsService } from '../drafts/drafts-service';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema } from '../db/schema';
import type { Reader } from '../crypto/sealed-content';
import { readKeyring } from '../vault/keyring';
import { archivePaths, type UnlockedArchive } from '../vault/vault';
import type { Actor, ReferenceCheck } from './actor';
import { createPersonsService } from './persons-service';
import { createSessionsService } from './sessions-service';
import { createTestimoniesService } from './testimonies-service';

/** The author plus every active director: who gets a sealed copy of new restricted content (DESIGN.md section 3). */
export function readersFromKeyring(folder: string): (authorId: string) => Reader[] {
  return (authorId) => {
    const keyring = readKeyring(archivePaths(folder).keyring);
    return keyring.users
      .filter((u) => !u.disabled && (u.id === authorId || u.role === 'director'))
      .map((u) => ({ userId: u.id, boxPublicKey: Buffer.from(u.boxPublicKey, 'base64') }));
  };
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
export function createRecords(deps: { archive: UnlockedArchive; sodium: Sodium; now: () => number; reference: ReferenceCheck; db?: Kysely<ArchiveSchema> }) {
  const common = { db: deps.db ?? deps.archive.db.kysely, sodium: deps.sodium, now: deps.now, reference: deps.reference, readersOf: readersFromKeyring(deps.archive.folder) };
  return {
    actor: actorOf(deps.sodium, deps.archive),
    persons: createPersonsService(common),
    testimonies: createTestimoniesService(common),
    sessions: createSessionsService(common),
    /** The signed-in user's autosaved forms (sealed to that user alone). */
    drafts: createDraftsService(common),
  };
}

export type Records = ReturnType<typeof createRecords>;
