// Streaming encryption of one attachment to its file (atomically) and authenticated decryption of all or a range of it.
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { chunkPool, sealStream, type OpenFailure } from '../crypto/chunk-pool';
import { backgroundFlush, fsyncDir, writeAll } from '../files/durable-io';
import { ArchiveError } from '../errors';
import type { WriteProbe } from '../files/write-errors';
import { chunkNonce, chunkOffset, encodePreamble, HEADER_SIZE, layoutOf, openPreamble, PREAMBLE_SIZE, readChunkSize, TAG_SIZE, type AttachmentKey, type Layout } from './stream-format';

export type EncryptOptions = AttachmentKey & {
  /** Plaintext bytes allowed; more fails with ATTACHMENT_TOO_LARGE and leaves nothing behind. */
  maxBytes?: number;
  /** Test seam: runs before each write of the temp file (files/write-errors.ts). */
  probe?: WriteProbe;
};
export type EncryptResult = { size: number; sha256: string };

/** Temp files are `.incoming-<random>.tmp` beside their destination; sweepOrphans recognises them. */
export const TEMP_PREFIX = '.incoming-';
export const TEMP_SUFFIX = '.tmp';
const READ_BATCH_CHUNKS = 16;

/**
 * Encrypts `source` into `dest`, streaming: batches of chunks are sealed on the worker pool (sealStream) while
 * this thread hashes the plaintext and writes finished batches in order; memory does not grow with the file.
 * Crash-safe like vault/atomic-file.ts: temp file in the same folder, fsync, rename, fsync of the folder; on
 * any error (including the source's) the temp file is removed.
 */
