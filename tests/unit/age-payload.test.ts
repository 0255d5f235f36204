// age payload: round trips at chunk boundaries, several recipients, chunk functions, and damage named per chunk.
import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { decryptBytes, decryptStream, encryptBytes, encryptStream, parseHeader } from '../../electron/core/submissions/age/age';
import { generateIdentity, parseIdentity } from '../../electron/core/submissions/age/age-keys';
import { CHUNK_SIZE, openChunk, payloadKey, sealChunk, SEALED_CHUNK_SIZE } from '../../electron/core/submissions/age/age-payload';
import { failure } from '../fixtures/errors';

const me = generateIdentity();
const ids = [parseIdentity(me.identity)];
const MiB = 1024 * 1024;

async function* pieces(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const chunksOf = (n: number) => Math.max(1, Math.ceil(n / CHUNK_SIZE));

test('round trips at every chunk boundary, with the exact age size', async () => {
  for (const n of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 5 * MiB]) {
    const plain = randomBytes(n);
    const file = await encryptBytes([me.recipient], plain);
    const headerLength = parseHeader(file).length;
    expect(file.length, `${n} bytes`).toBe(headerLength + 16 + n + 16 * chunksOf(n));
    expect((await decryptBytes(ids, file)).equals(plain), `${n} bytes`).toBe(true);
  }
});

test('sources and files in odd-sized pieces give the same bytes', async () => {
  const plain = randomBytes(3 * CHUNK_SIZE + 12_345);
  for (const size of [1000, CHUNK_SIZE + 7, 5 * CHUNK_SIZE]) {
    const parts: Buffer[] = [];
    const { size: total } = await encryptStream([me.recipient], pieces(plain, size), (b) => {
      // Copies, as the Sink contract asks: the encryptor reuses its buffers.
      parts.push(...b.map((x) => Buffer.from(x)));
      return Promise.resolve();
    });
    expect(total).toBe(plain.length);
    const out: Buffer[] = [];
    await decryptStream(ids, pieces(Buffer.concat(parts), size - 3), (b) => {
      out.push(...b.map((x) => Buffer.from(x)));
      return Promise.resolve();
    });
    expect(Buffer.concat(out).equals(plain), `pieces of ${size}`).toBe(true);
  }
});

test('a file to several recipients opens with each identity, and with an identity list holding one of them', async () => {
  const people = [generateIdentity(), generateIdentity(), generateIdentity()];
  const plain = randomBytes(100_000);
  const file = await encryptBytes(people.map((p) => p.recipient), plain);
  expect(parseHeader(file).stanzas.map((s) => s.type)).toEqual(['X25519', 'X25519', 'X25519']);
  for (const p of people) expect((await decryptBytes([parseIdentity(p.identity)], file)).equals(plain)).toBe(true);
  expect((await decryptBytes([parseIdentity(generateIdentity().identity), parseIdentity(people[2]?.identity ?? '')], file)).equals(plain)).toBe(true);
  expect(await failure(encryptBytes([], plain))).toMatch(/^AGE_KEY_INVALID: .*at least one recipient/);
  expect(await failure(encryptBytes([me.recipient, 'age1bad'], plain))).toMatch(/^AGE_KEY_INVALID: recipient 2: /);
});

test('sealChunk and openChunk are pure and bind the counter and the last flag', () => {
  const key = payloadKey(randomBytes(16), randomBytes(16));
  const plain = randomBytes(1000);
  const sealed = sealChunk(key, 7, false, plain);
  expect(sealed.length).toBe(1016);
  expect(sealChunk(key, 7, false, plain)).toEqual(sealed);
  expect(openChunk(key, 7, false, sealed)).toEqual(plain);
  expect(openChunk(key, 8, false, sealed)).toBeUndefined();
  expect(openChunk(key, 7, true, sealed)).toBeUndefined();
  expect(openChunk(key, 7, false, sealed.subarray(0, 10))).toBeUndefined();
  const big = sealChunk(key, 2 ** 40, true, randomBytes(CHUNK_SIZE));
  expect(big.length).toBe(SEALED_CHUNK_SIZE);
  expect(openChunk(key, 2 ** 40, true, big)?.length).toBe(CHUNK_SIZE);
});

test('a byte changed in the first, a middle or the last chunk is AGE_PAYLOAD_DAMAGED naming the chunk', async () => {
  const plain = randomBytes(4 * CHUNK_SIZE + 100);
  const file = await encryptBytes([me.recipient], plain);
  const start = parseHeader(file).length + 16;
  const cases: [number, RegExp][] = [
    [start + 5, /^AGE_PAYLOAD_DAMAGED: chunk 0 failed authentication/],
    [start + 2 * SEALED_CHUNK_SIZE + 100, /^AGE_PAYLOAD_DAMAGED: chunk 2 failed authentication/],
    [start + 4 * SEALED_CHUNK_SIZE + 3, /^AGE_PAYLOAD_DAMAGED: the final chunk \(4\) failed authentication/],
    [file.length - 1, /^AGE_PAYLOAD_DAMAGED: the final chunk \(4\)/],
    [start - 3, /^AGE_PAYLOAD_DAMAGED: chunk 0 failed/], // the payload nonce
  ];
  for (const [at, reason] of cases) {
    const bad = Buffer.from(file);
    bad[at] = (bad[at] ?? 0) ^ 0x01;
    expect(await failure(decryptBytes(ids, bad)), `byte ${at}`).toMatch(reason);
  }
});

