// `archive backup` and `archive restore`: the same core functions as the app, with progress on stderr.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArchiveCore } from '../core/archive-core';
import { readBackupManifest, restoreBackup, type RestoreVerification } from '../core/backup/backup-verifier';
import type { BackupResult } from '../core/backup/backup-writer';
import { ArchiveError, isArchiveError } from '../core/errors';
import { CliUsageError, pinnedFrom } from './bundle-commands';

/** Backs the signed-in archive up into `output` (the backup root) and waits; progress lines go to `progress`. */
export async function runBackup(core: ArchiveCore, output: string, progress: (line: string) => void): Promise<Omit<BackupResult, 'counts' | 'manifestSha256'>> {
  const actor = core.sessions.require().records.actor;
  const { jobId } = core.backups.startInto(actor, resolve(output));
  let last = '';
  const timer = setInterval(() => {
    const s = core.backups.status(jobId);
    const pct = s.totalBytes > 0 ? Math.floor((100 * s.doneBytes) / s.totalBytes) : 0;
    const line = `backup: ${s.phase} ${pct}% (${s.doneFiles}/${s.totalFiles} files)`;
    if (line !== last && s.state === 'running') progress(line);
    last = line;
  }, 1000);
  try {
    const done = await core.backups.wait(jobId);
    if (done.state !== 'finished' || !done.result) throw new ArchiveError(done.error?.code ?? 'INTERNAL', done.error?.message ?? 'The backup failed.');
    return done.result;
  } finally {
    clearInterval(timer);
  }
}

export type RestoreOutcome = {
  folder: string;
  backupId: string;
  archiveId: string;
  createdAt: string;
  keyId: string;
  pinnedKey: boolean;
  files: number;
  /** null without --user: the archive was not opened. */
  verification: RestoreVerification | null;
};

type Io = { out: (s: string) => void; err: (s: string) => void; json: boolean; readPassphrase: () => Promise<string> };

/**
 * Restores a backup into a new folder. The signature and every file are always checked; with --user the restored
 * archive is also opened (passphrase from stdin) and checked against the manifest, and removed if a check fails.
 */
export async function runRestore(core: ArchiveCore | undefined, values: { user: string | undefined; output: string | undefined; pubkey: string | undefined }, positionals: string[], io: Io): Promise<number> {
  const [backupDir, ...extra] = positionals;
  if (backupDir === undefined || extra.length > 0) throw new CliUsageError('Give exactly one backup folder.');
  if (!values.output) throw new CliUsageError('-o <new folder> is required for restore.');
  const pinned = values.pubkey ? pinnedFrom(values.pubkey) : undefined;
  // The signature is checked before a passphrase is asked for: no secret is typed for a folder that is not a backup.
  await readBackupManifest(backupDir, pinned);
  const passphrase = values.user !== undefined ? await io.readPassphrase() : null;
  let lastPct = -10;
  const restored = await restoreBackup(
    { backupDir, targetDir: values.output },
    {
      ...(pinned ? { pinnedKey: pinned } : {}),
      onProgress: (p) => {
        const pct = p.totalBytes > 0 ? Math.floor((100 * p.doneBytes) / p.totalBytes) : 0;
        if (pct >= lastPct + 10) {
          lastPct = pct;
          io.err(`restore: ${p.phase} ${pct}%`);
        }
      },
    },
  );
  let verification: RestoreVerification | null = null;
  if (values.user !== undefined && passphrase !== null) {
    if (!core) throw new ArchiveError('INTERNAL', 'No engine to open the restored archive.');
    try {
      verification = await core.restore.verifyRestored(restored, values.user, passphrase);
    } catch (e) {
      // The command is one-shot: an archive it could not verify is not left behind, whatever the reason.
      if (isArchiveError(e) && e.code.startsWith('AUTH_')) await rm(restored.targetDir, { recursive: true, force: true });
      throw e;
    }
  }
  const m = restored.manifest;
  const outcome: RestoreOutcome = { folder: restored.targetDir, backupId: m.backupId, archiveId: m.archiveId, createdAt: m.createdAt, keyId: m.keyId, pinnedKey: pinned !== undefined, files: 2 + m.attachments.length, verification };
  if (io.json) io.out(JSON.stringify(outcome));
  else {
    const lines = [`Restored backup ${m.backupId} of ${m.createdAt} (archive ${m.archiveId}) into ${restored.targetDir}: ${outcome.files} file(s), sizes and SHA-256 equal to the signed manifest.`];
    lines.push(pinned ? `Manifest signature verified with the key you gave (${m.keyId}).` : `Manifest signature verified with the key in the backup's own keyring (${m.keyId}); compare it with your archive.pub, or give --pubkey.`);
    if (verification) lines.push(...verification.checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`), 'The restored archive is verified and ready for use.');
    else lines.push('NOT OPENED: without --user only files and signature were checked. Run again with --user <username> (into a new folder) to open it and check integrity, record counts and audit head against the manifest.');
    io.out(lines.join('\n'));
  }
  return 0;
}
