// age interop with the Debian `age` CLI both ways, on real files streamed from and to temp folders.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ArchiveError } from '../../electron/core/errors';
import { decryptStream, encryptStream, fileSink, generateIdentity, identityFileText, parseIdentityFile, type EncryptOptions, type Identity } from '../../electron/core/submissions/age/age';
import { tempDir } from '../fixtures/archive';

const dir = tempDir('ta-age-');
afterAll(() => dir.cleanup());
const MiB = 1024 * 1024;
let n = 0;
const path = (name: string) => join(dir.path, `${n++}-${name}`);

const app = generateIdentity();
const appFile = path('app-identity.txt');
writeFileSync(appFile, identityFileText(app.identity), { mode: 0o600 });
const cliFile = path('cli-identity.txt');
execFileSync('age-keygen', ['-o', cliFile], { stdio: 'pipe' });
const cliIds = parseIdentityFile(readFileSync(cliFile, 'utf8'));
const cliRecipient = cliIds[0]?.recipient ?? '';

async function encryptFile(recipients: string[], src: string, dest: string, opts: EncryptOptions = {}): Promise<void> {
  const fh = await open(dest, 'wx', 0o600);
  try {
    await encryptStream(recipients, createReadStream(src, { highWaterMark: MiB }), fileSink(fh), opts);
  } finally {
    await fh.close();
  }
}

async function decryptFile(ids: Identity[], src: string, dest: string): Promise<void> {
  const fh = await open(dest, 'wx', 0o600);
  try {
    await decryptStream(ids, createReadStream(src, { highWaterMark: MiB }), fileSink(fh));
  } finally {
    await fh.close();
  }
}

test('age-keygen -y reads the identity file the app writes and prints the app recipient', () => {
  expect(execFileSync('age-keygen', ['-y', appFile]).toString().trim()).toBe(app.recipient);
  expect(cliRecipient).toMatch(/^age1/);
  expect(readFileSync(cliFile, 'utf8')).toContain(`# public key: ${cliRecipient}`);
});

test('app encrypts, `age -d` decrypts to identical bytes (app and age-keygen identities)', async () => {
  for (const size of [0, 1, 65_536, 65_537, 5 * MiB]) {
    const plain = path('plain');
    writeFileSync(plain, randomBytes(size));
    const sealed = path('sealed.age');
    await encryptFile([app.recipient, cliRecipient], plain, sealed);
    for (const id of [appFile, cliFile]) {
      const out = execFileSync('age', ['-d', '-i', id, sealed], { maxBuffer: 16 * MiB });
      expect(out.equals(readFileSync(plain)), `${size} bytes with ${id}`).toBe(true);
    }
  }
});

test('app armored output decrypts with `age -d`', async () => {
  const plain = path('plain');
  writeFileSync(plain, randomBytes(300_000));
  const sealed = path('sealed.age');
  await encryptFile([app.recipient], plain, sealed, { armor: true });
  expect(readFileSync(sealed, 'latin1').startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n')).toBe(true);
  expect(execFileSync('age', ['-d', '-i', appFile, sealed], { maxBuffer: 16 * MiB }).equals(readFileSync(plain))).toBe(true);
});

test('`age -e -r` (binary and -a armored) to the app recipient decrypts in the app', async () => {
  const ids = parseIdentityFile(readFileSync(appFile, 'utf8'));
  for (const size of [0, 1, 65_536, 65_537, 5 * MiB]) {
    const plain = path('plain');
    writeFileSync(plain, randomBytes(size));
    for (const armor of [false, true]) {
      const sealed = path('cli.age');
      execFileSync('age', ['-e', ...(armor ? ['-a'] : []), '-r', cliRecipient, '-r', app.recipient, '-o', sealed, plain]);
      const out = path('out');
      await decryptFile(ids, sealed, out);
      expect(readFileSync(out).equals(readFileSync(plain)), `${size} bytes armor=${armor}`).toBe(true);
    }
  }
});

test('an identity file with several keys decrypts a file to its second key; a stranger gets AGE_NO_IDENTITY', async () => {
  const second = generateIdentity();
  const twoKeys = path('two.txt');
  writeFileSync(twoKeys, `${identityFileText(app.identity)}\n${identityFileText(second.identity)}`);
  const plain = path('plain');
  writeFileSync(plain, 'Dëshmia e Milica Јовановић');
  const sealed = path('second.age');
  execFileSync('age', ['-e', '-r', second.recipient, '-o', sealed, plain]);
  const out = path('out');
  await decryptFile(parseIdentityFile(readFileSync(twoKeys, 'utf8')), sealed, out);
  expect(readFileSync(out, 'utf8')).toBe('Dëshmia e Milica Јовановић');
  const err = await decryptFile(cliIds, sealed, path('out')).then(
    () => 'no error',
    (e: unknown) => (e instanceof ArchiveError ? e.code : String(e)),
  );
  expect(err).toBe('AGE_NO_IDENTITY');
});

test('decrypting 256 MiB from a file keeps memory bounded', async () => {
  const plain = path('big');
  const block = randomBytes(MiB);
  const fh = await open(plain, 'w');
  for (let i = 0; i < 256; i++) await fh.write(block);
  await fh.close();
  const sealed = path('big.age');
  execFileSync('age', ['-e', '-r', app.recipient, '-o', sealed, plain]);
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  let bytes = 0;
  await decryptStream(parseIdentityFile(readFileSync(appFile, 'utf8')), createReadStream(sealed, { highWaterMark: MiB }), (parts) => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    for (const p of parts) {
      if (!p.equals(block.subarray(bytes % MiB, (bytes % MiB) + p.length))) throw new Error(`wrong bytes at ${bytes}`);
      bytes += p.length;
    }
    return Promise.resolve();
  });
  expect(bytes).toBe(256 * MiB);
  // A bound well under the file's size, with room for a collector that runs late on a busy machine (33 MiB seen).
  expect(peak).toBeLessThan(64 * MiB);
});
