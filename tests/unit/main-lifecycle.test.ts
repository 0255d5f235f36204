// Lifecycle with a fake app, powerMonitor and window: single instance, lock on OS lock / suspend / idle
// (fake timers) / quit, and the locked event reaching the window — over a real session manager too.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  acquireSingleInstance,
  createLockNotifier,
  idleCheckIntervalMs,
  lockOnQuit,
  watchPowerAndIdle,
  type LockingSessions,
  type WindowLike,
} from '../../electron/main/lifecycle';
import { lockedEventChannel } from '../../shared/ipc/methods';
import { director, makeCore, tempDir } from '../fixtures/archive';

afterEach(() => {
  vi.useRealTimers();
});

function fakeWindow(opts: { minimized?: boolean; destroyed?: boolean } = {}) {
  const calls: string[] = [];
  const send = vi.fn();
  const win: WindowLike = {
    isDestroyed: () => opts.destroyed ?? false,
    isMinimized: () => opts.minimized ?? false,
    restore: () => void calls.push('restore'),
    show: () => void calls.push('show'),
    focus: () => void calls.push('focus'),
    webContents: { isDestroyed: () => false, send },
  };
  return { win, calls, send };
}

/** An app stand-in: an EventEmitter (as Electron's app is) with the lock and quit recorded. */
function fakeApp(gotLock = true) {
  return Object.assign(new EventEmitter(), { requestSingleInstanceLock: vi.fn(() => gotLock), quit: vi.fn() });
}

function fakePowerMonitor(idleSeconds = 0) {
  return Object.assign(new EventEmitter(), { getSystemIdleTime: vi.fn(() => idleSeconds) });
}

function fakeSessions() {
  return {
    lock: vi.fn<LockingSessions['lock']>(() => Promise.resolve(true)),
    lockIfIdle: vi.fn<LockingSessions['lockIfIdle']>(() => Promise.resolve(false)),
  };
}

