// Bundles the app writes, read with the Debian tools (age, minisign, tar), and files those tools make, read by the
// app's bundle code: a commission never needs this app to open or check a submission.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decryptBytes } from '../../electron/core/submissions/age/age';
import { verifyFile, parsePublicKey } from '../../electron/core/submissions/minisign';
import { bundleFiles } from '../../shared/submissions/bundle';
import { recordsFileStrictSchema } from '../../shared/records/records-file';
import { exportTo, openWorld, readManifest, reviewedTestimony, verify, type BundleWorld } from '../fixtures/bundles';

let w: BundleWorld;
let bundle: Awaited<ReturnType<typeof exportTo>>;
let extracted: string;
const attachment = randomBytes(300_000);

beforeAll(async () => {
  w = await openWorld('ta-bundle-interop-');
  await reviewedTestimony(w, { attachment });
  bundle = await exportTo(w);
  extracted = join(w.dir, 'extracted');
  mkdirSync(extracted);
  const tar = execFileSync('age', ['-d', '-i', w.identityFile, join(bundle.dir, bundleFiles.payload)], { maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(join(w.dir, 'payload.tar'), tar);
  execFileSync('tar', ['-xf', join(w.dir, 'payload.tar'), '-C', extracted]);
}, 30_000);
afterAll(async () => {
  await w.cleanup();
});

test('`age -d -i <identity>` decrypts payload.age; `tar -t` lists the four files and the attachment', () => {
  const listing = execFileSync('tar', ['-tf', join(w.dir, 'payload.tar')]).toString().trim().split('\n');
  // Attachments first: the records are built while they stream.
  expect(listing).toHaveLength(5);
  expect(listing[0]).toMatch(/^attachments\/[0-9a-f-]{36}\.[a-z0-9]{1,8}$/);
  expect(listing.slice(1)).toEqual(['records.json', 'records.schema.json', 'records.csv', 'summary.html']);
  const att = readdirSync(join(extracted, 'attachments'));
  expect(att).toHaveLength(1);
  // The attachment's plaintext leaves the archive unchanged, and matches the manifest's listing.
  expect(readFileSync(join(extracted, 'attachments', att[0] ?? '')).equals(attachment)).toBe(true);
  const m = readManifest(bundle.dir);
  expect(m.files.map((f) => f.path).sort()).toEqual([...listing].sort());
  expect(m.counts.attachments).toBe(1);
});

test('`b2sum payload.age` prints the BLAKE2b-512 the manifest lists', () => {
  const [digest] = execFileSync('b2sum', [join(bundle.dir, 'payload.age')]).toString().split(' ');
  expect(digest).toBe(readManifest(bundle.dir).payload.blake2b512);
  expect(statSync(join(bundle.dir, 'payload.age')).size).toBe(readManifest(bundle.dir).payload.bytes);
});

test('`minisign -Vm` verifies payload.age and manifest.json with archive.pub; the trusted comment names the bundle and sequence', () => {
  for (const file of [bundleFiles.payload, bundleFiles.manifest]) {
    const out = execFileSync('minisign', ['-Vm', join(bundle.dir, file), '-p', join(bundle.dir, bundleFiles.publicKey)]).toString();
    expect(out).toContain('Signature and comment signature verified');
    expect(out).toContain(`Trusted comment: bundle:${bundle.bundleId} sequence:${bundle.sequence} archive:`);
    expect(out).toContain(`file:${file}`);
  }
  // archive.pub in the bundle is the archive's key as the app shows it for pinning.
  expect(readFileSync(join(bundle.dir, bundleFiles.publicKey), 'utf8')).toBe(w.archivePubText);
  // And minisign refuses a changed payload (so the check above can fail).
  const changed = join(w.dir, 'changed.age');
  const bytes = readFileSync(join(bundle.dir, bundleFiles.payload));
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  writeFileSync(changed, bytes);
  writeFileSync(`${changed}.minisig`, readFileSync(join(bundle.dir, bundleFiles.payloadSig)));
  expect(() => execFileSync('minisign', ['-Vm', changed, '-p', join(bundle.dir, bundleFiles.publicKey)], { stdio: 'pipe' })).toThrow();
});

test('records.json from `tar -x` validates against records.schema.json from the same bundle (Ajv, JSON Schema 2020-12)', () => {
  const schema = JSON.parse(readFileSync(join(extracted, 'records.schema.json'), 'utf8')) as Record<string, unknown>;
  const records = JSON.parse(readFileSync(join(extracted, 'records.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  expect(validate(records), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  // The schema is not vacuous: a record without its title, or with an unknown field, is refused.
  const testimonies = records.testimonies as Array<Record<string, unknown>>;
  const first = testimonies[0] ?? {};
  const { title: _title, ...untitled } = first;
  expect(validate({ ...records, testimonies: [untitled] })).toBe(false);
  expect(validate({ ...records, smuggled: true })).toBe(false);
  // The app's own strict schema agrees.
  expect(recordsFileStrictSchema.safeParse(records).success).toBe(true);
});

test('the app verifier passes the same bundle with every check', async () => {
  const { report } = await verify(w, bundle.dir);
  expect(report.checks.map((c) => [c.name, c.status])).toEqual([
    ['files', 'pass'],
    ['manifest-signature', 'pass'],
    ['manifest', 'pass'],
    ['payload-signature', 'pass'],
    ['payload-hash', 'pass'],
    ['sequence', 'skipped'],
    ['checkpoint', 'pass'],
    ['decryption', 'pass'],
    ['contents', 'pass'],
    ['records', 'pass'],
  ]);
  expect(report.ok).toBe(true);
});

test('`age -e -r` to a recipient the app generated decrypts with the app reader (a payload as a commission tool would make it)', async () => {
  const plain = join(w.dir, 'plain.tar');
  writeFileSync(plain, readFileSync(join(w.dir, 'payload.tar')));
  const sealed = join(w.dir, 'cli.age');
  execFileSync('age', ['-e', '-r', w.identity.recipient, '-o', sealed, plain]);
  expect((await decryptBytes([w.identity], readFileSync(sealed))).equals(readFileSync(plain))).toBe(true);
});

test('a `minisign -S` signature (key from `minisign -G -W`) of a bundle file verifies with the app verifier, and not with the archive key', async () => {
  const pub = join(w.dir, 'cli.pub');
  const sec = join(w.dir, 'cli.key');
  execFileSync('minisign', ['-G', '-W', '-p', pub, '-s', sec], { stdio: 'pipe' });
  const file = join(w.dir, 'manifest-copy.json');
  writeFileSync(file, readFileSync(join(bundle.dir, bundleFiles.manifest)));
  execFileSync('minisign', ['-S', '-s', sec, '-m', file, '-t', `bundle:${bundle.bundleId} sequence:${bundle.sequence}`], { stdio: 'pipe' });
  const sig = readFileSync(`${file}.minisig`, 'utf8');
  const key = parsePublicKey(readFileSync(pub, 'utf8'));
  const r = await verifyFile(file, sig, key);
  expect(r.trustedComment).toBe(`bundle:${bundle.bundleId} sequence:${bundle.sequence}`);
  await expect(verifyFile(file, sig, w.pinnedKey)).rejects.toMatchObject({ code: 'MINISIGN_KEY_MISMATCH' });
});

test('the app verifier with extractTo writes exactly what `tar -x` wrote, byte for byte, and only when every check passed', async () => {
  const target = join(w.dir, 'app-extracted');
  const { report } = await verify(w, bundle.dir, { extractTo: target });
  expect(report.ok).toBe(true);
  const list = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)).map((n) => `${e.name}/${n}`) : [e.name])).sort();
  expect(list(target)).toEqual(list(extracted));
  for (const f of list(extracted)) expect(readFileSync(join(target, f)).equals(readFileSync(join(extracted, f))), f).toBe(true);
  // A second extraction into the now full folder is refused, and changes nothing there.
  const again = await verify(w, bundle.dir, { extractTo: target });
  expect(again.report.checks.find((c) => c.status === 'fail')).toMatchObject({ name: 'decryption', code: 'BUNDLE_DESTINATION_EXISTS' });
  expect(list(target)).toEqual(list(extracted));
});

test('extractTo a path that is a file → decryption fails with BUNDLE_DESTINATION_EXISTS, nothing decrypted, the file untouched', async () => {
  const file = join(w.dir, 'a-file');
  writeFileSync(file, 'mine');
  const { report } = await verify(w, bundle.dir, { extractTo: file });
  expect(report.checks.filter((c) => c.status === 'fail').map((c) => [c.name, c.code])).toEqual([['decryption', 'BUNDLE_DESTINATION_EXISTS']]);
  expect(report.checks.slice(-2).map((c) => c.status)).toEqual(['skipped', 'skipped']);
  expect(readFileSync(file, 'utf8')).toBe('mine');
  expect(readdirSync(w.dir).filter((n) => n.includes('.partial-'))).toEqual([]);
});
