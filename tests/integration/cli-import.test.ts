// `archive import` as a user runs it: all records or none, the bad record named, exit codes of DESIGN.md section 8.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { recordsFile } from '../fixtures/records-file';
import { archive, type Run } from '../fixtures/cli';



const dir = tempDir('ta-cli-import-');
const folders = { good: join(dir.path, 'good'), bad: join(dir.path, 'bad') };
const files = { good: join(dir.path, 'good.json'), bad: join(dir.path, 'bad.json'), notJson: join(dir.path, 'x.json') };
const pass = `${director.passphrase}\n`;
let runs: Record<'good' | 'bad' | 'notJson' | 'missing', Run>;

beforeAll(async () => {
  for (const f of Object.values(folders)) {
    const core = await makeCore(f);
    await core.sessions.create(createInput(director));
    await core.sessions.lock('quit');
  }
  const file = recordsFile();
  writeFileSync(files.good, JSON.stringify(file));
  writeFileSync(files.bad, JSON.stringify({ ...file, testimonies: [file.testimonies[0], { ...file.testimonies[1], violations: [{ ...file.testimonies[1]!.violations[0]!, actType: 'teleportation' }] }] }));
  writeFileSync(files.notJson, '{"format": "something else"');
  const user = ['--user', director.username];
  const [good, bad, notJson, missing] = await Promise.all([
    archive(['import', folders.good, ...user, '--json', files.good], pass),
    archive(['import', folders.bad, ...user, files.bad], pass),
    archive(['import', folders.bad, ...user, files.notJson], pass),
    archive(['import', folders.bad, ...user, join(dir.path, 'nope.json')], pass),
  ]);
  runs = { good: good, bad: bad, notJson: notJson, missing: missing };
}, 120_000);
afterAll(() => dir.cleanup());

test('a valid file: exit 0, everything imported', () => {
  expect(runs.good.code).toBe(0);
  expect(JSON.parse(runs.good.stdout)).toEqual({ imported: { persons: 3, testimonies: 2, sessions: 2 }, rejected: [] });
});

test('one bad record: exit 1, nothing imported, the record named, one stderr line', () => {
  expect(runs.bad.code).toBe(1);
  expect(runs.bad.stdout).toMatch(/^testimonies\[1\] t2: RECORD_UNKNOWN_CODE/m);
  expect(runs.bad.stderr.trim().split('\n')).toEqual(['archive: import rejected: 1 record(s) refused, nothing imported.']);
});

test('an unreadable or malformed file: exit 4 before the passphrase is used, one line', () => {
  for (const r of [runs.notJson, runs.missing]) {
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.ts/);
  }
});
