// The preload's window.archive: exactly one function per contract method plus onLocked, each on its own
// channel with one argument, and nothing of ipcRenderer reaching the page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { buildArchiveApi, type IpcRendererLike } from '../../electron/preload/build-api';
import { channelOf, lockedEventChannel, methodNames } from '../../shared/ipc/methods';
import { repoRoot } from '../fixtures/archive';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A recording stand-in for ipcRenderer. */
function fakeIpcRenderer() {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Listener[]>();
  const ipc: IpcRendererLike = {
    invoke(channel, ...args) {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: `reply from ${channel}` });
    },
    on(channel, listener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
    removeListener(channel, listener) {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
  };
  const emit = (channel: string, ...args: unknown[]) => {
    // The real IpcRendererEvent carries `sender` (ipcRenderer itself): it must never reach the page.
    for (const l of listeners.get(channel) ?? []) l({ sender: ipc, ports: [] }, ...args);
  };
  const count = (channel: string) => listeners.get(channel)?.length ?? 0;
  return { ipc, invoked, emit, count };
}

describe('buildArchiveApi', () => {
  test('has one function per contract method plus onLocked, and nothing else', () => {
    const api = buildArchiveApi(fakeIpcRenderer().ipc);
    expect(Object.keys(api).sort()).toEqual([...methodNames, 'onLocked'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    for (const leak of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'call']) expect(leak in api).toBe(false);
    expect(Object.isFrozen(api)).toBe(true);
  });

  test('each method invokes its own channel with exactly the one input', async () => {
    const fake = fakeIpcRenderer();
    const api = buildArchiveApi(fake.ipc);
    for (const name of methodNames) {
      const fn = api[name] as (input: unknown, ...rest: unknown[]) => Promise<unknown>;
      const reply = await fn({ probe: name }, 'smuggled second argument');
      expect(reply).toEqual({ ok: true, value: `reply from ${channelOf(name)}` });
    }
    expect(fake.invoked).toEqual(methodNames.map((name) => ({ channel: channelOf(name), args: [{ probe: name }] })));
    // One channel per method, never a shared generic one.
    expect(new Set(fake.invoked.map((c) => c.channel)).size).toBe(methodNames.length);
  });

  test('onLocked passes only the reason, and its unsubscribe removes the IPC listener', () => {
    const fake = fakeIpcRenderer();
    const api = buildArchiveApi(fake.ipc);
    const listener = vi.fn();
    const unsubscribe = api.onLocked(listener);
    expect(fake.count(lockedEventChannel)).toBe(1);

    fake.emit(lockedEventChannel, 'idle');
    fake.emit(lockedEventChannel, { toString: () => 'not a string' });
    expect(listener.mock.calls).toEqual([['idle'], ['unknown']]);

    unsubscribe();
    expect(fake.count(lockedEventChannel)).toBe(0);
    fake.emit(lockedEventChannel, 'os-lock');
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe(); // idempotent
    expect(fake.count(lockedEventChannel)).toBe(0);
  });

  test('onLocked keeps one listener: a new one replaces the old, a stale unsubscribe leaves it alone', () => {
    const fake = fakeIpcRenderer();
    const api = buildArchiveApi(fake.ipc);
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = api.onLocked(first);
    const unsubscribeSecond = api.onLocked(second);
    expect(fake.count(lockedEventChannel)).toBe(1);

    unsubscribeFirst();
    fake.emit(lockedEventChannel, 'manual');
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith('manual');

    unsubscribeSecond();
    expect(fake.count(lockedEventChannel)).toBe(0);
  });
});

describe('preload sources', () => {
  /** Runtime (non-type) import specifiers of a TypeScript file. */
  const runtimeImports = (file: string): string[] => {
    const source = readFileSync(join(repoRoot, file), 'utf8');
    return [...source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  };

  test('import at run time only electron, the builder and shared/ipc/methods (no zod: the bundle is a sandboxed CJS preload)', () => {
    expect(runtimeImports('electron/preload/index.ts')).toEqual(['electron', './build-api']);
    expect(runtimeImports('electron/preload/build-api.ts')).toEqual(['../../shared/ipc/methods']);
  });

  test('never hand ipcRenderer itself to the page', () => {
    const index = readFileSync(join(repoRoot, 'electron/preload/index.ts'), 'utf8');
    expect(index.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(index).toContain("contextBridge.exposeInMainWorld('archive', buildArchiveApi(ipcRenderer));");
  });
});
