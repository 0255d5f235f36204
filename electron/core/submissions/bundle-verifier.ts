// Verifying and reading a submission bundle as hostile input: signatures against a pinned key, hashes, sequence,
// checkpoint, then (with an age identity) decryption, the tar's entries and records.json against its schema.
// Used by the app (auditors browse without importing) and the CLI (verify, decrypt). Every check is reported
// as pass, fail or skipped in plain language; nothing is trusted before the check that covers it has passed.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { recordsFileStrictSchema, type RecordsFileInput } from '../../../shared/records/records-file';
import { bundleCheckNames, bundleFiles, isPayloadEntryName, manifestSchema, type BundleCheck, type BundleCheckName, type BundleManifest, type BundleReport } from '../../../shared/submissions/bundle';
import type { ErrorCode } from '../../../shared/errors';
import { archiveKeyName, checkNoteSignatures, parseCheckpointBody, parseSignedNote } from '../audit/checkpoints';
import { ArchiveError, isArchiveError } from '../errors';
import { decryptStream, type Identity } from './age/age';
import { keyIdHex, verifyFile, type MinisignPublicKey } from './minisign';
import { readTar } from './tar-reader';

/** Bundles verified before, per signing key: the sequence check's memory (the archive's table, or a file for the CLI). */
export type SeenBundles = {
  lookup(keyId: string, sequence: number): Promise<{ bundleId: string; manifestSha256: string } | null>;
  highest(keyId: string): Promise<number | null>;
  remember(entry: { keyId: string; sequence: number; bundleId: string; manifestSha256: string }): Promise<void>;
};

export type VerifyOptions = {
  pinnedKey: MinisignPublicKey;
  /** With identities the payload is decrypted and its contents checked; without, those checks are skipped. */
  identities?: readonly Identity[];
  seen?: SeenBundles;
  /** Decrypt into this folder (CLI `decrypt`): written under a temporary name, renamed only when every check passed. */
  extractTo?: string;
  /** Keep records.json parsed in the result (the app's read-only browser). */
  keepRecords?: boolean;
};

export type VerifyResult = { report: BundleReport; manifest: BundleManifest | null; records: RecordsFileInput | null };

const maxManifestBytes = 64 * 1024 * 1024;
const maxSignatureBytes = 16 * 1024;
const maxRecordsJsonBytes = 512 * 1024 * 1024;
const maxAttachmentBytes = 64 * 1024 ** 3;

type CheckState = Map<BundleCheckName, BundleCheck>;
/** A bundle passes when none failed and these passed; the sequence and the contents may be skipped (no record, no identity). */
const essentialChecks: readonly BundleCheckName[] = ['files', 'manifest-signature', 'manifest', 'payload-signature', 'payload-hash', 'checkpoint'];

const codeOf = (e: unknown): ErrorCode => (isArchiveError(e) ? e.code : 'BUNDLE_MALFORMED');
const messageOf = (e: unknown): string => (isArchiveError(e) ? e.message : e instanceof Error ? e.message : String(e));

async function readBounded(path: string, max: number, what: string): Promise<Buffer> {
  const st = await lstat(path).catch(() => null);
  if (!st) throw new ArchiveError('BUNDLE_MALFORMED', `${what} is missing.`);
  if (!st.isFile()) throw new ArchiveError('BUNDLE_MALFORMED', `${what} is not a regular file.`);
  if (st.size > max) throw new ArchiveError('BUNDLE_MALFORMED', `${what} is larger than ${max} bytes.`);
  return readFile(path);
}

function decodeText(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ArchiveError('BUNDLE_MALFORMED', `${what} is not UTF-8 text.`);
  }
}

/** The trusted comment the writer puts in each signature; a signature moved from another bundle or file fails it. */
export const trustedCommentFor = (m: Pick<BundleManifest, 'bundleId' | 'sequence' | 'archive'>, file: string) => `bundle:${m.bundleId} sequence:${m.sequence} archive:${m.archive.id} file:${file}`;

