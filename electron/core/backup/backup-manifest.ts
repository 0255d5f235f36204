// The backup's layout and its signed manifest: names, schema, and the facts read from a database copy.
//
// Layout of a backup root (the folder the director picks, e.g. a USB drive):
//   <root>/attachments/<2 hex>/<id>.bin        shared by every backup in this root, copied verbatim (already
//                                               encrypted); an unchanged file is not copied again (incremental)
//   <root>/backup-<UTC time>-<8 hex>/           one folder per backup, which appears only when complete:
//       archive.db       the encrypted database copy (same key as the archive)
//       keyring.json     the keyring at the time of the copy (wrapped keys: useless without a passphrase)
//       manifest.json    files, sizes, SHA-256, record counts, schema version, audit head, archive id, time
//       manifest.json.minisig   minisign signature (prehashed) by the archive signing key
//       archive.pub      the archive signing key (minisign format), for convenience: pin your own copy
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';

export const backupFormat = 'testimony-archive-backup';
export const backupFormatVersion = 1;
export const backupFiles = {
  database: 'archive.db',
  keyring: 'keyring.json',
  manifest: 'manifest.json',
  manifestSig: 'manifest.json.minisig',
  publicKey: 'archive.pub',
} as const;
export const sharedAttachmentsDir = 'attachments';
export const backupDirPattern = /^backup-\d{8}T\d{6}Z-[0-9a-f]{8}$/;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const fileEntry = (path: z.ZodType<string>) => z.strictObject({ path, bytes: z.number().int().min(0), sha256: sha256Hex });
const attachmentId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const backupManifestSchema = z.strictObject({
  format: z.literal(backupFormat),
  version: z.literal(backupFormatVersion),
  backupId: z.uuid(),
  archiveId: z.uuid(),
  createdAt: z.iso.datetime(),
  createdBy: z.uuid(),
  schemaVersion: z.number().int().min(1),
  /** minisign key id of the archive signing key, as `minisign` prints it. */
  keyId: z.string().regex(/^[0-9A-F]{16}$/),
  counts: z.record(z.string().regex(/^[a-z_]+$/), z.number().int().min(0)),
  audit: z.strictObject({ entries: z.number().int().min(0), head: z.string().regex(/^[0-9a-f]{64}$/).nullable() }),
  database: fileEntry(z.literal(backupFiles.database)),
  keyring: fileEntry(z.literal(backupFiles.keyring)),
  /** Paths relative to the backup root (the shared attachments folder), never outside it. */
  attachments: z.array(
    z.strictObject({
      id: z.string().regex(attachmentId),
      path: z.string().regex(/^attachments\/[0-9a-f]{2}\/[0-9a-f-]{36}\.bin$/),
      bytes: z.number().int().min(0),
      sha256: sha256Hex,
    }),
  ),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** Tables counted in the manifest and compared after a restore: every kind of record and log the archive holds. */
export const countedTables = [
  'users',
  'persons',
  'testimonies',
  'dialogue_sessions',
  'violations',
  'consents',
  'record_revisions',
  'sealed_contents',
  'attachments',
  'attachment_segments',
  'audit_log',
  'audit_checkpoints',
  'recipients',
  'submissions',
  'backups',
] as const;

/** The queries whose answers describe a database: counts, audit head, schema version, archive id, attachment ids. */
export const factQueries: ReadonlyArray<readonly [string, string]> = [
  ...countedTables.map((t) => [`count:${t}`, `SELECT count(*) FROM ${t}`] as const),
  ['auditHead', 'SELECT seq, lower(hex(hash)) FROM audit_log ORDER BY seq DESC LIMIT 1'],
  ['schemaVersion', 'PRAGMA user_version'],
  ['archiveId', "SELECT value FROM archive_meta WHERE key = 'archive_id'"],
  ['attachments', 'SELECT id FROM attachments ORDER BY id'],
];

export type DatabaseFacts = { counts: Record<string, number>; audit: { entries: number; head: string | null }; schemaVersion: number; archiveId: string; attachmentIds: string[] };

/** Reads the answers of factQueries (rows as arrays of column values) into a typed shape. */
export function readFacts(rows: Record<string, unknown[][]>): DatabaseFacts {
  const first = (name: string): unknown => rows[name]?.[0]?.[0];
  const counts: Record<string, number> = {};
  for (const t of countedTables) counts[t] = Number(first(`count:${t}`) ?? 0);
  const head = rows.auditHead?.[0];
  return {
    counts,
    audit: { entries: head ? Number(head[0]) : 0, head: head ? String(head[1]) : null },
    schemaVersion: Number(first('schemaVersion') ?? 0),
    archiveId: typeof first('archiveId') === 'string' ? (first('archiveId') as string) : '',
    attachmentIds: (rows.attachments ?? []).map((r) => String(r[0])),
  };
}

/** The same facts from an open better-sqlite3 handle (after a restore). */
export function factsOf(sqlite: { prepare(sql: string): { raw(on: boolean): { all(): unknown[] } } }): DatabaseFacts {
  const rows: Record<string, unknown[][]> = {};
  for (const [name, query] of factQueries) rows[name] = sqlite.prepare(query).raw(true).all() as unknown[][];
  return readFacts(rows);
}

/** SHA-256 (hex) and size of a file, streaming. */
export async function hashFile(path: string, onChunk?: (n: number) => void): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const b = chunk as Buffer;
    hash.update(b);
    bytes += b.length;
    onChunk?.(b.length);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The attachment's path inside a backup root (same sharding as the archive folder). */
export function backupAttachmentPath(id: string): string {
  return `${sharedAttachmentsDir}/${id.slice(0, 2)}/${id}.bin`;
}

/** A backup folder's name: sortable UTC time plus a short random part. */
export function backupDirName(createdAt: string, backupId: string): string {
  const stamp = createdAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `backup-${stamp}-${backupId.slice(0, 8)}`;
}
