// The `archive` command as a user runs it: a child process, the passphrase on stdin, exit codes and
// output per DESIGN.md section 8. The CLI uses the real Argon2id cost, so invocations are few and
// independent ones run side by side.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { latestSchemaVersion } from '../../electron/core/db/migrations/index';
import { keyringFileName } from '../../electron/core/vault/keyring';
import { director, makeCore, tempDir } from '../fixtures/archive';
import { flipByte, listFolder, snapshotFolder } from '../fixtures/files';
import { archive, type Run } from '../fixtures/cli';




/** The contract for every failure: exactly one line on stderr, and never a stack trace. */
function expectOneLineFailure(r: Run, code: number): string {
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code });
  const lines = r.stderr.split('\n');
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(/^archive: \S/);
  return lines[0]!;
}

function expectNoStackTrace(r: Run): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toMatch(/^\s+at .+[:(]/m);
    expect(text).not.toMatch(/Error:|node:internal|\.ts:\d+/);
  }
}

const pass = `${director.passphrase}\n`;
const user = ['--user', director.username];
const dir = tempDir('ta-cli-');
const healthy = join(dir.path, 'healthy');
afterAll(() => dir.cleanup());

describe('archive CLI', () => {
  const runs: Run[] = [];
  const run = async (args: string[], stdin?: string) => {
    const r = await archive(args, stdin);
    runs.push(r);
    return r;
  };
  let init: Run;
  let cheap: Record<'missing' | 'notArchive' | 'badFlag' | 'unknownCommand' | 'noUser', Run>;

  beforeAll(async () => {
    const notArchive = join(dir.path, 'not-an-archive');
    mkdirSync(notArchive);
    writeFileSync(join(notArchive, 'notes.txt'), 'just notes');
    // Usage errors and missing archives are decided before any key derivation: run them beside init.
    const [i, missing, notA, badFlag, unknownCommand, noUser] = await Promise.all([
      run(['init', healthy, ...user, '--name', director.displayName, '--json'], pass),
      run(['info', join(dir.path, 'does-not-exist'), ...user], pass),
      run(['info', notArchive, ...user], pass),
      run(['info', healthy, ...user, '--passphrase', 'x'], pass),
      run(['frobnicate', healthy, ...user], pass),
      run(['info', healthy], pass),
    ]);
    init = i;
    cheap = { missing, notArchive: notA, badFlag, unknownCommand, noUser };
  });

  test('init creates the archive and prints one JSON document', () => {
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(init.stdout)).toEqual({ folder: healthy, username: director.username, role: 'director', training: false });
    expect(listFolder(healthy)).toEqual(['archive.db', keyringFileName]);
  });

  test('a missing folder and a folder that is not an archive exit 4', () => {
    expectOneLineFailure(cheap.missing, 4);
    expectOneLineFailure(cheap.notArchive, 4);
    expect(listFolder(join(dir.path, 'not-an-archive'))).toEqual(['notes.txt']);
  });

  test('bad flags, an unknown command and a missing --user exit 2', () => {
    expect(expectOneLineFailure(cheap.badFlag, 2)).toContain('--passphrase');
    expect(expectOneLineFailure(cheap.unknownCommand, 2)).toContain('frobnicate');
    expect(expectOneLineFailure(cheap.noUser, 2)).toContain('--user');
  });

  test('info, check, a wrong passphrase and a damaged copy', async () => {
    // Each run below derives a key at the real cost; they touch different folders or only read.
    const wrongCopy = join(dir.path, 'wrong');
    const damaged = join(dir.path, 'damaged');
    cpSync(healthy, wrongCopy, { recursive: true });
    cpSync(healthy, damaged, { recursive: true });
    // Page 2 holds the migration log: unlocking does not read it, the integrity check does.
    flipByte(join(damaged, 'archive.db'), 4096 + 200);
    const wrongBefore = snapshotFolder(wrongCopy);

    const [info, check, wrong, broken] = await Promise.all([
      run(['info', healthy, ...user, '--json'], pass),
      run(['check', healthy, ...user], pass),
      run(['info', wrongCopy, ...user, '--json'], 'not the passphrase at all\n'),
      run(['check', damaged, ...user], pass),
    ]);

    expect(info).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(info.stdout) as { schemaVersion: number; users: unknown[]; counts: { users: number } };
    expect(doc.schemaVersion).toBe(latestSchemaVersion);
    expect(doc.counts.users).toBe(1);
    expect(doc.users).toEqual([{ username: director.username, displayName: director.displayName, role: 'director', disabled: false }]);

    expect(check).toMatchObject({ code: 0, stderr: '' });
    const lines = check.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(l).toMatch(/^PASS {2}/);
    expect(lines.some((l) => l.startsWith('PASS  audit chain: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('PASS  audit checkpoints: '))).toBe(true);

    expect(expectOneLineFailure(wrong, 3)).toBe('archive: Wrong username or passphrase.');
    expect(JSON.parse(wrong.stdout)).toEqual({ ok: false, error: { code: 'AUTH_FAILED', message: 'Wrong username or passphrase.' } });
    // Only the failure counter in the keyring changed.
    const wrongAfter = snapshotFolder(wrongCopy);
    expect(wrongAfter['archive.db']).toBe(wrongBefore['archive.db']);
    expect(Object.keys(wrongAfter)).toEqual(Object.keys(wrongBefore));

    expect([1, 4]).toContain(broken.code);
    expectOneLineFailure(broken, broken.code ?? -1);
  });

  test('a one-time passphrase opens nothing from the command line either (exit 3), until changed in the app', async () => {
    const copy = join(dir.path, 'one-time');
    cpSync(healthy, copy, { recursive: true });
    const core = await makeCore(copy);
    await core.sessions.signIn(director.username, director.passphrase);
    const { oneTimePassphrase } = await core.accounts.create(core.sessions.require().archive, { username: 'nenad.petrovic', displayName: 'Nenad Petrović', role: 'recorder' });
    await core.sessions.lock('quit');
    const r = await run(['info', copy, '--user', 'nenad.petrovic'], `${oneTimePassphrase}\n`);
    expect(expectOneLineFailure(r, 3)).toMatch(/one-time passphrase/);
  });

  test('no run printed a stack trace', () => {
    expect(runs.length).toBeGreaterThanOrEqual(10);
    expect(runs.length).toBeLessThan(15);
    for (const r of runs) expectNoStackTrace(r);
  });
});
