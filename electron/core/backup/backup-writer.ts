// Writing one backup into a backup root: encrypted database copy, keyring, attachments (incremental), signed manifest.
//
// Nothing appears under a final name until it is complete: the backup folder is written as a hidden sibling and
// renamed at the end; each new attachment file is written under a hidden name, fsynced, renamed. A cancelled or
// failed backup removes its folder and the attachment files it added (files earlier backups share are untouched),
// marks its log row and is audited.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-chain';
import { attachmentPath } from '../attachments/file-store';
import type { ArchiveSchema } from '../db/schema';
import { fsyncDir } from '../files/durable-io';
import { ArchiveError, isArchiveError } from '../errors';
import type { Actor } from '../records/actor';
import { archivePublicKey, archivePublicKeyText } from '../submissions/bundle-writer';
import { keyIdHex, keyIdOf, signDigest } from '../submissions/minisign';
import { archivePaths, readKeyring } from '../vault/keyring';
import type { UnlockedArchive } from '../vault/vault';
import { backupAttachmentPath, backupDirName, backupDirPattern, backupFiles, backupFormat, backupFormatVersion, backupManifestSchema, factQueries, hashFile, readFacts, sharedAttachmentsDir, type BackupManifest } from './backup-manifest';
import { snapshotDatabase } from './db-snapshot';

export type BackupPhase = 'preparing' | 'database' | 'attachments' | 'signing' | 'done';
export type BackupProgress = { phase: BackupPhase; doneBytes: number; totalBytes: number; doneFiles: number; totalFiles: number };
export type BackupResult = {
  backupId: string;
  folder: string;
  createdAt: string;
  bytes: number;
  files: number;
  attachmentsCopied: number;
  attachmentsReused: number;
  manifestSha256: string;
  keyId: string;
  counts: Record<string, number>;
};

export type BackupDeps = {
  db: Kysely<ArchiveSchema>;
  archive: Pick<UnlockedArchive, 'archiveId' | 'secrets' | 'folder' | 'db'>;
  now: () => number;
  nativeBinding?: string | undefined;
};

/** Where previous manifests of this root say each attachment file stands (path -> size and hash). */
async function knownAttachments(root: string): Promise<Map<string, { bytes: number; sha256: string }>> {
  const known = new Map<string, { bytes: number; sha256: string }>();
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names.filter((n) => backupDirPattern.test(n)).sort()) {
    try {
      const parsed = backupManifestSchema.safeParse(JSON.parse(await readFile(join(root, name, backupFiles.manifest), 'utf8')));
      if (parsed.success) for (const a of parsed.data.attachments) known.set(a.path, { bytes: a.bytes, sha256: a.sha256 });
    } catch {
      // An unreadable older manifest only costs a re-hash of the files it named.
    }
  }
  return known;
}

