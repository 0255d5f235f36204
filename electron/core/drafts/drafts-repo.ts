// Queries on the drafts table; no decisions here (the drafts service validates, seals and caps).
import type { Kysely } from 'kysely';
import type { ArchiveSchema } from '../db/schema';

export type DraftRow = { nonce: Uint8Array; ciphertext: Uint8Array; sealed_key: Uint8Array; saved_at: string };

export function createDraftsRepo(db: Kysely<ArchiveSchema>) {
  return {
    /** Inserts or replaces the draft of (user, key). */
    async put(userId: string, key: string, row: DraftRow): Promise<void> {
      await db
        .insertInto('drafts')
        .values({ user_id: userId, draft_key: key, ...row })
        .onConflict((oc) => oc.columns(['user_id', 'draft_key']).doUpdateSet(row))
        .execute();
    },
    get(userId: string, key: string): Promise<DraftRow | undefined> {
      return db.selectFrom('drafts').select(['nonce', 'ciphertext', 'sealed_key', 'saved_at']).where('user_id', '=', userId).where('draft_key', '=', key).executeTakeFirst();
    },
    async remove(userId: string, key: string): Promise<boolean> {
      const r = await db.deleteFrom('drafts').where('user_id', '=', userId).where('draft_key', '=', key).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** The user's drafts, newest first (exported as a query so tests can EXPLAIN it). */
    listQuery(userId: string) {
      return db.selectFrom('drafts').select(['draft_key', 'saved_at']).where('user_id', '=', userId).orderBy('saved_at', 'desc').orderBy('draft_key', 'desc');
    },
    /** How many drafts the user holds other than `exceptKey` (the one a save would replace). */
    async countOthers(userId: string, exceptKey: string): Promise<number> {
      const r = await db
        .selectFrom('drafts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('draft_key', '!=', exceptKey)
        .executeTakeFirstOrThrow();
      return r.n;
    },
  };
}
