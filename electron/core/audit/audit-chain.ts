// The audit trail's hash chain: each entry's BLAKE2b-256 covers the previous hash and the entry, so an edit,
// a deletion or a reordering anywhere breaks every link after it; verifyAuditChain names the first break.
import { Transaction, type Kysely } from 'kysely';
import sodium from 'libsodium-wrappers-sumo';
import { isSqliteCode } from '../db/open-database';
import type { ArchiveSchema, AuditLogTable } from '../db/schema';

export const auditHashBytes = 32;
const genesis = new Uint8Array(auditHashBytes);

export type AuditEntry = {
  at: string;
  /** The acting user's id; null for the archive itself. */
  actor: string | null;
  /** What happened, e.g. `session.sign-in`, `record.seal` (ids and actions only, never content). */
  action: string;
  subjectKind: string | null;
  subjectId: string | null;
  /** Ids, counts, reasons: small, never record content. */
  detail: Record<string, string | number | boolean | null>;
};

/** The bytes an entry's hash covers, besides the previous hash: a fixed-order JSON array. */
function entryBytes(seq: number, e: AuditEntry): Uint8Array {
  const detail = Object.fromEntries(Object.entries(e.detail).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return new TextEncoder().encode(JSON.stringify([seq, e.at, e.actor, e.action, e.subjectKind, e.subjectId, detail]));
}

/** An entry's link: BLAKE2b-256 of the previous hash and the entry (unkeyed: anyone can recompute and check it). */
export function chainHash(prev: Uint8Array, seq: number, e: AuditEntry): Uint8Array {
  const body = entryBytes(seq, e);
  const input = new Uint8Array(prev.length + body.length);
  input.set(prev);
  input.set(body, prev.length);
  return sodium.crypto_generichash(auditHashBytes, input, null);
}

/**
 * Appends one entry after the current head; call inside the transaction of the change it records. Outside a
 * transaction (sign-in, lock) another process (the CLI beside the app) may take the same number first: the
 * primary key refuses the second, which then reads the new head and tries again.
 */
export async function appendAudit(db: Kysely<ArchiveSchema>, e: AuditEntry): Promise<void> {
  await sodium.ready;
  for (let attempt = 1; ; attempt++) {
    try {
      await appendAfterHead(db, e);
      return;
    } catch (err) {
      if (db instanceof Transaction || attempt >= 5 || !isSqliteCode(err, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw err;
    }
  }
}

async function appendAfterHead(db: Kysely<ArchiveSchema>, e: AuditEntry): Promise<void> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = (head?.seq ?? 0) + 1;
  const prev = head ? new Uint8Array(head.hash) : genesis;
  await db
    .insertInto('audit_log')
    .values({
      seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      subject_kind: e.subjectKind,
      subject_id: e.subjectId,
      detail: JSON.stringify(e.detail),
      prev_hash: prev,
      hash: chainHash(prev, seq, e),
    })
    .execute();
}

export type AuditBreak = {
  /** The position (1-based, in stored order) where the chain first stops holding. */
  position: number;
  reason: 'missing-or-reordered' | 'edited' | 'broken-link' | 'unreadable';
  /** Plain-language explanation for the auditor. */
  message: string;
};

export type ChainReport = { entries: number; head: string | null; firstBreak: AuditBreak | null };

function entryOf(row: AuditLogTable): AuditEntry | null {
  try {
    const detail: unknown = JSON.parse(row.detail);
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return null;
    return { at: row.at, actor: row.actor, action: row.action, subjectKind: row.subject_kind, subjectId: row.subject_id, detail: detail as AuditEntry['detail'] };
  } catch {
    return null;
  }
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && sodium.memcmp(a, b);

/**
 * Walks the whole log in stored order and reports the first place where it stops being one unbroken chain.
 * Truncating the newest entries leaves a valid shorter chain: that is caught by the signed checkpoints (count +
 * head hash), which compare against `entries` and `head`.
 */
export async function verifyAuditChain(db: Kysely<ArchiveSchema>): Promise<ChainReport> {
  await sodium.ready;
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'asc').execute();
  let prev = genesis;
  for (const [i, row] of rows.entries()) {
    const position = i + 1;
    if (row.seq !== position) {
      return { entries: rows.length, head: null, firstBreak: { position, reason: 'missing-or-reordered', message: `Entry ${position} is missing or out of order: the entry found there is numbered ${row.seq}.` } };
    }
    const entry = entryOf(row);
    if (!entry) return { entries: rows.length, head: null, firstBreak: { position, reason: 'unreadable', message: `Entry ${position} cannot be read: its details are not valid.` } };
    const prevHash = new Uint8Array(row.prev_hash);
    if (!equal(prevHash, prev)) {
      return { entries: rows.length, head: null, firstBreak: { position, reason: 'broken-link', message: `Entry ${position} does not follow entry ${position - 1}: an entry before it was changed, removed or replaced.` } };
    }
    const hash = new Uint8Array(row.hash);
    if (!equal(hash, chainHash(prev, row.seq, entry))) {
      return { entries: rows.length, head: null, firstBreak: { position, reason: 'edited', message: `Entry ${position} was changed after it was written.` } };
    }
    prev = hash;
  }
  return { entries: rows.length, head: rows.length > 0 ? sodium.to_hex(prev) : null, firstBreak: null };
}
