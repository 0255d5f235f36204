// The append-only history of every record: who, when, what changed, and the full state after each change.
import type { Kysely } from 'kysely';
import type { ArchiveSchema, RecordRevisionsTable } from '../db/schema';

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
}

export async function listRevisions(db: Kysely<ArchiveSchema>, kind: string, id: string): Promise<RevisionEntry[]> {
  const rows = await db.selectFrom('record_revisions').selectAll().where('record_kind', '=', kind).where('record_id', '=', id).orderBy('revision').execute();
  return rows.map((r) => ({
    kind: r.record_kind,
    id: r.record_id,
    revision: r.revision,
    action: r.action,
    at: r.at,
    by: r.by,
    snapshot: JSON.parse(r.snapshot) as Record<string, unknown>,
    sealedSnapshotId: r.sealed_snapshot_id,
    changed: JSON.parse(r.changed) as string[],
  }));
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