export async function verifyBundle(folder: string, opts: VerifyOptions): Promise<VerifyResult> {
  const dir = resolve(folder);
  const checks: CheckState = new Map();
  const set = (name: BundleCheckName, status: BundleCheck['status'], detail: string, code?: ErrorCode) => checks.set(name, { name, status, detail, ...(code ? { code } : {}) });
  const fail = (name: BundleCheckName, e: unknown) => set(name, 'fail', messageOf(e), codeOf(e));
  let manifest: BundleManifest | null = null;
  let records: RecordsFileInput | null = null;
  const report = (): VerifyResult => {
    const list = bundleCheckNames.map((n) => checks.get(n) ?? { name: n, status: 'skipped' as const, detail: 'Not checked: an earlier check failed.' });
    return {
      report: {
        ok: list.every((c) => c.status !== 'fail') && essentialChecks.every((n) => checks.get(n)?.status === 'pass'),
        bundleId: manifest?.bundleId ?? null,
        sequence: manifest?.sequence ?? null,
        archiveId: manifest?.archive.id ?? null,
        createdAt: manifest?.createdAt ?? null,
        checks: list,
      },
      manifest,
      records,
    };
  };

  // 1. The folder holds the four files (and optionally archive.pub), each a regular file.
  const required = [bundleFiles.manifest, bundleFiles.manifestSig, bundleFiles.payload, bundleFiles.payloadSig];
  try {
    const st = await lstat(dir).catch(() => null);
    if (!st?.isDirectory()) throw new ArchiveError('BUNDLE_NOT_FOUND', `No bundle folder at ${basename(dir)}.`);
    const names = await readdir(dir);
    const missing = required.filter((f) => !names.includes(f));
    if (missing.length === required.length) throw new ArchiveError('BUNDLE_NOT_FOUND', 'This folder holds no bundle (no manifest.json or payload.age).');
    if (missing.length > 0) throw new ArchiveError('BUNDLE_MALFORMED', `The bundle lacks ${missing.join(', ')}.`);
    const extra = names.filter((n) => !required.includes(n as (typeof required)[number]) && n !== bundleFiles.publicKey);
    if (extra.length > 0) throw new ArchiveError('BUNDLE_MALFORMED', `The bundle holds unexpected files: ${extra.slice(0, 5).join(', ')}.`);
    for (const f of required) {
      const fst = await lstat(join(dir, f));
      if (!fst.isFile()) throw new ArchiveError('BUNDLE_MALFORMED', `${f} is not a regular file (a link or a folder).`);
    }
    set('files', 'pass', 'The bundle holds manifest.json, payload.age and their two signatures.');
  } catch (e) {
    fail('files', e);
    return report();
  }

  // 2-3. The manifest: signed by the pinned key, then parsed against its schema.
  let manifestBytes: Buffer;
  let manifestSigText: string;
  let manifestComment: string;
  try {
    manifestBytes = await readBounded(join(dir, bundleFiles.manifest), maxManifestBytes, 'manifest.json');
    manifestSigText = decodeText(await readBounded(join(dir, bundleFiles.manifestSig), maxSignatureBytes, 'manifest.json.minisig'), 'manifest.json.minisig');
    manifestComment = (await verifyFile(once(manifestBytes), manifestSigText, opts.pinnedKey)).trustedComment;
    set('manifest-signature', 'pass', `manifest.json is signed by the pinned archive key ${keyIdHex(opts.pinnedKey.keyId)}.`);
  } catch (e) {
    fail('manifest-signature', e);
    return report();
  }
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(decodeText(manifestBytes, 'manifest.json'));
    } catch (e) {
      throw isArchiveError(e) ? e : new ArchiveError('BUNDLE_MALFORMED', 'manifest.json is not valid JSON.');
    }
    const result = manifestSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ArchiveError('BUNDLE_MALFORMED', `manifest.json does not follow the bundle format${issue ? ` (at ${issue.path.join('.') || 'top level'}: ${issue.message})` : ''}.`);
    }
    const m = result.data;
    if (m.archive.keyId !== Buffer.from(opts.pinnedKey.keyId).toString('hex')) throw new ArchiveError('MINISIGN_KEY_MISMATCH', 'The manifest names another signing key than the pinned one.');
    if (manifestComment !== trustedCommentFor(m, bundleFiles.manifest)) throw new ArchiveError('MINISIGN_SIGNATURE_INVALID', "The manifest's signature was made for another bundle or file (its trusted comment does not match).");
    const paths = new Set<string>();
    for (const f of m.files) {
      if (paths.has(f.path)) throw new ArchiveError('BUNDLE_MALFORMED', `manifest.json lists ${f.path} twice.`);
      paths.add(f.path);
    }
    manifest = m;
    set('manifest', 'pass', `Bundle ${m.bundleId}, sequence ${m.sequence}, ${m.counts.records} records, ${m.counts.attachments} attachments, encrypted to ${m.recipients.map((r) => r.label).join(', ')}.`);
  } catch (e) {
    fail('manifest', e);
    return report();
  }

  // 4-5. payload.age: its signature, and its size and BLAKE2b-512 (the digest the signature covers), in one read.
  const payloadPath = join(dir, bundleFiles.payload);
  try {
    const sigText = decodeText(await readBounded(join(dir, bundleFiles.payloadSig), maxSignatureBytes, 'payload.age.minisig'), 'payload.age.minisig');
    let size = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const piece of createReadStream(payloadPath, { highWaterMark: 1024 * 1024 })) {
        const b = piece as Buffer;
        size += b.length;
        yield b;
      }
    }
    const { trustedComment, blake2b512 } = await verifyFile(counted(), sigText, opts.pinnedKey);
    if (trustedComment !== trustedCommentFor(manifest, bundleFiles.payload)) throw new ArchiveError('MINISIGN_SIGNATURE_INVALID', "payload.age's signature was made for another bundle or file (its trusted comment does not match).");
    set('payload-signature', 'pass', 'payload.age is signed by the pinned archive key, for this bundle.');
    const digest = blake2b512.toString('hex');
    if (size !== manifest.payload.bytes || digest !== manifest.payload.blake2b512) {
      set('payload-hash', 'fail', `payload.age is not the file the manifest lists (${size} bytes, BLAKE2b-512 ${digest.slice(0, 16)}…).`, 'BUNDLE_HASH_MISMATCH');
      return report();
    }
    set('payload-hash', 'pass', `payload.age has the size and BLAKE2b-512 in the manifest (${size} bytes).`);
  } catch (e) {
    fail('payload-signature', e);
    return report();
  }

  // 6. Sequence: a number already seen for this key with another bundle is a replay; a lower one is out of order.
  if (opts.seen) {
    try {
      const keyId = manifest.archive.keyId;
      const same = await opts.seen.lookup(keyId, manifest.sequence);
      const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
      if (same && (same.bundleId !== manifest.bundleId || same.manifestSha256 !== manifestSha256)) {
        throw new ArchiveError('BUNDLE_SEQUENCE_REPLAYED', `Sequence ${manifest.sequence} was already used by bundle ${same.bundleId}: this bundle replays or forges it.`);
      }
      if (same) set('sequence', 'pass', `Sequence ${manifest.sequence}: this same bundle was verified before.`);
      else {
        const highest = await opts.seen.highest(keyId);
        if (highest !== null && manifest.sequence < highest) {
          throw new ArchiveError('BUNDLE_SEQUENCE_REPLAYED', `Sequence ${manifest.sequence} is older than bundle ${highest}, already verified: an older bundle was held back or replayed.`);
        }
        await opts.seen.remember({ keyId, sequence: manifest.sequence, bundleId: manifest.bundleId, manifestSha256 });
        set('sequence', 'pass', highest === null ? `Sequence ${manifest.sequence}: the first bundle seen from this archive key.` : `Sequence ${manifest.sequence} follows ${highest}, the last one seen.`);
      }
    } catch (e) {
      fail('sequence', e);
    }
  } else set('sequence', 'skipped', 'No record of earlier bundles was given, so replays cannot be detected here.');

  // 7. The audit checkpoint: a signed note of the archive's log, by the same key.
  try {
    const note = parseSignedNote(manifest.checkpoint.note);
    const body = note ? parseCheckpointBody(note.text) : null;
    if (!note || !body) throw new ArchiveError('BUNDLE_CHECKPOINT_INVALID', 'The audit checkpoint in the manifest is not a well-formed signed note.');
    const problem = checkNoteSignatures(note, [{ name: archiveKeyName(manifest.archive.id), publicKey: opts.pinnedKey.publicKey }]);
    if (problem !== null) throw new ArchiveError('BUNDLE_CHECKPOINT_INVALID', problem === 'unknown-key' ? 'The audit checkpoint is not signed by the archive key.' : 'The audit checkpoint does not match its signature.');
    if (body.origin !== archiveKeyName(manifest.archive.id) || body.count !== manifest.checkpoint.count || Buffer.from(body.head).toString('hex') !== manifest.checkpoint.head) {
      throw new ArchiveError('BUNDLE_CHECKPOINT_INVALID', 'The audit checkpoint is for another archive or does not say what the manifest says.');
    }
    set('checkpoint', 'pass', `The archive's audit log held ${body.count} entries at export, signed by the archive key.`);
  } catch (e) {
    fail('checkpoint', e);
  }

  // 8-10. With an identity: decrypt, check every entry against the manifest, parse records.json.
  if (!opts.identities || opts.identities.length === 0) {
    set('decryption', 'skipped', 'No age identity was given: the contents were not decrypted.');
    return report();
  }
  if ([...checks.values()].some((c) => c.status === 'fail')) return report();
  const m = manifest;
  const expected = new Map(m.files.map((f) => [f.path, f]));
  const seenEntries = new Set<string>();
  let extractDir: string | null = null;
  const finalDir = opts.extractTo ? resolve(opts.extractTo) : null;
  // Set inside the tar reader's callback; declared this way so the checks after it are not narrowed to null.
  let recordsText = null as string | null;
  let contentsProblem = null as ArchiveError | null;
  // The folder to decrypt into, before decrypting: a problem there is no fault of the bundle, and nothing was
  // decrypted, so it is reported on the decryption check (not as a decryption that passed and contents that failed).
  if (finalDir) {
    try {
      const existing = await lstat(finalDir).catch(() => null);
      if (existing && (!existing.isDirectory() || (await readdir(finalDir)).length > 0)) throw new ArchiveError('BUNDLE_DESTINATION_EXISTS', 'The folder to decrypt into already exists and is not empty.');
      extractDir = join(dirname(finalDir), `.${basename(finalDir)}.partial-${randomBytes(6).toString('hex')}`);
      await mkdir(join(extractDir, 'attachments'), { recursive: true, mode: 0o700 });
    } catch (e) {
      if (extractDir) await rm(extractDir, { recursive: true, force: true });
      set('decryption', 'fail', isArchiveError(e) ? e.message : 'The folder to decrypt into cannot be written.', isArchiveError(e) ? e.code : 'ARCHIVE_UNWRITABLE');
      return report();
    }
  }
  try {
    const plain = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
    const decrypting = decryptStream(opts.identities, createReadStream(payloadPath, { highWaterMark: 1024 * 1024 }), async (parts) => {
      for (const p of parts) {
        // The reader stopped (a bad entry): stop decrypting too.
        if (plain.destroyed) throw new ArchiveError('BUNDLE_MALFORMED', 'The payload reader stopped.');
        if (!plain.write(Buffer.from(p))) await drainedOrClosed(plain);
      }
    }).then(
      (r) => {
        plain.end();
        return r;
      },
      (e: unknown) => {
        plain.destroy(e instanceof Error ? e : new Error(String(e)));
        throw e;
      },
    );
    decrypting.catch(() => undefined);
    let reading: Promise<unknown>;
    try {
      reading = readTar(plain, {
        allow: isPayloadEntryName,
        maxEntryBytes: maxAttachmentBytes,
        maxTotalBytes: m.payload.bytes,
        maxEntries: m.files.length + 1,
        onEntry: async (name, size, body) => {
          const want = expected.get(name);
          if (!want) throw new ArchiveError('BUNDLE_MALFORMED', `The payload holds ${name}, which the manifest does not list.`);
          seenEntries.add(name);
          if (name === 'records.json' && size > maxRecordsJsonBytes) throw new ArchiveError('TAR_ENTRY_TOO_LARGE', 'records.json is too large.');
          const sha = createHash('sha256');
          const keep: Buffer[] = [];
          let out: FileHandle | null = null;
          if (extractDir) out = await open(join(extractDir, name), fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
          try {
            for await (const piece of body) {
              sha.update(piece);
              if (name === 'records.json') keep.push(Buffer.from(piece));
              if (out) await out.write(piece);
            }
            if (out) await out.sync();
          } finally {
            await out?.close();
          }
          const digest = sha.digest('hex');
          if (digest !== want.sha256 || size !== want.bytes) {
            contentsProblem ??= new ArchiveError('BUNDLE_HASH_MISMATCH', `${name} in the payload does not match its hash in the manifest.`);
          }
          if (name === 'records.json') recordsText = Buffer.concat(keep).toString('utf8');
        },
      });
      await reading;
      await decrypting;
    } catch (e) {
      plain.destroy();
      // A decryption error (damaged chunk, cut file) is the real fault behind a broken tar, and names it better.
      const d = await decrypting.then(
        () => null,
        (err: unknown) => err,
      );
      throw isArchiveError(d) && d.code.startsWith('AGE_') ? d : e;
    }
    set('decryption', 'pass', `payload.age decrypts with the given identity (${m.payload.bytes} bytes).`);
  } catch (e) {
    if (extractDir) await rm(extractDir, { recursive: true, force: true });
    const code = codeOf(e);
    if (code.startsWith('AGE_')) fail('decryption', e);
    else {
      set('decryption', 'pass', 'payload.age decrypts with the given identity.');
      fail('contents', e);
    }
    return report();
  }

  try {
    if (contentsProblem) throw contentsProblem;
    const missing = [...expected.keys()].filter((p) => !seenEntries.has(p));
    if (missing.length > 0) throw new ArchiveError('BUNDLE_MALFORMED', `The payload lacks ${missing.slice(0, 5).join(', ')}, listed in the manifest.`);
    set('contents', 'pass', `Every file in the payload (${seenEntries.size}) matches its SHA-256 in the manifest.`);
  } catch (e) {
    if (extractDir) await rm(extractDir, { recursive: true, force: true });
    fail('contents', e);
    return report();
  }

  try {
    if (recordsText === null) throw new ArchiveError('BUNDLE_MALFORMED', 'The payload has no records.json.');
    let json: unknown;
    try {
      json = JSON.parse(recordsText);
    } catch {
      throw new ArchiveError('BUNDLE_MALFORMED', 'records.json is not valid JSON.');
    }
    const parsed = recordsFileStrictSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ArchiveError('BUNDLE_MALFORMED', `records.json does not follow its schema${issue ? ` (at ${issue.path.join('.')}: ${issue.message})` : ''}.`);
    }
    const file = parsed.data as RecordsFileInput;
    const n = file.testimonies.length + (file.sessions ?? []).length;
    if (n !== m.counts.records || (file.attachments ?? []).length !== m.counts.attachments) throw new ArchiveError('BUNDLE_MALFORMED', 'records.json does not hold the numbers of records and attachments in the manifest.');
    for (const a of file.attachments ?? []) {
      const f = expected.get(a.path);
      if (!f || f.sha256 !== a.sha256 || f.bytes !== a.bytes) throw new ArchiveError('BUNDLE_HASH_MISMATCH', `Attachment ${a.ref} in records.json does not match the manifest.`);
    }
    if (opts.keepRecords) records = file;
    set('records', 'pass', `records.json follows its schema: ${file.testimonies.length} testimonies, ${(file.sessions ?? []).length} sessions, ${file.persons.length} persons, ${(file.attachments ?? []).length} attachments (intake hashes match).`);
  } catch (e) {
    if (extractDir) await rm(extractDir, { recursive: true, force: true });
    fail('records', e);
    return report();
  }

  if (extractDir && finalDir) {
    // An empty folder given as the destination is replaced by the finished one.
    if (await lstat(finalDir).catch(() => null)) await rmdir(finalDir);
    await rename(extractDir, finalDir);
  }
  return report();
}

function drainedOrClosed(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
