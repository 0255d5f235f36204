// Restore from the "no archive / locked" screen: a background restore job, then verification with a passphrase,
// after which the app switches to the restored folder. Nothing here needs (or allows) a signed-in session.
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorCode } from '../../../shared/errors';
import { ArchiveError, isArchiveError } from '../errors';
import { restoreBackup, verifyRestored, type RestoreProgress, type RestoreVerification, type RestoredBackup, type VerifyRestoredDeps } from './backup-verifier';

export type RestoreJobState = 'running' | 'restored' | 'verified' | 'failed' | 'discarded';
export type RestoreStatus = {
  jobId: string;
  state: RestoreJobState;
  phase: RestoreProgress['phase'];
  doneBytes: number;
  totalBytes: number;
  doneFiles: number;
  totalFiles: number;
  /** Known once the manifest's signature was checked. */
  backup: { backupId: string; archiveId: string; createdAt: string; keyId: string } | null;
  error: { code: ErrorCode; message: string } | null;
};

export type RestoreJobsDeps = VerifyRestoredDeps & {
  /** Main's folder dialog for the backup folder (<root>/backup-...); null when cancelled. */
  pickBackup: () => Promise<string | null>;
  /** Main's folder dialog for where the restored archive goes (a new folder is made inside); null when cancelled. */
  pickTargetParent: () => Promise<string | null>;
  /** Runs `work` only while no one is signed in (the session manager's whileLocked). */
  whileLocked: <T>(work: () => Promise<T>) => Promise<T>;
  /** True while no one is signed in. */
  isLocked: () => boolean;
  /** Makes the verified folder the app's current archive folder (the sign-in screen then opens it). */
  useFolder: (folder: string) => Promise<void>;
};

export function createRestoreJobs(deps: RestoreJobsDeps) {
  const jobs = new Map<string, { status: RestoreStatus; restored: RestoredBackup | null; done: Promise<void> }>();
  const verifying = new Set<string>();
  const jobOf = (jobId: string) => {
    const job = jobs.get(jobId);
    if (!job) throw new ArchiveError('RECORD_NOT_FOUND', 'No such restore.');
    return job;
  };

  return {
    /** Asks for the backup folder and the place of the new folder, then restores in the background; null when cancelled. */
    start: (): Promise<{ jobId: string | null }> =>
      deps.whileLocked(async () => {
        if ([...jobs.values()].some((j) => j.status.state === 'running')) throw new ArchiveError('ARCHIVE_BUSY', 'A restore is already running.');
        const backupDir = await deps.pickBackup();
        if (backupDir === null) return { jobId: null };
        const parent = await deps.pickTargetParent();
        if (parent === null) return { jobId: null };
        const targetDir = join(parent, `restored-archive-${new Date(deps.now()).toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`);
        const jobId = randomUUID();
        const status: RestoreStatus = { jobId, state: 'running', phase: 'checking', doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: 0, backup: null, error: null };
        const job: { status: RestoreStatus; restored: RestoredBackup | null; done: Promise<void> } = { status, restored: null, done: Promise.resolve() };
        job.done = restoreBackup({ backupDir, targetDir }, { onProgress: (p) => Object.assign(status, p) }).then(
          (restored) => {
            job.restored = restored;
            const m = restored.manifest;
            status.backup = { backupId: m.backupId, archiveId: m.archiveId, createdAt: m.createdAt, keyId: m.keyId };
            status.state = 'restored';
          },
          (e: unknown) => {
            status.state = 'failed';
            status.error = { code: isArchiveError(e) ? e.code : 'INTERNAL', message: isArchiveError(e) ? e.message : 'The restore failed unexpectedly.' };
          },
        );
        jobs.set(jobId, job);
        return { jobId };
      }),

    status(jobId: string): RestoreStatus {
      return { ...jobOf(jobId).status };
    },

    /** Resolves when the copy has ended (tests). */
    async wait(jobId: string): Promise<RestoreStatus> {
      const job = jobOf(jobId);
      await job.done;
      return { ...job.status };
    },

    /**
     * Opens the restored archive with a user's passphrase and checks it against the manifest; on success the app's
     * folder becomes the restored one. A failed check removes the folder; a wrong passphrase may be tried again.
     */
    async verify(jobId: string, username: string, passphrase: string): Promise<RestoreVerification> {
      // Not inside whileLocked: switching the folder afterwards queues behind it (useFolder checks the lock itself).
      if (!deps.isLocked()) throw new ArchiveError('ARCHIVE_BUSY', 'Lock the archive first.');
      const job = jobOf(jobId);
      const restored = job.restored;
      if (job.status.state !== 'restored' || !restored) throw new ArchiveError('RECORD_NOT_FOUND', 'This restore has no restored folder waiting for verification.');
      // A double click must not open the restored archive twice.
      if (verifying.has(jobId)) throw new ArchiveError('ARCHIVE_BUSY', 'This restore is already being verified.');
      verifying.add(jobId);
      try {
        const result = await verifyRestored(deps, restored, username, passphrase);
        job.status.state = 'verified';
        await deps.useFolder(restored.targetDir);
        return result;
      } catch (e) {
        if (isArchiveError(e) && e.code === 'RESTORE_CHECK_FAILED') {
          job.status.state = 'failed';
          job.status.error = { code: e.code, message: e.message };
        }
        throw e;
      } finally {
        verifying.delete(jobId);
      }
    },

    /** Removes a restored folder that was not verified (the user gave up); a verified one is an archive and stays. */
    async discard(jobId: string): Promise<{ discarded: boolean }> {
      const job = jobOf(jobId);
      await job.done;
      if (verifying.has(jobId)) throw new ArchiveError('ARCHIVE_BUSY', 'This restore is being verified.');
      if (job.status.state !== 'restored' || !job.restored) return { discarded: false };
      await rm(job.restored.targetDir, { recursive: true, force: true });
      job.status.state = 'discarded';
      return { discarded: true };
    },
  };
}

export type RestoreJobs = ReturnType<typeof createRestoreJobs>;