export async function encryptToFile(dest: string, opts: EncryptOptions, source: AsyncIterable<Uint8Array>): Promise<EncryptResult> {
  const { preamble, payloadKey, chunkSize } = encodePreamble(opts);
  const maxBytes = opts.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const dir = dirname(dest);
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `${TEMP_PREFIX}${basename(dest)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const fh = await open(temp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  let isOpen = true;
  const flush = backgroundFlush(fh);
  const emit = async (sealed: Buffer) => {
    opts.probe?.(temp);
    await writeAll(fh, [sealed]);
    flush.wrote(sealed.length);
  };
  try {
    const hash = createHash('sha256');
    let size = 0;
    opts.probe?.(temp);
    await writeAll(fh, [preamble]);
    await sealStream(payloadKey, chunkSize, source, emit, (piece) => {
      size += piece.length;
      if (size > maxBytes) throw new ArchiveError('ATTACHMENT_TOO_LARGE', `the attachment is larger than ${maxBytes} bytes`);
      hash.update(piece);
    });
    await flush.settle();
    const sha256 = hash.digest('hex');
    await fh.sync();
    isOpen = false;
    await fh.close();
    await rename(temp, dest);
    await fsyncDir(dir);
    // A newly made shard folder must itself be durable in its parent, or the rename could vanish with it.
    if (created !== undefined) await fsyncDir(dirname(dir));
    return { size, sha256 };
  } catch (e) {
    await flush.settle().catch(() => undefined);
    if (isOpen) await fh.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw e;
  } finally {
    payloadKey.fill(0);
  }
}

/**
 * The bytes of an open file in pieces of up to 1 MiB, read into ONE reused buffer: a piece is valid only until
 * the next is requested (encryptToFile hashes and copies it before asking for more). A stream that allocated
 * a buffer per read left about 30 MB of garbage behind per GiB imported. The buffer is zeroed at the end.
 */
export async function* filePieces(fh: FileHandle, pieceBytes = 1024 * 1024): AsyncGenerator<Buffer> {
  const buf = Buffer.alloc(pieceBytes);
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, pieceBytes, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    buf.fill(0);
  }
}

// Names the system's error code only: its message holds the path, and a file name may be content.
const unreadable = (_file: string, e: unknown) => new ArchiveError('ATTACHMENT_UNREADABLE', `the attachment file cannot be read (${errnoText(e)})`);

/** 'ENOENT' and the like, never the system's message (it holds the path). */
export function errnoText(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'read error';
}
const damaged = (message: string) => new ArchiveError('ATTACHMENT_DAMAGED', message);

type Opened = { fh: FileHandle; layout: Layout; payloadKey: Buffer };

async function openAttachment(file: string, k: AttachmentKey): Promise<Opened> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw unreadable(file, e);
  }
  try {
    let length: number;
    const preamble = Buffer.alloc(PREAMBLE_SIZE);
    let got: number;
    try {
      length = (await fh.stat()).size;
      got = (await fh.read(preamble, 0, PREAMBLE_SIZE, 0)).bytesRead;
    } catch (e) {
      throw unreadable(file, e);
    }
    const { payloadKey, chunkSize } = openPreamble(preamble.subarray(0, got), k);
    return { fh, layout: layoutOf(length, chunkSize), payloadKey };
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}

/**
 * Opens chunk `index` (sealed = ciphertext || tag). Plaintext is returned only after its tag verified, so a
 * reader of a damaged file gets the error, never unauthenticated bytes. On failure a few cheap guesses name
 * the damage: a full-size last chunk that opens without the last flag means the file was cut at a chunk
 * boundary; a chunk that opens under a neighbour's counter means chunks were swapped.
 */
function openChunk(o: Opened, index: number, sealed: Buffer): Buffer {
  const last = index === o.layout.chunks - 1;
  const plain = tryOpen(o.payloadKey, index, last, sealed);
  if (plain) return plain;
  if (last && tryOpen(o.payloadKey, index, false, sealed)) throw damaged('the file ends before its last chunk');
  for (const other of [index - 1, index + 1]) {
    if (other < 0) continue;
    if (tryOpen(o.payloadKey, other, false, sealed) || tryOpen(o.payloadKey, other, true, sealed)) {
      throw damaged(`chunk ${index} is out of place (it is chunk ${other}): chunks were swapped`);
    }
  }
  if (last) throw damaged(`the last chunk (${index}) failed authentication: the file was cut inside it or altered`);
  throw damaged(`chunk ${index} failed authentication`);
}

function tryOpen(payloadKey: Buffer, index: number, last: boolean, sealed: Buffer): Buffer | undefined {
  if (sealed.length < TAG_SIZE) return undefined;
  const decipher = createDecipheriv('chacha20-poly1305', payloadKey, chunkNonce(index, last), { authTagLength: TAG_SIZE });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const body = decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE));
  try {
    const end = decipher.final();
    return end.length > 0 ? Buffer.concat([body, end]) : body;
  } catch {
    return undefined;
  }
}

/** Batches decrypted ahead of the reader, per worker: enough to keep the pool busy while the reader works. */
const READ_AHEAD_PER_WORKER = 2;

/**
 * Plaintext of chunks first..lastChunk, in order, in batches of up to 16 chunks opened on the worker pool, a
 * few batches ahead of the reader. Closes the file when done or abandoned. With `reuse`, each yielded piece
 * goes back to the pool when the next is requested (the caller must be done with it by then).
 */
async function* chunks(o: Opened, file: string, first: number, lastChunk: number, reuse = false): AsyncGenerator<Buffer> {
  const { chunkSize } = o.layout;
  const sealedSize = chunkSize + TAG_SIZE;
  type Batch = { from: number; sealed: Buffer; plain: Buffer | OpenFailure };
  const readBatch = async (i: number, upto: number): Promise<Batch> => {
    const start = chunkOffset(i, chunkSize);
    const end = upto === o.layout.chunks - 1 ? start + (upto - i) * sealedSize + o.layout.lastPlainSize + TAG_SIZE : chunkOffset(upto + 1, chunkSize);
    const sealed = Buffer.allocUnsafe(end - start);
    let got = 0;
    try {
      while (got < sealed.length) {
        const { bytesRead } = await o.fh.read(sealed, got, sealed.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
    } catch (e) {
      throw unreadable(file, e);
    }
    // The file shrank after it was opened.
    if (got < sealed.length) throw damaged('the file ends before its last chunk');
    const plain = await chunkPool.open({ key: o.payloadKey, firstCounter: i, chunkSize, endsStream: upto === o.layout.chunks - 1 }, sealed);
    return { from: i, sealed, plain };
  };
  const ahead: Array<Promise<Batch>> = [];
  let next = first;
  const fill = () => {
    while (next <= lastChunk && ahead.length < chunkPool.workers * READ_AHEAD_PER_WORKER) {
      const upto = Math.min(lastChunk, next + READ_BATCH_CHUNKS - 1);
      const p = readBatch(next, upto);
      p.catch(() => undefined); // awaited in order below; this only keeps a later failure from counting as unhandled
      ahead.push(p);
      next = upto + 1;
    }
  };
  try {
    fill();
    for (let batch = ahead.shift(); batch; batch = ahead.shift()) {
      const b = await batch;
      fill();
      if (!('index' in b.plain)) {
        yield b.plain;
        if (reuse) chunkPool.recycle(b.plain, 'plaintext');
        continue;
      }
      // Authentication failed at chunk from+index: the chunks before it are sound and are given (opened again
      // here), then the failing one is opened here too, which names the damage.
      const failed = b.from + b.plain.index;
      for (let c = b.from; c <= failed; c++) {
        const off = (c - b.from) * sealedSize;
        yield openChunk(o, c, b.sealed.subarray(off, Math.min(off + sealedSize, b.sealed.length)));
      }
      throw damaged(`chunk ${failed} failed authentication`);
    }
  } finally {
    await Promise.allSettled(ahead);
    await o.fh.close().catch(() => undefined);
  }
}

/**
 * The plaintext size from the file's length and the chunk size in its header, without a key or decryption
 * (listings, Content-Length). Unauthenticated: the readers check the header MAC before trusting anything.
 */
export async function plaintextSizeOf(file: string): Promise<number> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw unreadable(file, e);
  }
  try {
    const header = Buffer.alloc(HEADER_SIZE);
    let length: number;
    let got: number;
    try {
      length = (await fh.stat()).size;
      got = (await fh.read(header, 0, HEADER_SIZE, 0)).bytesRead;
    } catch (e) {
      throw unreadable(file, e);
    }
    return layoutOf(length, readChunkSize(header.subarray(0, got))).plaintextSize;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * Exactly the plaintext bytes start..endInclusive, decrypting only the chunks that hold them (HTTP range
 * requests). The header, the length and the range are checked before the stream is returned, so a caller can
 * answer 416 or an error before sending anything; damage found later surfaces as the stream's error.
 */
export async function decryptRange(file: string, k: AttachmentKey, start: number, endInclusive: number): Promise<Readable> {
  const o = await openAttachment(file, k);
  const size = o.layout.plaintextSize;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start || endInclusive >= size) {
    await o.fh.close();
    throw new ArchiveError('IPC_BAD_INPUT', `the range ${start}-${endInclusive} is not within the attachment's ${size} bytes`);
  }
  const cs = o.layout.chunkSize;
  const first = Math.floor(start / cs);
  const lastChunk = Math.floor(endInclusive / cs);
  async function* sliced(): AsyncGenerator<Buffer> {
    let pos = first * cs;
    for await (const plain of chunks(o, file, first, lastChunk)) {
      const from = Math.max(start - pos, 0);
      const to = Math.min(endInclusive + 1 - pos, plain.length);
      if (to > from) yield plain.subarray(from, to);
      pos += plain.length;
    }
  }
  return Readable.from(sliced(), { objectMode: false });
}

/** The whole plaintext as a stream (also for an empty attachment, whose one empty chunk is still verified). */
export async function decryptAll(file: string, k: AttachmentKey): Promise<Readable> {
  const o = await openAttachment(file, k);
  return Readable.from(chunks(o, file, 0, o.layout.chunks - 1), { objectMode: false });
}

/**
 * The whole plaintext in pieces that are each valid only until the next is requested (their buffers are
 * reused): for consumers that hash, copy or encrypt a piece before asking for more, such as the integrity check
 * and bundle export. Memory stays flat however large the file.
 */
export async function decryptPieces(file: string, k: AttachmentKey): Promise<AsyncGenerator<Buffer>> {
  const o = await openAttachment(file, k);
  return chunks(o, file, 0, o.layout.chunks - 1, true);
}

/** Decrypts the whole file and hashes it: the integrity check. Throws ATTACHMENT_DAMAGED/UNREADABLE as the readers do. */
export async function verifyFile(file: string, k: AttachmentKey): Promise<EncryptResult> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const plain of await decryptPieces(file, k)) {
    hash.update(plain);
    size += plain.length;
  }
  return { size, sha256: hash.digest('hex') };
}
