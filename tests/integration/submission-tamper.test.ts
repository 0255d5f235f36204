// Damaged, forged and hostile bundles: every change is detected and named (which check failed, with which code),
// and nothing a hostile payload holds reaches the disk. Two kinds of attacker: one without the archive key (every
// change breaks a signature) and one with it (re-signed bundles, so the age and tar layers must catch it).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHUNK_SIZE, encryptBytes, generateIdentity, parseIdentity } from '../../electron/core/submissions/age/age';
import type { ErrorCode } from '../../shared/errors';
import { bundleFiles, type BundleCheckName } from '../../shared/submissions/bundle';
import { copyBundle, expectFailure, exportTo, fileEntry, flipByte, memorySeen, openWorld, readManifest, resign, reviewedTestimony, verify, type BundleWorld } from '../fixtures/bundles';
import { tarArchive, tarEntry } from '../fixtures/tar-blocks';

let w: BundleWorld;
/** Three genuine bundles of one archive (sequences 1, 2, 3); b1 has a payload of several chunks. */
let b1: Awaited<ReturnType<typeof exportTo>>;
let b2: Awaited<ReturnType<typeof exportTo>>;
let b3: Awaited<ReturnType<typeof exportTo>>;
let n = 0;
const copy = (src: string) => copyBundle(src, join(w.dir, `copy-${n++}`));

beforeAll(async () => {
  w = await openWorld('ta-bundle-tamper-');
  await reviewedTestimony(w, { attachment: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 7)]) });
  b1 = await exportTo(w);
  b2 = await exportTo(w);
  b3 = await exportTo(w);
}, 30_000);
afterAll(async () => {
  await w.cleanup();
});

test('the genuine bundles pass, so every failure below is caused by the change made', async () => {
  for (const b of [b1, b2, b3]) expect((await verify(w, b.dir, { seen: memorySeen() })).report.ok).toBe(true);
  expect([b1.sequence, b2.sequence, b3.sequence]).toEqual([1, 2, 3]);
});

/** Where the parts of payload.age are: header lines, the MAC, the nonce, and the encrypted chunks. */
function layout(payload: Buffer) {
  const text = payload.toString('latin1');
  const stanza = text.indexOf('\n-> X25519 ') + 1;
  const body = text.indexOf('\n', stanza) + 1;
  const mac = text.indexOf('\n--- ') + 1;
  const start = text.indexOf('\n', mac) + 1 + 16;
  const sealed = CHUNK_SIZE + 16;
  const chunks = Math.ceil((payload.length - start) / sealed);
  return { stanza, body, mac: mac + 4, nonce: start - 16, start, sealed, chunks, lastStart: start + (chunks - 1) * sealed };
}

/** Puts another base64 character at `offset` (stays valid base64, so the change reaches the crypto, not the parser). */
function swapBase64Char(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] = bytes[offset] === 0x41 ? 0x42 : 0x41;
  writeFileSync(path, bytes);
}

