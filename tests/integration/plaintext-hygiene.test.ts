// Plaintext hygiene (issue 7 part 7): content recorded with a marker never reaches the disk unencrypted: not the
// archive folder (WAL, -shm, keyring), not the temp folder, not the bundle folder, not the logs; and errors caused by
// input carrying the marker (IPC results, the CLI's stderr) do not echo it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { director, makeCore, createInput, repoRoot, tempDir } from '../fixtures/archive';
import { archive, type Run } from '../fixtures/cli';
import type { ScenarioArgs, ScenarioResult } from '../fixtures/hygiene-scenario';
import { countFiles, filesUnder, keyNeedles, newMarker, scanFolders, scanFoldersFor } from '../fixtures/plaintext-scan';
import { generateIdentity } from '../../electron/core/submissions/age/age';
import { recordsFile } from '../fixtures/records-file';

const marker = newMarker(randomBytes(5).toString('hex'));
const dir = tempDir('ta-hygiene-');
const at = (name: string) => {
  const p = join(dir.path, name);
  mkdirSync(p, { recursive: true });
  return p;
};
/** Scanned: what the app writes. Not scanned: the source of the attachment and the scenario's own result file. */
const scanned = { archive: join(dir.path, 'archive'), tmp: at('tmp'), save: at('save'), backup: at('backup'), logs: at('logs'), cliArchive: join(dir.path, 'cli-archive') };
const outside = { source: at('source'), result: join(at('out'), 'result.json') };
let result: ScenarioResult;
let scenario: Run;
let cliRuns: Run[] = [];
let keyRuns: { keygen: Run; mangled: Run; wrong: Run; secrets: string[] };

/**
 * The children's temp folder is the scanned one. tsx's transform cache is turned off: it would put this repository's
 * compiled sources (fixtures with names and passphrases) there, which the installed app never does.
 */
const childEnv = { TMPDIR: scanned.tmp, SQLITE_TMPDIR: scanned.tmp, TMP: scanned.tmp, TEMP: scanned.tmp, TSX_DISABLE_CACHE: '1' };

/** Runs the scenario in a child process whose TMPDIR (os.tmpdir() and SQLite's temp folder) is the scanned one. */
function runScenario(args: ScenarioArgs): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests/fixtures/hygiene-scenario.ts'), JSON.stringify(args)], {
      cwd: repoRoot,
      env: { ...process.env, ...childEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  scenario = await runScenario({ archive: scanned.archive, saveDir: scanned.save, backupDir: scanned.backup, sourceDir: outside.source, resultFile: outside.result, marker });
  writeFileSync(join(scanned.logs, 'app.stdout.log'), scenario.stdout);
  writeFileSync(join(scanned.logs, 'app.stderr.log'), scenario.stderr);
  if (scenario.code !== 0) throw new Error(`the scenario failed (exit ${scenario.code}): ${scenario.stderr.slice(0, 2000)}`);
  result = JSON.parse(readFileSync(outside.result, 'utf8')) as ScenarioResult;

  // The CLI, fed records files carrying the marker: a malformed one and one whose records are refused.
  const core = await makeCore(scanned.cliArchive);
  await core.sessions.create(createInput(director));
  await core.sessions.lock('quit');
  const file = recordsFile();
  const malformed = join(outside.source, 'malformed.json');
  writeFileSync(malformed, JSON.stringify({ ...file, [marker]: marker }));
  const refused = join(outside.source, 'refused.json');
  const [p0] = file.persons;
  writeFileSync(refused, JSON.stringify({ ...file, persons: [{ ...p0, [marker]: marker, sex: marker, names: { sq: marker } }, ...file.persons.slice(1)] }));
  const notJson = join(outside.source, 'not-json.json');
  writeFileSync(notJson, `{"format": "${marker}`);
  const env = childEnv;
  const user = ['--user', director.username];
  cliRuns = await Promise.all([
    archive(['import', scanned.cliArchive, ...user, malformed], `${director.passphrase}\n`, env),
    archive(['import', scanned.cliArchive, ...user, refused], `${director.passphrase}\n`, env),
    archive(['import', scanned.cliArchive, ...user, '--json', refused], `${director.passphrase}\n`, env),
    archive(['import', scanned.cliArchive, ...user, notJson], `${director.passphrase}\n`, env),
    archive(['import', scanned.cliArchive, ...user, join(outside.source, `${marker}.json`)], `${director.passphrase}\n`, env),
  ]);
  // Identity files, damaged or not for this bundle: the CLI's errors must not quote the secret key.
  const bundle = join(scanned.save, readdirSync(scanned.save)[0] ?? 'none');
  const wrongId = generateIdentity().identity;
  const body = wrongId.slice('AGE-SECRET-KEY-1'.length);
  const mid = Math.floor(body.length / 2);
  const mangledId = `AGE-SECRET-KEY-1${body.slice(0, mid)}${body[mid] === 'Q' ? 'P' : 'Q'}${body.slice(mid + 1)}`;
  writeFileSync(join(outside.source, 'wrong.key'), `${wrongId}\n`);
  writeFileSync(join(outside.source, 'mangled.key'), `${mangledId}\n`);
  const [keygen, mangled, wrong] = await Promise.all([
    archive(['keygen', '-o', join(outside.source, 'new.key')], '', env),
    archive(['decrypt', bundle, '-i', join(outside.source, 'mangled.key'), '-o', join(outside.source, 'out-1')], '', env),
    archive(['decrypt', bundle, '-i', join(outside.source, 'wrong.key'), '-o', join(outside.source, 'out-2')], '', env),
  ]);
  const newKey = readFileSync(join(outside.source, 'new.key'), 'utf8').match(/AGE-SECRET-KEY-1[0-9A-Z]+/)?.[0] ?? 'missing';
  keyRuns = { keygen, mangled, wrong, secrets: [wrongId, mangledId, newKey] };
  [...cliRuns, keygen, mangled, wrong].forEach((r, i) => {
    writeFileSync(join(scanned.logs, `cli-${i}.stdout.log`), r.stdout);
    writeFileSync(join(scanned.logs, `cli-${i}.stderr.log`), r.stderr);
  });
}, 240_000);
afterAll(() => dir.cleanup());

