// Minisign signing and verification in the app: round trips, every kind of tampering named, keys parsed strictly.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  encodePublicKey,
  keyIdHex,
  keyIdOf,
  parsePublicKey,
  parsePublicKeyBase64,
  signFile,
  verifyFile,
} from '../../electron/core/submissions/minisign';
import { tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { ed25519KeyPair, flipBase64Byte, withLine } from '../fixtures/minisign-keys';

const dir = tempDir('ta-minisign-');
afterAll(() => dir.cleanup());

const content = Buffer.from('{"records":[{"name":"Shpresa Gashi"},{"name":"Милица Јовановић"}]}\n');
const file = join(dir.path, 'payload.bin');
writeFileSync(file, content);
const archive = ed25519KeyPair();
const pinned = { keyId: keyIdOf(archive.publicKey), publicKey: archive.publicKey };
const trustedComment = 'bundle 3 of archive 1f0c — Prishtinë / Приштина';

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('keys', () => {
  test('the key id is deterministic and printed as minisign prints it', () => {
    const id = keyIdOf(archive.publicKey);
    expect(id).toHaveLength(8);
    expect(keyIdOf(archive.publicKey)).toEqual(id);
    expect(keyIdOf(ed25519KeyPair().publicKey)).not.toEqual(id);
    expect(keyIdHex(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 0xab]))).toBe('AB07060504030201');
  });

  test('a public key file round-trips and names its id in the comment', () => {
    const text = encodePublicKey(archive.publicKey);
    expect(text).toMatch(/^untrusted comment: minisign public key [0-9A-F]{16}\n[A-Za-z0-9+/]{56}\n$/);
    expect(parsePublicKey(text)).toEqual(pinned);
    expect(parsePublicKey(text.replace(/\n/g, '\r\n'))).toEqual(pinned);
    expect(parsePublicKeyBase64(text.split('\n')[1] ?? '')).toEqual(pinned);
  });

  test.each([
    ['no comment line', (t: string) => t.split('\n')[1] ?? ''],
    ['wrong comment prefix', (t: string) => t.replace('untrusted comment:', 'comment:')],
    ['bad base64', (t: string) => withLine(t, 1, (l) => `${l.slice(0, -2)}!=`)],
    ['wrong length', (t: string) => withLine(t, 1, (l) => Buffer.from(l, 'base64').subarray(0, 40).toString('base64'))],
    ['wrong algorithm', (t: string) => withLine(t, 1, (l) => Buffer.concat([Buffer.from('Xy'), Buffer.from(l, 'base64').subarray(2)]).toString('base64'))],
    ['extra line', (t: string) => `${t}more\n`],
    ['empty', () => ''],
  ])('a public key with %s is MINISIGN_KEY_INVALID', async (_name, edit) => {
    await expectArchiveError(() => parsePublicKey(edit(encodePublicKey(archive.publicKey))), 'MINISIGN_KEY_INVALID');
  });

  test('encoding refuses a comment with a newline', async () => {
    await expectArchiveError(() => encodePublicKey(archive.publicKey, keyIdOf(archive.publicKey), 'a\nb'), 'INTERNAL');
  });
});

describe('sign and verify', () => {
  test('a file signed from its path verifies from its path and from a stream; the trusted comment comes back', async () => {
    const sig = await signFile(file, { secretKey: archive.secretKey, trustedComment });
    const lines = sig.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('untrusted comment: signature from minisign secret key');
    expect(Buffer.from(lines[1] ?? '', 'base64').subarray(0, 10)).toEqual(Buffer.concat([Buffer.from('ED'), pinned.keyId]));
    expect(lines[2]).toBe(`trusted comment: ${trustedComment}`);
    expect(await verifyFile(file, sig, pinned)).toEqual({ trustedComment, keyId: pinned.keyId, blake2b512: createHash('blake2b512').update(content).digest() });
    expect((await verifyFile(chunksOf(content, 7), sig, pinned)).trustedComment).toBe(trustedComment);
  });

  test('a stream and a path give the same signature (Ed25519 is deterministic)', async () => {
    const opts = { secretKey: archive.secretKey, trustedComment, untrustedComment: 'archive 1f0c' };
    expect(await signFile(chunksOf(content, 5), opts)).toBe(await signFile(file, opts));
  });

  test('an empty trusted comment and an empty file are fine', async () => {
    const empty = join(dir.path, 'empty');
    writeFileSync(empty, '');
    const sig = await signFile(empty, { secretKey: archive.secretKey, trustedComment: '' });
    expect((await verifyFile(empty, sig, pinned)).trustedComment).toBe('');
  });

  test.each([
    ['a newline', 'line one\nline two'],
    ['a carriage return', 'a\rb'],
    ['a tab', 'a\tb'],
    ['a NUL', 'a\u0000b'],
    ['a line separator', 'a\u2028b'],
    ['too many bytes', 'x'.repeat(8192)],
  ])('signing refuses a trusted comment with %s', async (_name, comment) => {
    await expectArchiveError(signFile(file, { secretKey: archive.secretKey, trustedComment: comment }), 'INTERNAL');
  });

  test('signing refuses a secret key whose halves do not match', async () => {
    const broken = Uint8Array.from(archive.secretKey);
    broken[40] = (broken[40] ?? 0) ^ 1;
    await expectArchiveError(signFile(file, { secretKey: broken, trustedComment }), 'INTERNAL');
    await expectArchiveError(signFile(file, { secretKey: archive.secretKey.subarray(0, 32), trustedComment }), 'INTERNAL');
  });
});