describe('one byte changed in payload.age', () => {
  const payloadOf = () => readFileSync(join(b1.dir, bundleFiles.payload));
  // [what, how to damage a copy, the decryption code once re-signed by a key holder]
  const places: Array<[string, (path: string) => void, ErrorCode]> = [
    ['the version line', (p) => flipByte(p, 5), 'AGE_HEADER_MALFORMED'],
    // A different ephemeral share derives another wrapping key: age reports no matching identity, not a header error.
    ['the X25519 stanza line (ephemeral share; surfaces as AGE_NO_IDENTITY)', (p) => swapBase64Char(p, layout(payloadOf()).stanza + 15), 'AGE_NO_IDENTITY'],
    // The wrapped file key no longer authenticates: again no identity matches.
    ['the stanza body (wrapped file key; surfaces as AGE_NO_IDENTITY)', (p) => swapBase64Char(p, layout(payloadOf()).body + 10), 'AGE_NO_IDENTITY'],
    ['the header MAC', (p) => swapBase64Char(p, layout(payloadOf()).mac + 10), 'AGE_HEADER_MALFORMED'],
    ['the payload nonce', (p) => flipByte(p, layout(payloadOf()).nonce + 3), 'AGE_PAYLOAD_DAMAGED'],
    ['the first chunk', (p) => flipByte(p, layout(payloadOf()).start + 100), 'AGE_PAYLOAD_DAMAGED'],
    ['a middle chunk', (p) => flipByte(p, layout(payloadOf()).start + 2 * layout(payloadOf()).sealed + 100), 'AGE_PAYLOAD_DAMAGED'],
    ['the last chunk', (p) => flipByte(p, layout(payloadOf()).lastStart + 5), 'AGE_PAYLOAD_DAMAGED'],
    ['the last chunk\'s tag', (p) => flipByte(p, payloadOf().length - 1), 'AGE_PAYLOAD_DAMAGED'],
    ['(cut) the whole last chunk dropped', (p) => truncateSync(p, layout(payloadOf()).lastStart), 'AGE_PAYLOAD_DAMAGED'],
    ['(cut) in the middle of a chunk', (p) => truncateSync(p, layout(payloadOf()).start + layout(payloadOf()).sealed + 1000), 'AGE_PAYLOAD_DAMAGED'],
  ];

  test('the payload has several chunks (first, middle and last are distinct)', () => {
    expect(layout(payloadOf()).chunks).toBeGreaterThanOrEqual(5);
  });

  for (const [what, damage, ageCode] of places) {
    test(`${what}: payload-signature fails; re-signed with the archive key, decryption fails with ${ageCode}`, async () => {
      const dir = copy(b1.dir);
      damage(join(dir, bundleFiles.payload));
      expect(readFileSync(join(dir, bundleFiles.payload)).equals(payloadOf())).toBe(false);
      expectFailure((await verify(w, dir)).report, 'payload-signature', 'MINISIGN_SIGNATURE_INVALID');
      await resign(w, dir);
      const { report } = await verify(w, dir);
      expectFailure(report, 'decryption', ageCode);
      expect(report.checks.find((c) => c.name === 'payload-hash')?.status).toBe('pass');
    });
  }
});

