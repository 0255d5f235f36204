// The payload tar against GNU tar: it lists and extracts what the app writes, and the app reads what it writes.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readTar } from '../../electron/core/submissions/tar-reader';
import { writeTar } from '../../electron/core/submissions/tar-writer';
import { tempDir } from '../fixtures/archive';

const TAR = '/usr/bin/tar';
const dir = tempDir('ta-tar-interop-');
afterAll(() => dir.cleanup());
const at = (...parts: string[]) => join(dir.path, ...parts);
const MiB = 1024 * 1024;

const uuid = '5e2f0a4c-1b3d-4c8e-9f70-6a1b2c3d4e5f';
// 111 bytes: over ustar's 100-byte name field (so a GNU long-name header, a pax header or a ustar prefix), base name under 100.
const longName = `attachments/${'a'.repeat(95)}.jpg`;
const json = JSON.stringify({ records: [{ name: 'Arbër Hoxha' }, { name: 'Јелена Николић' }] });
const audio = Buffer.alloc(MiB + 5, 0x5a);

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function readFolder(path: string, extra: { directories?: 'skip' } = {}): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  await readTar(createReadStream(path) as AsyncIterable<Buffer>, {
    allow: () => true,
    maxEntryBytes: 8 * MiB,
    maxTotalBytes: 16 * MiB,
    ...extra,
    onEntry: async (name, _size, body) => {
      const parts: Buffer[] = [];
      for await (const c of body) parts.push(c);
      files.set(name, Buffer.concat(parts));
    },
  });
  return files;
}

describe('written by the app, read by GNU tar', async () => {
  const chunks: Buffer[] = [];
  for await (const c of writeTar(
    [
      { name: 'records.json', body: json },
      { name: 'records.csv', body: 'id\n1\n' },
      { name: 'summary.html', body: '' },
      { name: `attachments/${uuid}.wav`, size: audio.length, body: once(audio) },
      { name: longName, body: 'long' },
    ],
    { mtime: new Date('2026-03-24T00:00:00Z') },
  )) {
    chunks.push(c);
  }
  writeFileSync(at('app.tar'), Buffer.concat(chunks));

  test('tar -tvf lists every entry with its size, mode 0644, owner 0/0 and the given time', () => {
    const listing = execFileSync(TAR, ['--numeric-owner', '-tvf', at('app.tar')], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const lines = listing.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^-rw-r--r-- 0\/0 /);
    expect(lines[0]).toMatch(new RegExp(` ${Buffer.byteLength(json)} 2026-03-24 00:00 records\\.json$`));
    expect(lines[3]).toContain(` ${audio.length} 2026-03-24 00:00 attachments/${uuid}.wav`);
    expect(lines[4]).toMatch(new RegExp(`${longName.replace('.', '\\.')}$`));
  });

  test('tar -xf extracts the same bytes', () => {
    mkdirSync(at('out'));
    execFileSync(TAR, ['-xf', at('app.tar'), '-C', at('out')]);
    expect(readFileSync(at('out', 'records.json'), 'utf8')).toBe(json);
    expect(readFileSync(at('out', 'attachments', `${uuid}.wav`)).equals(audio)).toBe(true);
    expect(readFileSync(at('out', longName), 'utf8')).toBe('long');
  });
});

describe('written by GNU tar, read by the app', () => {
  mkdirSync(at('src', 'attachments'), { recursive: true });
  writeFileSync(at('src', 'records.json'), json);
  writeFileSync(at('src', 'summary.html'), '<h1>Përmbledhje</h1>');
  writeFileSync(at('src', 'attachments', `${uuid}.wav`), audio);
  writeFileSync(at('src', longName), 'long');
  const names = ['records.json', 'summary.html', `attachments/${uuid}.wav`, longName];

  test.each([
    ['GNU (default) format, long name in a GNU long-name header', ['--format=gnu']],
    ['pax format', ['--format=pax']],
    ['ustar format', ['--format=ustar']],
  ])('%s', async (_label, format) => {
    const file = at(`gnu-${format[0]?.slice(9) ?? 'x'}.tar`);
    execFileSync(TAR, [...format, '-cf', file, '-C', at('src'), ...names]);
    const files = await readFolder(file);
    expect([...files.keys()]).toEqual(names);
    expect(files.get('records.json')?.toString()).toBe(json);
    expect(files.get(`attachments/${uuid}.wav`)?.equals(audio)).toBe(true);
    expect(files.get(longName)?.toString()).toBe('long');
  });

  test('a whole folder (with its folder entries) reads back when folders are allowed to be skipped', async () => {
    execFileSync(TAR, ['-cf', at('folder.tar'), '-C', at('src'), '.']);
    await expect(readFolder(at('folder.tar'))).rejects.toMatchObject({ code: 'TAR_ENTRY_UNSAFE' });
    execFileSync(TAR, ['-cf', at('folder2.tar'), '-C', at('src'), 'attachments', 'records.json']);
    const files = await readFolder(at('folder2.tar'), { directories: 'skip' });
    expect([...files.keys()].sort()).toEqual([`attachments/${uuid}.wav`, longName, 'records.json'].sort());
  });
});
