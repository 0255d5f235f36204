// Archive checks running in the background for the app: start, status (progress and checks so far), cancel, stop at lock.
import { randomUUID } from 'node:crypto';
import type { ArchiveCheckStatus } from '../../../shared/maintenance/archive-check';
import { ArchiveError } from '../errors';
import type { Records } from '../records/records-context';
import type { UnlockedArchive } from '../vault/vault';
import { checkArchive } from './archive-check';

type Job = Omit<ArchiveCheckStatus, 'jobId'> & { id: string; userId: string; abort: AbortController; finished: Promise<void> };

export type CheckJobsDeps = {
  /** The signed-in session (AUTH_REQUIRED when locked): the check runs on its archive, as its user. */
  session: () => { archive: UnlockedArchive; records: Pick<Records, 'attachments' | 'actor'> };
};

export function createCheckJobs(deps: CheckJobsDeps) {
  /** By job id; only the latest check of each user is kept for its status. */
  const jobs = new Map<string, Job>();

  function jobOf(jobId: string): Job {
    const userId = deps.session().archive.user.id;
    const job = jobs.get(jobId);
    // Another user's check is as unknown as a made-up id.
    if (!job || job.userId !== userId) throw new ArchiveError('CHECK_NOT_FOUND', 'No such archive check.');
    return job;
  }

  return {
    /** Starts a check of the whole archive and returns at once; starting again while one runs returns the running one. */
    start(): { jobId: string } {
      const s = deps.session();
      const userId = s.archive.user.id;
      const running = [...jobs.values()].find((j) => j.userId === userId && j.state === 'running');
      if (running) return { jobId: running.id };
      for (const j of jobs.values()) if (j.userId === userId) jobs.delete(j.id);
      const job: Job = { id: randomUUID(), userId, state: 'running', part: null, done: 0, total: 0, checks: [], error: null, abort: new AbortController(), finished: Promise.resolve() };
      jobs.set(job.id, job);
      job.finished = checkArchive(
        { archive: s.archive, attachments: s.records.attachments, actor: s.records.actor },
        {
          signal: job.abort.signal,
          onCheck: (c) => void job.checks.push(c),
          onProgress: (p) => {
            job.part = p.part;
            job.done = p.done;
            job.total = p.total;
          },
        },
      ).then(
        (report) => {
          job.checks = report.checks;
          job.part = null;
          job.state = report.cancelled ? 'cancelled' : 'finished';
        },
        (e: unknown) => {
          job.state = 'failed';
          job.error = e instanceof ArchiveError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'The check stopped unexpectedly.' };
        },
      );
      return { jobId: job.id };
    },

    status(jobId: string): ArchiveCheckStatus {
      const j = jobOf(jobId);
      return { jobId: j.id, state: j.state, part: j.part, done: j.done, total: j.total, checks: [...j.checks], error: j.error };
    },

    /** Asks a running check to stop after the part or attachment it is on; false when it had already ended. */
    cancel(jobId: string): { cancelled: boolean } {
      const j = jobOf(jobId);
      if (j.state !== 'running') return { cancelled: false };
      j.abort.abort();
      return { cancelled: true };
    },

    /** At lock: every running check stops, and is waited for, before the database closes. */
    async stopAll(): Promise<number> {
      const running = [...jobs.values()].filter((j) => j.state === 'running');
      for (const j of running) j.abort.abort();
      await Promise.all(running.map((j) => j.finished));
      jobs.clear();
      return running.length;
    },
  };
}

export type CheckJobs = ReturnType<typeof createCheckJobs>;
