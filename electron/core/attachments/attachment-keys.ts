// Where an attachment's file key lives: sealed to the owner record's readers (restricted) or in the encrypted database.
//
// Normal owner: the 32-byte key is a column of the attachments row, so it is under the archive master key with the
// rest of the database. A key derived from the master key was considered and rejected: the master key rotates when a
// user is removed (vault/rotation.ts rekeys the database), and every derived wrap would have to be redone inside that
// crash-safe rotation; a column is carried over by the rekey for free. Either way the file outside the database is
// useless without the database key, and a removed user keeps no more than they could already read.
//
// Restricted owner: key and original file name are one sealed content (records/sealed-store.ts's row layout and
// associated data) with record_kind/record_id of the OWNER record, so grants-service's sealRecordTo and
// rekeyRecordWithout, which iterate a record's sealed contents, share and re-key attachment keys with the record.
// The payload is bytes (key || UTF-8 name), not JSON, so the key never becomes an unwipeable string.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openContent, sealContent, type BoxKeyPair, type Reader } from '../crypto/sealed-content';
import { wipe, type Sodium } from '../crypto/sodium';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import { adOf } from '../records/sealed-store';

export const fileKeyBytes = 32;

/** Seals key and name to `readers`; returns the sealed_contents id. Call inside the write's transaction. */
export async function sealFileKey(
  db: Kysely<ArchiveSchema>,
  sodium: Sodium,
  at: string,
  owner: { kind: string; id: string },
  key: Uint8Array,
  fileName: string,
  readers: readonly Reader[],
): Promise<string> {
  const id = randomUUID();
  const name = new TextEncoder().encode(fileName);
  const payload = new Uint8Array(fileKeyBytes + name.length);
  payload.set(key);
  payload.set(name, fileKeyBytes);
  try {
    const env = sealContent(sodium, payload, adOf(id, owner.kind, owner.id), readers);
    await db.insertInto('sealed_contents').values({ id, record_kind: owner.kind, record_id: owner.id, nonce: env.nonce, ciphertext: env.ciphertext, created_at: at }).execute();
    await db
      .insertInto('sealed_keys')
      .values(env.keys.map((k) => ({ content_id: id, user_id: k.userId, sealed_key: k.sealedKey })))
      .execute();
    return id;
  } finally {
    wipe(payload);
  }
}

/** The key and name from the user's own sealed copy; null without one (CONTENT_NO_ACCESS turned into "no access"). */
export async function openFileKey(db: Kysely<ArchiveSchema>, sodium: Sodium, contentId: string, userId: string, box: BoxKeyPair): Promise<{ key: Uint8Array; fileName: string } | null> {
  const row = await db.selectFrom('sealed_contents').selectAll().where('id', '=', contentId).executeTakeFirst();
  if (!row) throw new ArchiveError('ARCHIVE_DAMAGED', 'The sealed key of an attachment is missing.');
  const copy = await db.selectFrom('sealed_keys').select('sealed_key').where('content_id', '=', contentId).where('user_id', '=', userId).executeTakeFirst();
  let bytes: Uint8Array;
  try {
    bytes = openContent(sodium, row, copy?.sealed_key, adOf(row.id, row.record_kind, row.record_id), box);
  } catch (e) {
    if (e instanceof ArchiveError && e.code === 'CONTENT_NO_ACCESS') return null;
    throw e;
  }
  try {
    if (bytes.length < fileKeyBytes) throw new ArchiveError('ARCHIVE_DAMAGED', 'The sealed key of an attachment is damaged.');
    return { key: bytes.slice(0, fileKeyBytes), fileName: new TextDecoder().decode(bytes.subarray(fileKeyBytes)) };
  } finally {
    wipe(bytes);
  }
}

/**
 * When a record becomes restricted, the keys and names of its attachments kept in the database are sealed to the
 * record's readers and their plain columns cleared, in the transaction of that change: from then on the database key
 * alone no longer opens them. (Custody entries are append-only and keep a name recorded while the record was normal.)
 * Returns how many attachments were sealed.
 */
export async function sealPlainAttachmentKeys(db: Kysely<ArchiveSchema>, sodium: Sodium, at: string, owner: { kind: 'testimony' | 'session'; id: string }, readers: readonly Reader[]): Promise<number> {
  const plain = await db.selectFrom('attachments').select(['id', 'file_key', 'file_name']).where('owner_kind', '=', owner.kind).where('owner_id', '=', owner.id).where('key_sealed_id', 'is', null).execute();
  for (const a of plain) {
    if (!a.file_key || a.file_name === null) throw new ArchiveError('ARCHIVE_DAMAGED', 'The key of an attachment is damaged.');
    const key = new Uint8Array(a.file_key);
    try {
      const sealedId = await sealFileKey(db, sodium, at, owner, key, a.file_name, readers);
      await db.updateTable('attachments').set({ file_key: null, file_name: null, key_sealed_id: sealedId }).where('id', '=', a.id).execute();
    } finally {
      wipe(key);
    }
  }
  return plain.length;
}
