// Stores, opens, shares and re-keys restricted content: one sealed_contents row per version, one sealed_keys row per reader.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openContent, resealKey, sealContent, type BoxKeyPair, type Reader } from '../crypto/sealed-content';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';

/** The associated data binding a sealed content to its record (exported for tests that decrypt by hand). */
export const adOf = (contentId: string, kind: string, recordId: string) => `testimony-archive/sealed/v1|${kind}|${recordId}|${contentId}`;

export async function storeSealed(
  db: Kysely<ArchiveSchema>,
  sodium: Sodium,
  at: string,
  kind: string,
  recordId: string,
  payload: unknown,
  readers: readonly Reader[],
): Promise<string> {
  const id = randomUUID();
  const plaintext = new TextEncoder().encode(JSON.stringify(payload));
  const env = sealContent(sodium, plaintext, adOf(id, kind, recordId), readers);
  plaintext.fill(0);
  await db.insertInto('sealed_contents').values({ id, record_kind: kind, record_id: recordId, nonce: env.nonce, ciphertext: env.ciphertext, created_at: at }).execute();
  await db
    .insertInto('sealed_keys')
    .values(env.keys.map((k) => ({ content_id: id, user_id: k.userId, sealed_key: k.sealedKey })))
    .execute();
  return id;
}

/**
 * Like openSealed, but a user without a copy gets null instead of CONTENT_NO_ACCESS: what every read of a
 * restricted record does (the plain fields are still shown). Damage and other errors still throw.
 */
export async function openSealedIfReader(db: Kysely<ArchiveSchema>, sodium: Sodium, contentId: string, userId: string, box: BoxKeyPair): Promise<unknown> {
  try {
    return await openSealed(db, sodium, contentId, userId, box);
  } catch (e) {
    if (e instanceof ArchiveError && e.code === 'CONTENT_NO_ACCESS') return null;
    throw e;
  }
}

/**
 * Earlier revisions of a record made restricted later hold plaintext from before (revisions are append-only).
 * They are shown only to a reader of the record's current sealed content, so restricting a record hides its
 * past as well: CONTENT_NO_ACCESS for anyone else. `current` is undefined for an unknown record (nothing to hide).
 */
export async function requireReaderIfRestricted(
  db: Kysely<ArchiveSchema>,
  sodium: Sodium,
  current: { restricted: boolean; sealedId: string | null } | undefined,
  userId: string,
  box: BoxKeyPair,
): Promise<void> {
  if (!current?.restricted) return;
  if ((await openSealedIfReader(db, sodium, current.sealedId ?? '', userId, box)) === null) {
    throw new ArchiveError('CONTENT_NO_ACCESS', 'This record is restricted and has not been shared with you, nor are its earlier revisions.');
  }
}

/** Opens a sealed payload with the user's own copy; CONTENT_NO_ACCESS without one. */
export async function openSealed(db: Kysely<ArchiveSchema>, sodium: Sodium, contentId: string, userId: string, box: BoxKeyPair): Promise<unknown> {
  const row = await db.selectFrom('sealed_contents').selectAll().where('id', '=', contentId).executeTakeFirstOrThrow();
  const key = await db
    .selectFrom('sealed_keys')
    .select('sealed_key')
    .where('content_id', '=', contentId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const bytes = openContent(sodium, row, key?.sealed_key, adOf(row.id, row.record_kind, row.record_id), box);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } finally {
    bytes.fill(0);
  }
}

/** Who acts on sealed content: a user id and the X25519 pair that opens that user's copies. */
type Holder = { userId: string; box: BoxKeyPair };

/** Every sealed content of a record (one per restricted revision), oldest first. */
function contentsOf(db: Kysely<ArchiveSchema>, kind: string, recordId: string) {
  return db.selectFrom('sealed_contents').selectAll().where('record_kind', '=', kind).where('record_id', '=', recordId).orderBy('created_at').orderBy('id').execute();
}

async function copyOf(db: Kysely<ArchiveSchema>, contentId: string, userId: string): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('sealed_keys').select('sealed_key').where('content_id', '=', contentId).where('user_id', '=', userId).executeTakeFirst();
  return row?.sealed_key;
}

/**
 * A grant: `me` seals their data key of every version of the record to `to`, so the whole history opens for
 * them, not only the current revision. CONTENT_NO_ACCESS if `me` lacks a copy of any version. An existing copy
 * of `to` is replaced (granting twice changes nothing). Returns how many contents were sealed. Call in a transaction.
 */
export async function sealRecordTo(db: Kysely<ArchiveSchema>, sodium: Sodium, kind: string, recordId: string, me: Holder, to: Reader): Promise<number> {
  const contents = await contentsOf(db, kind, recordId);
  for (const c of contents) {
    const copy = resealKey(sodium, await copyOf(db, c.id, me.userId), me.box, to);
    await db
      .insertInto('sealed_keys')
      .values({ content_id: c.id, user_id: copy.userId, sealed_key: copy.sealedKey })
      .onConflict((oc) => oc.columns(['content_id', 'user_id']).doUpdateSet({ sealed_key: copy.sealedKey }))
      .execute();
  }
  return contents.length;
}

/**
 * A revocation: drops `dropUserId`'s copies and re-keys every version of the record. Each content is opened with
 * `me`'s copy and encrypted again under a fresh data key and nonce (same id and associated data), sealed to the
 * remaining holders, so a data key the revoked user kept no longer decrypts anything. Holders with no public key
 * (`publicKeyOf` undefined: removed from the keyring) get no new copy. CONTENT_NO_ACCESS if `me` lacks a copy of
 * any version. Returns how many contents were re-keyed. Call in a transaction: half re-keyed is never committed.
 */
export async function rekeyRecordWithout(
  db: Kysely<ArchiveSchema>,
  sodium: Sodium,
  kind: string,
  recordId: string,
  me: Holder,
  dropUserId: string,
  publicKeyOf: (userId: string) => Uint8Array | undefined,
): Promise<number> {
  const contents = await contentsOf(db, kind, recordId);
  for (const c of contents) {
    const holders = await db.selectFrom('sealed_keys').select(['user_id', 'sealed_key']).where('content_id', '=', c.id).execute();
    const ad = adOf(c.id, c.record_kind, c.record_id);
    const plaintext = openContent(sodium, c, holders.find((h) => h.user_id === me.userId)?.sealed_key, ad, me.box);
    try {
      const readers = holders.flatMap((h) => {
        const boxPublicKey = h.user_id === dropUserId ? undefined : publicKeyOf(h.user_id);
        return boxPublicKey ? [{ userId: h.user_id, boxPublicKey }] : [];
      });
      const env = sealContent(sodium, plaintext, ad, readers);
      await db.updateTable('sealed_contents').set({ nonce: env.nonce, ciphertext: env.ciphertext }).where('id', '=', c.id).execute();
      await db.deleteFrom('sealed_keys').where('content_id', '=', c.id).execute();
      await db
        .insertInto('sealed_keys')
        .values(env.keys.map((k) => ({ content_id: c.id, user_id: k.userId, sealed_key: k.sealedKey })))
        .execute();
    } finally {
      plaintext.fill(0);
    }
  }
  return contents.length;
}
