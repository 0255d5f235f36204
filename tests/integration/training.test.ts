// Training archives: created with the demo records, marked in the keyring (readable while locked); a failed
// load leaves no archive behind.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, test } from 'vitest';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter, type Sender } from '../../electron/ipc/router';
import type { AppStatus } from '../../shared/ipc/contract';
import type { Result } from '../../shared/errors';
import { createInput, director, makeCore, resourcesDir, tempDir } from '../fixtures/archive';
import { archive as cli } from '../fixtures/cli';
import { expectArchiveError } from '../fixtures/errors';
import { keyringOf, listFolder } from '../fixtures/files';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function newFolder(): string {
  const dir = tempDir('ta-training-');
  cleanups.push(() => dir.cleanup());
  return join(dir.path, 'archive');
}

const demo = JSON.parse(readFileSync(join(resourcesDir, 'demo/records.json'), 'utf8')) as { persons: unknown[]; testimonies: unknown[]; sessions: unknown[] };

async function counts(core: Awaited<ReturnType<typeof makeCore>>) {
  const db = core.sessions.require().archive.db.kysely;
  const n = async (t: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db)).rows[0]?.n);
  return { persons: await n('persons'), testimonies: await n('testimonies'), sessions: await n('dialogue_sessions') };
}

const demoCounts = { persons: demo.persons.length, testimonies: demo.testimonies.length, sessions: demo.sessions.length };

test('a training archive through the router: demo records present, marked training, still after lock and restart', async () => {
  const folder = newFolder();
  const core = await makeCore(folder);
  const appWindow: Sender = { url: 'app://archive/index.html', isMainFrame: true };
  const route = createRouter({
    handlers: createHandlers(core),
    currentUser: () => core.sessions.caller(),
    isTrustedSender: (s) => s.isMainFrame && s.url.startsWith('app://archive/'),
  });
  const status = async () => {
    const r = (await route(appWindow, 'app.status', {})) as Result<AppStatus>;
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  expect(await status()).toMatchObject({ state: 'no-archive', training: false });
  const created = await route(appWindow, 'archive.create', { ...createInput(director), training: true });
  expect(created).toMatchObject({ ok: true, value: { role: 'director', username: director.username } });
  expect(await status()).toMatchObject({ state: 'unlocked', training: true });
  expect(await counts(core)).toEqual(demoCounts);
  expect(demoCounts).toEqual({ persons: 40, testimonies: 30, sessions: 8 });
  expect(keyringOf(folder).training).toBe(true);
  // The director who created it reads the restricted demo records (sealed to them at import).
  const list = await route(appWindow, 'sessions.list', { limit: 50 });
  expect(list.ok && (list.value as { items: unknown[] }).items).toHaveLength(8);

  await route(appWindow, 'session.lock', {});
  expect(await status()).toMatchObject({ state: 'locked', training: true, session: null });

  // A new engine on the same folder (an app restart) knows it before anyone signs in.
  await core.sessions.lock('quit');
  const again = await makeCore(folder);
  expect(again.sessions.status()).toMatchObject({ state: 'locked', training: true });
  await again.sessions.signIn(director.username, director.passphrase);
  expect(again.sessions.status()).toMatchObject({ state: 'unlocked', training: true });
  expect(await counts(again)).toEqual(demoCounts);
  await again.sessions.lock('quit');
});

test('an ordinary archive is not training, with no flag in its keyring', async () => {
  const folder = newFolder();
  const core = await makeCore(folder);
  await core.sessions.create({ ...createInput(director), training: false });
  expect(core.sessions.status()).toMatchObject({ state: 'unlocked', training: false });
  expect(await counts(core)).toEqual({ persons: 0, testimonies: 0, sessions: 0 });
  expect('training' in keyringOf(folder)).toBe(false);
  await core.sessions.lock('manual');
  expect(core.sessions.status()).toMatchObject({ state: 'locked', training: false });
});

test.each([
  ['a demo record the archive refuses (unknown act type, mid-file)', (dir: string) => {
    const broken = structuredClone(demo) as { testimonies: Array<{ violations: Array<{ actType: string }> }> };
    const last = broken.testimonies.at(-1)?.violations[0];
    if (last) last.actType = 'teleportation';
    writeFileSync(join(dir, 'demo/records.json'), JSON.stringify(broken));
  }],
  ['a missing demo file', (dir: string) => rmSync(join(dir, 'demo/records.json'))],
  ['a demo file that is not JSON', (dir: string) => writeFileSync(join(dir, 'demo/records.json'), '{"format": "testimony-archive/records", ')],
] as const)('%s: creation fails with TRAINING_DATA_INVALID and leaves no archive', async (_name, breakIt) => {
  const resources = tempDir('ta-resources-');
  cleanups.push(() => resources.cleanup());
  cpSync(resourcesDir, resources.path, { recursive: true });
  breakIt(resources.path);
  const folder = newFolder();
  const core = await makeCore(folder, { resourcesDir: resources.path });

  await expectArchiveError(core.sessions.create({ ...createInput(director), training: true }), 'TRAINING_DATA_INVALID');
  expect(listFolder(folder)).toEqual([]);
  expect(core.sessions.current()).toBeNull();
  expect(core.sessions.status()).toMatchObject({ state: 'no-archive', training: false });
  // The folder is usable again: an ordinary archive can be created in it.
  await core.sessions.create(createInput(director));
  expect(core.sessions.status()).toMatchObject({ state: 'unlocked', training: false });
  await core.sessions.lock('quit');
});

test('the CLI: archive init --training makes a training archive; --training elsewhere is a usage error', async () => {
  const folder = newFolder();
  const pass = `${director.passphrase}\n`;
  const [init, misuse] = await Promise.all([
    cli(['init', folder, '--user', director.username, '--name', director.displayName, '--training', '--json'], pass),
    cli(['info', folder, '--user', director.username, '--training'], pass),
  ]);
  expect(init).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(init.stdout)).toEqual({ folder, username: director.username, role: 'director', training: true });
  expect(misuse.code).toBe(2);
  expect(keyringOf(folder).training).toBe(true);
  const core = await makeCore(folder);
  expect(core.sessions.status()).toMatchObject({ state: 'locked', training: true });
}, 120_000);
