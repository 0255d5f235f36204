// Form drafts saved automatically: one per (user, key), sealed to the author alone (DESIGN.md section 3),
// so a crash or an idle lock loses seconds of typing and no other user of the archive can read them.
import type { Kysely } from 'kysely';
import { draftKeySchema, maxDraftLength } from '../../../shared/ipc/contract';
import { isWellFormedText } from '../../../shared/records/text';
import { openContent, sealContent } from '../crypto/sealed-content';
import type { Sodium } from '../crypto/sodium';
import { inTransaction } from '../db/in-transaction';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import type { Actor } from '../records/actor';
import { createDraftsRepo } from './drafts-repo';

/** Drafts one user may keep: a form left open forever must not fill the archive, and 200 is far more than anyone juggles. */
export const maxDraftsPerUser = 200;

export type DraftsDeps = { db: Kysely<ArchiveSchema>; sodium: Sodium; now: () => number; maxPerUser?: number };

/** Associated data: binds the ciphertext to its author and key, so a row moved to another user or key fails to open. */
const adOf = (userId: string, key: string) => `testimony-archive/draft/v1|${userId}|${key}`;

function checkKey(key: string): void {
  if (!draftKeySchema.safeParse(key).success) throw new ArchiveError('IPC_BAD_INPUT', 'Not a draft key (testimony:, session: or person: with new or a record id).');
}

export function createDraftsService(deps: DraftsDeps) {
  const { sodium } = deps;
  const cap = deps.maxPerUser ?? maxDraftsPerUser;

  return {
    /** Saves (or replaces) the caller's draft under `key`; the data is sealed to the caller's own public key. */
    async save(actor: Actor, key: string, data: string): Promise<{ savedAt: string }> {
      checkKey(key);
      if (data.length > maxDraftLength) throw new ArchiveError('IPC_BAD_INPUT', 'The draft is too large.');
      // A lone surrogate would come back as U+FFFD: refuse it rather than return something else than was saved.
      if (!isWellFormedText(data)) throw new ArchiveError('IPC_BAD_INPUT', 'The draft is not well-formed Unicode text.');
      const savedAt = new Date(deps.now()).toISOString();
      const plaintext = new TextEncoder().encode(data);
      try {
        const env = sealContent(sodium, plaintext, adOf(actor.userId, key), [{ userId: actor.userId, boxPublicKey: actor.box.publicKey }]);
        const sealedKey = env.keys[0]?.sealedKey;
        if (!sealedKey) throw new ArchiveError('INTERNAL', 'The draft could not be sealed.');
        await inTransaction(deps.db, async (trx) => {
          const repo = createDraftsRepo(trx);
          if ((await repo.countOthers(actor.userId, key)) >= cap) {
            throw new ArchiveError('DRAFTS_TOO_MANY', `You already keep ${cap} unsaved drafts; save or discard some first.`);
          }
          await repo.put(actor.userId, key, { nonce: env.nonce, ciphertext: env.ciphertext, sealed_key: sealedKey, saved_at: savedAt });
        });
      } finally {
        plaintext.fill(0);
      }
      return { savedAt };
    },

    /** The caller's draft under `key`, or null. Another user's draft under the same key is never looked at. */
    async get(actor: Actor, key: string): Promise<{ data: string; savedAt: string } | null> {
      checkKey(key);
      const row = await createDraftsRepo(deps.db).get(actor.userId, key);
      if (!row) return null;
      const bytes = openContent(sodium, row, row.sealed_key, adOf(actor.userId, key), actor.box);
      try {
        return { data: new TextDecoder('utf-8', { fatal: true }).decode(bytes), savedAt: row.saved_at };
      } finally {
        bytes.fill(0);
      }
    },

    /** Removes the caller's draft under `key`; says whether there was one. */
    async discard(actor: Actor, key: string): Promise<boolean> {
      checkKey(key);
      return createDraftsRepo(deps.db).remove(actor.userId, key);
    },

    /** The caller's drafts (keys and times only, no content), newest first. */
    async list(actor: Actor): Promise<Array<{ key: string; savedAt: string }>> {
      const rows = await createDraftsRepo(deps.db).listQuery(actor.userId).execute();
      return rows.map((r) => ({ key: r.draft_key, savedAt: r.saved_at }));
    },
  };
}

export type DraftsService = ReturnType<typeof createDraftsService>;
