// The append-only history of every record: who, when, what changed, and the full state after each change.
import type { Kysely } from 'kysely';
import type { ArchiveSchema, RecordRevisionsTable } from '../db/schema';
import { appendAudit } from '../audit/audit-chain';
import { ArchiveError } from '../errors';

export type RevisionEntry = {
  kind: string;
  id: string;
  revision: number;
  action: RecordRevisionsTable['action'];
  at: string;
  by: string;
  /** Plain fields after the change (restricted fields live in the sealed snapshot). */
  snapshot: Record<string, unknown>;
  sealedSnapshotId: string | null;
  changed: string[];
};

export async function appendRevision(db: Kysely<ArchiveSchema>, e: RevisionEntry): Promise<void> {
  await db
    .insertInto('record_revisions')
    .values({
      record_kind: e.kind,
      record_id: e.id,
      revision: e.revision,
      action: e.action,
      at: e.at,
      by: e.by,
      snapshot: JSON.stringify(e.snapshot),
      sealed_snapshot_id: e.sealedSnapshotId,
      changed: JSON.stringify(e.changed),
    })
    .execute();
  // Every record change is audited in the same transaction: who, what, which revision; never the content.
  await appendAudit(db, { at: e.at, actor: e.by, action: `record.${e.action}`, subjectKind: e.kind, subjectId: e.id, detail: { revision: e.revision } });
}

const entryOf = (r: RecordRevisionsTable): RevisionEntry => ({
  kind: r.record_kind,
  id: r.record_id,
  revision: r.revision,
  action: r.action,
  at: r.at,
  by: r.by,
  snapshot: JSON.parse(r.snapshot) as Record<string, unknown>,
  sealedSnapshotId: r.sealed_snapshot_id,
  changed: JSON.parse(r.changed) as string[],
});

export async function listRevisions(db: Kysely<ArchiveSchema>, kind: string, id: string): Promise<RevisionEntry[]> {
  const rows = await db.selectFrom('record_revisions').selectAll().where('record_kind', '=', kind).where('record_id', '=', id).orderBy('revision').execute();
  return rows.map(entryOf);
}

/**
 * A record's history, oldest first. Every record has its creation as revision 1, so no revisions means no
 * such record: RECORD_NOT_FOUND ("No such person."), as reading it would answer.
 */
export async function historyOf(db: Kysely<ArchiveSchema>, kind: string, id: string, noun: string): Promise<RevisionEntry[]> {
  const entries = await listRevisions(db, kind, id);
  if (entries.length === 0) throw new ArchiveError('RECORD_NOT_FOUND', `No such ${noun}.`);
  return entries;
}

/**
 * One revision, read by its primary key. Missing, it is RECORD_NOT_FOUND saying which is missing: the
 * record itself, or only that revision (then the message names the latest one, so a caller can correct).
 */
export async function readRevision(db: Kysely<ArchiveSchema>, kind: string, id: string, revision: number, noun: string): Promise<RevisionEntry> {
  const row = await db
    .selectFrom('record_revisions')
    .selectAll()
    .where('record_kind', '=', kind)
    .where('record_id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  if (row) return entryOf(row);
  const last = await db
    .selectFrom('record_revisions')
    .select((eb) => eb.fn.max('revision').as('latest'))
    .where('record_kind', '=', kind)
    .where('record_id', '=', id)
    .executeTakeFirst();
  const latest = last?.latest ?? null;
  if (latest === null) throw new ArchiveError('RECORD_NOT_FOUND', `No such ${noun}.`);
  throw new ArchiveError('RECORD_NOT_FOUND', `This ${noun} has no revision ${revision}: its revisions are 1 to ${latest}.`);
}

/** Top-level fields whose values differ (deep comparison through JSON, keys in a stable order). */
export function changedFields(before: object, after: object): string[] {
  const stable = (v: unknown): string =>
    JSON.stringify(v, (_k, val: unknown) =>
      val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val,
    );
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return Object.keys(b).filter((k) => k in a && stable(a[k]) !== stable(b[k]));
}

/** Field-by-field difference between two snapshots: what a reviewer sees when comparing revisions. */
export function diffSnapshots(older: Record<string, unknown>, newer: Record<string, unknown>): Array<{ field: string; before: unknown; after: unknown }> {
  const fields = [...new Set([...Object.keys(older), ...Object.keys(newer)])];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  return fields.filter((f) => !same(older[f], newer[f])).map((f) => ({ field: f, before: older[f] ?? null, after: newer[f] ?? null }));
}
