// The readers of outside files as hostile input: age, minisign, the payload tar, the bundle verifier, recovery shares
// and records.json. Damaged, cut, padded or random bytes give a result or an ArchiveError with a named code, never an
// engine error (TypeError, RangeError), never a hang, and nothing written outside the reader's own folder.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSodium, type Sodium } from '../../electron/core/crypto/sodium';
import { ArchiveError } from '../../electron/core/errors';
import { importRecords, parseRecordsFile } from '../../electron/core/records/import-service';
import { createRecords } from '../../electron/core/records/records-context';
import { decryptBytes, decryptStream, encryptBytes, generateIdentity, parseHeader, parseIdentity, parseIdentityFile, parseRecipient, identityFileText, type Identity } from '../../electron/core/submissions/age/age';
import { encodePublicKey, parsePublicKey, signDigest, verifyFile, type MinisignPublicKey } from '../../electron/core/submissions/minisign';
import { readTar } from '../../electron/core/submissions/tar-reader';
import { writeTar } from '../../electron/core/submissions/tar-writer';
import { formatShare, parseShare, type ShareFields } from '../../electron/core/vault/recovery-share';
import { errorCodes, type ErrorCode } from '../../shared/errors';
import { bundleFiles, isPayloadEntryName } from '../../shared/submissions/bundle';
import { tempDir } from '../fixtures/archive';
import { exportTo, fileEntry, openWorld, resign, reviewedTestimony, verify, type BundleWorld } from '../fixtures/bundles';
import { listFilesRecursive } from '../fixtures/files';
import { adversarialString, damaged, engineTextIn, fuzzOptions, fuzzTimeout, nearValid, piecesOf, within } from '../fixtures/fuzz';
import { ed25519KeyPair } from '../fixtures/minisign-keys';
import { paxEntry, tarArchive, tarEntry, type HeaderFields } from '../fixtures/tar-blocks';
import { referenceCheck } from '../fixtures/reference';
import { recordsFile } from '../fixtures/records-file';

const knownCodes = new Set<string>(errorCodes);
const runs = { light: 200, medium: 120, heavy: 40 };
/** A reader that has not answered after this long is taken as hung (generous: the machine is shared). */
const hangMs = 15_000;
/** Each property's time limit (a deep run takes FUZZ_RUNS times longer). */
const limits = { timeout: fuzzTimeout(60_000) };

/** Outcomes per property (printed with FUZZ_STATS=1): shows which checks the damage reached. */
const outcomes = new Map<string, Map<string, number>>();
function tally(label: string, outcome: string): void {
  const m = outcomes.get(label) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  outcomes.set(label, m);
}
afterAll(() => {
  if (process.env['FUZZ_STATS']) for (const [label, m] of outcomes) console.log(label, Object.fromEntries(m));
});

type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode };

/**
 * Runs a reader: its value, or the code of the ArchiveError it threw. Anything else (an engine error, a hang, an
 * INTERNAL, a message with a stack or engine wording) is thrown on as the property's failure.
 */
