// Removing a user rotates the master key: the removed user loses everything, and a process killed (SIGKILL) at any
// point of the rotation leaves an archive that opens, with every record intact.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit-chain';
import { openDatabase } from '../../electron/core/db/open-database';
import { archivePaths, readKeyring } from '../../electron/core/vault/keyring';
import { rotationSteps } from '../../electron/core/vault/rotation';
import { createInput, director, makeCore, repoRoot, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { personInput } from '../fixtures/records';
import { addUser, recorder } from '../fixtures/users';

type Core = Awaited<ReturnType<typeof makeCore>>;

const leaving = { username: 'arben.gashi', displayName: 'Arben Gashi', passphrase: 'Kalaja e Prizrenit shikon qytetin' };

let dir: ReturnType<typeof tempDir>;
let core: Core;
let folder = '';
let template = '';
let leavingId = '';
let expected: { persons: number; restrictedByLeaving: string; restrictedByRecorder: string };

const records = () => core.sessions.require().records;
const archive = () => core.sessions.require().archive;

beforeAll(async () => {
  dir = tempDir('ta-removal-');
  template = join(dir.path, 'template');
  core = await makeCore(template, { pickFolder: () => Promise.resolve(folder) });
  await core.sessions.create(createInput(director));
  await addUser(core.sodium, archive(), recorder, 'recorder');
  leavingId = await addUser(core.sodium, archive(), leaving, 'recorder');
  for (let i = 0; i < 12; i++) await records().persons.create(personInput({ contact: `+383 44 000 ${100 + i}` }), records().actor);
  await core.sessions.signIn(leaving.username, leaving.passphrase);
  const byLeaving = await records().persons.create(personInput({ confidentiality: 'restricted', contact: '+383 49 111 222' }), records().actor);
  await records().drafts.save(records().actor, 'person:new', '{"a":1}');
  await core.sessions.signIn(recorder.username, recorder.passphrase);
  const byRecorder = await records().persons.create(personInput({ confidentiality: 'restricted', contact: '+381 63 333 444' }), records().actor);
  expected = { persons: 14, restrictedByLeaving: byLeaving.id, restrictedByRecorder: byRecorder.id };
  await core.sessions.lock('quit');
});
afterAll(() => dir.cleanup());

/** A fresh copy of the template archive (locked, so its write-ahead log is folded in). */
function copyOfTemplate(name: string): string {
  const f = join(dir.path, name);
  mkdirSync(f);
  for (const file of readdirSync(template)) copyFileSync(join(template, file), join(f, file));
  return f;
}

async function openAs(f: string, who: { username: string; passphrase: string }) {
  folder = f;
  await core.sessions.lock('switch-user');
  await core.sessions.chooseFolder();
  return core.sessions.signIn(who.username, who.passphrase);
}

async function personCount(): Promise<number> {
  const r = await archive().db.kysely.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return r.n;
}

/** Every record intact and readable by those who should read it; the chain holds. */
async function expectIntact(f: string): Promise<void> {
  await openAs(f, recorder);
  expect(await personCount()).toBe(expected.persons);
  expect((await records().persons.get(expected.restrictedByRecorder, records().actor)).contact).toBe('+381 63 333 444');
  await openAs(f, director);
  expect((await records().persons.get(expected.restrictedByLeaving, records().actor)).contact).toBe('+383 49 111 222');
  expect((await verifyAuditChain(archive().db.kysely)).firstBreak).toBeNull();
  const k = readKeyring(archivePaths(f).keyring);
  expect(k.rotation).toBeUndefined();
  expect(readdirSync(f).filter((n) => n.includes('.rekey'))).toEqual([]);
  await core.sessions.lock('manual');
}

describe('removing a user', () => {
  test('rotates the master key: the old key no longer opens the database; the user and their copies are gone', async () => {
    const f = copyOfTemplate('plain');
    await openAs(f, director);
    const oldKey = Uint8Array.from(archive().secrets.masterKey);
    await expectArchiveError(core.sessions.removeUser(archive().user.id), 'ACCOUNT_SELF');
    await core.sessions.removeUser(leavingId);
    expect(Buffer.from(archive().secrets.masterKey)).not.toEqual(Buffer.from(oldKey));
    // Still signed in, on the new key: records readable at once.
    expect(await personCount()).toBe(expected.persons);
    expect(await archive().db.kysely.selectFrom('sealed_keys').select('user_id').where('user_id', '=', leavingId).execute()).toEqual([]);
    expect(await archive().db.kysely.selectFrom('drafts').select('user_id').where('user_id', '=', leavingId).execute()).toEqual([]);
    expect((await core.accounts.list(archive())).map((u) => u.username)).not.toContain(leaving.username);
    const actions = (await archive().db.kysely.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    expect(actions).toContain('account.remove');
    await core.sessions.lock('manual');
    expect(() => openDatabase(archivePaths(f).database, oldKey)).toThrow(/does not open/);
    await expectArchiveError(openAs(f, leaving), 'AUTH_FAILED');
    const k = readKeyring(archivePaths(f).keyring);
    expect(k.users.map((u) => u.id)).not.toContain(leavingId);
    expect(k.retiredSignKeys?.map((r) => r.userId)).toContain(leavingId);
    await expectIntact(f);
    // The username stays taken: records and the audit log still name that person.
    await openAs(f, director);
    await expectArchiveError(core.accounts.create(archive(), { username: leaving.username, displayName: 'Someone else', role: 'recorder' }), 'ACCOUNT_EXISTS');
    await core.sessions.lock('manual');
  });

  test('a removal that fails midway (e.g. disk full) locks the session; the next sign-in finishes it', async () => {
    const f = copyOfTemplate('failing');
    let fail = true;
    const failing = await makeCore(f, {
      onRotationStep: (step) => {
        if (step === 'db-updated' && fail) throw new Error('simulated: no space left on device');
      },
    });
    await failing.sessions.signIn(director.username, director.passphrase);
    await expect(failing.sessions.removeUser(leavingId)).rejects.toThrow(/no space left/);
    expect(failing.sessions.current()).toBeNull();
    expect(readKeyring(archivePaths(f).keyring).rotation?.removeUserId).toBe(leavingId);
    // The user being removed is refused at once; the next sign-in rolls the removal forward.
    await expectArchiveError(failing.sessions.signIn(leaving.username, leaving.passphrase), 'AUTH_FAILED');
    fail = false;
    await failing.sessions.signIn(director.username, director.passphrase);
    expect(readKeyring(archivePaths(f).keyring).rotation).toBeUndefined();
    expect(readKeyring(archivePaths(f).keyring).users.map((u) => u.id)).not.toContain(leavingId);
    await failing.sessions.lock('quit');
    await expectIntact(f);
  });

  test('a process killed with SIGKILL at any point of the rotation leaves an archive that opens with all records, 50 times', async () => {
    const child = join(repoRoot, 'tests/fixtures/remove-user-child.ts');
    /** Runs the removal in a child; kills it at `step` (inside) or after a random delay (from here). */
    const run = (f: string, step: string, delayMs: number | null): Promise<'killed' | 'done'> =>
      new Promise((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', child, f, leavingId, step], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        p.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (delayMs !== null && out.startsWith('ready')) setTimeout(() => p.kill('SIGKILL'), delayMs);
        });
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        p.on('error', reject);
        p.on('exit', (code, signal) => {
          if (signal === 'SIGKILL') resolve('killed');
          else if (code === 0 && out.includes('done')) resolve('done');
          else reject(new Error(`child failed (${String(code)}): ${err.slice(0, 800)}`));
        });
      });

    const outcomes: Record<string, number> = {};
    const runs = Number(process.env['TA_REKEY_KILLS'] ?? 50);
    const jobs = Array.from({ length: runs }, (_, i) => {
      // First every step of the rotation (several times each), then random moments.
      const step = i < Math.min(rotationSteps.length * 4, runs - 2) ? (rotationSteps[i % rotationSteps.length] ?? 'none') : 'none';
      const delay = step === 'none' ? Math.floor(Math.random() * 400) : null;
      return { i, step, delay };
    });
    // Two at a time: children on separate copies.
    for (let j = 0; j < jobs.length; j += 2) {
      const batch = jobs.slice(j, j + 2).map(async ({ i, step, delay }) => {
        const f = copyOfTemplate(`kill-${i}`);
        const outcome = await run(f, step, delay);
        return { f, key: `${step}:${outcome}` };
      });
      for (const { f, key } of await Promise.all(batch)) {
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        await expectIntact(f);
        // Whatever the moment, the removed user is either fully present (killed before the rotation began) or gone.
        const k = readKeyring(archivePaths(f).keyring);
        const stillThere = k.users.some((u) => u.id === leavingId);
        if (stillThere) await openAs(f, leaving).then(() => core.sessions.lock('manual'));
        else await expectArchiveError(openAs(f, leaving), 'AUTH_FAILED');
        expect(existsSync(join(f, 'archive.db.rekey'))).toBe(false);
      }
    }
    // Every step was hit by a kill.
    for (const step of rotationSteps) expect(outcomes[`${step}:killed`] ?? 0, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(runs);
  }, 600_000);
});