describe('signatures and manifest', () => {
  const sigLines = (path: string) => readFileSync(path, 'utf8').split('\n');
  const rewriteLine = (path: string, index: number, change: (line: string) => string) => {
    const lines = sigLines(path);
    lines[index] = change(lines[index] ?? '');
    writeFileSync(path, lines.join('\n'));
  };
  const changeBase64Byte = (at: number) => (line: string) => {
    const bytes = Buffer.from(line, 'base64');
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    return bytes.toString('base64');
  };
  const cases: Array<[string, BundleCheckName, ErrorCode, (dir: string) => void]> = [
    ['one byte of manifest.json', 'manifest-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => flipByte(join(d, bundleFiles.manifest), 40)],
    ['manifest.json.minisig: the signature line', 'manifest-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => rewriteLine(join(d, bundleFiles.manifestSig), 1, changeBase64Byte(20))],
    ['manifest.json.minisig: the key id in the signature line', 'manifest-signature', 'MINISIGN_KEY_MISMATCH', (d) => rewriteLine(join(d, bundleFiles.manifestSig), 1, changeBase64Byte(3))],
    ['manifest.json.minisig: the global signature line', 'manifest-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => rewriteLine(join(d, bundleFiles.manifestSig), 3, changeBase64Byte(10))],
    ['manifest.json.minisig: the trusted comment', 'manifest-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => rewriteLine(join(d, bundleFiles.manifestSig), 2, (l) => l.replace('sequence:1', 'sequence:9'))],
    ['manifest.json.minisig: bad base64', 'manifest-signature', 'MINISIGN_SIGNATURE_MALFORMED', (d) => rewriteLine(join(d, bundleFiles.manifestSig), 1, (l) => `${l.slice(0, 10)}*${l.slice(11)}`)],
    ['payload.age.minisig: the signature line', 'payload-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => rewriteLine(join(d, bundleFiles.payloadSig), 1, changeBase64Byte(40))],
    ['payload.age.minisig: the global signature line', 'payload-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => rewriteLine(join(d, bundleFiles.payloadSig), 3, changeBase64Byte(0))],
    ['payload.age.minisig: the trusted comment', 'payload-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => rewriteLine(join(d, bundleFiles.payloadSig), 2, (l) => l.replace('file:payload.age', 'file:other.age'))],
    ['payload.age.minisig: a line missing', 'payload-signature', 'MINISIGN_SIGNATURE_MALFORMED', (d) => writeFileSync(join(d, bundleFiles.payloadSig), sigLines(join(d, bundleFiles.payloadSig)).slice(0, 2).join('\n'))],
    // A valid signature of this archive, but made for the manifest: its trusted comment names another file.
    ['payload.age.minisig replaced by the manifest signature', 'payload-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => writeFileSync(join(d, bundleFiles.payloadSig), readFileSync(join(d, bundleFiles.manifestSig)))],
    ['payload.age and its signature swapped in from another bundle of the archive', 'payload-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => {
      for (const f of [bundleFiles.payload, bundleFiles.payloadSig]) writeFileSync(join(d, f), readFileSync(join(b2.dir, f)));
    }],
    ['manifest.json and its signature swapped in from another bundle', 'payload-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => {
      for (const f of [bundleFiles.manifest, bundleFiles.manifestSig]) writeFileSync(join(d, f), readFileSync(join(b2.dir, f)));
    }],
    ['payload.age alone swapped in from another bundle', 'payload-signature', 'MINISIGN_SIGNATURE_INVALID', (d) => writeFileSync(join(d, bundleFiles.payload), readFileSync(join(b2.dir, bundleFiles.payload)))],
    ['an unexpected extra file in the folder', 'files', 'BUNDLE_MALFORMED', (d) => writeFileSync(join(d, 'README.txt'), 'open me')],
    ['a symlink in place of payload.age', 'files', 'BUNDLE_MALFORMED', (d) => {
      rmSync(join(d, bundleFiles.payload));
      symlinkSync(join(b1.dir, bundleFiles.payload), join(d, bundleFiles.payload));
    }],
    ['payload.age.minisig missing', 'files', 'BUNDLE_MALFORMED', (d) => rmSync(join(d, bundleFiles.payloadSig))],
    ['manifest.json.minisig missing', 'files', 'BUNDLE_MALFORMED', (d) => rmSync(join(d, bundleFiles.manifestSig))],
    ['every bundle file missing', 'files', 'BUNDLE_NOT_FOUND', (d) => {
      for (const f of readdirSync(d)) rmSync(join(d, f));
    }],
    // archive.pub in the folder is never trusted: a planted key changes nothing.
  ];
  for (const [what, check, code, damage] of cases) {
    test(`${what} → ${check} fails with ${code}`, async () => {
      const dir = copy(b1.dir);
      damage(dir);
      expectFailure((await verify(w, dir)).report, check, code);
    });
  }

  test('a planted archive.pub of another key changes nothing (the pinned key decides); a bundle signed by another archive fails', async () => {
    const dir = copy(b1.dir);
    const other = await openWorld('ta-bundle-other-');
    try {
      writeFileSync(join(dir, bundleFiles.publicKey), other.archivePubText);
      expect((await verify(w, dir)).report.ok).toBe(true);
      expectFailure((await verify(other, dir, { identities: [] })).report, 'manifest-signature', 'MINISIGN_KEY_MISMATCH');
    } finally {
      await other.cleanup();
    }
  });

  test('the wrong recipient identity → decryption fails with AGE_NO_IDENTITY; every earlier check passes', async () => {
    const stranger = parseIdentity(generateIdentity().identity);
    const { report } = await verify(w, b1.dir, { identities: [stranger] });
    expectFailure(report, 'decryption', 'AGE_NO_IDENTITY');
    expect(report.checks.slice(0, 5).map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });
});

describe('sequence', () => {
  test('same sequence, another bundle id → BUNDLE_SEQUENCE_REPLAYED; the same bundle again passes', async () => {
    const seen = memorySeen();
    expect((await verify(w, b2.dir, { seen })).report.ok).toBe(true);
    expect((await verify(w, b2.dir, { seen })).report.ok).toBe(true);
    // A key holder re-issues sequence 2 under a new bundle id (everything validly signed).
    const forged = copy(b1.dir);
    await resign(w, forged, { manifest: (m) => ({ ...m, bundleId: randomUUID(), sequence: 2 }) });
    const { report } = await verify(w, forged, { seen, identities: [] });
    expectFailure(report, 'sequence', 'BUNDLE_SEQUENCE_REPLAYED');
    expect(report.checks.find((c) => c.name === 'manifest-signature')?.status).toBe('pass');
    expect(seen.size()).toBe(1);
  });

  test('an older sequence after a newer one → BUNDLE_SEQUENCE_REPLAYED (held back or replayed); in order they pass', async () => {
    const inOrder = memorySeen();
    for (const b of [b1, b2, b3]) expect((await verify(w, b.dir, { seen: inOrder, identities: [] })).report.ok).toBe(true);
    const seen = memorySeen();
    expect((await verify(w, b3.dir, { seen, identities: [] })).report.ok).toBe(true);
    expectFailure((await verify(w, b1.dir, { seen, identities: [] })).report, 'sequence', 'BUNDLE_SEQUENCE_REPLAYED');
    // A gap is allowed (a bundle may never reach this reader), and the newest is still accepted again.
    expect((await verify(w, b3.dir, { seen, identities: [] })).report.ok).toBe(true);
  });
});

describe('hostile payloads in a validly signed bundle', () => {
  const records = readFileSync(join(import.meta.dirname, '../../package.json'));
  const recordsEntry = tarEntry({ name: 'records.json' }, records);
  const tars: Array<[string, Buffer, ErrorCode]> = [
    ['an entry named ../evil', tarArchive(recordsEntry, tarEntry({ name: '../evil' }, 'pwned')), 'TAR_ENTRY_UNSAFE'],
    ['an absolute path', tarArchive(recordsEntry, tarEntry({ name: '/tmp/evil' }, 'pwned')), 'TAR_ENTRY_UNSAFE'],
    ['a symlink entry', tarArchive(recordsEntry, tarEntry({ name: 'records.csv', type: '2', linkname: '/etc/passwd' })), 'TAR_ENTRY_UNSAFE'],
    ['a hard link entry', tarArchive(recordsEntry, tarEntry({ name: 'records.csv', type: '1', linkname: 'records.json' })), 'TAR_ENTRY_UNSAFE'],
    ['a duplicate records.json', tarArchive(recordsEntry, tarEntry({ name: 'records.json' }, 'second')), 'TAR_ENTRY_DUPLICATE'],
    ['an entry declaring 8 GiB', tarArchive(recordsEntry, tarEntry({ name: 'summary.html', sizeField: '77777777777\0' })), 'TAR_ENTRY_TOO_LARGE'],
    ['a broken header checksum', tarArchive(recordsEntry, tarEntry({ name: 'summary.html', badChecksum: true }, 'x')), 'TAR_MALFORMED'],
  ];
  for (const [what, tar, code] of tars) {
    test(`${what} → contents fails with ${code}; extractTo leaves nothing on disk`, async () => {
      const dir = copy(b1.dir);
      await resign(w, dir, { plainTar: tar, manifest: (m) => ({ ...m, files: [fileEntry('records.json', records), fileEntry('records.csv', ''), fileEntry('summary.html', '')] }) });
      const parent = join(w.dir, `extract-${n++}`);
      const target = join(parent, 'out');
      mkdirSync(parent);
      const { report } = await verify(w, dir, { extractTo: target });
      expectFailure(report, 'contents', code);
      expect(readdirSync(parent)).toEqual([]);
      expect(existsSync(join(parent, 'evil'))).toBe(false);
      expect(existsSync('/tmp/evil')).toBe(false);
    });
  }

  test('an entry the manifest does not list → contents fails with BUNDLE_MALFORMED', async () => {
    const dir = copy(b1.dir);
    await resign(w, dir, { plainTar: tarArchive(recordsEntry, tarEntry({ name: 'records.csv' }, 'a,b\r\n')), manifest: (m) => ({ ...m, files: [fileEntry('records.json', records)] }) });
    expectFailure((await verify(w, dir)).report, 'contents', 'BUNDLE_MALFORMED');
  });

  test('an entry whose bytes differ from its manifest hash → contents fails with BUNDLE_HASH_MISMATCH', async () => {
    const dir = copy(b1.dir);
    await resign(w, dir, { plainTar: tarArchive(recordsEntry), manifest: (m) => ({ ...m, files: [fileEntry('records.json', 'something else')] }) });
    expectFailure((await verify(w, dir)).report, 'contents', 'BUNDLE_HASH_MISMATCH');
  });

  test('records.json that is not a records file → records fails with BUNDLE_MALFORMED', async () => {
    const dir = copy(b1.dir);
    await resign(w, dir, { plainTar: tarArchive(recordsEntry), manifest: (m) => ({ ...m, files: [fileEntry('records.json', records)] }) });
    expectFailure((await verify(w, dir)).report, 'records', 'BUNDLE_MALFORMED');
  });

  const payloads: Array<[string, () => Promise<Buffer> | Buffer, ErrorCode]> = [
    ['a malformed age header', () => Buffer.from('age-encryption.org/v1\n-> X25519 not-base64!\n\n--- AAAA\n'), 'AGE_HEADER_MALFORMED'],
    ['another age version', () => Buffer.from('age-encryption.org/v2\n--- AAAA\n'), 'AGE_HEADER_MALFORMED'],
    ['armor with a bad base64 line', () => Buffer.from('-----BEGIN AGE ENCRYPTED FILE-----\nYWdl*ZW5jcnlwdGlvbi5vcmcv\n-----END AGE ENCRYPTED FILE-----\n'), 'AGE_ARMOR_MALFORMED'],
    ['armor without its end line', async () => (await encryptBytes([w.identity.recipient], Buffer.from('x'), { armor: true })).subarray(0, 60), 'AGE_ARMOR_MALFORMED'],
    ['a file encrypted with a passphrase stanza', () => Buffer.from('age-encryption.org/v1\n-> scrypt AAAAAAAAAAAAAAAAAAAAAA 10\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n'), 'AGE_NO_IDENTITY'],
    ['an empty file', () => Buffer.alloc(0), 'AGE_HEADER_MALFORMED'],
  ];
  for (const [what, make, code] of payloads) {
    test(`payload.age is ${what} → decryption fails with ${code}`, async () => {
      const dir = copy(b1.dir);
      await resign(w, dir, { payload: await make() });
      expectFailure((await verify(w, dir)).report, 'decryption', code);
    });
  }

  const manifests: Array<[string, (m: ReturnType<typeof readManifest>) => object, BundleCheckName, ErrorCode]> = [
    ['a payload hash that is not hex', (m) => ({ ...m, payload: { ...m.payload, sha256: 'zz'.repeat(32) } }), 'manifest', 'BUNDLE_MALFORMED'],
    ['a recipient that is not an age key', (m) => ({ ...m, recipients: [{ label: 'X', kind: 'commission', recipient: 'age1notakey', fingerprint: '' }] }), 'manifest', 'BUNDLE_MALFORMED'],
    ['an unknown field', (m) => ({ ...m, extra: true }), 'manifest', 'BUNDLE_MALFORMED'],
    ['a file listed twice', (m) => ({ ...m, files: [...m.files, m.files[0]] }), 'manifest', 'BUNDLE_MALFORMED'],
    ['another archive key id', (m) => ({ ...m, archive: { ...m.archive, keyId: '00'.repeat(8) } }), 'manifest', 'MINISIGN_KEY_MISMATCH'],
    ['a checkpoint with bad base64 in its signature', (m) => ({ ...m, checkpoint: { ...m.checkpoint, note: m.checkpoint.note.replace(/— (\S+) (\S+)\n$/, '— $1 *$2\n') } }), 'checkpoint', 'BUNDLE_CHECKPOINT_INVALID'],
    ['a checkpoint whose count differs from the note', (m) => ({ ...m, checkpoint: { ...m.checkpoint, count: m.checkpoint.count + 1 } }), 'checkpoint', 'BUNDLE_CHECKPOINT_INVALID'],
    ['a payload size that differs from the file', (m) => ({ ...m, payload: { ...m.payload, bytes: m.payload.bytes + 1 } }), 'payload-hash', 'BUNDLE_HASH_MISMATCH'],
    ['manifest.json that is not JSON', () => ({ toJSON: () => undefined }), 'manifest', 'BUNDLE_MALFORMED'],
  ];
  for (const [what, change, check, code] of manifests) {
    test(`a re-signed manifest with ${what} → ${check} fails with ${code}`, async () => {
      const dir = copy(b1.dir);
      await resign(w, dir, { manifest: change });
      expectFailure((await verify(w, dir, { identities: [] })).report, check, code);
    });
  }
});

test('the original bundles were never touched by the tests above', async () => {
  expect(readManifest(b1.dir).sequence).toBe(1);
  expect((await verify(w, b1.dir)).report.ok).toBe(true);
});