test('no unauthenticated plaintext reaches the sink: it gets exactly the chunks before the damaged one', async () => {
  const plain = randomBytes(5 * CHUNK_SIZE);
  const file = await encryptBytes([me.recipient], plain);
  const bad = Buffer.from(file);
  const at = parseHeader(file).length + 16 + 3 * SEALED_CHUNK_SIZE + 10;
  bad[at] = (bad[at] ?? 0) ^ 0x80;
  const got: Buffer[] = [];
  const err = await failure(
    decryptStream(ids, pieces(bad, 4096), (b) => {
      got.push(...b.map((x) => Buffer.from(x)));
      return Promise.resolve();
    }),
  );
  expect(err).toMatch(/chunk 3 failed authentication/);
  const out = Buffer.concat(got);
  expect(out.length).toBeLessThanOrEqual(3 * CHUNK_SIZE);
  expect(out.equals(plain.subarray(0, out.length))).toBe(true);
});

test('truncation, a dropped final chunk, trailing data and a missing payload are AGE_PAYLOAD_DAMAGED', async () => {
  const full = await encryptBytes([me.recipient], randomBytes(3 * CHUNK_SIZE)); // the final chunk is full
  const part = await encryptBytes([me.recipient], randomBytes(2 * CHUNK_SIZE + 10));
  const fullStart = parseHeader(full).length + 16;
  const partStart = parseHeader(part).length + 16;
  const cases: [Buffer, RegExp][] = [
    [full.subarray(0, fullStart + 2 * SEALED_CHUNK_SIZE), /cut off after chunk 1: its final chunk is missing/],
    [part.subarray(0, partStart + 2 * SEALED_CHUNK_SIZE), /cut off after chunk 1: its final chunk is missing/],
    [part.subarray(0, part.length - 5), /final chunk \(2\) failed authentication/],
    [part.subarray(0, partStart + 2 * SEALED_CHUNK_SIZE + 7), /final chunk \(2\) is cut off: 7 bytes/],
    [Buffer.concat([full, Buffer.from('trailing')]), /chunk 2 is the final chunk but data follows it/],
    [Buffer.concat([part, Buffer.from('trailing')]), /final chunk \(2\) failed authentication: .*trailing data/],
    [full.subarray(0, fullStart - 16), /ends after its header \(no payload\)/],
    [full.subarray(0, fullStart - 6), /ends inside the payload nonce/],
    [full.subarray(0, fullStart), /the payload has no chunks/],
  ];
  for (const [bad, reason] of cases) {
    const got = await failure(decryptBytes(ids, bad));
    expect(got, reason.source).toMatch(/^AGE_PAYLOAD_DAMAGED: /);
    expect(got, reason.source).toMatch(reason);
  }
});

test('an empty final chunk after others is refused (only an empty file has one)', async () => {
  const file = await encryptBytes([me.recipient], randomBytes(CHUNK_SIZE));
  const header = parseHeader(file);
  const nonce = file.subarray(header.length, header.length + 16);
  // Re-seal with the real payload key: chunk 0 full as a middle chunk, then an empty final chunk.
  const fileKey = await recoverFileKeyForTest(file);
  const key = payloadKey(fileKey, nonce);
  const plain = openChunk(key, 0, true, file.subarray(header.length + 16)) ?? Buffer.alloc(0);
  const bad = Buffer.concat([file.subarray(0, header.length + 16), sealChunk(key, 0, false, plain), sealChunk(key, 1, true, Buffer.alloc(0))]);
  expect(await failure(decryptBytes(ids, bad))).toMatch(/^AGE_PAYLOAD_DAMAGED: the final chunk \(1\) is empty/);
});

/** The file key, unwrapped the way the reader does (only to build a hostile payload with a valid header). */
async function recoverFileKeyForTest(file: Buffer): Promise<Buffer> {
  const { unlockHeader } = await import('../../electron/core/submissions/age/age-header');
  return unlockHeader(parseHeader(file), ids);
}

test('memory stays bounded while 48 MiB stream through encryption', async () => {
  const block = randomBytes(MiB);
  async function* big(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 48; i++) yield block;
  }
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  let bytes = 0;
  let batches = 0;
  let first: Buffer | undefined;
  await encryptStream([me.recipient], big(), (b) => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    bytes += b.reduce((n, x) => n + x.length, 0);
    batches++;
    first ??= Buffer.from(b[0] ?? Buffer.alloc(0));
    return Promise.resolve();
  });
  expect(bytes).toBe(parseHeader(first ?? Buffer.alloc(0)).length + 16 + 48 * MiB + 48 * 16 * 16);
  // Batches of about 1 MiB, not one buffer for the whole file; nothing close to 48 MiB held at once.
  expect(batches).toBeGreaterThanOrEqual(45);
  expect(peak).toBeLessThan(24 * MiB);
});

test('a failing source or sink stops the stream with its own error', async () => {
  const file = await encryptBytes([me.recipient], randomBytes(3 * CHUNK_SIZE));
  async function* breaks(data: Buffer): AsyncGenerator<Uint8Array> {
    yield data.subarray(0, data.length >> 1);
    throw new Error('disk went away');
  }
  const discard = () => Promise.resolve();
  await expect(decryptStream(ids, breaks(file), discard)).rejects.toThrow('disk went away');
  await expect(encryptStream([me.recipient], breaks(randomBytes(5 * CHUNK_SIZE)), discard)).rejects.toThrow('disk went away');
  const full = () => Promise.reject(new Error('no space left'));
  await expect(encryptStream([me.recipient], pieces(randomBytes(3 * MiB), MiB), full)).rejects.toThrow('no space left');
  await expect(decryptStream(ids, pieces(await encryptBytes([me.recipient], randomBytes(3 * MiB)), MiB), full)).rejects.toThrow('no space left');
});
