// The payload tar: round trips through the writer and reader, bounded memory both ways, and hostile archives refused by name.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { readTar, type TarReadOptions } from '../../electron/core/submissions/tar-reader';
import { writeTar, type TarEntry } from '../../electron/core/submissions/tar-writer';
import type { ErrorCode } from '../../shared/errors';
import { expectArchiveError } from '../fixtures/errors';
import { chunked, paxEntry, tarArchive, tarEntry, tarHeader } from '../fixtures/tar-blocks';

const uuid = '0b9a3c52-7d1e-4f7a-9a57-2f3c1d0e5b6a';
const bundleNames = new Set(['records.json', 'records.csv', 'summary.html', 'records.schema.json']);
const allow = (name: string) => bundleNames.has(name) || /^attachments\/[0-9a-f-]{36}\.[a-z0-9]{1,8}$/.test(name);
const MiB = 1024 * 1024;

function pattern(length: number, seed = 7): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = (i * seed + (i >> 11)) & 0xff;
  return b;
}

async function* slices(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of source) parts.push(c);
  return Buffer.concat(parts);
}

/** Reads everything into a map; fine for tests, which is exactly what the app never does with real bundles. */
async function readAll(source: AsyncIterable<Uint8Array>, extra: Partial<TarReadOptions> = {}): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  await readTar(source, {
    allow,
    maxEntryBytes: 64 * MiB,
    maxTotalBytes: 256 * MiB,
    onEntry: async (name, _size, body) => void files.set(name, await collect(body)),
    ...extra,
  });
  return files;
}

