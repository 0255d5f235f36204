// Attachments of testimonies and sessions: intake (import, streamed recording), views with chain of custody,
// integrity checks, segment index, and the decrypting source the app-media:// handler plays from.
import { randomBytes, randomUUID } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Kysely } from 'kysely';
import type { AttachmentView, CheckStatus, SegmentInput } from '../../../shared/ipc/contract';
import type { MethodName } from '../../../shared/ipc/methods';
import type { AttachmentSkipReason } from '../../../shared/maintenance/archive-check';
import { requireReach } from '../access/reach';
import { appendAudit } from '../audit/audit-chain';
import { wipe, type Sodium } from '../crypto/sodium';
import type { ArchiveSchema, AttachmentsTable } from '../db/schema';
import { inTransaction } from '../db/in-transaction';
import { ArchiveError } from '../errors';
import type { Actor, ReadersOf } from '../records/actor';
import { recordAccess, type RecordAccess } from '../records/record-readers';
import { openSealedIfReader, storeSealed } from '../records/sealed-store';
import type { UnlockedArchive } from '../vault/vault';
import { fileKeyBytes, openFileKey, sealFileKey } from './attachment-keys';
import { attachmentPath, sweepOrphans, type SweepReport } from './file-store';
import { sniffBytes, sniffMediaType } from './sniff-media-type';
import { decryptPieces, decryptRange, encryptToFile, errnoText, filePieces, plaintextSizeOf, verifyFile } from './stream-file';
import { writeFailure, type WriteProbe } from '../files/write-errors';

export type OwnerKind = AttachmentsTable['owner_kind'];
export type Segment = SegmentInput & { id: string };

/** What the app-media:// handler plays from: the plaintext size, the sniffed type and a range reader. */
export type MediaSource = {
  size: number;
  mediaType: string;
  read(start: number, endInclusive: number): AsyncIterable<Uint8Array>;
  /** Every byte, in pieces valid only until the next is asked for (their buffers are reused): for export. */
  readAll(): AsyncIterable<Buffer>;
};

export type AttachmentsDeps = {
  db: Kysely<ArchiveSchema>;
  sodium: Sodium;
  now: () => number;
  /** The archive folder (files at <folder>/attachments/<2 hex>/<id>.bin). */
  folder: string;
  readersOf: ReadersOf;
  /** The URL the page plays or shows an attachment from. */
  mediaUrl?: (id: string) => string;
  /** Largest plaintext accepted, bytes (default: no limit besides the disk). */
  maxBytes?: number;
  /** Test seam: runs before each write of an attachment file (files/write-errors.ts). */
  writeProbe?: WriteProbe;
};

/** A record's attachments, oldest first; exported so a test can EXPLAIN the exact SQL. */
export function attachmentListQuery(db: Kysely<ArchiveSchema>, ownerKind: OwnerKind, ownerId: string) {
  return db.selectFrom('attachments').selectAll().where('owner_kind', '=', ownerKind).where('owner_id', '=', ownerId).orderBy('created_at').orderBy('id');
}

/** A recording's segments by start time; exported so a test can EXPLAIN the exact SQL. */
export function segmentListQuery(db: Kysely<ArchiveSchema>, attachmentId: string) {
  return db.selectFrom('attachment_segments').selectAll().where('attachment_id', '=', attachmentId).orderBy('start_ms').orderBy('id');
}

export const defaultMediaUrl = (id: string) => `app-media://${id}`;

const ownerNoun: Record<OwnerKind, string> = { testimony: 'testimony', session: 'session' };

/** A recording in progress: the open writer is fed through a PassThrough, so memory holds at most its buffer. */
type Recording = {
  id: string;
  userId: string;
  ownerKind: OwnerKind;
  ownerId: string;
  declaredType: string;
  device: string | null;
  startedAt: string;
  nextSeq: number;
  key: Uint8Array;
  input: PassThrough;
  cancelled: boolean;
  head: { bytes: Uint8Array };
  written: Promise<{ size: number; sha256: string }>;
};

type CustodyDetail = Record<string, string | number | boolean | null>;

export type DamagedAttachment = CheckStatus['damaged'][number];

/** A background check of all attachments: counters its status reports, and the flag that stops it. */
type CheckJob = Omit<CheckStatus, 'jobId' | 'damaged'> & { id: string; userId: string; damaged: DamagedAttachment[]; stop: boolean; finished: Promise<void> };

