// Hashing on a worker gives the same digests as hashing here, whatever the pieces, and copies what it is given.
import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { startHashing } from '../../electron/core/crypto/hash-worker';

test('SHA-256 and BLAKE2b-512 of many pieces equal the digests computed on this thread', async () => {
  const pieces = Array.from({ length: 40 }, (_, i) => randomBytes((i * 7919) % 300_000));
  const h = startHashing(['sha256', 'blake2b512']);
  const reused = Buffer.alloc(300_000);
  for (const p of pieces) {
    // The same buffer refilled each time: the hasher must have taken its copy when update returned.
    p.copy(reused);
    await h.update(reused.subarray(0, p.length));
  }
  const [sha, blake] = await h.digest();
  const all = Buffer.concat(pieces);
  expect(sha?.toString('hex')).toBe(createHash('sha256').update(all).digest('hex'));
  expect(blake?.toString('hex')).toBe(createHash('blake2b512').update(all).digest('hex'));
});

test('an empty stream has the empty digests; abort stops the worker', async () => {
  const h = startHashing(['sha256']);
  const [sha] = await h.digest();
  expect(sha?.toString('hex')).toBe(createHash('sha256').digest('hex'));
  const g = startHashing(['blake2b512']);
  await g.update(Buffer.from('abc'));
  await g.abort();
});
