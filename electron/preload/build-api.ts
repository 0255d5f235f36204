// Builds window.archive from the method list: one function per contract method plus onLocked, nothing else.
import type { ArchiveApi } from '../../shared/ipc/api';
import { channelOf, lockedEventChannel, methodNames, type MethodName } from '../../shared/ipc/methods';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** The parts of ipcRenderer the preload uses; a fake in tests. */
export type IpcRendererLike = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
};

/**
 * The object exposed as window.archive. Each method sends exactly one argument on its own channel
 * (main validates it); ipcRenderer and its event objects never reach the page.
 *
 * onLocked keeps one listener, as its contract says: registering another replaces it, and an
 * unsubscribe only removes its own registration (so React's mount/unmount/mount stays correct).
 */
export function buildArchiveApi(ipc: IpcRendererLike): ArchiveApi {
  const call = (name: MethodName) => {
    const channel = channelOf(name);
    return (input: unknown) => ipc.invoke(channel, input);
  };
  const methods = Object.fromEntries(methodNames.map((name) => [name, call(name)]));

  let current: Listener | null = null;
  const onLocked = (listener: (reason: string) => void): (() => void) => {
    if (current) ipc.removeListener(lockedEventChannel, current);
    const forward: Listener = (_event, reason) => listener(typeof reason === 'string' ? reason : 'unknown');
    current = forward;
    ipc.on(lockedEventChannel, forward);
    return () => {
      if (current !== forward) return;
      ipc.removeListener(lockedEventChannel, forward);
      current = null;
    };
  };

  // The method table is built from methodNames, so its keys are exactly ArchiveApi's; TypeScript
  // cannot see that through Object.fromEntries, hence this one cast (the unit test checks the shape).
  return Object.freeze({ ...methods, onLocked }) as ArchiveApi;
}
