// The IPC router with the real handlers and a real core on a temp folder: what it refuses, and that a
// refusal never touches the archive.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { roles } from '../../shared/domain/roles';
import type { ErrorCode, Result } from '../../shared/errors';
import { contract } from '../../shared/ipc/contract';
import { methodNames } from '../../shared/ipc/methods';
import { allowedMethods, isAllowed, policyTable } from '../../electron/core/access/policy';
import { createHandlers, type Handlers } from '../../electron/ipc/handlers';
import { createRouter, type Router, type Sender } from '../../electron/ipc/router';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { snapshotFolder } from '../fixtures/files';

type Core = Awaited<ReturnType<typeof makeCore>>;

const appWindow: Sender = { url: 'app://archive/index.html', isMainFrame: true };
/** Stand-in for main's check: the main frame of the app:// page only. */
const isTrustedSender = (s: Sender) => s.isMainFrame && /^app:\/\/archive\//.test(s.url);

let dir: { path: string; cleanup(): void };
let folder: string;
let core: Core;
let reports: string[];
let route: Router;

function routerFor(c: Core, handlers: Handlers = createHandlers(c)): Router {
  return createRouter({
    handlers,
    currentUser: () => c.sessions.caller(),
    isTrustedSender,
    report: (line) => reports.push(line),
  });
}