describe('acquireSingleInstance', () => {
  test('quits when another instance holds the lock', () => {
    const app = fakeApp(false);
    expect(acquireSingleInstance(app, () => null)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    expect(app.listenerCount('second-instance')).toBe(0);
  });

  test('a second launch restores, shows and focuses the existing window', () => {
    const app = fakeApp(true);
    const { win, calls } = fakeWindow({ minimized: true });
    expect(acquireSingleInstance(app, () => win)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.emit('second-instance', {}, ['archive'], '/home');
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  test('a second launch before the window exists (or after it closed) does nothing', () => {
    const app = fakeApp(true);
    acquireSingleInstance(app, () => null);
    expect(() => app.emit('second-instance')).not.toThrow();
    const closed = fakeWindow({ destroyed: true });
    const app2 = fakeApp(true);
    acquireSingleInstance(app2, () => closed.win);
    app2.emit('second-instance');
    expect(closed.calls).toEqual([]);
  });
});

describe('createLockNotifier', () => {
  test('sends the locked event with the reason to the window', () => {
    const { win, send } = fakeWindow();
    createLockNotifier(() => win)('idle');
    expect(send).toHaveBeenCalledWith(lockedEventChannel, 'idle');
  });

  test('skips a missing or destroyed window', () => {
    expect(() => createLockNotifier(() => null)('quit')).not.toThrow();
    const { win, send } = fakeWindow({ destroyed: true });
    createLockNotifier(() => win)('quit');
    expect(send).not.toHaveBeenCalled();
  });
});

describe('watchPowerAndIdle', () => {
  test('locks on OS screen lock and on suspend', () => {
    const powerMonitor = fakePowerMonitor();
    const sessions = fakeSessions();
    const stop = watchPowerAndIdle({ powerMonitor, sessions });
    powerMonitor.emit('lock-screen');
    powerMonitor.emit('suspend');
    expect(sessions.lock.mock.calls).toEqual([['os-lock'], ['suspend']]);
    stop();
  });

  test('every 15 s asks the session to lock if the OS idle time reached its timeout', () => {
    vi.useFakeTimers();
    const powerMonitor = fakePowerMonitor(301);
    const sessions = fakeSessions();
    const stop = watchPowerAndIdle({ powerMonitor, sessions });
    expect(idleCheckIntervalMs).toBe(15_000);

    vi.advanceTimersByTime(14_999);
    expect(sessions.lockIfIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(sessions.lockIfIdle).toHaveBeenCalledTimes(1);
    expect(sessions.lockIfIdle).toHaveBeenLastCalledWith(301);
    vi.advanceTimersByTime(30_000);
    expect(sessions.lockIfIdle).toHaveBeenCalledTimes(3);

    stop();
    vi.advanceTimersByTime(60_000);
    expect(sessions.lockIfIdle).toHaveBeenCalledTimes(3);
  });

  test('a failing lock is reported, not thrown', async () => {
    const powerMonitor = fakePowerMonitor();
    const report = vi.fn();
    const sessions = fakeSessions();
    sessions.lock.mockImplementation(() => Promise.reject(new RangeError('disk gone')));
    const stop = watchPowerAndIdle({ powerMonitor, sessions, report });
    powerMonitor.emit('suspend');
    await vi.waitFor(() => expect(report).toHaveBeenCalledWith('lifecycle: lock on suspend failed with RangeError'));
    stop();
  });
});

describe('with a real session manager', () => {
  test('an OS screen lock closes the open archive and tells the window', async () => {
    const dir = tempDir('ta-lifecycle-');
    const { win, send } = fakeWindow();
    const core = await makeCore(join(dir.path, 'archive'), { onLocked: createLockNotifier(() => win) });
    const powerMonitor = fakePowerMonitor();
    const stop = watchPowerAndIdle({ powerMonitor, sessions: core.sessions });
    try {
      await core.sessions.create({ ...director, passphraseConfirm: director.passphrase });
      expect(core.sessions.status().state).toBe('unlocked');

      powerMonitor.emit('lock-screen');
      await vi.waitFor(() => expect(send).toHaveBeenCalledWith(lockedEventChannel, 'os-lock'));
      expect(core.sessions.status().state).toBe('locked');
    } finally {
      stop();
      await core.sessions.lock('quit');
      dir.cleanup();
    }
  });

  test('the idle timer locks once the OS idle time reaches the user timeout', async () => {
    const dir = tempDir('ta-lifecycle-');
    const { win, send } = fakeWindow();
    const core = await makeCore(join(dir.path, 'archive'), { onLocked: createLockNotifier(() => win) });
    await core.sessions.create({ ...director, passphraseConfirm: director.passphrase });
    const timeoutSeconds = core.sessions.require().idleTimeoutMinutes * 60;
    let idle = timeoutSeconds - 1;
    const powerMonitor = Object.assign(new EventEmitter(), { getSystemIdleTime: () => idle });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const stop = watchPowerAndIdle({ powerMonitor, sessions: core.sessions });
    try {
      vi.advanceTimersByTime(idleCheckIntervalMs);
      await Promise.resolve();
      expect(core.sessions.status().state).toBe('unlocked');

      idle = timeoutSeconds;
      vi.advanceTimersByTime(idleCheckIntervalMs);
      await vi.waitFor(() => expect(send).toHaveBeenCalledWith(lockedEventChannel, 'idle'));
      expect(core.sessions.status().state).toBe('locked');
    } finally {
      stop();
      vi.useRealTimers();
      await core.sessions.lock('quit');
      dir.cleanup();
    }
  });
});

describe('lockOnQuit', () => {
  function quittingApp() {
    const app = Object.assign(new EventEmitter(), { quit: vi.fn() });
    // Like Electron: quit() emits before-quit again, and goes on unless prevented.
    app.quit.mockImplementation(() => {
      const event = { preventDefault: vi.fn() };
      app.emit('before-quit', event);
    });
    return app;
  }

  test('holds the quit until the archive is locked, then quits for real', async () => {
    const app = quittingApp();
    let finishLock: (v: boolean) => void = () => undefined;
    const sessions = fakeSessions();
    sessions.lock.mockImplementation(() => new Promise<boolean>((resolve) => (finishLock = resolve)));
    lockOnQuit({ app, sessions });

    const first = { preventDefault: vi.fn() };
    app.emit('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(sessions.lock).toHaveBeenCalledWith('quit');
    expect(app.quit).not.toHaveBeenCalled();

    const impatient = { preventDefault: vi.fn() };
    app.emit('before-quit', impatient);
    expect(impatient.preventDefault).toHaveBeenCalled();
    expect(sessions.lock).toHaveBeenCalledTimes(1);

    finishLock(true);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    const final = { preventDefault: vi.fn() };
    app.emit('before-quit', final);
    expect(final.preventDefault).not.toHaveBeenCalled();
  });

  test('quits anyway when the lock hangs', async () => {
    vi.useFakeTimers();
    const app = quittingApp();
    const sessions = fakeSessions();
    sessions.lock.mockImplementation(() => new Promise<boolean>(() => undefined));
    lockOnQuit({ app, sessions, timeoutMs: 5_000 });
    app.emit('before-quit', { preventDefault: vi.fn() });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(app.quit).toHaveBeenCalledTimes(1);
  });

  test('closing the last window quits (on every platform)', () => {
    const app = quittingApp();
    lockOnQuit({ app, sessions: fakeSessions() });
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalled();
  });
});
