// Autosaved drafts on real archives, through the router: sealed to their author, invisible to other users.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { maxDraftsPerUser } from '../../electron/core/drafts/drafts-service';
import { createDraftsRepo } from '../../electron/core/drafts/drafts-repo';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter, type Router, type Sender } from '../../electron/ipc/router';
import type { ErrorCode, Result } from '../../shared/errors';
import { maxDraftLength } from '../../shared/ipc/contract';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { listFilesRecursive, needlesFor, scanFiles, snapshotFolder } from '../fixtures/files';
import { addUser, recorder } from '../fixtures/users';

const appWindow: Sender = { url: 'app://archive/index.html', isMainFrame: true };
let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;
let route: Router;
let folder: string;
/** The clock the archive reads: each test moves it, so "newest first" is decided by the test, not by timing. */
let clock = Date.parse('2026-10-14T09:00:00.000Z');

beforeEach(async () => {
  dir = tempDir('ta-drafts-');
  folder = join(dir.path, 'archive');
  core = await makeCore(folder, { now: () => clock });
  route = createRouter({
    handlers: createHandlers(core),
    currentUser: () => core.sessions.caller(),
    isTrustedSender: (s) => s.isMainFrame && s.url.startsWith('app://archive/'),
  });
  const r = await route(appWindow, 'archive.create', createInput(director));
  if (!r.ok) throw new Error(r.error.code);
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const call = (method: string, input: unknown) => route(appWindow, method, input);
function ok(r: Result<unknown>): unknown {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
const code = (r: Result<unknown>): ErrorCode | 'ok' => (r.ok ? 'ok' : r.error.code);
type Draft = { draft: { data: string; savedAt: string } | null };
type List = { drafts: Array<{ key: string; savedAt: string }> };

const form = (narrative: string) => JSON.stringify({ title: 'Zhdukja e vëllait në Mejë', narrative, deponent: 'Милица Јовановић', date: '1999-04~' });

test('save, read back exactly, replace, list newest first, discard', async () => {
  const other = `session:${randomUUID()}`;
  const data1 = form('Më 27 prill 1999 vëllai im u ndal në pikën e kontrollit. 🕊️');
  expect(ok(await call('drafts.save', { key: 'testimony:new', data: data1 }))).toEqual({ savedAt: '2026-10-14T09:00:00.000Z' });
  expect(ok(await call('drafts.get', { key: 'testimony:new' }))).toEqual({ draft: { data: data1, savedAt: '2026-10-14T09:00:00.000Z' } });

  clock += 5_000;
  ok(await call('drafts.save', { key: other, data: '{"agenda":"Sto mira / Tryezë paqeje"}' }));
  clock += 5_000;
  const data2 = form('Мој супруг је нестао у јуну 1999. године на путу ка Грачаници.');
  ok(await call('drafts.save', { key: 'testimony:new', data: data2 }));
  // One draft per key: the second save replaced the first.
  expect(ok(await call('drafts.get', { key: 'testimony:new' }))).toEqual({ draft: { data: data2, savedAt: '2026-10-14T09:00:10.000Z' } });
  expect(ok(await call('drafts.list', {}))).toEqual({
    drafts: [
      { key: 'testimony:new', savedAt: '2026-10-14T09:00:10.000Z' },
      { key: other, savedAt: '2026-10-14T09:00:05.000Z' },
    ],
  });
  // An empty form is a draft too.
  ok(await call('drafts.save', { key: 'person:new', data: '' }));
  expect(ok(await call('drafts.get', { key: 'person:new' }))).toEqual({ draft: { data: '', savedAt: '2026-10-14T09:00:10.000Z' } });

  expect(ok(await call('drafts.discard', { key: 'testimony:new' }))).toEqual({ discarded: true });
  expect(ok(await call('drafts.discard', { key: 'testimony:new' }))).toEqual({ discarded: false });
  expect(ok(await call('drafts.get', { key: 'testimony:new' }))).toEqual({ draft: null });
  expect((ok(await call('drafts.list', {})) as List).drafts.map((d) => d.key)).toEqual(['person:new', other]);
});

test('a draft survives a lock and is there after signing in again', async () => {
  ok(await call('drafts.save', { key: 'testimony:new', data: form('Para kyçjes') }));
  ok(await call('session.lock', {}));
  ok(await call('session.signIn', { username: director.username, passphrase: director.passphrase }));
  expect((ok(await call('drafts.get', { key: 'testimony:new' })) as Draft).draft?.data).toBe(form('Para kyçjes'));
});

test('the content is sealed: no plaintext in the row, nor in the db, -wal or -shm files', async () => {
  const marker = 'DRAFT-MARKER-Ђаковица-Gjakovë-7f3a';
  const data = form(`${marker} `.repeat(200));
  ok(await call('drafts.save', { key: 'testimony:new', data }));
  const row = await core.sessions.require().archive.db.kysely.selectFrom('drafts').selectAll().executeTakeFirstOrThrow();
  // Inside the decrypted database the row holds only ciphertext: the database key alone does not reveal it.
  for (const n of needlesFor(marker)) expect(Buffer.from(row.ciphertext).includes(n.bytes), n.label).toBe(false);
  expect(row.ciphertext.length).toBeGreaterThanOrEqual(Buffer.byteLength(data));

  // While open the WAL holds the latest pages; scan every file of the archive, then again after the lock.
  const files = listFilesRecursive(folder);
  expect(files.map((f) => f.slice(folder.length + 1)).sort()).toEqual(expect.arrayContaining(['archive.db', 'archive.db-wal', 'archive.db-shm']));
  expect(scanFiles(files, needlesFor(marker))).toEqual([]);
  ok(await call('session.lock', {}));
  expect(scanFiles(listFilesRecursive(folder), needlesFor(marker))).toEqual([]);
});

test('another user of the same archive gets null for my key, never sees it listed, and cannot open my row', async () => {
  const key = `testimony:${randomUUID()}`;
  const mine = form('Vetëm për autoren');
  ok(await call('drafts.save', { key, data: mine }));
  await addUser(core.sodium, core.sessions.require().archive, recorder, 'recorder');

  ok(await call('session.signIn', { username: recorder.username, passphrase: recorder.passphrase }));
  expect(ok(await call('drafts.get', { key }))).toEqual({ draft: null });
  expect(ok(await call('drafts.list', {}))).toEqual({ drafts: [] });
  expect(ok(await call('drafts.discard', { key }))).toEqual({ discarded: false });
  // The recorder's own draft under the same key is a separate one.
  ok(await call('drafts.save', { key, data: form('E imja') }));
  expect((ok(await call('drafts.get', { key })) as Draft).draft?.data).toBe(form('E imja'));

  // Someone holding the database key moves the director's row to the recorder: the seal still keeps it shut.
  const session = core.sessions.require();
  const db = session.archive.db.kysely;
  const directorId = (await db.selectFrom('users').select('id').where('username', '=', director.username).executeTakeFirstOrThrow()).id;
  await createDraftsRepo(db).remove(session.archive.user.id, key);
  await db.updateTable('drafts').set({ user_id: session.archive.user.id }).where('user_id', '=', directorId).execute();
  await expectArchiveError(session.records.drafts.get(session.records.actor, key), 'CONTENT_NO_ACCESS');
  expect(code(await call('drafts.get', { key }))).toBe('CONTENT_NO_ACCESS');
  await db.updateTable('drafts').set({ user_id: directorId }).where('draft_key', '=', key).execute();

  ok(await call('session.signIn', { username: director.username, passphrase: director.passphrase }));
  expect((ok(await call('drafts.get', { key })) as Draft).draft?.data).toBe(mine);
  expect((ok(await call('drafts.list', {})) as List).drafts.map((d) => d.key)).toEqual([key]);
});

test('bad keys, oversize or malformed data: the invalid-input code, and nothing written', async () => {
  ok(await call('drafts.save', { key: 'testimony:new', data: form('ekzistues') }));
  const before = snapshotFolder(folder);
  const badKeys: unknown[] = [
    '',
    'testimony:',
    'memo:new',
    'Testimony:new',
    'testimony:new ',
    'testimony:NEW',
    'session:../../etc/passwd',
    `session:${randomUUID().toUpperCase()}`,
    `testimony:${'a'.repeat(100)}`,
    "testimony:new'; DROP TABLE drafts;--",
    42,
    null,
  ];
  for (const key of badKeys) {
    for (const [method, input] of [
      ['drafts.save', { key, data: '{}' }],
      ['drafts.get', { key }],
      ['drafts.discard', { key }],
    ] as const) {
      expect(code(await call(method, input)), `${method} ${JSON.stringify(key)}`).toBe('IPC_BAD_INPUT');
    }
  }
  const bad: Array<[string, unknown]> = [
    ['oversize', { key: 'testimony:new', data: 'ë'.repeat(maxDraftLength + 1) }],
    ['not a string', { key: 'testimony:new', data: { title: 'x' } }],
    ['missing data', { key: 'testimony:new' }],
    ['extra field', { key: 'testimony:new', data: '{}', userId: randomUUID() }],
    ['lone surrogate', { key: 'testimony:new', data: 'Mejë \uD800 1999' }],
  ];
  for (const [name, input] of bad) {
    const r = await call('drafts.save', input);
    expect(code(r), name).toBe('IPC_BAD_INPUT');
    if (!r.ok) expect(r.error.message, name).not.toMatch(/ë{10}|Mejë/);
  }
  expect(code(await call('drafts.list', { all: true }))).toBe('IPC_BAD_INPUT');
  expect(snapshotFolder(folder)).toEqual(before);
  // The service refuses the same inputs for callers that skip the router (the CLI, tests).
  const s = core.sessions.require().records;
  await expectArchiveError(s.drafts.save(s.actor, 'memo:new', '{}'), 'IPC_BAD_INPUT');
  await expectArchiveError(s.drafts.save(s.actor, 'testimony:new', 'x'.repeat(maxDraftLength + 1)), 'IPC_BAD_INPUT');
  expect(snapshotFolder(folder)).toEqual(before);
  expect((ok(await call('drafts.get', { key: 'testimony:new' })) as Draft).draft?.data).toBe(form('ekzistues'));
});

test('a locked archive answers AUTH_REQUIRED to every draft method', async () => {
  ok(await call('drafts.save', { key: 'testimony:new', data: '{}' }));
  ok(await call('session.lock', {}));
  expect(code(await call('drafts.save', { key: 'testimony:new', data: '{}' }))).toBe('AUTH_REQUIRED');
  expect(code(await call('drafts.get', { key: 'testimony:new' }))).toBe('AUTH_REQUIRED');
  expect(code(await call('drafts.discard', { key: 'testimony:new' }))).toBe('AUTH_REQUIRED');
  expect(code(await call('drafts.list', {}))).toBe('AUTH_REQUIRED');
  // The handlers themselves refuse too, should a caller reach them without the router's check.
  await expectArchiveError(createHandlers(core)['drafts.list']({}), 'AUTH_REQUIRED');
});

test(`at most ${maxDraftsPerUser} drafts per user: DRAFTS_TOO_MANY for one more, replacing still works`, async () => {
  const keys = Array.from({ length: maxDraftsPerUser }, () => `testimony:${randomUUID()}`);
  for (const key of keys) ok(await call('drafts.save', { key, data: '{}' }));
  // The refused save began a write transaction, which touches the -shm index; the data files stay as they were.
  const content = () => Object.entries(snapshotFolder(folder)).filter(([name]) => !name.endsWith('-shm'));
  const before = content();
  const r = await call('drafts.save', { key: 'testimony:new', data: '{}' });
  expect(code(r)).toBe('DRAFTS_TOO_MANY');
  expect(content()).toEqual(before);
  ok(await call('drafts.save', { key: keys[0], data: '{"replaced":true}' }));
  expect((ok(await call('drafts.list', {})) as List).drafts).toHaveLength(maxDraftsPerUser);
  ok(await call('drafts.discard', { key: keys[1] }));
  ok(await call('drafts.save', { key: 'testimony:new', data: '{}' }));
});

test('the list query reads the index in order (EXPLAIN QUERY PLAN of the exact SQL)', () => {
  const archive = core.sessions.require().archive;
  const q = createDraftsRepo(archive.db.kysely).listQuery(archive.user.id).compile();
  const plan = (archive.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.parameters) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  expect(plan).toMatch(/USING (COVERING )?INDEX drafts_user_saved/);
  expect(plan).not.toMatch(/TEMP B-TREE/);
});
