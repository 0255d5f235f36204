// Stores and opens restricted content: one sealed_contents row per version, one sealed_keys row per reader.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openContent, sealContent, type BoxKeyPair, type Reader } from '../crypto/sealed-content';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';

const adOf = (contentId: string, kind: string, recordId: string) => `testimony-archive/sealed/v1|${kind}|${recordId}|${contentId}`;

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