describe('round trip', () => {
  const json = JSON.stringify({ records: [{ name: 'Vjosa Berisha' }, { name: 'Драган Петровић' }] });
  const big = pattern(3 * MiB + 123);
  const entries = (): TarEntry[] => [
    { name: 'records.json', body: json },
    { name: 'records.csv', body: Buffer.from('id,name\n1,Vjosa Berisha\n') },
    { name: 'summary.html', body: '' },
    { name: `attachments/${uuid}.wav`, size: big.length, body: slices(big, 65536) },
  ];

  test('names and contents come back equal, including a 0-byte and a 3 MiB streamed entry', async () => {
    const tar = await collect(writeTar(entries(), { mtime: new Date('2026-01-02T03:04:05Z') }));
    expect(tar.length % 512).toBe(0);
    const files = await readAll(chunked(tar, 4093));
    expect([...files.keys()]).toEqual(['records.json', 'records.csv', 'summary.html', `attachments/${uuid}.wav`]);
    expect(files.get('records.json')?.toString()).toBe(json);
    expect(files.get('summary.html')).toHaveLength(0);
    expect(createHash('sha256').update(files.get(`attachments/${uuid}.wav`) ?? '').digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
  });

  test('the output is deterministic: fixed mode, owner and time', async () => {
    const a = await collect(writeTar(entries()));
    const b = await collect(writeTar(entries()));
    expect(a.equals(b)).toBe(true);
    const header = a.subarray(0, 512);
    const field = (offset: number, length: number) => header.subarray(offset, offset + length).toString().replace(/[\0 ]+$/u, '');
    expect(Number.parseInt(field(100, 8), 8)).toBe(0o644);
    expect(field(108, 8)).toMatch(/^0+$/);
    expect(field(116, 8)).toMatch(/^0+$/);
    expect(field(136, 12)).toMatch(/^0+$/);
    expect(header.subarray(265, 265 + 32).every((c) => c === 0)).toBe(true);
  });

  test('the reader reports names and sizes', async () => {
    const tar = await collect(writeTar(entries()));
    const result = await readTar(chunked(tar), { allow, maxEntryBytes: 4 * MiB, maxTotalBytes: 8 * MiB, onEntry: () => undefined });
    expect(result.entries.map((e) => e.size)).toEqual([Buffer.byteLength(json), 24, 0, big.length]);
    expect(result.totalBytes).toBe(Buffer.byteLength(json) + 24 + big.length);
  });

  test('a consumer that reads only part of an entry still gets the next one', async () => {
    const tar = await collect(writeTar(entries()));
    const firstChunks: number[] = [];
    const names: string[] = [];
    await readTar(chunked(tar, 100_000), {
      allow,
      maxEntryBytes: 4 * MiB,
      maxTotalBytes: 8 * MiB,
      onEntry: async (name, _size, body) => {
        names.push(name);
        for await (const c of body) {
          firstChunks.push(c.length);
          break;
        }
      },
    });
    expect(names).toEqual(['records.json', 'records.csv', 'summary.html', `attachments/${uuid}.wav`]);
    // One chunk of each non-empty entry was read; the rest was skipped by the reader.
    expect(firstChunks).toHaveLength(3);
  });

  test('the writer refuses unsafe names and a source that does not give its declared size', async () => {
    await expectArchiveError(collect(writeTar([{ name: '../x', body: 'x' }])), 'INTERNAL');
    await expectArchiveError(collect(writeTar([{ name: 'records.json', size: 10, body: slices(Buffer.alloc(9), 4) }])), 'INTERNAL');
    await expectArchiveError(collect(writeTar([{ name: 'records.json', size: 10, body: slices(Buffer.alloc(11), 4) }])), 'INTERNAL');
  });
});

describe('memory stays bounded', () => {
  test('the writer reads its source only as fast as its output is consumed, and stops when the reader stops', async () => {
    let produced = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 512; i++) {
        produced += 65536;
        yield Buffer.alloc(65536, i);
      }
    }
    let consumed = 0;
    for await (const chunk of writeTar([{ name: `attachments/${uuid}.mp4`, size: 512 * 65536, body: source() }])) {
      consumed += chunk.length;
      if (consumed > 2 * MiB) break;
    }
    // 32 MiB declared; only a little more than what was consumed was ever read from the source.
    expect(produced).toBeLessThan(consumed + 2 * MiB);
  });

  test('the reader pulls from its source only as fast as the consumer reads the body', async () => {
    const size = 32 * MiB;
    let pulled = 0;
    async function* source(): AsyncGenerator<Buffer> {
      const header = tarHeader({ name: `attachments/${uuid}.mp4`, size });
      pulled += 512;
      yield header;
      for (let i = 0; i < size / 65536; i++) {
        pulled += 65536;
        yield Buffer.alloc(65536, 1);
      }
      yield Buffer.alloc(1024);
    }
    let pulledAfterFirstChunk = -1;
    await readTar(source(), {
      allow,
      maxEntryBytes: size,
      maxTotalBytes: size,
      onEntry: async (_name, _size, body) => {
        let read = 0;
        for await (const c of body) {
          read += c.length;
          if (pulledAfterFirstChunk < 0) {
            await new Promise((r) => setTimeout(r, 20));
            pulledAfterFirstChunk = pulled;
          }
        }
        expect(read).toBe(size);
      },
    });
    expect(pulledAfterFirstChunk).toBeGreaterThan(0);
    expect(pulledAfterFirstChunk).toBeLessThan(2 * MiB);
    expect(pulled).toBe(512 + size);
  });
});

