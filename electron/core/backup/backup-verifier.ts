// Checking a backup (signature, every file's size and hash) and restoring it into a new folder, verified before use.
//
// Restore is two steps so it also works from the "no archive / locked" screen:
//   1. restoreBackup: signature and manifest first, then every file copied into a hidden sibling of the target,
//      hashed as it is copied; any mismatch removes it all. The folder appears under its name only when complete.
//   2. verifyRestored: with a user's passphrase, the restored archive is opened and must pass the archive check
//      (integrity, keyring, audit chain and checkpoints) and hold exactly the counts and audit head of the manifest.
//      A failed check removes the restored folder; a wrong passphrase leaves it for another try.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { appendAudit } from '../audit/audit-chain';
import { fsyncDir } from '../files/durable-io';
import { ArchiveError, isArchiveError } from '../errors';
import { runCheck } from '../maintenance/report';
import { archivePublicKey } from '../submissions/bundle-writer';
import { keyIdHex, keyIdOf, verifyFile, type MinisignPublicKey } from '../submissions/minisign';
import { readKeyring } from '../vault/keyring';
import type { UnlockedArchive } from '../vault/vault';
import { backupFiles, backupManifestSchema, factsOf, hashFile, type BackupManifest } from './backup-manifest';

export type BackupProblem = { file: string; problem: 'missing' | 'size' | 'hash' | 'signature' | 'manifest' | 'keyring' };
export type BackupCheckReport = {
  ok: boolean;
  backupId: string | null;
  archiveId: string | null;
  createdAt: string | null;
  keyId: string | null;
  /** True when the signature was checked against a key the caller pinned (the open archive's), not the backup's own. */
  pinned: boolean;
  files: number;
  bytes: number;
  problems: BackupProblem[];
};
export type RestoreProgress = { phase: 'checking' | 'copying' | 'done'; doneBytes: number; totalBytes: number; doneFiles: number; totalFiles: number };
export type RestoredBackup = { targetDir: string; manifest: BackupManifest };
export type RestoreVerification = { ok: true; checks: Array<{ name: string; ok: boolean; detail: string }>; counts: Record<string, number>; auditHead: string | null };

const maxManifestBytes = 256 * 1024 * 1024;

const describe = (p: BackupProblem) =>
  ({
    missing: `${p.file} is missing`,
    size: `${p.file} does not have the size in the manifest`,
    hash: `${p.file} does not match its SHA-256 in the manifest`,
    signature: `the manifest signature (${backupFiles.manifestSig}) does not verify`,
    manifest: `${backupFiles.manifest} is not a valid backup manifest`,
    keyring: `${backupFiles.keyring} cannot be read, so the signing key is unknown`,
  })[p.problem];

export function problemMessage(problems: readonly BackupProblem[]): string {
  const [first] = problems;
  if (!first) return 'The backup is intact.';
  return `The backup is damaged or was altered: ${describe(first)}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''}.`;
}

