// Backups for the app: background backup jobs (progress, cancel), the backups log, and re-verifying a backup.
import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-chain';
import { ArchiveError, isArchiveError } from '../errors';
import type { Actor } from '../records/actor';
import { archivePublicKey } from '../submissions/bundle-writer';
import { keyIdOf } from '../submissions/minisign';
import { archivePaths, readKeyring } from '../vault/keyring';
import type { UnlockedArchive } from '../vault/vault';
import { checkBackup, problemMessage, type BackupCheckReport } from './backup-verifier';
import { makeBackup, type BackupPhase, type BackupResult } from './backup-writer';
import { createBackupsRepo } from './backups-repo';

export type BackupJobState = 'running' | 'finished' | 'cancelled' | 'failed';
export type BackupStatus = {
  jobId: string;
  state: BackupJobState;
  phase: BackupPhase;
  doneBytes: number;
  totalBytes: number;
  doneFiles: number;
  totalFiles: number;
  result: Omit<BackupResult, 'counts' | 'manifestSha256'> | null;
  error: { code: ErrorCode; message: string } | null;
};
export type BackupListEntry = {
  id: string;
  status: 'writing' | 'complete' | 'failed' | 'cancelled';
  createdAt: string;
  finishedAt: string | null;
  createdBy: string | null;
  location: string;
  bytes: number | null;
  files: number | null;
  attachmentsCopied: number | null;
  attachmentsReused: number | null;
  verification: 'unverified' | 'ok' | 'failed';
  verifiedAt: string | null;
  verificationDetail: string | null;
};

export type BackupsDeps = {
  session: () => { archive: UnlockedArchive };
  now: () => number;
  /** Main's folder dialog for the backup root (e.g. a USB drive); null when cancelled. */
  pickBackupFolder: () => Promise<string | null>;
  nativeBinding?: string | undefined;
};

export function createBackupsService(deps: BackupsDeps) {
  const jobs = new Map<string, { archive: UnlockedArchive; status: BackupStatus; abort: AbortController; done: Promise<void> }>();
  const current = () => deps.session().archive;
  const jobOf = (jobId: string) => {
    const job = jobs.get(jobId);
    if (!job || job.archive !== current()) throw new ArchiveError('RECORD_NOT_FOUND', 'No such backup job.');
    return job;
  };

  /** Runs a backup into `root` in the background (also used directly by tests and the bench with a known folder). */
  function startInto(actor: Actor, root: string): { jobId: string } {
    if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director makes a backup.');
    if ([...jobs.values()].some((j) => j.status.state === 'running')) throw new ArchiveError('ARCHIVE_BUSY', 'A backup is already running; wait for it or cancel it.');
    const archive = current();
    const jobId = randomUUID();
    const abort = new AbortController();
    const status: BackupStatus = { jobId, state: 'running', phase: 'preparing', doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: 0, result: null, error: null };
    const done = makeBackup({ db: archive.db.kysely, archive, now: deps.now, nativeBinding: deps.nativeBinding }, actor, root, {
      signal: abort.signal,
      onProgress: (p) => Object.assign(status, p),
    }).then(
      ({ counts: _counts, manifestSha256: _sha, ...result }) => {
        status.state = 'finished';
        status.result = result;
      },
      (e: unknown) => {
        const code: ErrorCode = isArchiveError(e) ? e.code : 'INTERNAL';
        status.state = code === 'BACKUP_CANCELLED' ? 'cancelled' : 'failed';
        status.error = { code, message: isArchiveError(e) ? e.message : 'The backup failed unexpectedly.' };
      },
    );
    jobs.set(jobId, { archive, status, abort, done });
    return { jobId };
  }

  return {
    startInto,

    /** Asks main for the backup folder, then backs up in the background; null when the dialog was cancelled. */
    async start(actor: Actor): Promise<{ jobId: string | null }> {
      if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director makes a backup.');
      if ([...jobs.values()].some((j) => j.status.state === 'running')) throw new ArchiveError('ARCHIVE_BUSY', 'A backup is already running; wait for it or cancel it.');
      const root = await deps.pickBackupFolder();
      if (root === null) return { jobId: null };
      return startInto(actor, root);
    },

    status(jobId: string): BackupStatus {
      return { ...jobOf(jobId).status };
    },

    /** Resolves when the job has ended (tests, the CLI). */
    async wait(jobId: string): Promise<BackupStatus> {
      const job = jobOf(jobId);
      await job.done;
      return { ...job.status };
    },

    cancel(jobId: string): { cancelled: boolean } {
      const job = jobOf(jobId);
      if (job.status.state !== 'running') return { cancelled: false };
      job.abort.abort();
      return { cancelled: true };
    },

    async list(): Promise<BackupListEntry[]> {
      const rows = await createBackupsRepo(current().db.kysely).list();
      return rows.map((r) => ({
        id: r.id,
        status: r.status,
        createdAt: r.created_at,
        finishedAt: r.finished_at,
        createdBy: r.created_by_username,
        location: r.location,
        bytes: r.bytes,
        files: r.files,
        attachmentsCopied: r.attachments_copied,
        attachmentsReused: r.attachments_reused,
        verification: r.verification,
        verifiedAt: r.verified_at,
        verificationDetail: r.verification_detail,
      }));
    },

    /**
     * Re-reads a complete backup of this archive: signature against the archive's own key (pinned), every file's size
     * and hash. The result is stored in the log and audited; a missing drive is BACKUP_NOT_FOUND.
     */
    async verify(actor: Actor, id: string): Promise<BackupCheckReport> {
      const archive = current();
      const repo = createBackupsRepo(archive.db.kysely);
      const row = await repo.byId(id);
      if (!row || row.status !== 'complete') throw new ArchiveError('RECORD_NOT_FOUND', 'No complete backup with this id.');
      const pk = archivePublicKey(readKeyring(archivePaths(archive.folder).keyring));
      const report = await checkBackup(row.location, { pinnedKey: { keyId: keyIdOf(pk), publicKey: pk } });
      const sameBackup = report.backupId === id && report.archiveId === archive.archiveId;
      const ok = report.ok && sameBackup;
      const detail = ok ? `${report.files} file(s), ${report.bytes} bytes verified` : sameBackup || !report.ok ? problemMessage(report.problems) : 'The folder holds another backup.';
      const at = new Date(deps.now()).toISOString();
      await repo.setVerification(id, ok ? 'ok' : 'failed', at, detail);
      await appendAudit(archive.db.kysely, { at, actor: actor.userId, action: 'backup.verified', subjectKind: 'backup', subjectId: id, detail: { ok, problems: report.problems.length } });
      return { ...report, ok };
    },

    /** At lock, before the database closes: running backups are cancelled and awaited (their files removed). */
    async stopAll(): Promise<void> {
      for (const job of jobs.values()) job.abort.abort();
      await Promise.all([...jobs.values()].map((j) => j.done));
      jobs.clear();
    },
  };
}

export type BackupsService = ReturnType<typeof createBackupsService>;