/** Why a check found an attachment damaged, from the custody entry it just wrote. */
export function damagedEntry(a: AttachmentView): DamagedAttachment {
  const reason = a.custody.at(-1)?.detail['reason'];
  return {
    id: a.id,
    recordKind: a.ownerKind,
    recordId: a.ownerId,
    name: a.fileName,
    source: a.source,
    createdAt: a.createdAt,
    reason: reason === 'hash-mismatch' || reason === 'unreadable' ? reason : 'decryption-failed',
  };
}

/**
 * Passes `source` through unchanged while keeping a copy of its first `sniffBytes` bytes in `head.bytes`, so the media
 * type is sniffed from the very bytes that are encrypted (no second read of the file).
 */
async function* keepingHead(source: AsyncIterable<Uint8Array>, head: { bytes: Uint8Array }, cancelled: () => boolean = () => false): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    if (cancelled()) break;
    if (head.bytes.length < sniffBytes) {
      const take = chunk.subarray(0, sniffBytes - head.bytes.length);
      const next = new Uint8Array(head.bytes.length + take.length);
      next.set(head.bytes);
      next.set(take, head.bytes.length);
      head.bytes = next;
    }
    yield chunk;
  }
  // However the source ended, a cancelled intake must fail, so the writer removes its temp file and never renames it.
  if (cancelled()) throw new Error('intake cancelled');
}

