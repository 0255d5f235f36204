// Writing the submission payload tar, streaming and deterministic: same entries and mtime give the same bytes.
// POSIX ustar headers (a pax record only for a name ustar cannot hold or a size of 8 GiB or more); the bytes are
// read back by tar-reader.ts and by GNU tar (tests/integration/tar-interop.test.ts).
//
// Why not tar-stream's pack here (the reader does use tar-stream): pack is a buffering stream, so every body
// piece had to be copied before it went in, and it queued pieces the encryptor had not asked for yet. This
// writer is a pull generator: a piece goes out when the consumer asks and is not held afterwards, so bundle
// export hands attachment plaintext from the decryptor to the encryptor without a copy and with flat memory.
import { ArchiveError } from '../errors';
import { quoteName, tarNameProblem } from './tar-names';

/** An entry held in memory (small files: JSON, CSV, HTML) or streamed from a source whose size is known beforehand. */
export type TarEntry = { name: string; body: string | Uint8Array } | { name: string; size: number; body: AsyncIterable<Uint8Array> };

export type TarWriteOptions = {
  /** Modification time written in every header; the epoch by default, so the tar does not leak when it was made. */
  mtime?: Date;
};

const BLOCK = 512;
/** The largest size an 11-digit octal field holds: 8 GiB - 1. */
const MAX_OCTAL_SIZE = 0o77777777777;

function octal(value: number, digits: number): string {
  return value.toString(8).padStart(digits, '0');
}

/** One ustar header block; `name` and `prefix` are ASCII and fit their fields (checked by the caller). */
function ustarHeader(f: { name: string; prefix: string; size: number; mtime: Date; type: '0' | 'x' }): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(f.name, 0, 100, 'latin1');
  b.write(`${octal(0o644, 7)}\0`, 100, 'latin1');
  b.write(`${octal(0, 7)}\0`, 108, 'latin1');
  b.write(`${octal(0, 7)}\0`, 116, 'latin1');
  b.write(`${octal(Math.min(f.size, MAX_OCTAL_SIZE), 11)}\0`, 124, 'latin1');
  b.write(`${octal(Math.max(0, Math.floor(f.mtime.getTime() / 1000)), 11)}\0`, 136, 'latin1');
  b.write(f.type, 156, 'latin1');
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  b.write(`${octal(0, 7)}\0`, 329, 'latin1');
  b.write(`${octal(0, 7)}\0`, 337, 'latin1');
  b.write(f.prefix, 345, 155, 'latin1');
  // The checksum is computed with its own field read as eight spaces.
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${octal(sum, 6)}\0 `, 148, 'latin1');
  return b;
}

/** A pax record "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** The header blocks of one file: ustar alone, or a pax extended header first when ustar cannot say it all. */
function headersFor(name: string, size: number, mtime: Date): Buffer[] {
  let short = name;
  let prefix = '';
  const ascii = /^[\x20-\x7e]*$/.test(name);
  if (ascii && name.length > 100) {
    // ustar splits a long path at a slash: prefix (155) / name (100).
    const cut = name.lastIndexOf('/', 155);
    if (cut > 0 && name.length - cut - 1 <= 100) {
      prefix = name.slice(0, cut);
      short = name.slice(cut + 1);
    }
  }
  const records: string[] = [];
  if (!ascii || short.length > 100) records.push(paxRecord('path', name));
  if (size > MAX_OCTAL_SIZE) records.push(paxRecord('size', String(size)));
  const file = ustarHeader({ name: records.length && !ascii ? 'PaxHeader/file' : short.slice(0, 100), prefix: records.length && !ascii ? '' : prefix, size, mtime, type: '0' });
  if (records.length === 0) return [file];
  const pax = Buffer.from(records.join(''), 'utf8');
  return [ustarHeader({ name: 'PaxHeader', prefix: '', size: pax.length, mtime, type: 'x' }), pax, padding(pax.length), file];
}

/**
 * The tar of `entries` as a stream of buffers (pipe it into the encryptor). Memory is bounded: each entry's source
 * is read only as fast as the output is consumed, and each of its pieces is passed on as is (valid until the next
 * is asked for, if the source reuses its buffers). Entries are plain files, mode 0644, owner 0:0 without names.
 * @example for await (const chunk of writeTar([{ name: 'records.json', body: json }])) encryptor.write(chunk);
 */
export async function* writeTar(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>, opts: TarWriteOptions = {}): AsyncGenerator<Buffer> {
  const mtime = opts.mtime ?? new Date(0);
  for await (const entry of entries) {
    const problem = tarNameProblem(entry.name);
    if (problem !== null) throw new ArchiveError('INTERNAL', `Cannot write tar entry ${quoteName(entry.name)}: ${problem}.`);
    if (!('size' in entry)) {
      const bytes = typeof entry.body === 'string' ? Buffer.from(entry.body, 'utf8') : Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength);
      yield* headersFor(entry.name, bytes.length, mtime);
      if (bytes.length > 0) yield bytes;
      const pad = padding(bytes.length);
      if (pad.length > 0) yield pad;
      continue;
    }
    const declared = entry.size;
    if (!Number.isSafeInteger(declared) || declared < 0) throw new ArchiveError('INTERNAL', `Tar entry ${quoteName(entry.name)} has no valid size.`);
    yield* headersFor(entry.name, declared, mtime);
    let written = 0;
    for await (const piece of entry.body) {
      written += piece.length;
      // A source that yields more or less than it declared would shift every later header: refuse rather than corrupt.
      if (written > declared) break;
      if (piece.length > 0) yield Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    }
    if (written !== declared) {
      throw new ArchiveError('INTERNAL', `Tar entry ${quoteName(entry.name)} was declared as ${declared} bytes but its source gave ${written > declared ? 'more' : written}.`);
    }
    const pad = padding(declared);
    if (pad.length > 0) yield pad;
  }
  // End of archive: two zero blocks.
  yield Buffer.alloc(2 * BLOCK);
}
