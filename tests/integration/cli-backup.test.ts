// `archive backup` and `archive restore` as an administrator runs them, with DESIGN.md section 8's exit codes; the
// backup's manifest signature checked by the minisign tool too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { archive, type Run } from '../fixtures/cli';
import { personInput, testimonyInput } from '../fixtures/records';

const dir = tempDir('ta-cli-backup-');
const folder = join(dir.path, 'archive');
const usb = join(dir.path, 'usb');
const pass = `${director.passphrase}\n`;
const user = ['--user', director.username];
type BackupJson = { backupId: string; folder: string; files: number; attachmentsCopied: number; attachmentsReused: number; keyId: string };
let first: Run;
let second: Run;

beforeAll(async () => {
  mkdirSync(usb);
  const core = await makeCore(folder);
  await core.sessions.create(createInput(director));
  const records = core.sessions.require().records;
  const p = await records.persons.create(personInput(), records.actor);
  const t = await records.testimonies.create(testimonyInput(p.id, p.id), records.actor);
  const file = join(dir.path, 'deklarata.txt');
  writeFileSync(file, 'Deklarata e dëshmitarit, faqja 1\n'.repeat(500));
  await records.attachments.importFile(records.actor, 'testimony', t.id, file);
  await core.sessions.lock('quit');
  first = await archive(['backup', folder, ...user, '-o', usb, '--json'], pass);
  second = await archive(['backup', folder, ...user, '-o', usb, '--json'], pass);
}, 120_000);
afterAll(() => dir.cleanup());

const parsed = (r: Run) => JSON.parse(r.stdout) as BackupJson;
/** stderr without the progress lines ("backup: ..." / "restore: ..."): the failure's one line. */
const failureLines = (r: Run) => r.stderr.split('\n').filter((l) => l.trim() !== '' && !/^(backup|restore): /.test(l));

test('backup writes a signed backup that minisign accepts; a second one copies no unchanged attachment', () => {
  expect(first.code, first.stderr).toBe(0);
  const r = parsed(first);
  expect(r).toMatchObject({ files: 3, attachmentsCopied: 1, attachmentsReused: 0 });
  expect(readdirSync(r.folder).sort()).toEqual(['archive.db', 'archive.pub', 'keyring.json', 'manifest.json', 'manifest.json.minisig']);
  const v = execFileSync('minisign', ['-Vm', join(r.folder, 'manifest.json'), '-p', join(r.folder, 'archive.pub')]).toString();
  expect(v).toMatch(new RegExp(`Trusted comment: backup:${r.backupId} archive:[0-9a-f-]{36} file:manifest.json`));
  expect(second.code, second.stderr).toBe(0);
  expect(parsed(second)).toMatchObject({ attachmentsCopied: 0, attachmentsReused: 1 });
});

test('restore without --user checks files and signature only, and says so', async () => {
  const target = join(dir.path, 'restored-files-only');
  const r = await archive(['restore', parsed(first).folder, '-o', target]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/sizes and SHA-256 equal to the signed manifest/);
  expect(r.stdout).toMatch(/NOT OPENED: without --user only files and signature were checked/);
  expect(readdirSync(target).sort()).toEqual(['archive.db', 'attachments', 'keyring.json']);
});

test('restore --user opens the restored archive and checks it against the manifest (--json); it then works as an archive', async () => {
  const target = join(dir.path, 'restored-verified');
  const r = await archive(['restore', parsed(first).folder, '-o', target, ...user, '--pubkey', join(parsed(first).folder, 'archive.pub'), '--json'], pass);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { pinnedKey: boolean; verification: { ok: boolean; checks: Array<{ name: string; ok: boolean }> } };
  expect(out.pinnedKey).toBe(true);
  expect(out.verification.ok).toBe(true);
  expect(out.verification.checks.every((c) => c.ok)).toBe(true);
  const check = await archive(['check', target, ...user], pass);
  expect(check.code, check.stdout).toBe(0);
});

test('a wrong passphrase exits 3 and leaves no restored folder', async () => {
  const target = join(dir.path, 'restored-wrong');
  const r = await archive(['restore', parsed(first).folder, '-o', target, ...user], 'not the right passphrase at all\n');
  expect(r.code).toBe(3);
  expect(failureLines(r)).toHaveLength(1);
  expect(existsSync(target)).toBe(false);
});

test('a tampered backup exits 1 naming the file, and nothing is restored', async () => {
  const backupDir = parsed(second).folder;
  const db = join(backupDir, 'archive.db');
  const original = readFileSync(db);
  const damaged = Buffer.from(original);
  damaged[4096] = (damaged[4096] ?? 0) ^ 0xff;
  writeFileSync(db, damaged);
  try {
    const target = join(dir.path, 'restored-tampered');
    const r = await archive(['restore', backupDir, '-o', target, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'BACKUP_TAMPERED' } });
    expect(r.stderr).toMatch(/archive\.db does not match its SHA-256/);
    expect(existsSync(target)).toBe(false);
  } finally {
    writeFileSync(db, original);
  }
});

test('bad inputs: clear one-line errors with their exit codes, nothing written', async () => {
  const busy = join(dir.path, 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'notes.txt'), 'x');
  const cases: Array<[string[], string, number, RegExp]> = [
    [['restore', parsed(first).folder, '-o', busy], '', 2, /already exists and is not empty/],
    [['restore', join(dir.path, 'nowhere'), '-o', join(dir.path, 'new')], '', 4, /backup folder does not exist/],
    [['restore', folder, '-o', join(dir.path, 'new')], '', 4, /not a backup/],
    [['restore', parsed(first).folder], '', 2, /-o <new folder> is required/],
    [['backup', folder, ...user, '-o', join(dir.path, 'unplugged')], pass, 2, /backup folder does not exist/],
    [['backup', folder, ...user], pass, 2, /-o is required for backup/],
  ];
  for (const [args, stdin, code, message] of cases) {
    const r = await archive(args, stdin);
    expect({ args, code: r.code }).toEqual({ args, code });
    expect(r.stderr).toMatch(message);
    expect(failureLines(r)).toHaveLength(1);
  }
  expect(readdirSync(busy)).toEqual(['notes.txt']);
  expect(existsSync(join(dir.path, 'new'))).toBe(false);
  expect(existsSync(join(dir.path, 'unplugged'))).toBe(false);
}, 120_000);