async function writeFileDurably(path: string, data: string | Buffer): Promise<void> {
  const fh = await open(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Copies `from` to `to` under a hidden name, hashing the bytes as written, fsynced, then renamed. */
async function copyHashing(from: string, to: string, onChunk: (n: number) => void, checkCancel: () => void): Promise<{ sha256: string; bytes: number }> {
  const temp = join(dirname(to), `.${randomBytes(6).toString('hex')}.partial`);
  const hash = createHash('sha256');
  let bytes = 0;
  const fh = await open(temp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    try {
      for await (const chunk of createReadStream(from, { highWaterMark: 1024 * 1024 })) {
        checkCancel();
        const b = chunk as Buffer;
        hash.update(b);
        await fh.write(b);
        bytes += b.length;
        onChunk(b.length);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, to);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The backup root must be an existing, writable folder outside the archive folder. */
async function checkRoot(root: string, archiveFolder: string): Promise<void> {
  const st = await stat(root).catch(() => null);
  if (!st?.isDirectory()) throw new ArchiveError('BACKUP_FOLDER_MISSING', 'The backup folder does not exist or is not a folder.');
  const rel = relative(resolve(archiveFolder), root);
  if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel))) {
    throw new ArchiveError('BACKUP_FOLDER_MISSING', 'A backup cannot go inside the archive folder itself: choose another drive or folder.');
  }
}

/**
 * Makes one backup of the open archive into `root` (see backup-manifest.ts for the layout). Directors only: the
 * manifest is signed with the archive signing key. The archive stays in use meanwhile. `signal` cancels
 * (BACKUP_CANCELLED) and leaves nothing new behind.
 */
export async function makeBackup(deps: BackupDeps, actor: Actor, rootInput: string, opts: { onProgress?: (p: BackupProgress) => void; signal?: AbortSignal } = {}): Promise<BackupResult> {
  const { db, archive } = deps;
  if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director makes a backup.');
  const paths = archivePaths(archive.folder);
  // The bytes copied are the bytes validated: the keyring is replaced atomically, so a second read may differ.
  const keyringBytes = await readFile(paths.keyring);
  const keyring = readKeyring(paths.keyring);
  if (!keyringBytes.equals(await readFile(paths.keyring))) throw new ArchiveError('ARCHIVE_BUSY', 'The keyring changed during the backup; try again.');
  if (keyring.rotation) throw new ArchiveError('ARCHIVE_BUSY', 'A user removal is being finished; sign in again before making a backup.');
  const secretKey = archive.secrets.archiveSigningSecretKey;
  const publicKey = archivePublicKey(keyring);
  if (!secretKey || !Buffer.from(secretKey.subarray(32)).equals(publicKey)) throw new ArchiveError('AUTH_FORBIDDEN', 'This account does not hold the archive signing key.');
  const keyId = keyIdOf(publicKey);
  const root = resolve(rootInput);
  await checkRoot(root, archive.folder);

  const progress: BackupProgress = { phase: 'preparing', doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: 0 };
  const report = () => opts.onProgress?.({ ...progress });
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new ArchiveError('BACKUP_CANCELLED', 'The backup was cancelled.');
  };
  report();
  const backupId = randomUUID();
  const createdAt = new Date(deps.now()).toISOString();
  const folder = join(root, backupDirName(createdAt, backupId));
  await db
    .insertInto('backups')
    .values({ id: backupId, status: 'writing', created_by: actor.userId, created_at: createdAt, finished_at: null, location: folder, bytes: null, files: null, attachments_copied: null, attachments_reused: null, manifest_sha256: null, verification: 'unverified', verified_at: null, verification_detail: null })
    .execute();

  const temp = join(root, `.${backupDirName(createdAt, backupId)}.partial-${randomBytes(6).toString('hex')}`);
  const added: string[] = [];
  let finished = false;
  try {
    checkCancel();
    await mkdir(temp, { mode: 0o700 }).catch(() => {
      throw new ArchiveError('BACKUP_FOLDER_MISSING', 'The backup folder cannot be written (read-only, full or removed).');
    });
    // An estimate for progress: the live file's pages (the copy leaves out free pages, so it ends a little early).
    const pageCount = Number(archive.db.sqlite.pragma('page_count', { simple: true }));
    const pageSize = Number(archive.db.sqlite.pragma('page_size', { simple: true }));
    progress.phase = 'database';
    progress.totalBytes = pageCount * pageSize;
    progress.totalFiles = 2;
    report();
    const dbCopy = join(temp, backupFiles.database);
    const facts = readFacts(
      await snapshotDatabase({
        source: paths.database,
        target: dbCopy,
        key: archive.secrets.masterKey,
        nativeBinding: deps.nativeBinding,
        queries: factQueries,
        onBytes: (bytes) => {
          progress.doneBytes = Math.min(bytes, progress.totalBytes);
          report();
        },
      }),
    );
    checkCancel();
    if (facts.archiveId !== archive.archiveId) throw new ArchiveError('ARCHIVE_DAMAGED', 'The database copy names another archive.');
    await fsyncFile(dbCopy);
    const database = { path: backupFiles.database, ...(await hashFile(dbCopy)) };
    await writeFileDurably(join(temp, backupFiles.keyring), keyringBytes);
    const keyringEntry = { path: backupFiles.keyring, bytes: keyringBytes.length, sha256: createHash('sha256').update(keyringBytes).digest('hex') };

    // Attachments named by the copy: a row is written after its file, so every id in the copy has its file.
    const sources: Array<{ id: string; from: string; bytes: number }> = [];
    for (const id of facts.attachmentIds) {
      const from = attachmentPath(archive.folder, id);
      const st = await stat(from).catch(() => null);
      // A backup that silently skipped a file would restore as damaged: refuse, and say what to run.
      if (!st?.isFile()) throw new ArchiveError('ATTACHMENT_DAMAGED', `The file of attachment ${id} is missing from the archive folder; run the archive check. No backup was made.`);
      sources.push({ id, from, bytes: st.size });
    }
    progress.phase = 'attachments';
    progress.doneBytes = database.bytes + keyringEntry.bytes;
    progress.totalBytes = progress.doneBytes + sources.reduce((n, s) => n + s.bytes, 0);
    progress.doneFiles = 2;
    progress.totalFiles = 2 + sources.length;
    report();
    const known = await knownAttachments(root);
    const attachments: BackupManifest['attachments'] = [];
    let copied = 0;
    let reused = 0;
    let lastReport = 0;
    const advance = (n: number) => {
      progress.doneBytes += n;
      if (progress.doneBytes - lastReport >= progress.totalBytes / 100) {
        lastReport = progress.doneBytes;
        report();
      }
    };
    for (const s of sources) {
      checkCancel();
      const path = backupAttachmentPath(s.id);
      const to = join(root, ...path.split('/'));
      const existing = await stat(to).catch(() => null);
      let entry: { sha256: string; bytes: number } | null = null;
      if (existing?.isFile() && existing.size === s.bytes) {
        // Attachment files never change after intake: a file of the same size is the same file if its hash agrees,
        // from an earlier manifest of this root or, failing that, by reading the copy once.
        const source = await hashFile(s.from);
        const there = known.get(path) ?? (await hashFile(to));
        if (there.sha256 === source.sha256 && there.bytes === source.bytes) entry = source;
      }
      if (entry) {
        reused++;
        advance(s.bytes);
      } else {
        await mkdir(dirname(to), { recursive: true, mode: 0o700 });
        entry = await copyHashing(s.from, to, advance, checkCancel);
        added.push(to);
        copied++;
      }
      attachments.push({ id: s.id, path, bytes: entry.bytes, sha256: entry.sha256 });
      progress.doneFiles++;
    }
    if (added.length > 0) {
      for (const shard of new Set(added.map((a) => dirname(a)))) await fsyncDir(shard);
      await fsyncDir(join(root, sharedAttachmentsDir));
    }
    checkCancel();

    progress.phase = 'signing';
    report();
    const manifest: BackupManifest = backupManifestSchema.parse({
      format: backupFormat,
      version: backupFormatVersion,
      backupId,
      archiveId: archive.archiveId,
      createdAt,
      createdBy: actor.userId,
      schemaVersion: facts.schemaVersion,
      keyId: keyIdHex(keyId),
      counts: facts.counts,
      audit: facts.audit,
      database,
      keyring: keyringEntry,
      attachments,
    });
    const manifestText = `${JSON.stringify(manifest, null, 1)}\n`;
    const manifestSha256 = createHash('sha256').update(manifestText).digest('hex');
    await writeFileDurably(join(temp, backupFiles.manifest), manifestText);
    const signature = signDigest(createHash('blake2b512').update(manifestText).digest(), {
      secretKey,
      keyId,
      trustedComment: `backup:${backupId} archive:${archive.archiveId} file:${backupFiles.manifest}`,
      untrustedComment: `signature from Testimony Archive key ${keyIdHex(keyId)}`,
    });
    await writeFileDurably(join(temp, backupFiles.manifestSig), signature);
    await writeFileDurably(join(temp, backupFiles.publicKey), archivePublicKeyText(keyring));
    await fsyncDir(temp);
    checkCancel();
    await rename(temp, folder);
    await fsyncDir(root);
    finished = true;

    const bytes = database.bytes + keyringEntry.bytes + attachments.reduce((n, a) => n + a.bytes, 0);
    const files = 2 + attachments.length;
    const finishedAt = new Date(deps.now()).toISOString();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('backups')
        .set({ status: 'complete', finished_at: finishedAt, bytes, files, attachments_copied: copied, attachments_reused: reused, manifest_sha256: manifestSha256 })
        .where('id', '=', backupId)
        .execute();
      await appendAudit(trx, {
        at: finishedAt,
        actor: actor.userId,
        action: 'backup.created',
        subjectKind: 'backup',
        subjectId: backupId,
        detail: { bytes, files, attachmentsCopied: copied, attachmentsReused: reused, manifestSha256, auditHead: facts.audit.head },
      });
    });
    progress.phase = 'done';
    progress.doneBytes = progress.totalBytes;
    report();
    return { backupId, folder, createdAt, bytes, files, attachmentsCopied: copied, attachmentsReused: reused, manifestSha256, keyId: keyIdHex(keyId), counts: facts.counts };
  } catch (e) {
    if (!finished) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      for (const f of added) await rm(f, { force: true }).catch(() => undefined);
    }
    const wasCancelled = isArchiveError(e) && e.code === 'BACKUP_CANCELLED';
    const code = isArchiveError(e) ? e.code : 'INTERNAL';
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('backups').set({ status: wasCancelled ? 'cancelled' : 'failed', finished_at: new Date(deps.now()).toISOString() }).where('id', '=', backupId).where('status', '=', 'writing').execute();
        await appendAudit(trx, { at: new Date(deps.now()).toISOString(), actor: actor.userId, action: wasCancelled ? 'backup.cancelled' : 'backup.failed', subjectKind: 'backup', subjectId: backupId, detail: { code } });
      })
      .catch(() => undefined);
    if (isArchiveError(e)) throw e;
    const errno = (e as NodeJS.ErrnoException).code;
    if (errno === 'ENOSPC' || errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM' || errno === 'ENOENT' || errno === 'EIO') {
      throw new ArchiveError('BACKUP_FOLDER_MISSING', 'The backup folder could not be written (full, read-only or removed). Nothing was left behind.');
    }
    throw e;
  }
}