async function read<T>(work: () => Promise<T> | T, allowed: readonly string[] = [], label = ''): Promise<Outcome<T>> {
  try {
    const value = await within(hangMs, Promise.resolve().then(work));
    if (label) tally(label, 'ok');
    return { ok: true, value };
  } catch (e) {
    if (label) tally(label, e instanceof ArchiveError ? e.code : 'other');
    if (!(e instanceof ArchiveError)) throw new Error(`not an ArchiveError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    if (!knownCodes.has(e.code) || e.code === 'INTERNAL') throw new Error(`code ${e.code}: ${e.message}`);
    if (allowed.length > 0 && !allowed.some((prefix) => e.code.startsWith(prefix))) throw new Error(`unexpected code ${e.code}: ${e.message}`);
    const leak = engineTextIn(e.message);
    if (leak) throw new Error(`${leak} in ${e.code}: ${e.message}`);
    return { ok: false, code: e.code };
  }
}

/** A string damaged at the byte level (read back as UTF-8, so broken sequences become U+FFFD, or as Latin-1). */
const damagedText = (text: string) => fc.tuple(damaged(Buffer.from(text, 'utf8')), fc.boolean()).map(([b, latin]) => b.toString(latin ? 'latin1' : 'utf8'));
/** Undefined four times in five, else a value of `arb`. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

async function drain(body: AsyncIterable<Buffer>): Promise<number> {
  let n = 0;
  for await (const c of body) n += c.length;
  return n;
}

/** JSON text of a mutated value (big integers as strings: JSON has none). */
function toJson(v: unknown): string {
  // Undefined (a deleted root) has no JSON text: the file then says null.
  if (v === undefined) return 'null';
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
const pieceSizes = fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 6 });

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

describe('age', limits, () => {
  const id = generateIdentity();
  const identity: Identity = parseIdentity(id.identity);
  const other = generateIdentity();
  const files: Array<{ plain: Buffer; file: Buffer; label: string }> = [];
  beforeAll(async () => {
    // Empty, short, exactly one chunk, and past a chunk boundary; binary and armored; one or two recipients.
    for (const size of [0, 100, 64 * 1024, 64 * 1024 + 300]) {
      const plain = randomBytes(size);
      files.push({ plain, file: await encryptBytes([id.recipient], plain), label: `binary ${size}` });
      files.push({ plain, file: await encryptBytes([other.recipient, id.recipient], plain, { armor: true }), label: `armored ${size}` });
    }
  });

  test('a damaged file decrypts to exactly its plaintext or fails with an AGE code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), pieceSizes, async (which, seed, sizes) => {
        const f = files[which % files.length];
        if (!f) return;
        const bad = fc.sample(damaged(f.file), { numRuns: 1, seed })[0] ?? f.file;
        const parts: Buffer[] = [];
        const r = await read(() => decryptStream([identity], piecesOf(bad, sizes), (batch) => {
          parts.push(...batch.map((b) => Buffer.from(b)));
          return Promise.resolve();
        }), ['AGE_'], 'age decrypt');
        // Authenticated encryption: whatever passes is the original plaintext, byte for byte.
        if (r.ok) expect(Buffer.concat(parts).equals(f.plain), f.label).toBe(true);
      }),
      fuzzOptions('age/decrypt-damaged', runs.medium),
    );
  });

  test('random bytes after a real version line or armor line fail with an AGE code', async () => {
    const prefixes = ['', 'age-encryption.org/v1\n', 'age-encryption.org/v1\n-> X25519 ', '-----BEGIN AGE ENCRYPTED FILE-----\n', '-----BEGIN AGE ENCRYPTED FILE-----\r\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSA'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.string({ unit: 'binary', maxLength: 2000 }).map((s) => Buffer.from(s))), async (prefix, rest) => {
        const r = await read(() => decryptBytes([identity], Buffer.concat([Buffer.from(prefix), rest])), ['AGE_']);
        expect(r.ok).toBe(false);
      }),
      fuzzOptions('age/random', runs.light),
    );
  });

  test('header parser on damaged headers', async () => {
    const header = files[0]?.file ?? Buffer.alloc(0);
    await fc.assert(
      fc.asyncProperty(damaged(header), async (bytes) => {
        await read(() => parseHeader(bytes), ['AGE_']);
      }),
      fuzzOptions('age/header', runs.light),
    );
  });

  test('identities, identity files and recipients', async () => {
    const identityFile = identityFileText(id.identity);
    await fc.assert(
      fc.asyncProperty(fc.oneof(damagedText(id.identity), damagedText(id.recipient), damagedText(identityFile), adversarialString), async (text) => {
        const asIdentity = await read(() => parseIdentity(text), ['AGE_']);
        const asRecipient = await read(() => parseRecipient(text), ['AGE_']);
        await read(() => parseIdentityFile(text), ['AGE_']);
        // A key that still parses after damage is a different key, never the original under another spelling.
        if (asIdentity.ok && text !== id.identity) expect(asIdentity.value.recipient === id.recipient && text.toUpperCase() !== id.identity.toUpperCase()).toBe(false);
        if (asRecipient.ok && text !== id.recipient) expect(Buffer.from(asRecipient.value).equals(parseRecipient(id.recipient))).toBe(false);
      }),
      fuzzOptions('age/keys', runs.light),
    );
  });
});

describe('minisign', limits, () => {
  const key = ed25519KeyPair();
  const pubText = encodePublicKey(key.publicKey);
  const pinned: MinisignPublicKey = parsePublicKey(pubText);
  const file = randomBytes(3000);
  const trustedComment = 'bundle:7 sequence:3 file:payload.age';
  const sigText = signDigest(createHash('blake2b512').update(file).digest(), { secretKey: key.secretKey, trustedComment });

  test('damaged public keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(damagedText(pubText), adversarialString), async (text) => {
        // A minisign key has no checksum: damage inside the base64 gives another key, of the right shape.
        const r = await read(() => parsePublicKey(text), ['MINISIGN_']);
        if (r.ok) expect([r.value.keyId.length, r.value.publicKey.length]).toEqual([8, 32]);
      }),
      fuzzOptions('minisign/key', runs.light),
    );
  });

  test('a damaged file or signature verifies only as the original (the untrusted comment is not signed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.oneof(damagedText(sigText), adversarialString), damaged(file), pieceSizes, async (damageFile, sig, bytes, sizes) => {
        const body = damageFile ? bytes : file;
        const text = damageFile ? sigText : sig;
        const r = await read(() => verifyFile(piecesOf(body, sizes), text, pinned), ['MINISIGN_'], 'minisign verify');
        if (r.ok) {
          expect(body.equals(file)).toBe(true);
          expect(r.value.trustedComment).toBe(trustedComment);
        }
      }),
      fuzzOptions('minisign/verify', runs.light),
    );
  });

  test('a pinned key of 32 random bytes (not a curve point) is refused, not thrown on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (publicKey) => {
        const r = await read(() => verifyFile(piecesOf(file, [4096]), sigText, { keyId: pinned.keyId, publicKey }), ['MINISIGN_']);
        expect(r.ok).toBe(false);
      }),
      fuzzOptions('minisign/random-key', runs.light),
    );
  });
});

describe('tar reader', limits, () => {
  const MiB = 1024 * 1024;
  let tar = Buffer.alloc(0);
  const longName = `attachments/${randomUUID()}.pdf`;
  beforeAll(async () => {
    const parts: Buffer[] = [];
    const entries = [
      { name: 'records.json', body: JSON.stringify(recordsFile()) },
      { name: 'records.csv', body: 'ref,title\nt1,Mejë\n' },
      { name: longName, body: randomBytes(5000) },
      { name: `attachments/${randomUUID()}.webm`, body: new Uint8Array(0) },
    ];
    for await (const p of writeTar(entries)) parts.push(Buffer.from(p));
    tar = Buffer.concat(parts);
  });

  test('a damaged tar gives its entries or a TAR code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), pieceSizes, fc.boolean(), fc.constantFrom<'reject' | 'skip'>('reject', 'skip'), fc.nat({ max: 3 }), async (seed, sizes, strictNames, directories, readHow) => {
        const bytes = fc.sample(damaged(tar), { numRuns: 1, seed })[0] ?? tar;
        await read(
          () =>
            readTar(piecesOf(bytes, sizes), {
              allow: strictNames ? isPayloadEntryName : () => true,
              maxEntryBytes: MiB,
              maxTotalBytes: 4 * MiB,
              maxEntries: 50,
              directories,
              // Consumers read all, part, or none of a body, or fail themselves.
              onEntry: async (_name, _size, body) => {
                if (readHow === 0) return;
                for await (const chunk of body) if (readHow === 1 || chunk.length === 0) break;
                if (readHow === 3) throw new ArchiveError('BUNDLE_HASH_MISMATCH', 'The consumer refused the entry.');
              },
            }),
          ['TAR_', 'BUNDLE_HASH_MISMATCH'],
          'tar damaged',
        );
      }),
      fuzzOptions('tar/damaged', runs.medium),
    );
  });

  test('hand-made hostile headers: odd types, sizes, names, pax and GNU long-name records', async () => {
    const name = fc.oneof(fc.constantFrom('records.json', 'attachments/', '../records.json', '/etc/passwd', 'a/../../b', 'records.json/', 'RECORDS.JSON', './records.json', 'attachments//x.pdf', ''), adversarialString.map((t) => t.slice(0, 300)));
    const sizeField = fc.oneof(fc.constantFrom('77777777777\0', '00000000000\0', '-1\0', '1e3\0', '0x10\0', '\x80\0\0\0\0\0\0\0\0\0\0\xff', '           \0', '12x\0'), fc.string({ unit: 'binary-ascii', maxLength: 12 }));
    // Mostly honest headers (the body's real size, type '0', a good checksum), so the odd field is what gets tested.
    const header = fc
      .record({
        name,
        linkname: name,
        type: fc.oneof({ weight: 4, arbitrary: fc.constant('0') }, fc.constantFrom('\0', '1', '2', '3', '4', '5', '6', '7', 'x', 'g', 'L', 'K', 'S', 'V', 'Z')),
        sizeField: rarely(sizeField),
        size: rarely(fc.nat({ max: 4096 })),
        badChecksum: fc.constantFrom(false, false, false, false, true),
      })
      .map(({ sizeField: raw, size, ...rest }): HeaderFields => ({ ...rest, ...(raw === undefined ? {} : { sizeField: raw }), ...(size === undefined ? {} : { size }) }));
    const pax = fc.dictionary(fc.constantFrom('path', 'size', 'linkpath', 'mtime', 'uid', 'GNU.sparse.size', 'comment', 'SCHILY.xattr.x'), fc.oneof(adversarialString.map((t) => t.slice(0, 200)), fc.constantFrom('999999999999999999999', '-5', 'NaN', '1e9', '0', '../x')), { maxKeys: 3 });
    const entry = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(header, fc.uint8Array({ maxLength: 1500 })).map(([h, body]) => tarEntry(h, Buffer.from(body))) },
      { weight: 1, arbitrary: fc.tuple(pax, header).map(([records, h]) => Buffer.concat([paxEntry(records), tarEntry(h, 'x')])) },
      { weight: 1, arbitrary: fc.tuple(name, header).map(([long, h]) => Buffer.concat([tarEntry({ name: '././@LongLink', type: 'L' }, `${long}\0`), tarEntry(h, 'y')])) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.boolean(), pieceSizes, async (entries, strictNames, sizes) => {
        await read(
          () => readTar(piecesOf(tarArchive(...entries), sizes), { allow: strictNames ? isPayloadEntryName : () => true, maxEntryBytes: MiB, maxTotalBytes: MiB, maxEntries: 20, directories: 'skip', onEntry: async (_n, _s, body) => {
              await drain(body);
            },
          }),
          ['TAR_'],
          'tar hand-made',
        );
      }),
      fuzzOptions('tar/hand-made', runs.light),
    );
  });

  test('random bytes and zero blocks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 5000 }), fc.nat({ max: 8 }).map((n) => new Uint8Array(n * 512))), async (bytes) => {
        await read(() => readTar(piecesOf(bytes, [777]), { allow: () => true, maxEntryBytes: MiB, maxTotalBytes: MiB, onEntry: () => undefined }), ['TAR_']);
      }),
      fuzzOptions('tar/random', runs.light),
    );
  });
});

describe('recovery shares', limits, () => {
  test('a damaged share parses only as itself, or names its problem', async () => {
    const fields: ShareFields = { archive: randomBytes(8), kit: randomBytes(8), threshold: 3, total: 5, index: 2, fingerprint: randomBytes(4), share: randomBytes(33) };
    const text = formatShare(sodium, fields);
    await fc.assert(
      fc.asyncProperty(fc.oneof(damagedText(text), damagedText(text.toLowerCase().replaceAll('-', ' ')), adversarialString), async (input) => {
        const r = await read(() => parseShare(sodium, input), ['RECOVERY_']);
        if (r.ok && r.value.ok) {
          // The checksum lets a damaged share through once in four billion; the fields must then be the original.
          expect(Buffer.from(r.value.fields.share).equals(fields.share)).toBe(true);
          expect([r.value.fields.threshold, r.value.fields.total, r.value.fields.index]).toEqual([3, 5, 2]);
        }
        if (r.ok && !r.value.ok) expect(engineTextIn(r.value.problem)).toBeNull();
      }),
      fuzzOptions('recovery/share', runs.light * 2),
    );
  });
});

describe('bundles and records.json (one real archive)', limits, () => {
  let world: BundleWorld;
  let bundleDir = '';
  let runs0: ReturnType<typeof tempDir>;
  let originalRecords = '';
  let plainTar: Buffer = Buffer.alloc(0);
  let runCount = 0;
  const worldState = () => listFilesRecursive(world.dir, 8).filter((f) => !/archive\.db-shm$/.test(f)).sort().map((f) => `${f}:${lstatSync(f).size}:${lstatSync(f).mtimeMs}`).join('\n');

  beforeAll(async () => {
    world = await openWorld('ta-fuzz-bundle-');
    await reviewedTestimony(world, { attachment: Buffer.from('%PDF-1.4\n% dëshmi e skanuar\n') });
    await reviewedTestimony(world, { person: { confidentiality: 'restricted' }, sensitivity: 'restricted', title: 'Dëshmi e kufizuar' });
    bundleDir = (await exportTo(world)).dir;
    const clean = await verify(world, bundleDir, { keepRecords: true });
    if (!clean.report.ok) throw new Error('the fresh bundle verifies');
    originalRecords = JSON.stringify(clean.records);
    plainTar = await decryptBytes([world.identity], readFileSync(join(bundleDir, bundleFiles.payload)));
    runs0 = tempDir('ta-fuzz-bundle-runs-');
  }, 120_000);
  afterAll(async () => {
    await world.cleanup();
    runs0.cleanup();
  }, 120_000);

  /** A fresh folder holding a copy of the bundle; the verifier may write only the extraction folder next to it. */
  function runFolder(): { root: string; bundle: string; out: string } {
    const root = join(runs0.path, `run-${++runCount}`);
    mkdirSync(root);
    const bundle = join(root, 'bundle');
    cpSync(bundleDir, bundle, { recursive: true });
    return { root, bundle, out: join(root, 'out') };
  }

  /** Verifies the run's bundle; a bundle that passes must hold `expected` records (when given). */
  async function verifyRun(label: string, run: { root: string; bundle: string; out: string }, expected: string | null = originalRecords): Promise<void> {
    const before = readdirSync(run.bundle).sort().map((n) => `${n}:${createHash('sha256').update(readFileSync(join(run.bundle, n))).digest('hex')}`);
    const r = await read(() => verify(world, run.bundle, { keepRecords: true, extractTo: run.out }));
    if (!r.ok) throw new Error(`the verifier threw ${r.code} instead of reporting it`);
    const { report, records } = r.value;
    const failed = report.checks.find((c) => c.status === 'fail');
    tally(label, failed ? `${failed.name}:${failed.code ?? ''}` : 'ok');
    for (const c of report.checks) {
      if (c.status !== 'fail') continue;
      if (!c.code || !knownCodes.has(c.code) || c.code === 'INTERNAL') throw new Error(`check ${c.name} failed with code ${String(c.code)}: ${c.detail}`);
      const leak = engineTextIn(c.detail);
      if (leak) throw new Error(`${leak} in check ${c.name} (${c.code}): ${c.detail}`);
    }
    if (report.ok) expect(records).not.toBeNull();
    if (report.ok && expected !== null) expect(JSON.stringify(records)).toBe(expected);
    // Nothing beside the extraction folder (and that one only for a bundle that passed); the bundle itself untouched.
    expect(readdirSync(run.root).sort()).toEqual(report.ok ? ['bundle', 'out'] : ['bundle']);
    expect(readdirSync(run.bundle).sort().map((n) => `${n}:${createHash('sha256').update(readFileSync(join(run.bundle, n))).digest('hex')}`)).toEqual(before);
    // Checked: the run's folder goes (a deep run would otherwise fill the disk with 10 MB bundles).
    rmSync(run.root, { recursive: true, force: true });
  }

  test('byte flips, cuts and insertions in each file of a signed bundle', async () => {
    const state = worldState();
    const names = readdirSync(bundleDir).sort();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.nat(), async (name, seed) => {
        const run = runFolder();
        const original = readFileSync(join(run.bundle, name));
        writeFileSync(join(run.bundle, name), fc.sample(damaged(original), { numRuns: 1, seed })[0] ?? original);
        await verifyRun(`bundle damaged ${name}`, run);
      }),
      fuzzOptions('bundle/damaged-file', runs.medium),
    );
    expect(worldState()).toBe(state);
  });

  test('validly signed bundles with a damaged payload tar (an insider or a stolen key)', async () => {
    await fc.assert(
      fc.asyncProperty(damaged(plainTar), async (tarBytes) => {
        const run = runFolder();
        await resign(world, run.bundle, { plainTar: tarBytes });
        // The manifest still lists the original files' hashes, so only an undamaged tar can pass.
        await verifyRun('bundle resigned tar', run);
      }),
      fuzzOptions('bundle/resigned-tar', runs.heavy),
    );
  });

  test('validly signed bundles whose records.json is near-valid', async () => {
    const file = JSON.parse(originalRecords) as unknown;
    await fc.assert(
      fc.asyncProperty(nearValid(file), async (changed) => {
        const run = runFolder();
        const entries: Array<{ name: string; body: Uint8Array }> = [];
        await readTar(piecesOf(plainTar, [65536]), {
          allow: () => true,
          maxEntryBytes: 1 << 30,
          maxTotalBytes: 1 << 30,
          onEntry: async (name, _size, body) => {
            const parts: Buffer[] = [];
            for await (const c of body) parts.push(Buffer.from(c));
            entries.push({ name, body: name === 'records.json' ? Buffer.from(toJson(changed)) : Buffer.concat(parts) });
          },
        });
        const parts: Buffer[] = [];
        for await (const p of writeTar(entries)) parts.push(Buffer.from(p));
        // The manifest is made to list the changed file, so the records reach the schema check and the reader.
        const recordsEntry = fileEntry('records.json', toJson(changed));
        await resign(world, run.bundle, { plainTar: Buffer.concat(parts), manifest: (m) => ({ ...m, files: m.files.map((f) => (f.path === 'records.json' ? recordsEntry : f)) }) });
        await verifyRun('bundle resigned records', run, null);
      }),
      fuzzOptions('bundle/resigned-records', runs.heavy / 2),
    );
  });

  test('records.json import: parsed and imported whole, or refused whole', async () => {
    const valid = recordsFile();
    const text = JSON.stringify(valid);
    const reference = await referenceCheck();
    const count = () => {
      const sqlite = world.core.sessions.require().archive.db.sqlite;
      return ['persons', 'testimonies', 'dialogue_sessions', 'audit_log'].map((t) => sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);
    };
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearValid(valid).map(toJson), damagedText(text), adversarialString), async (input) => {
        const parsed = await read(() => parseRecordsFile(input), ['IPC_BAD_INPUT'], 'records parse');
        if (!parsed.ok) return;
        const { archive, records } = world.core.sessions.require();
        const before = count();
        const r = await read(() =>
          importRecords(parsed.value, records.actor, (fn) =>
            archive.db.kysely.transaction().execute((trx) => fn(createRecords({ archive, sodium, now: Date.now, reference, db: trx }), trx)),
          ),
        );
        tally('records import', r.ok ? (r.value.rejected.length === 0 ? 'imported' : `rejected:${r.value.rejected[0]?.code ?? ''}`) : r.code);
        const landed = r.ok && r.value.rejected.length === 0;
        if (!landed) expect(count()).toEqual(before);
        if (r.ok) for (const p of r.value.rejected) expect(engineTextIn(p.detail), p.detail).toBeNull();
      }),
      fuzzOptions('records-file/import', runs.heavy),
    );
  });

  test('nothing was left in the runs folder: every run folder was removed after its checks', () => {
    expect(readdirSync(runs0.path)).toEqual([]);
    expect(existsSync(join(world.dir, 'archive'))).toBe(true);
  });
});