// One engine for the file (building the passphrase policy is the slow part); each test gets its own
// empty folder through the same folder switch the app uses.
let home: { path: string; cleanup(): void };
beforeAll(async () => {
  home = tempDir();
  core = await makeCore(home.path, { pickFolder: () => Promise.resolve(folder) });
});
afterAll(() => home.cleanup());
beforeEach(async () => {
  dir = tempDir();
  folder = join(dir.path, 'archive');
  reports = [];
  route = routerFor(core);
  expect(await core.sessions.chooseFolder()).toEqual({ folder, containsArchive: false, cancelled: false });
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

function expectOk<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function createDirector(): Promise<void> {
  expectOk(await route(appWindow, 'archive.create', createInput(director)));
}

/** Every string inside a value (keys included), for "the message repeats nothing of the input". */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}

/** Calls the router and asserts the failure code, and that neither the folder listing nor any file changed. */
async function expectRefused(sender: Sender, method: unknown, input: unknown, code: ErrorCode) {
  const before = snapshotFolder(folder);
  const r = await route(sender, method, input);
  expect(r.ok ? 'ok' : r.error.code, String(method)).toBe(code);
  expect(snapshotFolder(folder)).toEqual(before);
  if (r.ok) throw new Error('unreachable');
  expect(Object.keys(r.error).sort()).toEqual(code === 'AUTH_LOCKED_OUT' ? ['code', 'message', 'retryAt'] : ['code', 'message']);
  expect(r.error.message.length).toBeLessThan(300);
  return r.error;
}

describe('methods', () => {
  test.each<[string, unknown]>([
    ['a name that is not a method', 'nope'],
    ['constructor', 'constructor'],
    ['__proto__', '__proto__'],
    ['toString', 'toString'],
    ['hasOwnProperty', 'hasOwnProperty'],
    ['a method name with a trailing space', 'app.status '],
    ['a method name in capitals', 'APP.STATUS'],
    ['the channel name instead of the method', 'archive:app.status'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { toString: () => 'app.status' }],
    ['an array', ['app.status']],
    ['a very long name', 'a'.repeat(100_000)],
  ])('%s is IPC_UNKNOWN_METHOD', async (_label, method) => {
    const e = await expectRefused(appWindow, method, {}, 'IPC_UNKNOWN_METHOD');
    expect(e.message).toBe('Unknown method.');
  });

  test('every method has a contract entry and a handler, and nothing else does', () => {
    const handlers = createHandlers(core);
    expect(Object.keys(contract).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
    for (const m of methodNames) {
      expect(Object.hasOwn(contract, m)).toBe(true);
      expect(typeof handlers[m]).toBe('function');
    }
  });

  test('the policy table decides every method, for every role and for no session', () => {
    expect(Object.keys(policyTable).sort()).toEqual([...methodNames].sort());
    for (const m of methodNames) {
      expect(isAllowed(null, m)).toBe(policyTable[m] === 'public');
      for (const role of roles) expect(typeof isAllowed(role, m)).toBe('boolean');
    }
    // What the UI is told about are real methods.
    for (const role of roles) for (const m of allowedMethods(role)) expect(methodNames).toContain(m);
  });
});

describe('senders', () => {
  const foreign: Array<[string, Sender]> = [
    ['a subframe of the app page', { url: 'app://archive/index.html', isMainFrame: false }],
    ['a web page', { url: 'https://example.org/', isMainFrame: true }],
    ['a file page', { url: 'file:///tmp/index.html', isMainFrame: true }],
    ['another app host', { url: 'app://archive.example/index.html', isMainFrame: true }],
    ['a destroyed frame', { url: '', isMainFrame: false }],
  ];

  test.each(foreign)('%s is IPC_FORBIDDEN_SENDER, even with a valid call', async (_label, sender) => {
    await expectRefused(sender, 'app.status', {}, 'IPC_FORBIDDEN_SENDER');
    await expectRefused(sender, 'archive.create', createInput(director), 'IPC_FORBIDDEN_SENDER');
    await expectRefused(sender, 'nope', null, 'IPC_FORBIDDEN_SENDER');
    expect(core.sessions.current()).toBeNull();
  });

  test('a foreign sender cannot sign in or spend sign-in attempts', async () => {
    await createDirector();
    expectOk(await route(appWindow, 'session.lock', {}));
    const sender = { url: 'https://example.org/', isMainFrame: true };
    await expectRefused(sender, 'session.signIn', { username: director.username, passphrase: director.passphrase }, 'IPC_FORBIDDEN_SENDER');
    await expectRefused(sender, 'session.signIn', { username: director.username, passphrase: 'a wrong passphrase' }, 'IPC_FORBIDDEN_SENDER');
    expect(core.sessions.current()).toBeNull();
  });
});

describe('inputs', () => {
  // These run against one locked archive, so a refusal that wrote anything (a counted sign-in, a
  // setting, a second archive) would show in the folder snapshot.
  let shared: { path: string; cleanup(): void };
  let sharedFolder: string;
  beforeAll(async () => {
    shared = tempDir();
    sharedFolder = join(shared.path, 'archive');
    folder = sharedFolder;
    await core.sessions.chooseFolder();
    await createDirector();
    await core.sessions.lock('manual');
  });
  beforeEach(async () => {
    folder = sharedFolder;
    expect(await core.sessions.chooseFolder()).toEqual({ folder, containsArchive: true, cancelled: false });
  });
  afterAll(() => shared.cleanup());

  const big = `${'ten megabytes '.repeat(10 * 1024 * 1024 / 14)}END`;
  const sign = { username: director.username, passphrase: director.passphrase };
  const malformed: Array<[string, string, unknown]> = [
    ['null', 'app.status', null],
    ['undefined', 'app.status', undefined],
    ['an array', 'app.status', []],
    ['a string', 'app.status', 'app.status'],
    ['an extra field', 'app.status', { secretExtraField: 'hidden-value-1' }],
    ['a wrong type', 'session.signIn', { username: 4711, passphrase: 'hidden-value-2' }],
    ['a missing field', 'session.signIn', { username: 'hidden-value-3' }],
    ['an extra field', 'session.signIn', { ...sign, remember: 'hidden-value-4' }],
    ['an array', 'session.signIn', [director.username, director.passphrase]],
    ['null', 'session.signIn', null],
    ['a 10 MB passphrase', 'session.signIn', { username: director.username, passphrase: big }],
    ['a 10 MB username', 'session.signIn', { username: big, passphrase: director.passphrase }],
    ['a 10 MB key', 'session.signIn', { ...sign, [big]: 1 }],
    ['a __proto__ key', 'session.signIn', JSON.parse(`{"__proto__":{"polluted":1},"username":"${director.username}","passphrase":"hidden-value-5"}`)],
    ['a nested __proto__', 'settings.setIdleTimeout', JSON.parse('{"minutes":5,"constructor":{"prototype":{"polluted":1}}}')],
    ['a 10 MB passphrase to check', 'passphrase.check', { passphrase: big }],
    ['a wrong type', 'passphrase.check', { passphrase: ['hidden-value-6'] }],
    ['a 10 MB display name', 'archive.create', { ...createInput(director), displayName: big }],
    ['an empty display name', 'archive.create', { ...createInput(director), displayName: '   ' }],
    ['a username with a slash', 'archive.create', { ...createInput(director), username: '../hidden-value-7' }],
    ['a missing confirmation', 'archive.create', { username: director.username, displayName: director.displayName, passphrase: director.passphrase }],
    ['a __proto__ key', 'archive.create', JSON.parse(`{"__proto__":{"polluted":1},${JSON.stringify(createInput(director)).slice(1)}`)],
    ['minutes as a string', 'settings.setIdleTimeout', { minutes: '5' }],
    ['fractional minutes', 'settings.setIdleTimeout', { minutes: 5.5 }],
    ['NaN minutes', 'settings.setIdleTimeout', { minutes: Number.NaN }],
    ['infinite minutes', 'settings.setIdleTimeout', { minutes: Number.POSITIVE_INFINITY }],
    ['an input for a method without one', 'session.lock', { reason: 'hidden-value-8' }],
  ];

  test.each(malformed)('%s for %s is IPC_BAD_INPUT and repeats nothing of the input', async (_label, method, input) => {
    const e = await expectRefused(appWindow, method, input, 'IPC_BAD_INPUT');
    const schemaKeys = new Set(Object.keys(contract[method as keyof typeof contract].input.shape));
    for (const s of stringsIn(input)) {
      if (s.length < 3 || schemaKeys.has(s)) continue;
      expect(e.message).not.toContain(s);
      expect(e.message).not.toContain(s.slice(0, 12));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(core.sessions.current()).toBeNull();
    expect(reports).toEqual([]);
  });

  test('bad input is refused before sign-in attempts are counted', async () => {
    expect(Object.keys(snapshotFolder(folder))).toEqual(['archive.db', 'keyring.json']);
    await expectRefused(appWindow, 'session.signIn', { username: director.username, passphrase: '' }, 'IPC_BAD_INPUT');
    await expectRefused(appWindow, 'session.signIn', { username: '', passphrase: director.passphrase }, 'IPC_BAD_INPUT');
  });
});

test('bad input to archive.create leaves an empty folder empty', async () => {
  await expectRefused(appWindow, 'archive.create', { ...createInput(director), passphraseConfirm: 42 }, 'IPC_BAD_INPUT');
  await expectRefused(appWindow, 'archive.create', { ...createInput(director), username: 'x' }, 'IPC_BAD_INPUT');
  expect(snapshotFolder(folder)).toEqual({});
});

describe('sessions and permissions', () => {
  test.each(['session.info', 'settings.get', 'session.lock'])('%s without a session is AUTH_REQUIRED', async (method) => {
    await expectRefused(appWindow, method, {}, 'AUTH_REQUIRED');
    await createDirector();
    expectOk(await route(appWindow, 'session.lock', {}));
    await expectRefused(appWindow, method, {}, 'AUTH_REQUIRED');
  });

  test('settings.setIdleTimeout without a session is AUTH_REQUIRED', async () => {
    await expectRefused(appWindow, 'settings.setIdleTimeout', { minutes: 10 }, 'AUTH_REQUIRED');
  });

  test('a director sets the idle timeout; out-of-range values are IPC_BAD_INPUT and change nothing', async () => {
    await createDirector();
    expect(expectOk(await route(appWindow, 'settings.setIdleTimeout', { minutes: 30 }))).toEqual({ idleTimeoutMinutes: 30 });
    expect(expectOk(await route(appWindow, 'settings.get', {}))).toEqual({ idleTimeoutMinutes: 30 });
    for (const minutes of [0, -1, 241, 100_000]) {
      await expectRefused(appWindow, 'settings.setIdleTimeout', { minutes }, 'IPC_BAD_INPUT');
    }
    expect(expectOk(await route(appWindow, 'settings.get', {}))).toEqual({ idleTimeoutMinutes: 30 });
    expect(expectOk(await route(appWindow, 'settings.setIdleTimeout', { minutes: 1 }))).toEqual({ idleTimeoutMinutes: 1 });
    expect(expectOk(await route(appWindow, 'settings.setIdleTimeout', { minutes: 240 }))).toEqual({ idleTimeoutMinutes: 240 });

    expect(expectOk(await route(appWindow, 'session.lock', {}))).toEqual({ locked: true });
    const info = expectOk(await route(appWindow, 'session.signIn', { username: director.username, passphrase: director.passphrase }));
    expect(info).toMatchObject({ role: 'director', idleTimeoutMinutes: 240, allowed: allowedMethods('director'), mustChangePassphrase: false });
    expect(expectOk(await route(appWindow, 'app.status', {}))).toMatchObject({ state: 'unlocked', folder, session: info });
  });

  test('failed sign-ins come back as AUTH_FAILED, then AUTH_LOCKED_OUT with a retry time', async () => {
    await createDirector();
    expectOk(await route(appWindow, 'session.lock', {}));
    for (let i = 0; i < 5; i++) {
      const r = await route(appWindow, 'session.signIn', { username: director.username, passphrase: `wrong ${i} passphrase` });
      expect(r.ok ? 'ok' : r.error.code).toBe('AUTH_FAILED');
    }
    const e = await expectRefused(appWindow, 'session.signIn', { username: director.username, passphrase: director.passphrase }, 'AUTH_LOCKED_OUT');
    expect(e.retryAt).toBeGreaterThan(Date.now());
  });
});

describe('failures inside handlers', () => {
  test('an unexpected exception is INTERNAL, without its message, and reported by name only', async () => {
    const handlers: Handlers = {
      ...createHandlers(core),
      'app.status': () => Promise.reject(new RangeError('secret detail /home/drita/testimony.db')),
    };
    const r = await routerFor(core, handlers)(appWindow, 'app.status', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Internal error.' } });
    expect(reports).toEqual(['router: app.status failed with RangeError']);
  });

  test('an output that breaks the contract is INTERNAL and never reaches the caller', async () => {
    const handlers = {
      ...createHandlers(core),
      'passphrase.check': () => Promise.resolve({ acceptable: true, score: 9, problem: null, passphrase: 'leaked' }),
    } as unknown as Handlers;
    const r = await routerFor(core, handlers)(appWindow, 'passphrase.check', { passphrase: 'anything at all' });
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Internal error.' } });
    expect(reports).toEqual(['router: output of passphrase.check does not match the contract']);
  });
});