describe('hostile archives, each named', () => {
  const ok = (name = 'records.json', body = '{}') => tarEntry({ name }, body);
  const cases: [string, () => Buffer, ErrorCode][] = [
    ['a "../x" escape', () => tarArchive(ok('../x')), 'TAR_ENTRY_UNSAFE'],
    ['an absolute "/etc/x"', () => tarArchive(ok('/etc/x')), 'TAR_ENTRY_UNSAFE'],
    ['"a/../../x"', () => tarArchive(ok('a/../../x')), 'TAR_ENTRY_UNSAFE'],
    ['"./records.json"', () => tarArchive(ok('./records.json')), 'TAR_ENTRY_UNSAFE'],
    ['a drive letter "C:x"', () => tarArchive(ok('C:x')), 'TAR_ENTRY_UNSAFE'],
    ['a backslash', () => tarArchive(ok('attachments\\x.jpg')), 'TAR_ENTRY_UNSAFE'],
    ['a control character', () => tarArchive(ok('records\u0001.json')), 'TAR_ENTRY_UNSAFE'],
    ['a Windows device name', () => tarArchive(ok('attachments/nul.txt')), 'TAR_ENTRY_UNSAFE'],
    ['a name the caller did not allow', () => tarArchive(ok('notes.txt')), 'TAR_ENTRY_UNSAFE'],
    ['a symlink', () => tarArchive(tarEntry({ name: 'records.json', type: '2', linkname: '/etc/passwd' })), 'TAR_ENTRY_UNSAFE'],
    ['a hard link', () => tarArchive(ok(), tarEntry({ name: 'records.csv', type: '1', linkname: 'records.json' })), 'TAR_ENTRY_UNSAFE'],
    ['a character device', () => tarArchive(tarEntry({ name: 'records.json', type: '3' })), 'TAR_ENTRY_UNSAFE'],
    ['a fifo', () => tarArchive(tarEntry({ name: 'records.json', type: '6' })), 'TAR_ENTRY_UNSAFE'],
    ['a folder (by default)', () => tarArchive(tarEntry({ name: 'attachments/', type: '5' })), 'TAR_ENTRY_UNSAFE'],
    ['a pax path escaping', () => tarArchive(paxEntry({ path: '../evil' }), ok('records.json')), 'TAR_ENTRY_UNSAFE'],
    ['a GNU long name escaping', () => tarArchive(tarEntry({ name: '././@LongLink', type: 'L' }, `../${'a'.repeat(120)}\0`), ok('records.json')), 'TAR_ENTRY_UNSAFE'],
    ['a duplicate', () => tarArchive(ok(), ok()), 'TAR_ENTRY_DUPLICATE'],
    ['a declared size over the entry limit (with no body at all)', () => tarHeader({ name: 'records.json', size: 0o77777777777 }), 'TAR_ENTRY_TOO_LARGE'],
    ['sizes over the total limit', () => tarArchive(ok('records.json', 'x'.repeat(600)), ok('records.csv', 'y'.repeat(600))), 'TAR_ENTRY_TOO_LARGE'],
    ['a pax size override', () => tarArchive(paxEntry({ size: '3' }), ok('records.json', '{}')), 'TAR_MALFORMED'],
    ['a bad checksum', () => tarArchive(tarEntry({ name: 'records.json', badChecksum: true }, '{}')), 'TAR_MALFORMED'],
    ['a truncated body', () => tarEntry({ name: 'records.json' }, 'x'.repeat(900)).subarray(0, 1000), 'TAR_MALFORMED'],
    ['a truncated header', () => ok().subarray(0, 300), 'TAR_MALFORMED'],
    ['a missing end marker', () => ok(), 'TAR_MALFORMED'],
    ['a non-octal size ("1x")', () => tarArchive(tarEntry({ name: 'records.json', sizeField: '0000000001x\0' }, 'x')), 'TAR_MALFORMED'],
    ['a size of letters', () => tarArchive(tarEntry({ name: 'records.json', sizeField: 'zzzzzzzzzzz\0' }, 'x')), 'TAR_MALFORMED'],
    ['an entry hidden after the end marker', () => Buffer.concat([tarArchive(ok()), ok('records.csv')]), 'TAR_MALFORMED'],
    ['a header after a lone zero block', () => Buffer.concat([ok(), Buffer.alloc(512), ok('records.csv'), Buffer.alloc(1024)]), 'TAR_MALFORMED'],
    ['random garbage', () => pattern(5000, 131), 'TAR_MALFORMED'],
    ['an empty source', () => Buffer.alloc(0), 'TAR_MALFORMED'],
  ];

  test.each(cases)('%s', async (_name, make, code) => {
    const seen: string[] = [];
    await expectArchiveError(
      readTar(chunked(make(), 333), {
        allow,
        maxEntryBytes: 1000,
        maxTotalBytes: 1000,
        onEntry: async (name, _size, body) => {
          seen.push(name);
          await collect(body);
        },
      }),
      code,
    );
    // A refused entry never reaches the consumer.
    for (const name of seen) expect(allow(name)).toBe(true);
  });

  test('the oversize entry is refused from its header: its body is never read', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Buffer> {
      yield tarHeader({ name: `attachments/${uuid}.mp4`, size: 100 * MiB });
      for (;;) {
        pulled += 65536;
        yield Buffer.alloc(65536);
      }
    }
    await expectArchiveError(readTar(source(), { allow, maxEntryBytes: MiB, maxTotalBytes: MiB, onEntry: () => undefined }), 'TAR_ENTRY_TOO_LARGE');
    expect(pulled).toBeLessThan(MiB);
  });

  test('a case duplicate', async () => {
    const read = (bytes: Buffer) => readTar(chunked(bytes), { allow: () => true, maxEntryBytes: 100, maxTotalBytes: 100, onEntry: () => undefined });
    await expectArchiveError(read(tarArchive(ok(`attachments/${uuid}.jpg`), ok(`attachments/${uuid.toUpperCase()}.jpg`))), 'TAR_ENTRY_DUPLICATE');
    await expectArchiveError(read(tarArchive(ok('Records.json'), ok('records.JSON'))), 'TAR_ENTRY_DUPLICATE');
  });

  test('an NFC/NFD duplicate: the decomposed name is refused as not normalized, the same name twice as a duplicate', async () => {
    const nfc = 'attachments/\u00eb.jpg';
    const everyName = () => true;
    const read = (bytes: Buffer) => readTar(chunked(bytes), { allow: everyName, maxEntryBytes: 100, maxTotalBytes: 100, onEntry: () => undefined });
    await expectArchiveError(read(tarArchive(ok(nfc), ok(nfc.normalize('NFD')))), 'TAR_ENTRY_UNSAFE');
    await expectArchiveError(read(tarArchive(ok(nfc), ok(nfc.toUpperCase()))), 'TAR_ENTRY_DUPLICATE');
  });

  test('more entries than the caller allows', async () => {
    const many = tarArchive(...Array.from({ length: 4 }, (_, i) => ok(`attachments/${uuid.slice(0, -1)}${i}.jpg`, 'x')));
    const read = (maxEntries: number) => readTar(chunked(many), { allow, maxEntries, maxEntryBytes: 100, maxTotalBytes: 100, onEntry: () => undefined });
    expect((await read(4)).entries).toHaveLength(4);
    await expectArchiveError(read(3), 'TAR_ENTRY_TOO_LARGE');
  });

  test('a file that is also a folder', async () => {
    const everyName = () => true;
    await expectArchiveError(
      readTar(chunked(tarArchive(ok('attachments'), ok('attachments/x.jpg'))), { allow: everyName, maxEntryBytes: 100, maxTotalBytes: 100, onEntry: () => undefined }),
      'TAR_ENTRY_DUPLICATE',
    );
  });

  test('folders are skipped when the caller allows them; their names are still checked', async () => {
    const files = await readAll(chunked(tarArchive(tarEntry({ name: 'attachments/', type: '5' }), ok(`attachments/${uuid}.jpg`, 'jpg'))), { directories: 'skip' });
    expect([...files.keys()]).toEqual([`attachments/${uuid}.jpg`]);
    await expectArchiveError(readAll(chunked(tarArchive(tarEntry({ name: '../up/', type: '5' }))), { directories: 'skip' }), 'TAR_ENTRY_UNSAFE');
  });

  test('errors of the consumer and of the source pass through unchanged', async () => {
    const bytes = tarArchive(ok());
    const failing = readTar(chunked(bytes), {
      allow,
      maxEntryBytes: 100,
      maxTotalBytes: 100,
      onEntry: () => {
        throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    async function* broken(): AsyncGenerator<Buffer> {
      yield bytes.subarray(0, 512);
      throw new Error('read error');
    }
    await expect(readTar(broken(), { allow, maxEntryBytes: 100, maxTotalBytes: 100, onEntry: () => undefined })).rejects.toThrow('read error');
  });
});
