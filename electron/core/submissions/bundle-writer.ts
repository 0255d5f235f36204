// Writing a submission bundle: consent-checked records and attachments -> tar -> age -> signed folder, atomically.
//
// The folder appears under its final name only when complete: everything is written into a hidden sibling
// folder, each file fsynced, then renamed. A cancelled or failed export removes that folder, marks its log row
// failed or cancelled, and is audited; its sequence number stays used (see migration 13).
// Memory does not grow with attachments: each is decrypted in batches straight into the tar, which is sealed on
// the worker pool and hashed (SHA-256 for the manifest, BLAKE2b-512 for minisign) as it is written.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { recordsJsonSchema, type AttachmentRecord } from '../../../shared/records/records-file';
import { bundleFiles, bundleFormat, bundleFormatVersion, manifestSchema, type BundleManifest } from '../../../shared/submissions/bundle';
import type { SubmissionFilters } from '../../../shared/submissions/schemas';
import { appendAudit } from '../audit/audit-chain';
import { startHashing, type StreamHasher } from '../crypto/hash-worker';
import { archiveKeyName, signCheckpoint } from '../audit/checkpoints';
import type { ArchiveSchema } from '../db/schema';
import { inTransaction } from '../db/in-transaction';
import { backgroundFlush, fsyncDir, writeAll } from '../files/durable-io';
import { writeFailure, type WriteProbe } from '../files/write-errors';
import { mapSqliteError } from '../db/open-database';
import { ArchiveError, isArchiveError } from '../errors';
import type { Actor } from '../records/actor';
import type { Records } from '../records/records-context';
import type { ReferenceData } from '../reference/reference-data';
import type { Keyring } from '../vault/keyring';
import type { UnlockedArchive } from '../vault/vault';
import { encryptStream, type Sink } from './age/age';
import { recordsCsv, summaryHtml } from './bundle-content';
import { encodePublicKey, keyIdHex, keyIdOf, signDigest } from './minisign';
import { buildFromSelection, selectSubmission, submissionLabels } from './selection';
import { writeTar, type TarEntry } from './tar-writer';

export type ExportInput = { filters: SubmissionFilters; exportDate: string; confirmRestricted: boolean; recipientIds: string[]; destination: string };
export type ExportPhase = 'preparing' | 'writing' | 'signing' | 'done';
export type ExportProgress = { phase: ExportPhase; doneBytes: number; totalBytes: number };
export type ExportCounts = BundleManifest['counts'];
export type ExportResult = { bundleId: string; sequence: number; destination: string; counts: ExportCounts; payloadBytes: number; manifestSha256: string; keyId: string };

export type ExportDeps = {
  db: Kysely<ArchiveSchema>;
  archive: Pick<UnlockedArchive, 'archiveId' | 'secrets'>;
  records: Pick<Records, 'persons' | 'testimonies' | 'sessions' | 'attachments'>;
  reference: ReferenceData;
  keyring: () => Keyring;
  now: () => number;
  /** Test seam: runs before each write of a bundle file (files/write-errors.ts). */
  writeProbe?: WriteProbe;
};

/** The archive's signing public key (32 bytes) from the keyring. */
export function archivePublicKey(keyring: Keyring): Uint8Array {
  return new Uint8Array(Buffer.from(keyring.signing.publicKey, 'base64'));
}

/** archive.pub: the archive's signing key in minisign's public key format, for recipients to pin. */
export function archivePublicKeyText(keyring: Keyring): string {
  const pk = archivePublicKey(keyring);
  return encodePublicKey(pk, keyIdOf(pk), `minisign public key ${keyIdHex(keyIdOf(pk))} of Testimony Archive ${keyring.archiveId}`);
}

const extensions: Record<string, string> = {
  'audio/webm': 'webm',
  'video/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/tiff': 'tif',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};
const extensionOf = (mediaType: string) => extensions[mediaType] ?? 'bin';

/** A destination is a new folder, or an existing empty one; its parent must exist. */
async function checkDestination(destination: string): Promise<void> {
  const parent = dirname(destination);
  const parentStat = await stat(parent).catch(() => null);
  if (!parentStat?.isDirectory()) throw new ArchiveError('ARCHIVE_UNWRITABLE', 'The folder chosen for the bundle does not exist or cannot be written.');
  const existing = await stat(destination).catch(() => null);
  if (existing === null) return;
  if (!existing.isDirectory() || (await readdir(destination)).length > 0) throw new ArchiveError('BUNDLE_DESTINATION_EXISTS', 'The folder chosen for the bundle already exists and is not empty.');
}

