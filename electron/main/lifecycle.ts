// App lifecycle: one instance, lock on OS lock / suspend / idle / quit, and telling the window it locked.
// There is deliberately no crash reporter: crashReporter.start is never called, so no dump leaves the machine.
import { lockedEventChannel } from '../../shared/ipc/methods';
import type { LockReason, SessionManager } from '../core/vault/session-manager';

/** How often the OS idle time is compared with the signed-in user's idle timeout. */
export const idleCheckIntervalMs = 15_000;

type PreventableEvent = { preventDefault(): void };

/** The parts of a BrowserWindow lifecycle uses. */
export type WindowLike = {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  readonly webContents: { isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void };
};

export type GetWindow = () => WindowLike | null;

export type LockingSessions = Pick<SessionManager, 'lock' | 'lockIfIdle'>;

export type SingleInstanceApp = {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
};

/**
 * Takes the single-instance lock. When another instance holds it, quits and returns false; otherwise
 * a second launch brings the existing window to the front (a second process must never open the
 * same archive) and returns true.
 */
export function acquireSingleInstance(app: SingleInstanceApp, getWindow: GetWindow): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}

/** The core's onLocked hook: tells the window's page (via the preload's onLocked) why it locked. */
export function createLockNotifier(getWindow: GetWindow): (reason: LockReason) => void {
  return (reason) => {
    const win = getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    win.webContents.send(lockedEventChannel, reason);
  };
}

export type PowerMonitorLike = {
  on(event: 'lock-screen' | 'suspend', listener: () => void): unknown;
  getSystemIdleTime(): number;
};

/**
 * Locks the archive when the OS screen locks or the machine suspends (a laptop closed in the field),
 * and every `intervalMs` asks the session to lock if the OS reports no input for its idle timeout.
 * Returns a function that stops the idle timer.
 */
export function watchPowerAndIdle(deps: {
  powerMonitor: PowerMonitorLike;
  sessions: LockingSessions;
  intervalMs?: number;
  report?: (line: string) => void;
}): () => void {
  const { powerMonitor, sessions } = deps;
  const failed = (what: string) => (e: unknown) => deps.report?.(`lifecycle: ${what} failed with ${e instanceof Error ? e.name : typeof e}`);
  powerMonitor.on('lock-screen', () => void sessions.lock('os-lock').catch(failed('lock on screen lock')));
  powerMonitor.on('suspend', () => void sessions.lock('suspend').catch(failed('lock on suspend')));
  const timer = setInterval(() => {
    void sessions.lockIfIdle(powerMonitor.getSystemIdleTime()).catch(failed('idle lock'));
  }, deps.intervalMs ?? idleCheckIntervalMs);
  return () => clearInterval(timer);
}

export type QuittingApp = {
  quit(): void;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
};

/**
 * Quitting locks first: 'before-quit' is held back until the database is closed and the keys wiped,
 * then quit goes on (after `timeoutMs` at the latest, so a stuck close cannot keep the app alive).
 * Closing the last window quits on every platform, macOS included, so the archive never stays open
 * behind a closed window.
 */
export function lockOnQuit(deps: { app: QuittingApp; sessions: LockingSessions; timeoutMs?: number; report?: (line: string) => void }): void {
  const { app, sessions } = deps;
  let state: 'open' | 'locking' | 'locked' = 'open';
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (state === 'locked') return;
    event.preventDefault();
    if (state === 'locking') return;
    state = 'locking';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deps.timeoutMs ?? 5_000);
    });
    const lock = sessions.lock('quit').then(
      () => undefined,
      (e: unknown) => deps.report?.(`lifecycle: lock on quit failed with ${e instanceof Error ? e.name : typeof e}`),
    );
    void Promise.race([lock, timeout]).then(() => {
      clearTimeout(timer);
      state = 'locked';
      app.quit();
    });
  });
}
