// The submission commands as an auditor or administrator runs them: keygen, pubkey, export, verify, decrypt, with
// DESIGN.md section 8's exit codes, and the bundle checked by Debian's age and minisign too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { archive, type Run } from '../fixtures/cli';
import { personInput, testimonyInput } from '../fixtures/records';

const dir = tempDir('ta-cli-submissions-');
const folder = join(dir.path, 'archive');
const id = join(dir.path, 'auditor.key');
const pub = join(dir.path, 'archive.pub');
const bundle = join(dir.path, 'bundle');
const pass = `${director.passphrase}\n`;
const user = ['--user', director.username];
let recipient = '';
let keygen: Run;
let exported: Run;

beforeAll(async () => {
  const core = await makeCore(folder);
  await core.sessions.create(createInput(director));
  const records = core.sessions.require().records;
  const p = await records.persons.create(personInput(), records.actor);
  const t = await records.testimonies.create(testimonyInput(p.id, p.id), records.actor);
  await records.testimonies.review(t.id, t.revision, records.actor);
  const draft = await records.persons.create(personInput({ names: { sq: 'Arben Gashi', srLatn: 'Arben Gaši', srCyrl: 'Арбен Гаши' } }), records.actor);
  await records.testimonies.create(testimonyInput(draft.id, draft.id, { title: 'Draft, never submitted' }), records.actor);
  await core.sessions.lock('quit');
  keygen = await archive(['keygen', '-o', id]);
  recipient = keygen.stdout.trim();
  const pubRun = await archive(['pubkey', folder, ...user, '-o', pub], pass);
  expect(pubRun.code, pubRun.stderr).toBe(0);
  exported = await archive(['export', folder, ...user, '--to', recipient, '--filter', 'kind=testimony', '--date', '2026-11-27', '-o', bundle, '--json'], pass);
}, 120_000);
afterAll(() => dir.cleanup());

test('keygen writes an age identity (mode 0600) and prints its recipient; age-keygen -y agrees', () => {
  expect(keygen.code).toBe(0);
  expect(recipient).toMatch(/^age1[02-9ac-hj-np-z]{58}$/);
  expect(execFileSync('age-keygen', ['-y', id]).toString().trim()).toBe(recipient);
  if (process.platform !== 'win32') expect(statSync(id).mode & 0o777).toBe(0o600);
});

test('export writes a bundle that age and minisign accept, with the draft left out', () => {
  expect(exported.code, exported.stderr).toBe(0);
  const result = JSON.parse(exported.stdout) as { sequence: number; counts: { records: number; excluded: number } };
  expect(result.sequence).toBe(1);
  expect(result.counts).toMatchObject({ records: 1, excluded: 1 });
  expect(readdirSync(bundle).sort()).toEqual(['archive.pub', 'manifest.json', 'manifest.json.minisig', 'payload.age', 'payload.age.minisig']);
  const v = execFileSync('minisign', ['-Vm', join(bundle, 'payload.age'), '-p', pub]).toString();
  expect(v).toMatch(/Trusted comment: bundle:[0-9a-f-]{36} sequence:1 /);
  execFileSync('minisign', ['-Vm', join(bundle, 'manifest.json'), '-p', pub]);
  const tar = execFileSync('age', ['-d', '-i', id, join(bundle, 'payload.age')]);
  expect(tar.includes(Buffer.from('Zhdukja e vëllait'))).toBe(true);
  expect(tar.includes(Buffer.from('Draft, never submitted'))).toBe(false);
});

test('verify: all checks pass (exit 0); with --seen, the same bundle again passes, a replay of its sequence fails (exit 1)', async () => {
  const seen = join(dir.path, 'seen.json');
  const first = await archive(['verify', bundle, '--pubkey', pub, '-i', id, '--seen', seen]);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(first.stdout).toMatch(/^PASS {2}records: /m);
  expect(first.stdout).not.toMatch(/^FAIL/m);
  const again = await archive(['verify', bundle, '--pubkey', pub, '--seen', seen, '--json']);
  expect(again.code).toBe(0);
  expect((JSON.parse(again.stdout) as { ok: boolean }).ok).toBe(true);
  // The auditor's record says sequence 1 was another bundle: this one is then a replay.
  const forged = JSON.parse(readFileSync(seen, 'utf8')) as Array<{ bundleId: string }>;
  writeFileSync(seen, JSON.stringify(forged.map((e) => ({ ...e, bundleId: '00000000-0000-4000-8000-000000000000' }))));
  const replay = await archive(['verify', bundle, '--pubkey', pub, '--seen', seen]);
  expect(replay.code).toBe(1);
  expect(replay.stdout).toMatch(/^FAIL {2}sequence: Sequence 1 was already used/m);
  expect(replay.stderr.trim().split('\n')).toEqual(['archive: verification failed (sequence).']);
});

test('a changed byte in payload.age fails verification (exit 1), naming the check', async () => {
  const copy = join(dir.path, 'tampered');
  mkdirSync(copy);
  for (const f of readdirSync(bundle)) writeFileSync(join(copy, f), readFileSync(join(bundle, f)));
  const payload = readFileSync(join(copy, 'payload.age'));
  payload[payload.length - 5]! ^= 0x01;
  writeFileSync(join(copy, 'payload.age'), payload);
  const r = await archive(['verify', copy, '--pubkey', pub]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/^FAIL {2}payload-signature: .*file signature/m);
});

test('decrypt writes the payload files only after every check passed; a non-empty destination is refused', async () => {
  const out = join(dir.path, 'plain');
  const r = await archive(['decrypt', bundle, '-i', id, '-o', out, '--pubkey', pub]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['attachments', 'records.csv', 'records.json', 'records.schema.json', 'summary.html']);
  expect(JSON.parse(readFileSync(join(out, 'records.json'), 'utf8'))).toMatchObject({ format: 'testimony-archive/records', version: 1 });
  const again = await archive(['decrypt', bundle, '-i', id, '-o', out]);
  expect(again.code).not.toBe(0);
  expect(again.stdout).toMatch(/NOTE {2}signatures were checked against the bundle's own archive.pub/);
  expect(again.stdout).toMatch(/^FAIL {2}decryption: The folder to decrypt into already exists/m);
});

test('usage errors exit 2, a missing bundle exits 4, each with one line on stderr', async () => {
  const runs = await Promise.all([
    archive(['export', folder, ...user, '--to', 'age1notakey', '-o', join(dir.path, 'x')], pass),
    archive(['export', folder, ...user, '--to', recipient, '--filter', 'colour=red', '-o', join(dir.path, 'x')], pass),
    archive(['verify', bundle]),
    archive(['keygen', '-o', id]),
    archive(['verify', '--name', 'x', bundle, '--pubkey', pub]),
  ]);
  for (const r of runs) {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(existsSync(join(dir.path, 'x'))).toBe(false);
  const missing = await archive(['verify', join(dir.path, 'nope'), '--pubkey', pub]);
  expect(missing.code).toBe(4);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
});
