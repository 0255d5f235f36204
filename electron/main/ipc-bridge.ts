// Bridges ipcMain to the router: one channel per contract method, the sender frame turned into a Sender.
import type { Result } from '../../shared/errors';
import { channelOf, methodNames } from '../../shared/ipc/methods';
import type { ArchiveCore } from '../core/archive-core';
import { createHandlers } from '../ipc/handlers';
import { createRouter, type Router, type Sender } from '../ipc/router';
import { appOrigin, devServerOrigin, hasOrigin } from './origin';

/** The parts of a WebFrameMain the bridge reads. */
type FrameLike = { readonly url: string; readonly parent: unknown; readonly frameToken: string };

/** The parts of an IpcMainInvokeEvent the bridge reads. */
export type InvokeEventLike = {
  /** Null when the frame navigated away or was destroyed before the call was handled. */
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly mainFrame: FrameLike };
};

export type IpcMainLike = {
  handle(channel: string, listener: (event: InvokeEventLike, input: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
};

/**
 * Who sent an IPC call. A destroyed frame counts as a foreign subframe, which the router refuses.
 * Identity is how Electron hands out WebFrameMain objects; the frame token is the stable fallback.
 */
export function senderOf(event: InvokeEventLike): Sender {
  const frame = event.senderFrame;
  if (frame === null) return { url: '', isMainFrame: false };
  const main = event.sender.mainFrame;
  const isMainFrame = frame === main || (frame.parent === null && frame.frameToken === main.frameToken);
  return { url: frame.url, isMainFrame };
}

const internalError: Result<never> = { ok: false, error: { code: 'INTERNAL', message: 'Internal error.' } };

/**
 * Registers one `ipcMain.handle` per contract method (never a generic "call by name" channel).
 * The renderer's first argument is the input; any further arguments are ignored.
 * Returns a function that removes the handlers again.
 */
export function registerIpcBridge(ipcMain: IpcMainLike, route: Router, report?: (line: string) => void): () => void {
  for (const method of methodNames) {
    ipcMain.handle(channelOf(method), async (event, input) => {
      try {
        return await route(senderOf(event), method, input);
      } catch (e) {
        // The router returns failures as values; this is a bug, and its message must not reach the page.
        report?.(`ipc-bridge: ${method} threw ${e instanceof Error ? e.name : typeof e}`);
        return internalError;
      }
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(channelOf(method));
  };
}

/**
 * The trusted sender: the main frame of a page on app://archive, or, in development only, on the
 * dev server's origin. Compared by whole origin, so http://localhost:51730 is not http://localhost:5173.
 */
export function createSenderCheck(opts: { devServerUrl?: string | undefined } = {}): (sender: Sender) => boolean {
  const dev = devServerOrigin(opts.devServerUrl);
  const origins = dev === null ? [appOrigin] : [appOrigin, dev];
  return (sender) => sender.isMainFrame && hasOrigin(sender.url, origins);
}

/** The app's router over the core: real handlers, the signed-in role, the trusted-sender check. */
export function createAppRouter(
  core: ArchiveCore,
  opts: { devServerUrl?: string | undefined; report?: (line: string) => void } = {},
): Router {
  return createRouter({
    handlers: createHandlers(core),
    currentUser: () => core.sessions.caller(),
    isTrustedSender: createSenderCheck({ devServerUrl: opts.devServerUrl }),
    ...(opts.report ? { report: opts.report } : {}),
  });
}
