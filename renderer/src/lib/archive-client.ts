// Typed access to window.archive (built by the preload, or by the test harness) with errors as values.
import type { ErrorInfo, Result } from '../../../shared/errors';
import type { ArchiveApi } from '../../../shared/ipc/api';
import type { MethodInput, MethodOutput } from '../../../shared/ipc/contract';
import type { MethodName } from '../../../shared/ipc/methods';

declare global {
  // Set by the preload (or the e2e harness) before the app starts; a global var is a window property.
  var archive: ArchiveApi | undefined;
}

function api(): ArchiveApi {
  if (!window.archive) throw new Error('window.archive is missing: the preload did not run.');
  return window.archive;
}

/** Calls one IPC method. Never throws for a refused call: the Result carries the error code. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
  const fn = api()[method] as (i: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
  try {
    return await fn(input);
  } catch {
    const error: ErrorInfo = { code: 'INTERNAL', message: 'The call did not reach the archive.' };
    return { ok: false, error };
  }
}

export function onLocked(listener: (reason: string) => void): () => void {
  return api().onLocked(listener);
}