async function writeFileDurably(path: string, text: string, probe?: WriteProbe): Promise<void> {
  const fh = await open(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
  try {
    probe?.(path);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function fileSinkHashing(fh: FileHandle, hasher: StreamHasher, counter: { bytes: number }, flush: ReturnType<typeof backgroundFlush>, path: string, probe?: WriteProbe): Sink {
  return async (parts) => {
    let n = 0;
    for (const p of parts) {
      await hasher.update(p);
      n += p.length;
    }
    probe?.(path);
    await writeAll(fh, parts);
    counter.bytes += n;
    flush.wrote(n);
  };
}

/**
 * Exports a submission bundle to `input.destination` (a new or empty folder). Directors only (the archive signing
 * key is theirs). Progress is reported by plaintext bytes put into the payload; `signal` cancels
 * (SUBMISSION_CANCELLED), leaving nothing at the destination.
 */
export async function exportBundle(deps: ExportDeps, actor: Actor, input: ExportInput, opts: { onProgress?: (p: ExportProgress) => void; signal?: AbortSignal } = {}): Promise<ExportResult> {
  const { db } = deps;
  if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director exports a submission.');
  const keyring = deps.keyring();
  const secretKey = deps.archive.secrets.archiveSigningSecretKey;
  const publicKey = archivePublicKey(keyring);
  if (!secretKey || !Buffer.from(secretKey.subarray(32)).equals(publicKey)) throw new ArchiveError('AUTH_FORBIDDEN', 'This account does not hold the archive signing key.');
  const keyId = keyIdOf(publicKey);
  const destination = resolve(input.destination);
  await checkDestination(destination);
  const progress = (p: ExportProgress) => opts.onProgress?.(p);
  const cancelled = () => new ArchiveError('SUBMISSION_CANCELLED', 'The export was cancelled.');
  const checkCancel = () => {
    if (opts.signal?.aborted) throw cancelled();
  };
  progress({ phase: 'preparing', doneBytes: 0, totalBytes: 0 });

  const ids = [...new Set(input.recipientIds)];
  if (ids.length === 0) throw new ArchiveError('RECIPIENT_NOT_FOUND', 'Choose at least one recipient.');
  const recipients = await db.selectFrom('recipients').selectAll().where('id', 'in', ids).where('retired_at', 'is', null).orderBy('added_at').execute();
  if (recipients.length !== ids.length) throw new ArchiveError('RECIPIENT_NOT_FOUND', 'A chosen recipient does not exist or was retired.');

  // Consent and restriction are decided (and refused) before a sequence number is taken or a record read.
  const selection = await selectSubmission({ db, records: deps.records, reference: deps.reference }, actor, input.filters, { exportDate: input.exportDate, confirmRestricted: input.confirmRestricted });
  const labels = submissionLabels(selection, randomBytes(32));
  checkCancel();

  // Attachments go with named records only: a voice or a face cannot be pseudonymised.
  const ownerIds = selection.preview.included.filter((r) => r.identity === 'named').map((r) => r.id);
  const attachmentRows = ownerIds.length
    ? await db.selectFrom('attachments').select(['id', 'owner_id', 'media_type', 'size', 'sha256', 'source', 'created_at']).where('owner_id', 'in', ownerIds).where('status', '!=', 'damaged').orderBy('created_at').execute()
    : [];
  const attachments = attachmentRows.map((a, i) => {
    const recordRef = labels.recordRef.get(a.owner_id) ?? '';
    const entry: AttachmentRecord = { ref: `A${i + 1}`, recordRef, path: `attachments/${randomUUID()}.${extensionOf(a.media_type)}`, mediaType: a.media_type, bytes: a.size, sha256: a.sha256, source: a.source, createdAt: a.created_at };
    return { id: a.id, entry };
  });
  const attachmentEntries = attachments.map((a) => a.entry);

  const bundleId = randomUUID();
  const createdAt = new Date(deps.now()).toISOString();

  // The sequence is taken (and logged) before anything is written, so it is never handed out twice.
  const sequence = await inTransaction(db, async (trx) => {
    const last = await trx.selectFrom('submissions').select((eb) => eb.fn.max<number | null>('sequence').as('max')).executeTakeFirst();
    const next = (last?.max ?? 0) + 1;
    await trx
      .insertInto('submissions')
      .values({
        id: bundleId,
        sequence: next,
        status: 'writing',
        created_by: actor.userId,
        created_at: createdAt,
        finished_at: null,
        recipients: JSON.stringify(recipients.map((r) => ({ id: r.id, label: r.label, fingerprint: r.fingerprint }))),
        filters: JSON.stringify(input.filters),
        counts: null,
        manifest_sha256: null,
        payload_sha256: null,
        payload_bytes: null,
      })
      .execute();
    return next;
  });

  // The records are read, pseudonymised and redacted while the attachments stream (they come first in the tar):
  // at 1,000 testimonies that is a second or more that would otherwise come before the first byte.
  const building = buildFromSelection({ db, records: deps.records, reference: deps.reference }, actor, selection, labels);
  building.catch(() => undefined); // awaited in entries() or after a failure
  const info = { bundleId, sequence, createdAt, archiveId: deps.archive.archiveId, keyId: keyIdHex(keyId), recipients: recipients.map((r) => ({ label: r.label, fingerprint: r.fingerprint })) };
  const makeContent = async () => {
    const built = await building;
    const identities = new Map(built.manifest.map((m) => [m.ref, m.identity]));
    const fileJson = { ...built.file, attachments: attachmentEntries };
    const small = [
      { name: 'records.json', text: `${JSON.stringify(fileJson, null, 1)}\n` },
      { name: 'records.schema.json', text: `${JSON.stringify(recordsJsonSchema(), null, 1)}\n` },
      { name: 'records.csv', text: recordsCsv(built.file, identities, attachmentEntries, deps.reference) },
      { name: 'summary.html', text: summaryHtml(built.file, identities, attachmentEntries, info, deps.reference) },
    ].map((f) => ({ name: f.name, body: Buffer.from(f.text, 'utf8') }));
    return { built, small };
  };
  // Set by entries() once the attachments are in (a holder, because TypeScript cannot see the generator set it).
  const made: { content: Awaited<ReturnType<typeof makeContent>> | null } = { content: null };

  // Progress counts plaintext bytes into the payload; the small files join the total once they are made.
  let totalBytes = attachments.reduce((n, a) => n + a.entry.bytes, 0);
  let doneBytes = 0;
  let lastReport = 0;
  const advance = (n: number) => {
    doneBytes += n;
    // About a hundred reports per export, not one per chunk.
    if (doneBytes - lastReport >= totalBytes / 100 || doneBytes === totalBytes) {
      lastReport = doneBytes;
      progress({ phase: 'writing', doneBytes, totalBytes });
    }
  };

  async function* counted(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const piece of body) {
      checkCancel();
      advance(piece.length);
      yield piece;
    }
  }
  async function* entries(): AsyncGenerator<TarEntry> {
    for (const a of attachments) {
      checkCancel();
      const source = await deps.records.attachments.open(actor, a.id);
      if (source.size !== a.entry.bytes) throw new ArchiveError('ATTACHMENT_DAMAGED', 'An attachment file does not have the length recorded at intake.');
      // Decrypted pieces go from the decryptor through the tar to the encryptor without a copy (buffers reused).
      yield { name: a.entry.path, size: source.size, body: counted(source.readAll()) };
    }
    const content = await makeContent();
    made.content = content;
    totalBytes += content.small.reduce((n, f) => n + f.body.length, 0);
    for (const f of content.small) {
      checkCancel();
      advance(f.body.length);
      yield f;
    }
  }

  const parent = dirname(destination);
  const temp = join(parent, `.${basename(destination)}.partial-${randomBytes(6).toString('hex')}`);
  let finished = false;
  try {
    await mkdir(temp, { mode: 0o700 });
    const payloadPath = join(temp, bundleFiles.payload);
    const fh = await open(payloadPath, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
    // BLAKE2b-512, minisign's prehash (and the manifest's payload hash), on a worker as written; the data flushed
    // to disk in the background so the final fsync has little left.
    const hasher = startHashing(['blake2b512']);
    const flush = backgroundFlush(fh);
    const written = { bytes: 0 };
    let digests: Buffer[];
    try {
      await encryptStream(
        recipients.map((r) => r.age_recipient),
        writeTar(entries(), { mtime: new Date(createdAt) }),
        fileSinkHashing(fh, hasher, written, flush, payloadPath, deps.writeProbe),
      );
      digests = await hasher.digest();
      await flush.settle();
      await fh.sync();
    } catch (e) {
      await hasher.abort();
      await flush.settle().catch(() => undefined);
      throw e;
    } finally {
      await fh.close();
    }
    const [payloadBlake] = digests;
    if (!payloadBlake || !made.content) throw new ArchiveError('INTERNAL', 'The payload was not hashed.');
    const { built, small } = made.content;
    const files = [
      ...small.map((f) => ({ path: f.name, bytes: f.body.length, sha256: createHash('sha256').update(f.body).digest('hex') })),
      // An attachment's hash is its intake hash: decryption authenticates every chunk, so the bytes are those hashed then.
      ...attachments.map((a) => ({ path: a.entry.path, bytes: a.entry.bytes, sha256: a.entry.sha256 })),
    ];
    checkCancel();
    progress({ phase: 'signing', doneBytes, totalBytes });
    const trusted = (file: string) => `bundle:${bundleId} sequence:${sequence} archive:${deps.archive.archiveId} file:${file}`;
    const untrusted = `signature from Testimony Archive key ${keyIdHex(keyId)}`;
    await writeFileDurably(join(temp, bundleFiles.payloadSig), signDigest(payloadBlake, { secretKey, keyId, trustedComment: trusted(bundleFiles.payload), untrustedComment: untrusted }), deps.writeProbe);

    const checkpoint = await signCheckpoint(db, { archiveId: deps.archive.archiveId, at: createdAt, reason: 'export', signer: { name: archiveKeyName(deps.archive.archiveId), secretKey } });
    const testimonies = built.file.testimonies.length;
    const sessions = (built.file.sessions ?? []).length;
    const counts: ExportCounts = {
      records: testimonies + sessions,
      testimonies,
      sessions,
      named: built.manifest.filter((m) => m.identity === 'named').length,
      pseudonymised: built.manifest.filter((m) => m.identity === 'pseudonymised').length,
      excluded: built.preview.excluded.length,
      attachments: attachments.length,
      attachmentBytes: attachments.reduce((n, a) => n + a.entry.bytes, 0),
    };
    const manifest: BundleManifest = manifestSchema.parse({
      format: bundleFormat,
      version: bundleFormatVersion,
      bundleId,
      sequence,
      createdAt,
      archive: { id: deps.archive.archiveId, keyId: Buffer.from(keyId).toString('hex') },
      recipients: recipients.map((r) => ({ label: r.label, kind: r.kind, recipient: r.age_recipient, fingerprint: r.fingerprint })),
      counts,
      payload: { file: bundleFiles.payload, bytes: written.bytes, blake2b512: payloadBlake.toString('hex') },
      files,
      consent: built.manifest.map((m) => ({ kind: m.kind, ref: m.ref, identity: m.identity, restricted: m.restricted, basis: m.basis.map(({ personRef, ...rest }) => ({ person: personRef, ...rest })) })),
      checkpoint: { note: checkpoint.note, count: checkpoint.count, head: Buffer.from(checkpoint.head).toString('hex') },
    });
    const manifestText = `${JSON.stringify(manifest, null, 1)}\n`;
    const manifestSha256 = createHash('sha256').update(manifestText).digest('hex');
    await writeFileDurably(join(temp, bundleFiles.manifest), manifestText, deps.writeProbe);
    const manifestDigest = createHash('blake2b512').update(manifestText).digest();
    await writeFileDurably(join(temp, bundleFiles.manifestSig), signDigest(manifestDigest, { secretKey, keyId, trustedComment: trusted(bundleFiles.manifest), untrustedComment: untrusted }), deps.writeProbe);
    await writeFileDurably(join(temp, bundleFiles.publicKey), archivePublicKeyText(keyring), deps.writeProbe);
    await fsyncDir(temp);
    checkCancel();

    // An empty folder chosen in the dialog is replaced by the finished one.
    if ((await stat(destination).catch(() => null)) !== null) await rmdir(destination);
    await rename(temp, destination);
    await fsyncDir(parent);
    finished = true;
    await inTransaction(db, async (trx) => {
      await trx
        .updateTable('submissions')
        .set({ status: 'complete', finished_at: new Date(deps.now()).toISOString(), counts: JSON.stringify(counts), manifest_sha256: manifestSha256, payload_sha256: null, payload_bytes: written.bytes })
        .where('id', '=', bundleId)
        .execute();
      await appendAudit(trx, {
        at: new Date(deps.now()).toISOString(),
        actor: actor.userId,
        action: 'submission.export',
        subjectKind: 'submission',
        subjectId: bundleId,
        detail: { sequence, records: counts.records, named: counts.named, pseudonymised: counts.pseudonymised, excluded: counts.excluded, attachments: counts.attachments, recipients: recipients.map((r) => r.fingerprint).join(' '), manifestSha256 },
      });
    });
    progress({ phase: 'done', doneBytes: totalBytes, totalBytes });
    return { bundleId, sequence, destination, counts, payloadBytes: written.bytes, manifestSha256, keyId: keyIdHex(keyId) };
  } catch (e) {
    if (!finished) await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    const wasCancelled = isArchiveError(e) && e.code === 'SUBMISSION_CANCELLED';
    await inTransaction(db, async (trx) => {
      await trx.updateTable('submissions').set({ status: wasCancelled ? 'cancelled' : 'failed', finished_at: new Date(deps.now()).toISOString() }).where('id', '=', bundleId).where('status', '=', 'writing').execute();
      await appendAudit(trx, {
        at: new Date(deps.now()).toISOString(),
        actor: actor.userId,
        action: wasCancelled ? 'submission.cancelled' : 'submission.failed',
        subjectKind: 'submission',
        subjectId: bundleId,
        detail: { sequence, code: isArchiveError(e) ? e.code : 'INTERNAL' },
      });
    }).catch(() => undefined);
    // A full or read-only destination (or a full archive disk for the log row) gets its own code, not INTERNAL.
    throw writeFailure(e, 'destination') ?? mapSqliteError(e);
  }
}
