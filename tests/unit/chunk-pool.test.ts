// The worker pool seals and opens STREAM chunks exactly as a single-threaded ChaCha20-Poly1305 would.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkPool } from '../../electron/core/crypto/chunk-pool';
import { chunkNonce } from '../../electron/core/attachments/stream-format';

const C = 1024;
const pool = new ChunkPool(2);
afterAll(() => pool.close());

/** Independent reference: each chunk sealed on this thread with its own nonce. */
function sealHere(key: Buffer, first: number, plain: Buffer, endsStream: boolean): Buffer {
  const n = Math.max(1, Math.ceil(plain.length / C));
  const parts: Buffer[] = [];
  for (let c = 0; c < n; c++) {
    const cipher = createCipheriv('chacha20-poly1305', key, chunkNonce(first + c, endsStream && c === n - 1), { authTagLength: 16 });
    parts.push(cipher.update(plain.subarray(c * C, (c + 1) * C)), cipher.final(), cipher.getAuthTag());
  }
  return Buffer.concat(parts);
}

describe('ChunkPool', () => {
  it('seals byte for byte like a single thread, for full, short, empty and last batches', async () => {
    const key = randomBytes(32);
    for (const [size, first, ends] of [[16 * C, 0, false], [16 * C, 32, true], [5 * C + 7, 3, true], [0, 0, true], [1, 9, true]] as const) {
      const plain = randomBytes(size);
      const sealed = await pool.seal({ key, firstCounter: first, chunkSize: C, endsStream: ends }, plain);
      expect(sealed.equals(sealHere(key, first, plain, ends)), `${size}@${first}`).toBe(true);
    }
  });

  it('opens what it sealed, and the plaintext does not depend on the caller keeping its buffer', async () => {
    const key = randomBytes(32);
    const plain = randomBytes(7 * C + 100);
    const input = Buffer.from(plain);
    const sealing = pool.seal({ key, firstCounter: 5, chunkSize: C, endsStream: true }, input);
    input.fill(0); // the pool copied the bytes when seal was called
    const sealed = await sealing;
    const opened = await pool.open({ key, firstCounter: 5, chunkSize: C, endsStream: true }, sealed);
    expect(Buffer.isBuffer(opened) && opened.equals(plain)).toBe(true);
  });

  it('names the first chunk that fails: altered byte, wrong counter, missing last flag, wrong key', async () => {
    const key = randomBytes(32);
    const plain = randomBytes(4 * C);
    const sealed = sealHere(key, 10, plain, true);
    const altered = Buffer.from(sealed);
    altered[2 * (C + 16) + 5]! ^= 1;
    expect(await pool.open({ key, firstCounter: 10, chunkSize: C, endsStream: true }, altered)).toEqual({ index: 2 });
    expect(await pool.open({ key, firstCounter: 11, chunkSize: C, endsStream: true }, sealed)).toEqual({ index: 0 });
    expect(await pool.open({ key, firstCounter: 10, chunkSize: C, endsStream: false }, sealed)).toEqual({ index: 3 });
    expect(await pool.open({ key: randomBytes(32), firstCounter: 10, chunkSize: C, endsStream: true }, sealed)).toEqual({ index: 0 });
    // A tail shorter than a tag cannot be a chunk.
    expect(await pool.open({ key, firstCounter: 10, chunkSize: C, endsStream: true }, sealed.subarray(0, C + 16 + 9))).toEqual({ index: 1 });
  });

  it('keeps many concurrent batches apart (replies matched to their callers)', async () => {
    const key = randomBytes(32);
    const batches = Array.from({ length: 40 }, (_, i) => randomBytes(1 + ((i * 7919) % (16 * C))));
    const sealed = await Promise.all(batches.map((b, i) => pool.seal({ key, firstCounter: i * 16, chunkSize: C, endsStream: i === 39 }, b)));
    sealed.forEach((s, i) => expect(s.equals(sealHere(key, i * 16, batches[i]!, i === 39)), `batch ${i}`).toBe(true));
    const opened = await Promise.all(sealed.map((s, i) => pool.open({ key, firstCounter: i * 16, chunkSize: C, endsStream: i === 39 }, s)));
    opened.forEach((p, i) => expect(Buffer.isBuffer(p) && p.equals(batches[i]!), `batch ${i}`).toBe(true));
  });

  it('zeroes a recycled plaintext buffer', async () => {
    const key = randomBytes(32);
    const plain = Buffer.alloc(16 * C, 0x41);
    const sealed = sealHere(key, 0, plain, false);
    const opened = await pool.open({ key, firstCounter: 0, chunkSize: C, endsStream: false }, sealed);
    if (!Buffer.isBuffer(opened)) throw new Error('did not open');
    const view = new Uint8Array(opened.buffer);
    pool.recycle(opened, 'plaintext');
    expect(view.every((b) => b === 0)).toBe(true);
  });

  it('rejects the pending batch when a worker dies, and starts a fresh one afterwards', async () => {
    const local = new ChunkPool(1);
    const key = randomBytes(32);
    await local.seal({ key, firstCounter: 0, chunkSize: C, endsStream: true }, randomBytes(10));
    // 32 MiB takes the worker tens of milliseconds, so the termination lands while it works.
    const pending = local.seal({ key, firstCounter: 0, chunkSize: 1024 * 1024, endsStream: true }, Buffer.alloc(32 * 1024 * 1024));
    await local.close();
    await expect(pending).rejects.toThrow(/worker stopped|terminated/);
    const again = await local.seal({ key, firstCounter: 0, chunkSize: C, endsStream: true }, Buffer.from('x'));
    expect(again.equals(sealHere(key, 0, Buffer.from('x'), true))).toBe(true);
    await local.close();
  });
});

it('the attachment cipher matches createDecipheriv on this thread (sanity of the reference)', () => {
  const key = randomBytes(32);
  const sealed = sealHere(key, 0, Buffer.from('abc'), true);
  const d = createDecipheriv('chacha20-poly1305', key, chunkNonce(0, true), { authTagLength: 16 });
  d.setAuthTag(sealed.subarray(3));
  expect(Buffer.concat([d.update(sealed.subarray(0, 3)), d.final()]).toString()).toBe('abc');
});
