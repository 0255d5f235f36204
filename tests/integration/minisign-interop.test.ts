// The app's minisign signatures against the reference tool (Debian minisign 0.11), in both directions.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { encodePublicKey, keyIdHex, keyIdOf, parsePublicKey, signFile, verifyFile } from '../../electron/core/submissions/minisign';
import { tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { ed25519KeyPair, flipBase64Byte, withLine } from '../fixtures/minisign-keys';

const MINISIGN = '/usr/bin/minisign';
const dir = tempDir('ta-minisign-interop-');
afterAll(() => dir.cleanup());
const at = (name: string) => join(dir.path, name);

/** Runs minisign without a shell; stdin is closed so a password prompt cannot hang the test. */
function minisign(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(MINISIGN, args, { input: '', encoding: 'utf8', env: { ...process.env, HOME: dir.path } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const payload = Buffer.alloc(3 * 1024 * 1024 + 17);
for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 9)) & 0xff;
writeFileSync(at('payload.age'), payload);
const trustedComment = 'timestamp:1764230400 file:payload.age bundle 12 — Gjakovë / Ђаковица';

describe('signed by the app, verified by minisign', async () => {
  const archive = ed25519KeyPair();
  const keyId = keyIdOf(archive.publicKey);
  const pubText = encodePublicKey(archive.publicKey, keyId, 'testimony archive signing key');
  writeFileSync(at('archive.pub'), pubText);
  const sig = await signFile(at('payload.age'), { secretKey: archive.secretKey, trustedComment, untrustedComment: 'testimony archive bundle' });
  writeFileSync(at('payload.age.minisig'), sig);

  test('minisign -Vm -p accepts it and prints the trusted comment', () => {
    const out = execFileSync(MINISIGN, ['-Vm', at('payload.age'), '-x', at('payload.age.minisig'), '-p', at('archive.pub')], { encoding: 'utf8' });
    expect(out).toContain('Signature and comment signature verified');
    expect(out).toContain(`Trusted comment: ${trustedComment}`);
  });

  test('minisign -P <base64 key> and -H (prehashed required) accept it too', () => {
    const base64 = pubText.split('\n')[1] ?? '';
    const out = execFileSync(MINISIGN, ['-V', '-H', '-m', at('payload.age'), '-x', at('payload.age.minisig'), '-P', base64, '-Q'], { encoding: 'utf8' });
    expect(out.trim()).toBe(trustedComment);
  });

  test('minisign rejects the same tampering the app rejects', async () => {
    const altered = Buffer.from(payload);
    altered[1_000_000] = (altered[1_000_000] ?? 0) ^ 1;
    writeFileSync(at('altered.age'), altered);
    const fileCase = minisign(['-Vm', at('altered.age'), '-x', at('payload.age.minisig'), '-p', at('archive.pub')]);
    expect(fileCase.status).not.toBe(0);
    await expectArchiveError(verifyFile(at('altered.age'), sig, { keyId, publicKey: archive.publicKey }), 'MINISIGN_SIGNATURE_INVALID');

    writeFileSync(at('comment.minisig'), sig.replace('bundle 12', 'bundle 13'));
    const commentCase = minisign(['-Vm', at('payload.age'), '-x', at('comment.minisig'), '-p', at('archive.pub')]);
    expect(commentCase.status).not.toBe(0);
    expect(commentCase.stderr).toMatch(/comment signature verification failed/i);
  });
});

describe('signed by minisign, verified by the app', () => {
  // -W: no password on the secret key, so nothing is prompted.
  const gen = minisign(['-G', '-W', '-p', at('tool.pub'), '-s', at('tool.key')]);
  const toolKey = () => parsePublicKey(readFileSync(at('tool.pub'), 'utf8'));

  test('the generated key parses, and its id is the one minisign printed', () => {
    expect(gen.status).toBe(0);
    const key = toolKey();
    // minisign prints the id with %llX, so without leading zeros (an id starting with 0 is 1 key in 16).
    expect(readFileSync(at('tool.pub'), 'utf8')).toContain(`minisign public key ${keyIdHex(key.keyId).replace(/^0+(?=.)/, '')}\n`);
  });

  test('a default (prehashed) signature by minisign 0.11 verifies, with its trusted comment', async () => {
    const signed = minisign(['-S', '-s', at('tool.key'), '-m', at('payload.age'), '-x', at('tool.minisig'), '-t', trustedComment]);
    expect(signed.stderr).toBe('');
    expect(signed.status).toBe(0);
    const sig = readFileSync(at('tool.minisig'), 'utf8');
    expect(Buffer.from(sig.split('\n')[1] ?? '', 'base64').subarray(0, 2).toString()).toBe('ED');
    expect(await verifyFile(at('payload.age'), sig, toolKey())).toMatchObject({ trustedComment });
  });

  test('tampering with a minisign-made signature is named', async () => {
    const sig = readFileSync(at('tool.minisig'), 'utf8');
    const key = toolKey();
    await expectArchiveError(verifyFile(at('payload.age'), withLine(sig, 1, (l) => flipBase64Byte(l, 50)), key), 'MINISIGN_SIGNATURE_INVALID');
    await expectArchiveError(verifyFile(at('payload.age'), withLine(sig, 3, (l) => flipBase64Byte(l, 0)), key), 'MINISIGN_SIGNATURE_INVALID');
    await expectArchiveError(verifyFile(at('payload.age'), withLine(sig, 1, (l) => flipBase64Byte(l, 9)), key), 'MINISIGN_KEY_MISMATCH');
    const archive = ed25519KeyPair().publicKey;
    await expectArchiveError(verifyFile(at('payload.age'), sig, { keyId: keyIdOf(archive), publicKey: archive }), 'MINISIGN_KEY_MISMATCH');
  });

  test('a legacy signature (minisign -l) is refused as such, not misread', async () => {
    const signed = minisign(['-S', '-l', '-s', at('tool.key'), '-m', at('payload.age'), '-x', at('legacy.minisig'), '-t', 'legacy']);
    expect(signed.status).toBe(0);
    const err = await expectArchiveError(verifyFile(at('payload.age'), readFileSync(at('legacy.minisig'), 'utf8'), toolKey()), 'MINISIGN_SIGNATURE_MALFORMED');
    expect(err.message).toMatch(/legacy/);
  });
});