describe('the scan itself', () => {
  test('finds the marker in every form it looks for, in bytes and in file names', () => {
    const d = tempDir('ta-scan-proof-');
    try {
      const forms: Array<[string, Buffer]> = [
        ['utf8', Buffer.from(`x ${marker} y`)],
        ['utf16le', Buffer.concat([Buffer.from('pad'), Buffer.from(marker, 'utf16le')])],
        ['utf16be', Buffer.from(marker, 'utf16le').swap16()],
        ['nfd', Buffer.from(marker.normalize('NFD'))],
        ['upper', Buffer.from(marker.toUpperCase())],
        ['escaped', Buffer.from(JSON.stringify(marker).replace(/[^\x20-\x7e]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`))],
        ['ascii-only', Buffer.from(marker.replace(/[^\x20-\x7e]/g, ''))],
      ];
      mkdirSync(join(d.path, 'deep', 'deeper'), { recursive: true });
      for (const [name, bytes] of forms) writeFileSync(join(d.path, 'deep', 'deeper', `.${name}.bin`), bytes);
      writeFileSync(join(d.path, 'clean.bin'), randomBytes(4096));
      writeFileSync(join(d.path, `${marker}.txt`), 'nothing inside');
      const found = scanFolders([d.path], marker);
      const files = new Set(found.map((o) => o.file.slice(d.path.length + 1)));
      expect([...files].sort()).toEqual([...forms.map(([n]) => join('deep', 'deeper', `.${n}.bin`)), `${marker}.txt`].sort());
      expect(found.find((o) => o.file.endsWith('.utf16be.bin'))).toMatchObject({ offset: 0, form: expect.stringContaining('UTF-16BE') as string });
      expect(found.find((o) => o.file.endsWith('.utf16le.bin'))?.offset).toBe(3);
      expect(found.find((o) => o.file.endsWith(`${marker}.txt`))?.offset).toBe(-1);
    } finally {
      d.cleanup();
    }
  });
});

describe('a recorded testimony, attachment and submission with a marker', () => {
  test('the scenario did write everything it should (so a clean scan means something)', () => {
    expect(result.tmpdir).toBe(scanned.tmp);
    expect(result.attachments).toBe(2);
    expect(result.exportState).toBe('finished');
    expect(result.backupState).toBe('finished');
    const backup = filesUnder(scanned.backup).map((f) => f.slice(scanned.backup.length + 1));
    expect(backup).toEqual(expect.arrayContaining([expect.stringMatching(/archive\.db$/), expect.stringMatching(/keyring\.json$/), expect.stringMatching(/manifest\.json$/)]));
    expect(backup.filter((f) => f.endsWith('.bin'))).toHaveLength(2);
    expect(result.searchHits).toBeGreaterThanOrEqual(2);
    // The archive was scanned while open, with its write-ahead log and shared memory file.
    expect(result.openFiles).toEqual(expect.arrayContaining(['archive.db', 'archive.db-wal', 'archive.db-shm', 'keyring.json']));
    expect(result.openFiles.filter((f) => f.endsWith('.bin'))).toHaveLength(2);
    const bundle = filesUnder(scanned.save).map((f) => f.slice(scanned.save.length + 1));
    expect(bundle).toEqual(expect.arrayContaining([expect.stringMatching(/manifest\.json$/), expect.stringMatching(/payload\.age$/)]));
    expect(countFiles(Object.values(scanned))).toBeGreaterThanOrEqual(12);
    console.info(`plaintext-hygiene: files scanned per folder: ${Object.entries(scanned).map(([k, f]) => `${k} ${countFiles([f])}`).join(', ')}`);
  });

  test('no file holds the marker while the archive is open (WAL and -shm included)', () => {
    expect(result.openScan).toEqual([]);
  });

  test('no file written holds the marker after lock: archive, temp folder, bundle folder, backup folder, logs', () => {
    expect(scanFolders(Object.values(scanned), marker)).toEqual([]);
  });
});

describe('errors and logs do not echo content', () => {
  test('every failing IPC call failed, with a code and a message without the marker', () => {
    expect(result.failures.length).toBeGreaterThanOrEqual(8);
    for (const f of result.failures) {
      expect(f.code, f.what).not.toBe('ok');
      expect(f.code, f.what).not.toBe('INTERNAL');
      expect(f.message, f.what).not.toContain(marker);
      expect(f.message.toLowerCase(), f.what).not.toContain(marker.replace(/[^a-z0-9]/g, ''));
    }
    const codes = Object.fromEntries(result.failures.map((f) => [f.what, f.code]));
    expect(codes['an attachment file that is not there']).toBe('ATTACHMENT_UNREADABLE');
    expect(codes['a person with an unknown field named by the marker']).toBe('IPC_BAD_INPUT');
    // The marker got past the schema to the service, whose error names the field, not the value.
    expect(codes['a person in a place that is the marker']).toBe('RECORD_UNKNOWN_PLACE');
    expect(codes['a testimony in a place that is the marker']).toBe('RECORD_UNKNOWN_PLACE');
    expect(codes['a testimony whose language is the marker']).toBe('RECORD_UNKNOWN_CODE');
    expect(codes['a preview filtered by a place that is the marker']).toBe('RECORD_UNKNOWN_PLACE');
  });

  test("the app's log (stdout, stderr, the router's report) holds no content", () => {
    expect(scenario.stderr).not.toContain(marker);
    expect(scenario.stdout).not.toContain(marker);
    expect(scanFolders([scanned.logs], marker)).toEqual([]);
  });

  test('a failing CLI import names the problem on stderr, not the content', () => {
    const [malformed, refused, refusedJson, notJson, missing] = cliRuns;
    expect(malformed?.code).toBe(4);
    expect(malformed?.stderr).toMatch(/not a records\.json version 1 file \(record: 1 unknown field\(s\)\)/);
    expect(refused?.code).toBe(1);
    expect(refusedJson?.code).toBe(1);
    expect(notJson?.code).toBe(4);
    expect(missing?.code).toBe(4);
    for (const r of cliRuns) {
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain(marker);
      // The rejection report on stdout names records by ref and field, never by their values.
      expect(r.stdout).not.toContain(marker);
    }
  });

  test('no key material in a file written or a log: master key, secret keys (Ed25519 seeds), the passphrase', () => {
    const keyBytes = (hex: string, ed25519: boolean) => Buffer.from(hex, 'hex').subarray(0, ed25519 ? 32 : undefined);
    const needles = [
      ...keyNeedles('master key', keyBytes(result.keys.masterKey, false)),
      ...keyNeedles('X25519 secret key', keyBytes(result.keys.boxSecretKey, false)),
      ...keyNeedles('Ed25519 seed', keyBytes(result.keys.signSecretKey, true)),
      ...keyNeedles('archive signing seed', keyBytes(result.keys.archiveSigningSecretKey, true)),
    ];
    expect(needles.every((n) => n.bytes.length >= 32)).toBe(true);
    expect(scanFoldersFor(Object.values(scanned), needles)).toEqual([]);
    expect(scanFolders(Object.values(scanned), director.passphrase)).toEqual([]);
  });

  test("the CLI's key commands print the public key only, and their errors never quote an identity", () => {
    expect(keyRuns.keygen.code).toBe(0);
    expect(keyRuns.keygen.stdout).toMatch(/^age1[0-9a-z]+\n$/);
    expect(keyRuns.mangled.code).not.toBe(0);
    expect(keyRuns.wrong.code).not.toBe(0);
    for (const r of [keyRuns.keygen, keyRuns.mangled, keyRuns.wrong]) {
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/AGE-SECRET-KEY/i);
      for (const secret of keyRuns.secrets) {
        // Even 12 characters of the key's body would be a leak.
        const body = secret.slice('AGE-SECRET-KEY-1'.length);
        for (let i = 0; i + 12 <= body.length; i += 6) expect(`${r.stdout}${r.stderr}`.toUpperCase()).not.toContain(body.slice(i, i + 12));
      }
    }
    expect(keyRuns.mangled.stderr.trim().split('\n')).toHaveLength(1);
  });
});
