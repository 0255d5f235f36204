// A background job of main (a check, an export, a backup) started from a panel: start, then its status asked for
// every quarter second until it ends; stop asking on leave. The job itself goes on in main until it ends or the
// archive locks.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, Result } from '../../../shared/errors';

/** How often the status is asked while a job runs: often enough for a moving bar, rare enough to cost nothing. */
const pollMs = 250;

export function useJob<S extends { jobId: string; state: string }>(methods: {
  start: () => Promise<Result<{ jobId: string }>>;
  status: (jobId: string) => Promise<Result<S>>;
  cancel: (jobId: string) => Promise<Result<unknown>>;
}) {
  const [status, setStatus] = useState<S | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [starting, setStarting] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The latest methods, read when used: callers pass new closures on each render.
  const latest = useRef(methods);
  latest.current = methods;

  const stopAsking = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const follow = useCallback(async (jobId: string): Promise<void> => {
    const r = await latest.current.status(jobId);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setStatus(r.value);
    if (r.value.state === 'running') timer.current = setTimeout(() => void follow(jobId), pollMs);
  }, []);

  useEffect(() => stopAsking, [stopAsking]);

  const start = useCallback(async () => {
    stopAsking();
    setError(null);
    setStatus(null);
    setStarting(true);
    const r = await latest.current.start();
    setStarting(false);
    if (!r.ok) return setError(r.error);
    await follow(r.value.jobId);
  }, [follow, stopAsking]);

  const cancel = useCallback(async () => {
    if (!status) return;
    const r = await latest.current.cancel(status.jobId);
    if (!r.ok) setError(r.error);
  }, [status]);

  return { status, error, starting, running: starting || status?.state === 'running', start, cancel };
}