/** Reads and authenticates manifest.json of a backup folder; problems are returned, not thrown (except "not a backup"). */
async function readSignedManifest(backupDir: string, pinnedKey: MinisignPublicKey | undefined): Promise<{ manifest: BackupManifest | null; problems: BackupProblem[]; keyId: string | null }> {
  const st = await stat(backupDir).catch(() => null);
  if (!st?.isDirectory()) throw new ArchiveError('BACKUP_NOT_FOUND', 'The backup folder does not exist.');
  const manifestPath = join(backupDir, backupFiles.manifest);
  const sigPath = join(backupDir, backupFiles.manifestSig);
  const [mst, sst] = await Promise.all([stat(manifestPath).catch(() => null), stat(sigPath).catch(() => null)]);
  if (!mst?.isFile() && !sst?.isFile()) throw new ArchiveError('BACKUP_NOT_FOUND', 'This folder is not a backup: it has no manifest.json and no signature.');
  if (!mst?.isFile()) return { manifest: null, problems: [{ file: backupFiles.manifest, problem: 'missing' }], keyId: null };
  if (!sst?.isFile()) return { manifest: null, problems: [{ file: backupFiles.manifestSig, problem: 'missing' }], keyId: null };
  if (mst.size > maxManifestBytes) return { manifest: null, problems: [{ file: backupFiles.manifest, problem: 'manifest' }], keyId: null };
  let key = pinnedKey;
  if (!key) {
    try {
      const pk = archivePublicKey(readKeyring(join(backupDir, backupFiles.keyring)));
      key = { keyId: keyIdOf(pk), publicKey: pk };
    } catch {
      return { manifest: null, problems: [{ file: backupFiles.keyring, problem: 'keyring' }], keyId: null };
    }
  }
  const keyId = keyIdHex(key.keyId);
  try {
    await verifyFile(manifestPath, await readFile(sigPath, 'utf8'), key);
  } catch (e) {
    if (isArchiveError(e) && e.code.startsWith('MINISIGN_')) return { manifest: null, problems: [{ file: backupFiles.manifestSig, problem: 'signature' }], keyId };
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch {
    return { manifest: null, problems: [{ file: backupFiles.manifest, problem: 'manifest' }], keyId };
  }
  const parsed = backupManifestSchema.safeParse(json);
  if (!parsed.success) return { manifest: null, problems: [{ file: backupFiles.manifest, problem: 'manifest' }], keyId };
  return { manifest: parsed.data, problems: [], keyId };
}

/** Every file a manifest names, with where it lies (absolute) and its name in messages. */
function filesOf(backupDir: string, manifest: BackupManifest) {
  const root = dirname(backupDir);
  return [
    { name: manifest.database.path, from: join(backupDir, manifest.database.path), to: manifest.database.path, bytes: manifest.database.bytes, sha256: manifest.database.sha256 },
    { name: manifest.keyring.path, from: join(backupDir, manifest.keyring.path), to: manifest.keyring.path, bytes: manifest.keyring.bytes, sha256: manifest.keyring.sha256 },
    // In the restored archive an attachment goes where the archive keeps it: the same relative path.
    ...manifest.attachments.map((a) => ({ name: a.path, from: join(root, ...a.path.split('/')), to: a.path, bytes: a.bytes, sha256: a.sha256 })),
  ];
}

/**
 * Re-checks an existing backup: the manifest signature (against `pinnedKey` when given, else the key in the backup's
 * own keyring), then every file's presence, size and SHA-256. Throws only BACKUP_NOT_FOUND; damage is reported.
 */
export async function checkBackup(backupDirInput: string, opts: { pinnedKey?: MinisignPublicKey; signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<BackupCheckReport> {
  const backupDir = resolve(backupDirInput);
  const { manifest, problems, keyId } = await readSignedManifest(backupDir, opts.pinnedKey);
  const report: BackupCheckReport = { ok: false, backupId: null, archiveId: null, createdAt: null, keyId, pinned: opts.pinnedKey !== undefined, files: 0, bytes: 0, problems };
  if (!manifest) return report;
  Object.assign(report, { backupId: manifest.backupId, archiveId: manifest.archiveId, createdAt: manifest.createdAt });
  for (const f of filesOf(backupDir, manifest)) {
    if (opts.signal?.aborted) throw new ArchiveError('BACKUP_CANCELLED', 'The check was cancelled.');
    report.files++;
    report.bytes += f.bytes;
    const st = await stat(f.from).catch(() => null);
    if (!st?.isFile()) problems.push({ file: f.name, problem: 'missing' });
    else if (st.size !== f.bytes) problems.push({ file: f.name, problem: 'size' });
    else if ((await hashFile(f.from, opts.onBytes)).sha256 !== f.sha256) problems.push({ file: f.name, problem: 'hash' });
  }
  report.ok = problems.length === 0;
  return report;
}

/** A restore target is a new folder (its parent must exist) or an existing empty one. */
async function checkTarget(targetDir: string): Promise<void> {
  const parent = await stat(dirname(targetDir)).catch(() => null);
  if (!parent?.isDirectory()) throw new ArchiveError('BACKUP_FOLDER_MISSING', 'The folder to restore into cannot be made: its parent folder does not exist.');
  const existing = await stat(targetDir).catch(() => null);
  if (existing && (!existing.isDirectory() || (await readdir(targetDir)).length > 0)) {
    throw new ArchiveError('RESTORE_TARGET_NOT_EMPTY', 'The folder chosen for the restore already exists and is not empty.');
  }
}

/**
 * Restores the backup in `backupDir` into `targetDir` (new or empty), checking the signature first and every file's
 * size and hash as it is copied. On any problem nothing is left at the target (BACKUP_TAMPERED names the file).
 * The result still has to pass verifyRestored before it is offered for use.
 */
export async function restoreBackup(
  input: { backupDir: string; targetDir: string },
  opts: { onProgress?: (p: RestoreProgress) => void; signal?: AbortSignal; pinnedKey?: MinisignPublicKey } = {},
): Promise<RestoredBackup> {
  const backupDir = resolve(input.backupDir);
  const targetDir = resolve(input.targetDir);
  await checkTarget(targetDir);
  const progress: RestoreProgress = { phase: 'checking', doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: 0 };
  const report = () => opts.onProgress?.({ ...progress });
  report();
  const { manifest, problems } = await readSignedManifest(backupDir, opts.pinnedKey);
  if (!manifest) throw new ArchiveError('BACKUP_TAMPERED', problemMessage(problems));
  const files = filesOf(backupDir, manifest);
  progress.phase = 'copying';
  progress.totalBytes = files.reduce((n, f) => n + f.bytes, 0);
  progress.totalFiles = files.length;
  report();
  const temp = join(dirname(targetDir), `.${basename(targetDir)}.partial-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(temp, { mode: 0o700 });
    let lastReport = 0;
    for (const f of files) {
      if (opts.signal?.aborted) throw new ArchiveError('BACKUP_CANCELLED', 'The restore was cancelled.');
      const st = await stat(f.from).catch(() => null);
      if (!st?.isFile()) throw new ArchiveError('BACKUP_TAMPERED', problemMessage([{ file: f.name, problem: 'missing' }]));
      if (st.size !== f.bytes) throw new ArchiveError('BACKUP_TAMPERED', problemMessage([{ file: f.name, problem: 'size' }]));
      const to = join(temp, ...f.to.split('/'));
      await mkdir(dirname(to), { recursive: true, mode: 0o700 });
      const hash = createHash('sha256');
      const fh = await open(to, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
      try {
        for await (const chunk of createReadStream(f.from, { highWaterMark: 1024 * 1024 })) {
          if (opts.signal?.aborted) throw new ArchiveError('BACKUP_CANCELLED', 'The restore was cancelled.');
          const b = chunk as Buffer;
          hash.update(b);
          await fh.write(b);
          progress.doneBytes += b.length;
          if (progress.doneBytes - lastReport >= progress.totalBytes / 100) {
            lastReport = progress.doneBytes;
            report();
          }
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      // The bytes written are the bytes hashed: what lands in the archive folder is what the manifest signed.
      if (hash.digest('hex') !== f.sha256) throw new ArchiveError('BACKUP_TAMPERED', problemMessage([{ file: f.name, problem: 'hash' }]));
      progress.doneFiles++;
    }
    for (const d of new Set(files.map((f) => dirname(join(temp, ...f.to.split('/')))))) await fsyncDir(d);
    if ((await stat(targetDir).catch(() => null)) !== null) await rmdir(targetDir);
    await rename(temp, targetDir);
    await fsyncDir(dirname(targetDir));
  } catch (e) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  progress.phase = 'done';
  report();
  return { targetDir, manifest };
}

export type VerifyRestoredDeps = {
  /** The vault's unlock (createArchiveCore's `vault.unlock`): the restored folder is opened like any archive. */
  unlock: (folder: string, username: string, passphrase: string) => Promise<UnlockedArchive>;
  now: () => number;
};

/**
 * Opens the restored archive with a user's passphrase and checks it against the manifest it was restored from.
 * Success: the archive is ready for use (a `backup.restored` entry is added to its audit trail). A failed check
 * removes the restored folder (RESTORE_CHECK_FAILED); a wrong passphrase (AUTH_*) leaves it for another try.
 */
export async function verifyRestored(deps: VerifyRestoredDeps, restored: RestoredBackup, username: string, passphrase: string): Promise<RestoreVerification> {
  const { targetDir, manifest } = restored;
  let archive: UnlockedArchive;
  try {
    archive = await deps.unlock(targetDir, username, passphrase);
  } catch (e) {
    if (isArchiveError(e) && e.code.startsWith('AUTH_')) throw e;
    await rm(targetDir, { recursive: true, force: true }).catch(() => undefined);
    throw new ArchiveError('RESTORE_CHECK_FAILED', `The restored archive cannot be opened: ${isArchiveError(e) ? e.message : 'unexpected failure'} The restored folder was removed.`);
  }
  let failure: string | null = null;
  let result: RestoreVerification | null = null;
  try {
    const check = await runCheck(archive);
    const facts = factsOf(archive.db.sqlite);
    const checks = [...check.checks];
    const mismatched = Object.entries(manifest.counts).filter(([k, v]) => facts.counts[k] !== v);
    checks.push({ name: 'record counts', ok: mismatched.length === 0, detail: mismatched.length ? mismatched.map(([k, v]) => `${k}: ${facts.counts[k] ?? 0} instead of ${v}`).join(', ') : `${Object.keys(manifest.counts).length} kinds equal to the manifest` });
    const headOk = facts.audit.entries === manifest.audit.entries && facts.audit.head === manifest.audit.head;
    checks.push({ name: 'audit head', ok: headOk, detail: headOk ? `${facts.audit.entries} entries, head equal to the manifest` : `${facts.audit.entries} entries (manifest ${manifest.audit.entries}), head differs` });
    checks.push({ name: 'archive identity', ok: facts.archiveId === manifest.archiveId && archive.archiveId === manifest.archiveId, detail: 'database, keyring and manifest name the same archive' });
    // A director's unwrapped signing key must be the one in the keyring: a swapped keyring (re-signed manifest) fails here.
    const own = archive.secrets.archiveSigningSecretKey;
    if (own) {
      const keyOk = keyIdHex(keyIdOf(own.subarray(32))) === manifest.keyId;
      checks.push({ name: 'signing key', ok: keyOk, detail: keyOk ? `manifest signed by the archive's own key ${manifest.keyId}` : 'the manifest key is not the key this director holds' });
    }
    const bad = checks.filter((c) => !c.ok);
    if (bad.length > 0) failure = bad.map((c) => `${c.name}: ${c.detail}`).join('; ');
    else {
      const at = new Date(deps.now()).toISOString();
      await archive.db.kysely.transaction().execute(async (trx) => {
        // The copy was taken while this backup's own log row said "writing": in the restored archive it is complete.
        await trx.updateTable('backups').set({ status: 'complete', finished_at: at }).where('id', '=', manifest.backupId).where('status', '=', 'writing').execute();
        await appendAudit(trx, { at, actor: archive.user.id, action: 'backup.restored', subjectKind: 'backup', subjectId: manifest.backupId, detail: { createdAt: manifest.createdAt, auditHead: manifest.audit.head } });
      });
      result = { ok: true, checks, counts: facts.counts, auditHead: facts.audit.head };
    }
  } catch (e) {
    failure = isArchiveError(e) ? e.message : 'the checks could not run';
  } finally {
    await archive.close();
  }
  if (failure !== null || result === null) {
    await rm(targetDir, { recursive: true, force: true }).catch(() => undefined);
    throw new ArchiveError('RESTORE_CHECK_FAILED', `The restored archive did not pass its checks (${failure ?? 'unknown'}). The restored folder was removed.`);
  }
  return result;
}

/** Reads a backup's manifest after checking its signature (for a restore started from a saved state). */
export async function readBackupManifest(backupDir: string, pinnedKey?: MinisignPublicKey): Promise<BackupManifest> {
  const { manifest, problems } = await readSignedManifest(resolve(backupDir), pinnedKey);
  if (!manifest) throw new ArchiveError('BACKUP_TAMPERED', problemMessage(problems));
  return manifest;
}