export function createAttachmentsService(deps: AttachmentsDeps) {
  const { db, sodium } = deps;
  const mediaUrl = deps.mediaUrl ?? defaultMediaUrl;
  const iso = () => new Date(deps.now()).toISOString();
  const recordings = new Map<string, Recording>();
  /** Background checks of all attachments, by job id (the latest per user). */
  const checks = new Map<string, CheckJob>();
  /** Attachments whose bytes this session already opened: one audit entry per attachment and session, not per range request. */
  const readAudited = new Set<string>();

  async function owner(kind: OwnerKind, id: string, trx: Kysely<ArchiveSchema> = db): Promise<RecordAccess> {
    // Callers outside the router (CLI, tests) pass strings the type does not check at run time.
    if (!(['testimony', 'session'] as readonly string[]).includes(kind)) throw new ArchiveError('IPC_BAD_INPUT', 'Attachments belong to a testimony or a session.');
    const record = await recordAccess(trx, kind, id);
    if (!record) throw new ArchiveError('RECORD_NOT_FOUND', `No such ${ownerNoun[kind]}.`);
    return record;
  }

  async function reachOwner(actor: Actor, method: MethodName, kind: OwnerKind, id: string): Promise<RecordAccess> {
    const record = await owner(kind, id);
    await requireReach(db, actor, method, { kind, id });
    return record;
  }

  async function row(id: string): Promise<AttachmentsTable> {
    const r = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new ArchiveError('ATTACHMENT_NOT_FOUND', 'No such attachment.');
    return r;
  }

  /** The row and its owner, after the policy's reach on the owner record. */
  async function reachAttachment(actor: Actor, method: MethodName, id: string): Promise<{ att: AttachmentsTable; record: RecordAccess }> {
    const att = await row(id);
    const record = await owner(att.owner_kind, att.owner_id);
    await requireReach(db, actor, method, { kind: att.owner_kind, id: att.owner_id });
    return { att, record };
  }

  /**
   * The file key and name for `actor`, or null without access. A sealed key opens with the user's own copy only; a
   * key in the database is still refused while the owner is restricted and the user reads none of it (an attachment
   * added before the record was restricted).
   */
  async function keyFor(att: AttachmentsTable, record: RecordAccess, actor: Actor): Promise<{ key: Uint8Array; fileName: string } | null> {
    if (att.key_sealed_id !== null) return openFileKey(db, sodium, att.key_sealed_id, actor.userId, actor.box);
    if (record.restricted && (await openSealedIfReader(db, sodium, record.contentId ?? '', actor.userId, actor.box)) === null) return null;
    if (!att.file_key || att.file_key.length !== fileKeyBytes || att.file_name === null) throw new ArchiveError('ARCHIVE_DAMAGED', 'The key of an attachment is damaged.');
    return { key: new Uint8Array(att.file_key), fileName: att.file_name };
  }

  async function viewOf(att: AttachmentsTable, record: RecordAccess, actor: Actor): Promise<AttachmentView> {
    const opened = await keyFor(att, record, actor);
    wipe(opened?.key);
    const custody = await db.selectFrom('attachment_custody').selectAll().where('attachment_id', '=', att.id).orderBy('seq').execute();
    return {
      id: att.id,
      ownerKind: att.owner_kind,
      ownerId: att.owner_id,
      fileName: opened?.fileName ?? null,
      mediaType: att.media_type,
      size: att.size,
      sha256: att.sha256,
      createdAt: att.created_at,
      createdBy: att.created_by,
      source: att.source,
      device: att.device,
      status: att.status,
      lastVerifiedAt: att.last_verified_at,
      contentVisible: opened !== null,
      url: mediaUrl(att.id),
      custody: custody.map((c) => {
        const detail = JSON.parse(c.detail) as CustodyDetail;
        // The sealed name is shown in the intake entry to those who may read it; the stored entry keeps only a marker.
        if (c.event === 'intake' && detail.fileNameSealed === true && opened) detail.fileName = opened.fileName;
        return { at: c.at, by: c.by, event: c.event, detail };
      }),
    };
  }

  async function appendCustody(trx: Kysely<ArchiveSchema>, attachmentId: string, at: string, by: string, event: 'intake' | 'verify' | 'damaged', detail: CustodyDetail) {
    const last = await trx.selectFrom('attachment_custody').select('seq').where('attachment_id', '=', attachmentId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    await trx.insertInto('attachment_custody').values({ attachment_id: attachmentId, seq: (last?.seq ?? 0) + 1, at, by, event, detail: JSON.stringify(detail) }).execute();
  }

  /**
   * The database half of an intake, after the file is durable: key (sealed to the owner's readers when restricted),
   * row, custody entry and audit entry in one transaction. If it fails, the file is removed: no half attachment.
   */
  async function commitIntake(
    actor: Actor,
    a: { id: string; ownerKind: OwnerKind; ownerId: string; key: Uint8Array; fileName: string; mediaType: string; size: number; sha256: string; source: 'import' | 'recording'; device: string | null; declaredType?: string },
  ): Promise<AttachmentView> {
    const at = iso();
    try {
      await inTransaction(db, async (trx) => {
        // The owner again inside the transaction: its sensitivity at commit decides where the key goes.
        const record = await owner(a.ownerKind, a.ownerId, trx);
        const sealedId = record.restricted
          ? await sealFileKey(trx, sodium, at, { kind: a.ownerKind, id: a.ownerId }, a.key, a.fileName, await deps.readersOf(trx, { kind: a.ownerKind, id: a.ownerId, authorId: record.authorId }))
          : null;
        await trx
          .insertInto('attachments')
          .values({
            id: a.id,
            owner_kind: a.ownerKind,
            owner_id: a.ownerId,
            file_name: sealedId ? null : a.fileName,
            file_key: sealedId ? null : Buffer.from(a.key),
            key_sealed_id: sealedId,
            media_type: a.mediaType,
            size: a.size,
            sha256: a.sha256,
            source: a.source,
            device: a.device,
            created_at: at,
            created_by: actor.userId,
            status: 'unverified',
            last_verified_at: null,
          })
          .execute();
        await appendCustody(trx, a.id, at, actor.userId, 'intake', {
          fileName: sealedId ? null : a.fileName,
          fileNameSealed: sealedId !== null,
          size: a.size,
          mediaType: a.mediaType,
          sha256: a.sha256,
          source: a.source,
          device: a.device,
          ...(a.declaredType !== undefined ? { declaredType: a.declaredType } : {}),
        });
        await appendAudit(trx, { at, actor: actor.userId, action: 'attachment.add', subjectKind: 'attachment', subjectId: a.id, detail: { ownerKind: a.ownerKind, ownerId: a.ownerId, source: a.source } });
      });
    } catch (e) {
      await rm(attachmentPath(deps.folder, a.id), { force: true });
      throw e;
    } finally {
      wipe(a.key);
    }
    const { att, record } = { att: await row(a.id), record: await owner(a.ownerKind, a.ownerId) };
    return viewOf(att, record, actor);
  }

  /** Store errors keep their codes; anything else (a file that vanished, a read error) is ATTACHMENT_UNREADABLE. */
  // A full or read-only archive disk is named as such; the system's message is never passed on (it holds the path).
  const intakeError = (e: unknown) => (e instanceof ArchiveError ? e : (writeFailure(e, 'archive') ?? new ArchiveError('ATTACHMENT_UNREADABLE', `The file cannot be read (${errnoText(e)}).`)));

  function recordingOf(actor: Actor, recordingId: string): Recording {
    const r = recordings.get(recordingId);
    // Another user's recording is as unknown as a made-up id: nothing tells them it exists.
    if (!r || r.userId !== actor.userId) throw new ArchiveError('RECORDING_NOT_FOUND', 'No such recording in progress.');
    return r;
  }

  async function abort(r: Recording): Promise<void> {
    recordings.delete(r.id);
    // The flag makes the writer's source throw (encryptToFile then removes its temp file); destroying wakes it if waiting.
    r.cancelled = true;
    r.input.destroy();
    await r.written.catch(() => undefined);
    wipe(r.key);
  }

  async function segmentAttachment(actor: Actor, method: MethodName, attachmentId: string) {
    const { att, record } = await reachAttachment(actor, method, attachmentId);
    return { att, record };
  }

  async function segmentOf(s: ArchiveSchema['attachment_segments'], actor: Actor, violations: ReadonlySet<string>): Promise<Segment> {
    let text: { title: string; summary: string; keywords: string[] };
    if (s.text_sealed_id !== null) {
      const opened = (await openSealedIfReader(db, sodium, s.text_sealed_id, actor.userId, actor.box)) as typeof text | null;
      if (!opened) throw new ArchiveError('CONTENT_NO_ACCESS', 'The segments of this recording are restricted and have not been shared with you.');
      text = opened;
    } else {
      text = { title: s.title ?? '', summary: s.summary ?? '', keywords: JSON.parse(s.keywords ?? '[]') as string[] };
    }
    return { id: s.id, startMs: s.start_ms, endMs: s.end_ms, title: text.title, summary: text.summary, keywords: text.keywords, violationIds: (JSON.parse(s.violation_ids) as string[]).filter((v) => violations.has(v)) };
  }

  /**
   * The integrity check: decrypts the whole file, hashes it and compares with the intake hash. A mismatch or a
   * failed decryption marks it damaged; either way a custody entry and an audit entry record the check.
   */
  async function verify(actor: Actor, id: string): Promise<{ ok: boolean; attachment: AttachmentView }> {
    const { att, record } = await reachAttachment(actor, 'attachments.verify', id);
    const opened = await keyFor(att, record, actor);
    if (!opened) throw new ArchiveError('CONTENT_NO_ACCESS', 'This attachment is restricted and has not been shared with you.');
    let detail: CustodyDetail;
    try {
      const got = await verifyFile(attachmentPath(deps.folder, id), { key: opened.key, attachmentId: id });
      detail = got.sha256 === att.sha256 && got.size === att.size ? { sha256: got.sha256, size: got.size } : { reason: 'hash-mismatch', sha256: got.sha256, size: got.size };
    } catch (e) {
      if (!(e instanceof ArchiveError) || (e.code !== 'ATTACHMENT_DAMAGED' && e.code !== 'ATTACHMENT_UNREADABLE')) throw e;
      detail = { reason: e.code === 'ATTACHMENT_DAMAGED' ? 'decryption-failed' : 'unreadable' };
    } finally {
      wipe(opened.key);
    }
    const ok = detail.reason === undefined;
    const at = iso();
    await inTransaction(db, async (trx) => {
      await trx.updateTable('attachments').set({ status: ok ? 'ok' : 'damaged', last_verified_at: at }).where('id', '=', id).execute();
      await appendCustody(trx, id, at, actor.userId, ok ? 'verify' : 'damaged', detail);
      await appendAudit(trx, { at, actor: actor.userId, action: ok ? 'attachment.verify' : 'attachment.damaged', subjectKind: 'attachment', subjectId: id, detail: ok ? {} : { reason: String(detail.reason) } });
    });
    return { ok, attachment: await viewOf(await row(id), record, actor) };
  }

  /**
   * The check of every attachment this user can open (oldest first), one `verify` each; `onProgress` after each.
   * Attachments of restricted records the user holds no key for, or may not reach, are skipped, not checked.
   * `stop` is asked before each attachment, so a cancelled check ends after the one it is on. Progress names why an
   * attachment was skipped: no key of its restricted record (`no-key`), or a record not shared with the user.
   */
  async function verifyAll(
    actor: Actor,
    onProgress?: (p: { done: number; total: number; id: string; ok: boolean | null; attachment: AttachmentView | null; skipped: AttachmentSkipReason | null }) => void,
    options: { stop?: () => boolean; onStart?: (total: number) => void } = {},
  ): Promise<{ checked: number; damaged: number; skipped: number }> {
    const all = await db.selectFrom('attachments').select('id').orderBy('created_at').orderBy('id').execute();
    options.onStart?.(all.length);
    const tally = { checked: 0, damaged: 0, skipped: 0 };
    for (const [i, { id }] of all.entries()) {
      if (options.stop?.()) break;
      let result: { ok: boolean; attachment: AttachmentView } | null = null;
      let skipped: AttachmentSkipReason | null = null;
      try {
        result = await verify(actor, id);
        tally.checked++;
        if (!result.ok) tally.damaged++;
      } catch (e) {
        if (!(e instanceof ArchiveError) || (e.code !== 'CONTENT_NO_ACCESS' && e.code !== 'AUTH_FORBIDDEN')) throw e;
        tally.skipped++;
        skipped = e.code === 'CONTENT_NO_ACCESS' ? 'no-key' : 'not-shared';
      }
      onProgress?.({ done: i + 1, total: all.length, id, ok: result?.ok ?? null, attachment: result?.attachment ?? null, skipped });
    }
    return tally;
  }

  function checkOf(actor: Actor, jobId: string): CheckJob {
    const job = checks.get(jobId);
    if (!job || job.userId !== actor.userId) throw new ArchiveError('CHECK_NOT_FOUND', 'No such integrity check.');
    return job;
  }

  return {
    /**
     * Imports a file from disk: streamed through the encrypting writer (never whole in memory), SHA-256 of the original
     * bytes, media type sniffed from its first bytes. The file is durable before the database rows are written.
     */
    async importFile(actor: Actor, ownerKind: OwnerKind, ownerId: string, path: string): Promise<AttachmentView> {
      await reachOwner(actor, 'attachments.import', ownerKind, ownerId);
      const id = randomUUID();
      const key = new Uint8Array(randomBytes(fileKeyBytes));
      const head = { bytes: new Uint8Array(0) };
      let written: { size: number; sha256: string };
      let source: FileHandle | undefined;
      try {
        // Opened first, so a missing or unreadable file fails before anything is written.
        source = await open(path, 'r').catch((e: unknown) => {
          // The source's own errors (EACCES included) mean "cannot be read", never "archive unwritable".
          throw new ArchiveError('ATTACHMENT_UNREADABLE', `The file cannot be read (${errnoText(e)}).`);
        });
        written = await encryptToFile(attachmentPath(deps.folder, id), { key, attachmentId: id, ...(deps.maxBytes !== undefined ? { maxBytes: deps.maxBytes } : {}), ...(deps.writeProbe ? { probe: deps.writeProbe } : {}) }, keepingHead(filePieces(source), head));
      } catch (e) {
        wipe(key);
        throw intakeError(e);
      } finally {
        // Closes the file handle also when the writer stopped before reading to the end.
        await source?.close().catch(() => undefined);
      }
      return commitIntake(actor, { id, ownerKind, ownerId, key, fileName: basename(path), mediaType: sniffMediaType(head.bytes), size: written.size, sha256: written.sha256, source: 'import', device: null });
    },

    /** Starts a recording streamed from the renderer in chunks; its file is written as the chunks arrive. */
    async startRecording(actor: Actor, ownerKind: OwnerKind, ownerId: string, mimeType: string, device: string | null): Promise<{ recordingId: string }> {
      await reachOwner(actor, 'recording.start', ownerKind, ownerId);
      const id = randomUUID();
      const key = new Uint8Array(randomBytes(fileKeyBytes));
      // A small buffer: a renderer that sends faster than the disk writes waits in appendChunk (backpressure).
      const input = new PassThrough({ highWaterMark: 1024 * 1024 });
      const head = { bytes: new Uint8Array(0) };
      const r: Recording = { id, userId: actor.userId, ownerKind, ownerId, declaredType: mimeType, device, startedAt: iso(), nextSeq: 0, key, input, cancelled: false, head, written: Promise.resolve({ size: 0, sha256: '' }) };
      r.written = encryptToFile(attachmentPath(deps.folder, id), { key, attachmentId: id, ...(deps.maxBytes !== undefined ? { maxBytes: deps.maxBytes } : {}), ...(deps.writeProbe ? { probe: deps.writeProbe } : {}) }, keepingHead(input, head, () => r.cancelled));
      // Failures are reported by appendChunk and finishRecording; this only keeps them from being "unhandled".
      r.written.catch(() => undefined);
      recordings.set(id, r);
      return { recordingId: id };
    },

    /** Appends chunk `seq` (0, 1, 2, ... in order) of a recording; returns how many chunks were received. */
    async appendChunk(actor: Actor, recordingId: string, seq: number, bytes: Uint8Array): Promise<{ received: number }> {
      const r = recordingOf(actor, recordingId);
      if (seq !== r.nextSeq) throw new ArchiveError('RECORDING_OUT_OF_ORDER', `Expected chunk ${r.nextSeq} of the recording, got ${seq}.`);
      // Counted before any wait, so a second call with the same number is refused, not written twice.
      r.nextSeq++;
      const failed = r.written.then(
        () => new ArchiveError('INTERNAL', 'The recording ended unexpectedly.'),
        (e: unknown) => intakeError(e),
      );
      if (!r.input.write(Buffer.from(bytes))) {
        const drained = new Promise<null>((resolve) => r.input.once('drain', () => resolve(null)));
        const outcome = await Promise.race([drained, failed]);
        if (outcome !== null) {
          await abort(r);
          throw outcome;
        }
      }
      return { received: r.nextSeq };
    },

    /** Ends a recording: the file is finished and renamed into place, then committed like an import (source 'recording'). */
    async finishRecording(actor: Actor, recordingId: string): Promise<AttachmentView> {
      const r = recordingOf(actor, recordingId);
      recordings.delete(recordingId);
      r.input.end();
      let written: { size: number; sha256: string };
      try {
        written = await r.written;
      } catch (e) {
        wipe(r.key);
        throw intakeError(e);
      }
      let sniffed = sniffMediaType(r.head.bytes);
      // A WebM or Matroska header rarely says "audio only" before its first cluster; the recorder's audio/* settles it.
      if (r.declaredType.startsWith('audio/') && sniffed.startsWith('video/') && /webm|matroska/.test(sniffed)) sniffed = sniffed.replace('video/', 'audio/');
      try {
        await reachOwner(actor, 'recording.finish', r.ownerKind, r.ownerId);
      } catch (e) {
        await rm(attachmentPath(deps.folder, r.id), { force: true });
        wipe(r.key);
        throw e;
      }
      return commitIntake(actor, {
        id: r.id,
        ownerKind: r.ownerKind,
        ownerId: r.ownerId,
        key: r.key,
        fileName: `Recording ${r.startedAt}`,
        mediaType: sniffed,
        size: written.size,
        sha256: written.sha256,
        source: 'recording',
        device: r.device,
        declaredType: r.declaredType,
      });
    },

    /** Cancels a recording: its temp file is removed. False when there is no such recording of this user. */
    async cancelRecording(actor: Actor, recordingId: string): Promise<{ cancelled: boolean }> {
      const r = recordings.get(recordingId);
      if (!r || r.userId !== actor.userId) return { cancelled: false };
      await abort(r);
      return { cancelled: true };
    },

    /** At lock: every recording in progress is cancelled (its temp file removed) before the database closes. */
    async cancelAllRecordings(): Promise<number> {
      const all = [...recordings.values()];
      for (const r of all) await abort(r);
      return all.length;
    },

    /** The attachments of a record, oldest first. */
    async list(actor: Actor, ownerKind: OwnerKind, ownerId: string): Promise<AttachmentView[]> {
      const record = await reachOwner(actor, 'attachments.list', ownerKind, ownerId);
      const rows = await attachmentListQuery(db, ownerKind, ownerId).execute();
      const out: AttachmentView[] = [];
      for (const att of rows) out.push(await viewOf(att, record, actor));
      return out;
    },

    async get(actor: Actor, id: string): Promise<AttachmentView> {
      const { att, record } = await reachAttachment(actor, 'attachments.get', id);
      return viewOf(att, record, actor);
    },

    verify,

    /** The check of every attachment, awaited; the app runs it in the background through `startCheck`. */
    verifyAll,

    /**
     * Starts the check of every attachment in the background and returns at once; `checkStatus` reports its
     * progress. A user runs one check at a time: starting again while one runs returns the running one.
     */
    async startCheck(actor: Actor): Promise<{ jobId: string }> {
      const running = [...checks.values()].find((c) => c.userId === actor.userId && c.state === 'running');
      if (running) return { jobId: running.id };
      // Only the latest check of each user is kept for its status.
      for (const c of checks.values()) if (c.userId === actor.userId) checks.delete(c.id);
      const job: CheckJob = { id: randomUUID(), userId: actor.userId, state: 'running', done: 0, total: 0, checked: 0, skipped: 0, damaged: [], error: null, stop: false, finished: Promise.resolve() };
      checks.set(job.id, job);
      job.finished = verifyAll(
        actor,
        (p) => {
          job.done = p.done;
          job.total = p.total;
          if (p.ok === null) job.skipped++;
          else job.checked++;
          if (p.ok === false && p.attachment) job.damaged.push(damagedEntry(p.attachment));
        },
        { stop: () => job.stop, onStart: (total) => void (job.total = total) },
      ).then(
        () => void (job.state = job.stop && job.done < job.total ? 'cancelled' : 'finished'),
        (e: unknown) => {
          job.state = 'failed';
          job.error = e instanceof ArchiveError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'The check stopped unexpectedly.' };
        },
      );
      return { jobId: job.id };
    },

    /** Where a check of this user stands; another user's check is as unknown as a made-up id. */
    checkStatus(actor: Actor, jobId: string): CheckStatus {
      const job = checkOf(actor, jobId);
      return { jobId: job.id, state: job.state, done: job.done, total: job.total, checked: job.checked, skipped: job.skipped, damaged: [...job.damaged], error: job.error };
    },

    /** Asks a running check to stop after the attachment it is on; false when it had already ended. */
    cancelCheck(actor: Actor, jobId: string): { cancelled: boolean } {
      const job = checkOf(actor, jobId);
      if (job.state !== 'running') return { cancelled: false };
      job.stop = true;
      return { cancelled: true };
    },

    /** At lock: every running check stops, and is waited for, before the database closes. */
    async cancelAllChecks(): Promise<number> {
      const all = [...checks.values()].filter((c) => c.state === 'running');
      for (const c of all) c.stop = true;
      await Promise.all(all.map((c) => c.finished));
      checks.clear();
      return all.length;
    },

    /**
     * The decrypting source of the app-media:// handler, checked for `actor` on every call: the policy's reach on the
     * owner, then a key the user may hold. Bytes of a restricted owner are audited once per attachment and session.
     */
    async open(actor: Actor, id: string): Promise<MediaSource> {
      const { att, record } = await reachAttachment(actor, 'attachments.get', id);
      const opened = await keyFor(att, record, actor);
      if (!opened) throw new ArchiveError('CONTENT_NO_ACCESS', 'This attachment is restricted and has not been shared with you.');
      const file = attachmentPath(deps.folder, id);
      const size = await plaintextSizeOf(file);
      if (size !== att.size) {
        wipe(opened.key);
        throw new ArchiveError('ATTACHMENT_DAMAGED', 'The attachment file does not have the length recorded at intake.');
      }
      if (record.restricted && !readAudited.has(id)) {
        await appendAudit(db, { at: iso(), actor: actor.userId, action: 'attachment.read', subjectKind: 'attachment', subjectId: id, detail: { ownerKind: att.owner_kind, ownerId: att.owner_id } });
        readAudited.add(id);
      }
      const key = opened.key;
      return {
        size,
        mediaType: att.media_type,
        async *read(start: number, endInclusive: number) {
          yield* await decryptRange(file, { key, attachmentId: id }, start, endInclusive);
        },
        async *readAll() {
          yield* await decryptPieces(file, { key, attachmentId: id });
        },
      };
    },

    /** The segments of a recording, by start time. */
    async listSegments(actor: Actor, attachmentId: string): Promise<Segment[]> {
      const { att } = await segmentAttachment(actor, 'segments.list', attachmentId);
      const rows = await segmentListQuery(db, attachmentId).execute();
      // A violation removed from the testimony since the segment was saved is left out of the segment's links.
      const current = att.owner_kind === 'testimony' ? await db.selectFrom('violations').select('id').where('testimony_id', '=', att.owner_id).execute() : [];
      const violations = new Set(current.map((v) => v.id));
      const out: Segment[] = [];
      for (const s of rows) out.push(await segmentOf(s, actor, violations));
      return out;
    },

    /**
     * Adds (id null) or replaces a segment. Start before end; linked violations must be the owning testimony's
     * (a session has none). Title, summary and keywords are sealed to the owner's readers when it is restricted.
     */
    async saveSegment(actor: Actor, attachmentId: string, segment: SegmentInput): Promise<Segment> {
      const { att } = await segmentAttachment(actor, 'segments.save', attachmentId);
      if (segment.startMs >= segment.endMs) throw new ArchiveError('IPC_BAD_INPUT', 'A segment must start before it ends.');
      const violationIds = [...new Set(segment.violationIds)];
      if (violationIds.length > 0) {
        if (att.owner_kind !== 'testimony') throw new ArchiveError('IPC_BAD_INPUT', 'Only a testimony has coded violations to link.');
        const found = await db.selectFrom('violations').select('id').where('testimony_id', '=', att.owner_id).where('id', 'in', violationIds).execute();
        if (found.length !== violationIds.length) throw new ArchiveError('RECORD_UNKNOWN_REFERENCE', 'A linked violation is not one of this testimony\'s.');
      }
      const at = iso();
      const id = await inTransaction(db, async (trx) => {
        const record = await owner(att.owner_kind, att.owner_id, trx);
        const before = segment.id === null ? undefined : await trx.selectFrom('attachment_segments').selectAll().where('id', '=', segment.id).where('attachment_id', '=', attachmentId).executeTakeFirst();
        if (segment.id !== null && !before) throw new ArchiveError('RECORD_NOT_FOUND', 'No such segment of this recording.');
        const text = { title: segment.title, summary: segment.summary, keywords: segment.keywords };
        const sealedId = record.restricted
          ? await storeSealed(trx, sodium, at, att.owner_kind, att.owner_id, text, await deps.readersOf(trx, { kind: att.owner_kind, id: att.owner_id, authorId: record.authorId }))
          : null;
        const values = {
          start_ms: segment.startMs,
          end_ms: segment.endMs,
          title: sealedId ? null : text.title,
          summary: sealedId ? null : text.summary,
          keywords: sealedId ? null : JSON.stringify(text.keywords),
          text_sealed_id: sealedId,
          violation_ids: JSON.stringify(violationIds),
          updated_at: at,
          updated_by: actor.userId,
        };
        const segmentId = before?.id ?? randomUUID();
        if (before) {
          await trx.updateTable('attachment_segments').set({ ...values, revision: before.revision + 1 }).where('id', '=', before.id).execute();
          // The replaced sealed text goes with its copies (sealed_keys cascade): nothing stale stays readable.
          if (before.text_sealed_id) await trx.deleteFrom('sealed_contents').where('id', '=', before.text_sealed_id).execute();
        } else {
          await trx.insertInto('attachment_segments').values({ id: segmentId, attachment_id: attachmentId, revision: 1, ...values }).execute();
        }
        await appendAudit(trx, { at, actor: actor.userId, action: before ? 'segment.update' : 'segment.add', subjectKind: 'attachment', subjectId: attachmentId, detail: { segmentId } });
        return segmentId;
      });
      return { ...segment, id, violationIds };
    },

    async deleteSegment(actor: Actor, attachmentId: string, segmentId: string): Promise<{ deleted: boolean }> {
      await segmentAttachment(actor, 'segments.delete', attachmentId);
      return inTransaction(db, async (trx) => {
        const before = await trx.selectFrom('attachment_segments').select(['id', 'text_sealed_id']).where('id', '=', segmentId).where('attachment_id', '=', attachmentId).executeTakeFirst();
        if (!before) return { deleted: false };
        await trx.deleteFrom('attachment_segments').where('id', '=', segmentId).execute();
        if (before.text_sealed_id) await trx.deleteFrom('sealed_contents').where('id', '=', before.text_sealed_id).execute();
        await appendAudit(trx, { at: iso(), actor: actor.userId, action: 'segment.delete', subjectKind: 'attachment', subjectId: attachmentId, detail: { segmentId } });
        return { deleted: true };
      });
    },
  };
}

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;

/**
 * Removes attachment files no row names and temp files of writes that never finished (a crash between file and
 * row). Call when a session starts, before any import or recording of this process can be running.
 */
export async function sweepAttachmentOrphans(archive: Pick<UnlockedArchive, 'folder' | 'db'>): Promise<SweepReport> {
  const rows = await archive.db.kysely.selectFrom('attachments').select('id').execute();
  return sweepOrphans(archive.folder, new Set(rows.map((r) => r.id)));
}

/**
 * The media handler's `open(id)` for whoever is signed in: AUTH_REQUIRED when locked, then the service's checks.
 *
 * @example protocol.handle('app-media', (req) => serveRange(req, mediaOpener(core.sessions)))
 */
export function mediaOpener(sessions: { require(): { records: { actor: Actor; attachments: AttachmentsService } } }): (id: string) => Promise<MediaSource> {
  return async (id) => {
    const s = sessions.require();
    return s.records.attachments.open(s.records.actor, id);
  };
}
