// Restricted content: readers with a sealed copy read it; anyone else, even with every other key, cannot.
import { expect, test } from 'vitest';
import { newBoxKeyPair } from '../../electron/core/crypto/keys';
import { openContent, resealKey, sealContent } from '../../electron/core/crypto/sealed-content';
import { loadSodium } from '../../electron/core/crypto/sodium';
import { expectArchiveError } from '../fixtures/errors';

const text = new TextEncoder();
const narrative = text.encode('Dëshmia e Sh. K.: më 26 mars 1999 në Mejë… / Сведочење: 26. марта 1999.');

test('author and director read; an outsider with no copy cannot, even with the envelope', async () => {
  const sodium = await loadSodium();
  const author = newBoxKeyPair(sodium);
  const director = newBoxKeyPair(sodium);
  const outsider = newBoxKeyPair(sodium);
  const env = sealContent(sodium, narrative, 'testimony:t1', [
    { userId: 'author', boxPublicKey: author.publicKey },
    { userId: 'director', boxPublicKey: director.publicKey },
    { userId: 'director', boxPublicKey: director.publicKey },
  ]);
  expect(env.keys.map((k) => k.userId)).toEqual(['author', 'director']);
  expect(Buffer.from(env.ciphertext).includes(Buffer.from('Mejë'))).toBe(false);
  const keyOf = (id: string) => env.keys.find((k) => k.userId === id)?.sealedKey;
  expect(openContent(sodium, env, keyOf('author'), 'testimony:t1', author)).toEqual(narrative);
  expect(openContent(sodium, env, keyOf('director'), 'testimony:t1', director)).toEqual(narrative);
  await expectArchiveError(() => openContent(sodium, env, undefined, 'testimony:t1', outsider), 'CONTENT_NO_ACCESS');
  // Someone else's sealed copy is useless without their private key.
  await expectArchiveError(() => openContent(sodium, env, keyOf('author'), 'testimony:t1', outsider), 'CONTENT_NO_ACCESS');
});

test('content moved to another record, or altered, fails as damage', async () => {
  const sodium = await loadSodium();
  const me = newBoxKeyPair(sodium);
  const env = sealContent(sodium, narrative, 'testimony:t1', [{ userId: 'me', boxPublicKey: me.publicKey }]);
  await expectArchiveError(() => openContent(sodium, env, env.keys[0]?.sealedKey, 'testimony:t2', me), 'ARCHIVE_DAMAGED');
  const flipped = Uint8Array.from(env.ciphertext);
  flipped[3] = (flipped[3] ?? 0) ^ 1;
  await expectArchiveError(() => openContent(sodium, { ...env, ciphertext: flipped }, env.keys[0]?.sealedKey, 'testimony:t1', me), 'ARCHIVE_DAMAGED');
});

test('a reader can grant a copy; a non-reader cannot', async () => {
  const sodium = await loadSodium();
  const director = newBoxKeyPair(sodium);
  const auditor = newBoxKeyPair(sodium);
  const env = sealContent(sodium, narrative, 'testimony:t1', [{ userId: 'director', boxPublicKey: director.publicKey }]);
  const granted = resealKey(sodium, env.keys[0]?.sealedKey, director, { userId: 'auditor', boxPublicKey: auditor.publicKey });
  expect(openContent(sodium, env, granted.sealedKey, 'testimony:t1', auditor)).toEqual(narrative);
  await expectArchiveError(() => resealKey(sodium, undefined, auditor, { userId: 'x', boxPublicKey: auditor.publicKey }), 'CONTENT_NO_ACCESS');
});
