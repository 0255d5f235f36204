// ipcMain -> router: one handler per contract method, and the sender frame checked by the real router
// over a real core (a subframe, a foreign page or a destroyed frame gets IPC_FORBIDDEN_SENDER).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { ArchiveCore } from '../../electron/core/archive-core';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter, type Router } from '../../electron/ipc/router';
import { createAppRouter, createSenderCheck, registerIpcBridge, senderOf, type InvokeEventLike, type IpcMainLike } from '../../electron/main/ipc-bridge';
import type { Result } from '../../shared/errors';
import { channelOf, methodNames } from '../../shared/ipc/methods';
import { director, makeCore, tempDir } from '../fixtures/archive';

type Listener = Parameters<IpcMainLike['handle']>[1];

/** An ipcMain stand-in that records handle() calls. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const registrations: string[] = [];
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      registrations.push(channel);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  const invoke = (channel: string, event: InvokeEventLike, input: unknown): Promise<Result<unknown>> => {
    const listener = handlers.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return listener(event, input);
  };
  return { ipcMain, handlers, registrations, invoke };
}

type Frame = { url: string; parent: Frame | null; frameToken: string };
const mainFrame: Frame = { url: 'app://archive/index.html', parent: null, frameToken: 'main-token' };
const fromMain: InvokeEventLike = { senderFrame: mainFrame, sender: { mainFrame } };
const subFrame: Frame = { url: 'app://archive/index.html', parent: mainFrame, frameToken: 'sub-token' };
const fromSubframe: InvokeEventLike = { senderFrame: subFrame, sender: { mainFrame } };
const foreignMain = (url: string): InvokeEventLike => {
  const frame = { url, parent: null, frameToken: 'foreign-token' };
  return { senderFrame: frame, sender: { mainFrame: frame } };
};
const fromDestroyedFrame: InvokeEventLike = { senderFrame: null, sender: { mainFrame } };

describe('registerIpcBridge', () => {
  test('registers exactly one handler per contract method, each on its own channel', () => {
    const fake = fakeIpcMain();
    registerIpcBridge(fake.ipcMain, vi.fn());
    expect(fake.registrations).toEqual(methodNames.map(channelOf));
    expect(new Set(fake.registrations).size).toBe(methodNames.length);
  });

  test('each channel calls the router with its own method, the sender and the input', async () => {
    const fake = fakeIpcMain();
    const route = vi.fn<Router>(() => Promise.resolve({ ok: true, value: null }));
    registerIpcBridge(fake.ipcMain, route);
    for (const method of methodNames) await fake.invoke(channelOf(method), fromMain, { probe: method });
    expect(route.mock.calls).toEqual(
      methodNames.map((method) => [{ url: 'app://archive/index.html', isMainFrame: true }, method, { probe: method }]),
    );
  });

  test('a router that throws yields INTERNAL without its message, and is reported by name only', async () => {
    const fake = fakeIpcMain();
    const report = vi.fn();
    registerIpcBridge(fake.ipcMain, () => Promise.reject(new TypeError('SELECT secret FROM testimonies')), report);
    const result = await fake.invoke(channelOf('app.status'), fromMain, {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Internal error.' } });
    expect(report).toHaveBeenCalledWith('ipc-bridge: app.status threw TypeError');
  });

  test('the returned function removes every handler', () => {
    const fake = fakeIpcMain();
    const dispose = registerIpcBridge(fake.ipcMain, vi.fn());
    dispose();
    expect(fake.handlers.size).toBe(0);
  });
});

describe('senderOf', () => {
  test('tells the main frame from a subframe, and a destroyed frame from both', () => {
    expect(senderOf(fromMain)).toEqual({ url: 'app://archive/index.html', isMainFrame: true });
    expect(senderOf(fromSubframe)).toEqual({ url: 'app://archive/index.html', isMainFrame: false });
    expect(senderOf(fromDestroyedFrame)).toEqual({ url: '', isMainFrame: false });
  });

  test('recognises the main frame through another wrapper object of the same frame', () => {
    const sameFrameOtherWrapper = { ...mainFrame };
    expect(senderOf({ senderFrame: sameFrameOtherWrapper, sender: { mainFrame } }).isMainFrame).toBe(true);
    const otherTopFrame = { ...mainFrame, frameToken: 'another-token' };
    expect(senderOf({ senderFrame: otherTopFrame, sender: { mainFrame } }).isMainFrame).toBe(false);
  });
});

describe('createSenderCheck', () => {
  test('trusts only the main frame of app://archive', () => {
    const trusted = createSenderCheck();
    expect(trusted({ url: 'app://archive/index.html', isMainFrame: true })).toBe(true);
    expect(trusted({ url: 'app://archive/index.html', isMainFrame: false })).toBe(false);
    for (const url of ['https://example.com/', 'app://archive.evil/', 'app://evil/index.html', 'file:///app/index.html', 'http://localhost:5173/', '', 'null']) {
      expect(trusted({ url, isMainFrame: true }), url).toBe(false);
    }
  });

  test('in development also trusts the dev server origin, compared whole (not as a prefix)', () => {
    const trusted = createSenderCheck({ devServerUrl: 'http://localhost:5173' });
    expect(trusted({ url: 'http://localhost:5173/', isMainFrame: true })).toBe(true);
    expect(trusted({ url: 'http://localhost:5173/index.html', isMainFrame: true })).toBe(true);
    expect(trusted({ url: 'http://localhost:51730/', isMainFrame: true })).toBe(false);
    expect(trusted({ url: 'http://localhost:5173.evil.com/', isMainFrame: true })).toBe(false);
    expect(trusted({ url: 'http://localhost:5173/', isMainFrame: false })).toBe(false);
  });
});

describe('bridge + real router + real core', () => {
  const dir = tempDir('ta-bridge-');
  let core: ArchiveCore;
  const fake = fakeIpcMain();

  beforeAll(async () => {
    core = await makeCore(join(dir.path, 'archive'));
    const router = createRouter({
      handlers: createHandlers(core),
      currentUser: () => core.sessions.caller(),
      isTrustedSender: createSenderCheck(),
    });
    registerIpcBridge(fake.ipcMain, router);
  });
  afterAll(async () => {
    await core.sessions.lock('quit');
    dir.cleanup();
  });

  const forbidden = { ok: false, error: { code: 'IPC_FORBIDDEN_SENDER', message: 'Calls are accepted only from the application window.' } };

  test('answers the app main frame', async () => {
    const status = await fake.invoke(channelOf('app.status'), fromMain, {});
    expect(status).toMatchObject({ ok: true, value: { state: 'no-archive', session: null } });
  });

  test('refuses a subframe, a foreign page and a destroyed frame with IPC_FORBIDDEN_SENDER', async () => {
    for (const event of [fromSubframe, foreignMain('https://example.com/'), foreignMain('app://archive.evil/index.html'), foreignMain('file:///index.html'), fromDestroyedFrame]) {
      for (const method of methodNames) {
        expect(await fake.invoke(channelOf(method), event, {}), `${method} from ${event.senderFrame?.url ?? 'destroyed frame'}`).toEqual(forbidden);
      }
    }
  });

  test('creates an archive from the main frame; a subframe cannot lock it or read the session', async () => {
    const created = await fake.invoke(channelOf('archive.create'), fromMain, { ...director, passphraseConfirm: director.passphrase });
    expect(created).toMatchObject({ ok: true, value: { username: director.username, role: 'director' } });

    expect(await fake.invoke(channelOf('session.lock'), fromSubframe, {})).toEqual(forbidden);
    expect(await fake.invoke(channelOf('session.info'), fromSubframe, {})).toEqual(forbidden);
    expect(core.sessions.current()).not.toBeNull();

    expect(await fake.invoke(channelOf('session.info'), fromMain, {})).toMatchObject({ ok: true, value: { displayName: director.displayName } });
    expect(await fake.invoke(channelOf('session.lock'), fromMain, {})).toEqual({ ok: true, value: { locked: true } });
    expect(core.sessions.current()).toBeNull();
    expect(await fake.invoke(channelOf('session.info'), fromMain, {})).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
  });

  test('createAppRouter wires the same router (trusted main frame in, subframe out)', async () => {
    const router = createAppRouter(core);
    expect(await router({ url: 'app://archive/index.html', isMainFrame: true }, 'app.status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await router({ url: 'app://archive/index.html', isMainFrame: false }, 'app.status', {})).toEqual(forbidden);
    const dev = createAppRouter(core, { devServerUrl: 'http://localhost:5173' });
    expect(await dev({ url: 'http://localhost:5173/', isMainFrame: true }, 'app.status', {})).toMatchObject({ ok: true });
  });
});