describe('tampering, each named', async () => {
  const sig = await signFile(file, { secretKey: archive.secretKey, trustedComment });

  test('one byte of the file changed: file signature', async () => {
    const altered = Buffer.from(content);
    altered[10] = (altered[10] ?? 0) ^ 0x20;
    const err = await expectArchiveError(verifyFile(chunksOf(altered, 1024), sig, pinned), 'MINISIGN_SIGNATURE_INVALID');
    expect(err.message).toMatch(/file signature/);
  });

  test('one byte appended to the file: file signature', async () => {
    await expectArchiveError(verifyFile(chunksOf(Buffer.concat([content, Buffer.from(' ')]), 1024), sig, pinned), 'MINISIGN_SIGNATURE_INVALID');
  });

  test('one byte of the signature changed: file signature', async () => {
    const err = await expectArchiveError(verifyFile(file, withLine(sig, 1, (l) => flipBase64Byte(l, 40)), pinned), 'MINISIGN_SIGNATURE_INVALID');
    expect(err.message).toMatch(/file signature/);
  });

  test('one byte of the global signature changed: global signature', async () => {
    const err = await expectArchiveError(verifyFile(file, withLine(sig, 3, (l) => flipBase64Byte(l, 20)), pinned), 'MINISIGN_SIGNATURE_INVALID');
    expect(err.message).toMatch(/global signature/);
  });

  test('the trusted comment changed: global signature', async () => {
    const err = await expectArchiveError(verifyFile(file, sig.replace('bundle 3', 'bundle 4'), pinned), 'MINISIGN_SIGNATURE_INVALID');
    expect(err.message).toMatch(/trusted comment/);
  });

  test('the untrusted comment changed: still valid (it is not signed, by design)', async () => {
    expect((await verifyFile(file, sig.replace('signature from', 'anything from'), pinned)).trustedComment).toBe(trustedComment);
  });

  test('the key id in the signature changed: key mismatch', async () => {
    const err = await expectArchiveError(verifyFile(file, withLine(sig, 1, (l) => flipBase64Byte(l, 3)), pinned), 'MINISIGN_KEY_MISMATCH');
    expect(err.message).toContain(keyIdHex(pinned.keyId));
  });

  test('another pinned key: key mismatch', async () => {
    const other = ed25519KeyPair().publicKey;
    await expectArchiveError(verifyFile(file, sig, { keyId: keyIdOf(other), publicKey: other }), 'MINISIGN_KEY_MISMATCH');
  });

  test('another key claiming the archive key id: file signature invalid', async () => {
    const other = ed25519KeyPair();
    const forged = await signFile(file, { secretKey: other.secretKey, keyId: pinned.keyId, trustedComment });
    await expectArchiveError(verifyFile(file, forged, pinned), 'MINISIGN_SIGNATURE_INVALID');
  });

  test('the signature and comment of another file swapped in: file signature invalid', async () => {
    const otherFile = join(dir.path, 'other.bin');
    writeFileSync(otherFile, 'other');
    const otherSig = await signFile(otherFile, { secretKey: archive.secretKey, trustedComment: 'other' });
    const lines = sig.split('\n');
    const mixed = withLine(withLine(otherSig, 0, () => lines[0] ?? ''), 3, () => lines[3] ?? '');
    await expectArchiveError(verifyFile(otherFile, mixed, pinned), 'MINISIGN_SIGNATURE_INVALID');
  });

  const ed = (l: string) => Buffer.from(l, 'base64');
  test.each([
    ['empty text', () => ''],
    ['three lines', () => sig.split('\n').slice(0, 3).join('\n')],
    ['an extra line', () => `${sig}extra\n`],
    ['line 1 without the untrusted comment prefix', () => withLine(sig, 0, (l) => l.replace('untrusted ', ''))],
    ['line 3 without the trusted comment prefix', () => withLine(sig, 2, (l) => l.replace('trusted comment: ', 'trusted: '))],
    ['signature not base64', () => withLine(sig, 1, (l) => `*${l.slice(1)}`)],
    ['signature base64 with whitespace', () => withLine(sig, 1, (l) => ` ${l}`)],
    ['signature too short', () => withLine(sig, 1, (l) => ed(l).subarray(0, 73).toString('base64'))],
    ['signature too long', () => withLine(sig, 1, (l) => Buffer.concat([ed(l), Buffer.alloc(1)]).toString('base64'))],
    ['unknown algorithm', () => withLine(sig, 1, (l) => Buffer.concat([Buffer.from('Zz'), ed(l).subarray(2)]).toString('base64'))],
    ['legacy algorithm "Ed"', () => withLine(sig, 1, (l) => Buffer.concat([Buffer.from('Ed'), ed(l).subarray(2)]).toString('base64'))],
    ['global signature not base64', () => withLine(sig, 3, (l) => `${l.slice(0, -3)}%==`)],
    ['global signature too short', () => withLine(sig, 3, (l) => ed(l).subarray(0, 63).toString('base64'))],
    ['giant text', () => sig + 'x'.repeat(20000)],
  ])('%s: MINISIGN_SIGNATURE_MALFORMED', async (_name, make) => {
    await expectArchiveError(verifyFile(file, make(), pinned), 'MINISIGN_SIGNATURE_MALFORMED');
  });

  test('legacy signatures are named as such', async () => {
    const legacy = withLine(sig, 1, (l) => Buffer.concat([Buffer.from('Ed'), ed(l).subarray(2)]).toString('base64'));
    const err = await expectArchiveError(verifyFile(file, legacy, pinned), 'MINISIGN_SIGNATURE_MALFORMED');
    expect(err.message).toMatch(/legacy/);
  });

  test('CRLF line ends (a file passed through Windows) still verify', async () => {
    expect((await verifyFile(file, sig.replace(/\n/g, '\r\n'), pinned)).trustedComment).toBe(trustedComment);
  });
});
