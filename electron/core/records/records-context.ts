// Builds the record services for one unlocked archive: actor from the session, readers from the keyring.
import type { Sodium } from '../crypto/sodium';
import type { Reader } from '../crypto/sealed-content';
import { readKeyring } from '../vault/keyring';
import { archivePaths, type UnlockedArchive } from '../vault/vault';
import type { Actor, ReferenceCheck } from './actor';
import { createPersonsService } from './persons-service';
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

export function createRecords(deps: { archive: UnlockedArchive; sodium: Sodium; now: () => number; reference: ReferenceCheck }) {
  const common = { db: deps.archive.db.kysely, sodium: deps.sodium, now: deps.now, reference: deps.reference, readersOf: readersFromKeyring(deps.archive.folder) };
  return {
    actor: actorOf(deps.sodium, deps.archive),
    persons: createPersonsService(common),
    testimonies: createTestimoniesService(common),
  };
}

export type Records = ReturnType<typeof createRecords>;
