// The age payload: the STREAM construction (64 KiB ChaCha20-Poly1305 chunks), as pure chunk functions and streaming drivers.
//
// Spec: https://github.com/C2SP/C2SP/blob/main/age.md#payload. payload key = HKDF-SHA-256(file key, salt = 16-byte
// nonce, info "payload"); chunk nonce = 11-byte big-endian counter || 0x01 on the final chunk, else 0x00. The
// final chunk may be full; it is empty only when the whole plaintext is empty. sealChunk/openChunk are pure so
// a worker pool can run them; the drivers below hold a few batches of chunks, never the file.
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { sealStream } from '../../crypto/chunk-pool';
import { ArchiveError } from '../../errors';
import { toBuffer, type ByteReader } from './age-bytes';

export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const PAYLOAD_NONCE_SIZE = 16;
/** Output is handed to the sink in batches of about this many bytes (fewer syscalls, bounded memory). */
export const WRITE_BATCH = 1024 * 1024;

/**
 * Receives output in order. Gets a batch of buffers so a file sink can writev them without joining. A sink must
 * be done with the buffers when its promise resolves (copy to keep them): encryption reuses them afterwards.
 */
export type Sink = (parts: Buffer[]) => Promise<void>;

const damaged = (message: string) => new ArchiveError('AGE_PAYLOAD_DAMAGED', message);

export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32));
}

/** 11-byte big-endian counter || last flag. Counters stay below 2^48 (16 EiB of data), so the top bytes are zero. */
export function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Seals one chunk as [ciphertext, tag] (two buffers, so the driver can write them without a join). */
export function sealChunkParts(key: Uint8Array, counter: number, last: boolean, plain: Uint8Array): Buffer[] {
  const cipher = createCipheriv('chacha20-poly1305', key, chunkNonce(counter, last), { authTagLength: TAG_SIZE });
  const body = cipher.update(plain);
  const end = cipher.final();
  return end.length > 0 ? [body, end, cipher.getAuthTag()] : [body, cipher.getAuthTag()];
}

/** Seals one chunk: ciphertext || tag. */
export function sealChunk(key: Uint8Array, counter: number, last: boolean, plain: Uint8Array): Buffer {
  return Buffer.concat(sealChunkParts(key, counter, last, plain));
}

/** Opens one sealed chunk; undefined when it does not authenticate under this counter and flag. */
export function openChunk(key: Uint8Array, counter: number, last: boolean, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < TAG_SIZE || sealed.length > SEALED_CHUNK_SIZE) return undefined;
  const s = toBuffer(sealed);
  const decipher = createDecipheriv('chacha20-poly1305', key, chunkNonce(counter, last), { authTagLength: TAG_SIZE });
  decipher.setAuthTag(s.subarray(s.length - TAG_SIZE));
  const body = decipher.update(s.subarray(0, s.length - TAG_SIZE));
  try {
    decipher.final();
  } catch {
    return undefined;
  }
  return body;
}

/** Batches buffers for a sink and overlaps one write with the work on the next batch. */
export class BatchWriter {
  private batch: Buffer[] = [];
  private bytes = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly sink: Sink) {}

  async push(parts: readonly Buffer[]): Promise<void> {
    for (const p of parts) {
      this.batch.push(p);
      this.bytes += p.length;
    }
    if (this.bytes >= WRITE_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const full = this.batch;
    this.batch = [];
    this.bytes = 0;
    await this.writing;
    this.writing = this.sink(full);
    this.writing.catch(() => undefined); // awaited later; this only keeps a failure from counting as unhandled meanwhile
  }

  async end(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  /** After a failure: waits for the write in flight, ignoring its outcome. */
  async settle(): Promise<void> {
    await this.writing.catch(() => undefined);
  }
}

/**
 * Encrypts `source` as a payload (after `nonce`) into `out`: batches of chunks are sealed on the worker pool
 * (crypto/chunk-pool.ts, the same STREAM construction as attachments) so both cores work, and handed to `out`
 * in order; each batch is written before its buffer is reused. Returns the plaintext size.
 */
export async function encryptPayload(key: Uint8Array, source: AsyncIterable<Uint8Array>, out: BatchWriter): Promise<number> {
  return sealStream(key, CHUNK_SIZE, source, async (sealed) => {
    await out.push([sealed]);
    await out.end();
  });
}

/**
 * Why chunk `index` failed, from a few cheap guesses: a final-looking chunk that opens as a middle one means
 * the file was cut at a chunk boundary; a middle chunk that opens as the final one means bytes follow the end.
 */
function explain(key: Uint8Array, index: number, last: boolean, sealed: Buffer): ArchiveError {
  if (last && sealed.length === SEALED_CHUNK_SIZE && openChunk(key, index, false, sealed)) {
    return damaged(`the payload is cut off after chunk ${index}: its final chunk is missing`);
  }
  if (!last && openChunk(key, index, true, sealed)) return damaged(`chunk ${index} is the final chunk but data follows it (trailing data)`);
  if (last) return damaged(`the final chunk (${index}) failed authentication: the file was altered, cut inside it, or has trailing data`);
  return damaged(`chunk ${index} failed authentication: the file was altered`);
}

/**
 * Decrypts the payload from `reader` (positioned after the header) into `out`. Each chunk is authenticated
 * before its plaintext is handed on. Streaming means earlier chunks reach the sink before a later chunk could
 * fail: the caller must treat its output as incomplete until this resolves (write to a temp file, then rename).
 * Returns the plaintext size.
 */
export async function decryptPayload(fileKey: Uint8Array, reader: ByteReader, out: BatchWriter): Promise<number> {
  if (!(await reader.fill(PAYLOAD_NONCE_SIZE))) {
    throw damaged(reader.buffered === 0 ? 'the file ends after its header (no payload)' : 'the file ends inside the payload nonce');
  }
  const key = payloadKey(fileKey, reader.take(PAYLOAD_NONCE_SIZE));
  let counter = 0;
  let size = 0;
  // A chunk is known to be a middle one only when more bytes follow it.
  while (await reader.fill(SEALED_CHUNK_SIZE + 1)) {
    const sealed = reader.take(SEALED_CHUNK_SIZE);
    const plain = openChunk(key, counter, false, sealed);
    if (plain === undefined) throw explain(key, counter, false, sealed);
    counter++;
    size += plain.length;
    await out.push([plain]);
  }
  const rest = reader.buffered;
  if (rest === 0) throw damaged('the payload has no chunks');
  if (rest < TAG_SIZE) throw damaged(`the final chunk (${counter}) is cut off: ${rest} bytes, shorter than its tag`);
  const sealed = reader.take(rest);
  const plain = openChunk(key, counter, true, sealed);
  if (plain === undefined) throw explain(key, counter, true, sealed);
  if (plain.length === 0 && counter > 0) throw damaged(`the final chunk (${counter}) is empty, which only an empty file may have`);
  size += plain.length;
  await out.push([plain]);
  return size;
}
