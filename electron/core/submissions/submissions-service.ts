// Submissions for the app: recipients, the archive's public key, preview, background export jobs, the log, and
// opening a bundle read-only for auditors (verified against this archive's own signing key).
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { ErrorCode } from '../../../shared/errors';
import type { BundleReport } from '../../../shared/submissions/bundle';
import type { SubmissionBuildInput, SubmissionPreviewInput } from '../../../shared/submissions/schemas';
import type { RecordsFileInput } from '../../../shared/records/records-file';
import { appendAudit } from '../audit/audit-chain';
import type { ArchiveSchema } from '../db/schema';
import { inTransaction } from '../db/in-transaction';
import { ArchiveError, isArchiveError } from '../errors';
import type { Actor } from '../records/actor';
import type { Records } from '../records/records-context';
import type { ReferenceData } from '../reference/reference-data';
import { archivePaths, readKeyring } from '../vault/keyring';
import type { UnlockedArchive } from '../vault/vault';
import { parseIdentityFile, parseRecipient, recipientFingerprint } from './age/age';
import { archivePublicKey, archivePublicKeyText, exportBundle, type ExportPhase, type ExportResult } from './bundle-writer';
import { verifyBundle, type SeenBundles } from './bundle-verifier';
import { keyIdHex, keyIdOf } from './minisign';
import { previewSubmission, type SubmissionPreview } from './selection';
import type { WriteProbe } from '../files/write-errors';

export type RecipientKind = 'commission' | 'auditor' | 'other';
export type RecipientView = { id: string; label: string; kind: RecipientKind; recipient: string; fingerprint: string; addedAt: string; retired: boolean };
export type ExportJobState = 'running' | 'finished' | 'cancelled' | 'failed';
export type ExportStatus = {
  jobId: string;
  state: ExportJobState;
  phase: ExportPhase;
  doneBytes: number;
  totalBytes: number;
  result: ExportResult | null;
  error: { code: ErrorCode; message: string } | null;
};
export type OpenedBundle = { handle: string; folderName: string; report: BundleReport; records: Array<{ kind: 'testimony' | 'session'; ref: string; title: string; date: string | null; identity: string | null }> };

type Session = { archive: UnlockedArchive; records: Records };
export type SubmissionsDeps = {
  session: () => Session;
  reference: ReferenceData;
  now: () => number;
  /** A folder to write a new bundle into (main's save dialog); null when cancelled. */
  pickSaveFolder: () => Promise<string | null>;
  /** A bundle folder to open; null when cancelled. */
  pickBundleFolder: () => Promise<string | null>;
  /** An age identity file; null when cancelled. */
  pickIdentityFile: () => Promise<string | null>;
  /** Test seam: runs before each write of a bundle file (files/write-errors.ts). */
  writeProbe?: WriteProbe;
};

/** The archive's table of bundles verified before (the sequence check). */
export function seenBundlesIn(db: Kysely<ArchiveSchema>, userId: string, now: () => number): SeenBundles {
  return {
    lookup: async (keyId, sequence) => {
      const row = await db.selectFrom('seen_bundles').select(['bundle_id', 'manifest_sha256']).where('key_id', '=', keyId).where('sequence', '=', sequence).executeTakeFirst();
      return row ? { bundleId: row.bundle_id, manifestSha256: row.manifest_sha256 } : null;
    },
    highest: async (keyId) => {
      const row = await db.selectFrom('seen_bundles').select((eb) => eb.fn.max<number | null>('sequence').as('max')).where('key_id', '=', keyId).executeTakeFirst();
      return row?.max ?? null;
    },
    remember: async (e) => {
      await db.insertInto('seen_bundles').values({ key_id: e.keyId, sequence: e.sequence, bundle_id: e.bundleId, manifest_sha256: e.manifestSha256, verified_by: userId, verified_at: new Date(now()).toISOString() }).execute();
    },
  };
}

const maxIdentityFileBytes = 64 * 1024;

export function createSubmissionsService(deps: SubmissionsDeps) {
  const iso = () => new Date(deps.now()).toISOString();
  const jobs = new Map<string, { archive: UnlockedArchive; status: ExportStatus; abort: AbortController; done: Promise<void> }>();
  const bundles = new Map<string, { archive: UnlockedArchive; records: RecordsFileInput; identities: Map<string, string> }>();
  const current = () => deps.session();
  const keyringOf = (archive: UnlockedArchive) => readKeyring(archivePaths(archive.folder).keyring);

  const view = (r: ArchiveSchema['recipients']): RecipientView => ({ id: r.id, label: r.label, kind: r.kind, recipient: r.age_recipient, fingerprint: r.fingerprint, addedAt: r.added_at, retired: r.retired_at !== null });

  return {
    async listRecipients(): Promise<RecipientView[]> {
      const rows = await current().archive.db.kysely.selectFrom('recipients').selectAll().orderBy('added_at').execute();
      return rows.map(view);
    },

    /** Registers an age X25519 recipient (`age1...`); its fingerprint is shown for confirmation out of band. */
    async addRecipient(actor: Actor, input: { label: string; kind: RecipientKind; recipient: string }): Promise<RecipientView> {
      const db = current().archive.db.kysely;
      const recipient = input.recipient.trim();
      parseRecipient(recipient);
      const label = input.label.trim();
      if (label.length === 0) throw new ArchiveError('IPC_BAD_INPUT', 'A recipient needs a name.');
      return inTransaction(db, async (trx) => {
        const existing = await trx.selectFrom('recipients').select('id').where('age_recipient', '=', recipient).executeTakeFirst();
        if (existing) throw new ArchiveError('RECIPIENT_EXISTS', 'A recipient with this key is already registered.');
        const row = { id: randomUUID(), label, kind: input.kind, age_recipient: recipient, fingerprint: recipientFingerprint(recipient), added_by: actor.userId, added_at: iso(), retired_at: null };
        await trx.insertInto('recipients').values(row).execute();
        await appendAudit(trx, { at: row.added_at, actor: actor.userId, action: 'recipient.add', subjectKind: 'recipient', subjectId: row.id, detail: { kind: row.kind, fingerprint: row.fingerprint } });
        return view(row);
      });
    },

    /** A retired recipient is no longer offered; bundles already made for it keep naming it. */
    async retireRecipient(actor: Actor, id: string): Promise<{ retired: true }> {
      const db = current().archive.db.kysely;
      return inTransaction(db, async (trx) => {
        const row = await trx.selectFrom('recipients').select(['id', 'retired_at', 'fingerprint']).where('id', '=', id).executeTakeFirst();
        if (!row || row.retired_at !== null) throw new ArchiveError('RECIPIENT_NOT_FOUND', 'This recipient does not exist or was already retired.');
        const at = iso();
        await trx.updateTable('recipients').set({ retired_at: at }).where('id', '=', id).execute();
        await appendAudit(trx, { at, actor: actor.userId, action: 'recipient.retire', subjectKind: 'recipient', subjectId: id, detail: { fingerprint: row.fingerprint } });
        return { retired: true as const };
      });
    },

    /** archive.pub (minisign format) and its key id, for recipients and auditors to pin. */
    archiveKey(): { publicKey: string; keyId: string } {
      const keyring = keyringOf(current().archive);
      return { publicKey: archivePublicKeyText(keyring), keyId: keyIdHex(keyIdOf(archivePublicKey(keyring))) };
    },

    preview(actor: Actor, input: SubmissionPreviewInput): Promise<SubmissionPreview> {
      const { archive, records } = current();
      return previewSubmission({ db: archive.db.kysely, records, reference: deps.reference }, actor, input.filters, input.exportDate);
    },

    /**
     * Asks main for the destination folder, then exports in the background; the page polls exportStatus. Null when
     * the dialog was cancelled. Nothing is chosen by the page: it never names a path.
     */
    async exportStart(actor: Actor, input: SubmissionBuildInput & { recipientIds: string[] }): Promise<{ jobId: string | null }> {
      if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director exports a submission.');
      if ([...jobs.values()].some((j) => j.status.state === 'running')) throw new ArchiveError('ARCHIVE_BUSY', 'Another export is running; wait for it or cancel it.');
      const parent = await deps.pickSaveFolder();
      if (parent === null) return { jobId: null };
      // A new folder inside the chosen one: a USB drive's root or a folder holding other bundles can be chosen.
      const destination = join(parent, `submission-${input.exportDate}-${randomUUID().slice(0, 8)}`);
      const { archive, records } = current();
      const jobId = randomUUID();
      const abort = new AbortController();
      const status: ExportStatus = { jobId, state: 'running', phase: 'preparing', doneBytes: 0, totalBytes: 0, result: null, error: null };
      const done = exportBundle(
        { db: archive.db.kysely, archive, records, reference: deps.reference, keyring: () => keyringOf(archive), now: deps.now, ...(deps.writeProbe ? { writeProbe: deps.writeProbe } : {}) },
        actor,
        { filters: input.filters, exportDate: input.exportDate, confirmRestricted: input.confirmRestricted, recipientIds: input.recipientIds, destination },
        {
          signal: abort.signal,
          onProgress: (p) => {
            status.phase = p.phase;
            status.doneBytes = p.doneBytes;
            status.totalBytes = p.totalBytes;
          },
        },
      ).then(
        (result) => {
          status.state = 'finished';
          status.result = result;
        },
        (e: unknown) => {
          const code: ErrorCode = isArchiveError(e) ? e.code : 'INTERNAL';
          status.state = code === 'SUBMISSION_CANCELLED' ? 'cancelled' : 'failed';
          status.error = { code, message: isArchiveError(e) ? e.message : 'The export failed unexpectedly.' };
        },
      );
      jobs.set(jobId, { archive, status, abort, done });
      return { jobId };
    },

    exportStatus(jobId: string): ExportStatus {
      const job = jobs.get(jobId);
      if (!job || job.archive !== current().archive) throw new ArchiveError('RECORD_NOT_FOUND', 'No such export.');
      return { ...job.status };
    },

    exportCancel(jobId: string): { cancelled: boolean } {
      const job = jobs.get(jobId);
      if (!job || job.archive !== current().archive) throw new ArchiveError('RECORD_NOT_FOUND', 'No such export.');
      if (job.status.state !== 'running') return { cancelled: false };
      job.abort.abort();
      return { cancelled: true };
    },

    async log() {
      const db = current().archive.db.kysely;
      const rows = await db
        .selectFrom('submissions')
        .leftJoin('users', 'users.id', 'submissions.created_by')
        .select(['submissions.id', 'sequence', 'status', 'submissions.created_at', 'finished_at', 'recipients', 'counts', 'manifest_sha256', 'users.username'])
        .orderBy('sequence', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        sequence: r.sequence,
        status: r.status,
        createdAt: r.created_at,
        finishedAt: r.finished_at,
        createdBy: r.username ?? null,
        recipients: (JSON.parse(r.recipients) as Array<{ label: string; fingerprint: string }>).map((x) => ({ label: x.label, fingerprint: x.fingerprint })),
        records: r.counts ? (JSON.parse(r.counts) as { records: number }).records : null,
        manifestSha256: r.manifest_sha256,
      }));
    },

    /**
     * An auditor (or director) opens a bundle: chosen folder, optionally an identity file; verified against this
     * archive's signing key with the archive's memory of sequences; the decrypted records stay in memory only.
     */
    async openBundle(actor: Actor, input: { withIdentity: boolean }): Promise<OpenedBundle | null> {
      const folder = await deps.pickBundleFolder();
      if (folder === null) return null;
      let identities;
      if (input.withIdentity) {
        const file = await deps.pickIdentityFile();
        if (file === null) return null;
        const st = await stat(file).catch(() => null);
        if (!st?.isFile() || st.size > maxIdentityFileBytes) throw new ArchiveError('AGE_KEY_INVALID', 'The identity file cannot be read or is too large.');
        identities = parseIdentityFile(await readFile(file, 'utf8'));
      }
      const { archive } = current();
      const keyring = keyringOf(archive);
      const publicKey = archivePublicKey(keyring);
      const result = await verifyBundle(folder, {
        pinnedKey: { keyId: keyIdOf(publicKey), publicKey },
        ...(identities ? { identities } : {}),
        seen: seenBundlesIn(archive.db.kysely, actor.userId, deps.now),
        keepRecords: true,
      });
      await appendAudit(archive.db.kysely, {
        at: iso(),
        actor: actor.userId,
        action: 'bundle.verify',
        subjectKind: 'bundle',
        subjectId: result.report.bundleId,
        detail: { ok: result.report.ok, sequence: result.report.sequence, failed: result.report.checks.filter((c) => c.status === 'fail').map((c) => c.name).join(' ') },
      });
      const handle = randomUUID();
      const file = result.records;
      const identitiesByRef = new Map((result.manifest?.consent ?? []).map((c) => [c.ref, c.identity]));
      if (file) bundles.set(handle, { archive, records: file, identities: identitiesByRef });
      const list: OpenedBundle['records'] = file
        ? [
            ...file.testimonies.map((t) => ({ kind: 'testimony' as const, ref: t.ref, title: t.title, date: t.date ?? null, identity: identitiesByRef.get(t.ref) ?? null })),
            ...(file.sessions ?? []).map((s) => ({ kind: 'session' as const, ref: s.ref, title: s.title, date: s.date, identity: identitiesByRef.get(s.ref) ?? null })),
          ]
        : [];
      return { handle: file ? handle : '', folderName: folder.split(/[\\/]/).pop() ?? folder, report: result.report, records: list };
    },

    /** One record of an opened bundle, as the page shows it (read-only; nothing is imported). */
    bundleRecord(handle: string, ref: string) {
      const b = bundles.get(handle);
      if (!b || b.archive !== current().archive) throw new ArchiveError('RECORD_NOT_FOUND', 'This bundle is no longer open.');
      const people = new Map(b.records.persons.map((p) => [p.ref, p]));
      const nameOf = (r: string) => {
        const p = people.get(r);
        return p ? (p.names.sq ?? p.names.srLatn ?? p.names.srCyrl ?? r) : r;
      };
      const attachments = (b.records.attachments ?? []).filter((a) => a.recordRef === ref).map((a) => ({ path: a.path, mediaType: a.mediaType, bytes: a.bytes, sha256: a.sha256 }));
      const t = b.records.testimonies.find((x) => x.ref === ref);
      if (t) {
        return {
          kind: 'testimony' as const,
          ref,
          title: t.title,
          date: t.date ?? null,
          placeId: t.placeId ?? null,
          identity: b.identities.get(ref) ?? null,
          people: [{ ref: t.deponentRef, name: nameOf(t.deponentRef), role: 'deponent' }, ...t.violations.map((v) => ({ ref: v.victimRef, name: nameOf(v.victimRef), role: 'victim' }))].filter((p, i, all) => all.findIndex((q) => q.ref === p.ref) === i),
          sections: [{ heading: 'narrative' as const, text: t.narrative }],
          violations: t.violations.map((v) => ({ actType: v.actType, victim: nameOf(v.victimRef), date: v.date ?? null, placeId: v.placeId ?? null, notes: v.notes ?? null })),
          attachments,
        };
      }
      const s = (b.records.sessions ?? []).find((x) => x.ref === ref);
      if (!s) throw new ArchiveError('RECORD_NOT_FOUND', 'No such record in this bundle.');
      return {
        kind: 'session' as const,
        ref,
        title: s.title,
        date: s.date,
        placeId: s.placeId ?? null,
        identity: b.identities.get(ref) ?? null,
        people: s.participants.map((p) => ({ ref: p.personRef, name: nameOf(p.personRef), role: 'participant' })),
        sections: [
          { heading: 'agenda' as const, text: s.agenda },
          { heading: 'minutes' as const, text: s.minutes },
          { heading: 'outcomes' as const, text: s.outcomes },
        ],
        violations: [],
        attachments,
      };
    },

    closeBundle(handle: string): { closed: boolean } {
      return { closed: bundles.delete(handle) };
    },

    /**
     * At lock, before the database closes: running exports are cancelled and awaited (folder removed, row marked
     * cancelled, audited), and decrypted bundles are dropped from memory.
     */
    async stopAll(): Promise<void> {
      for (const job of jobs.values()) job.abort.abort();
      await Promise.all([...jobs.values()].map((j) => j.done));
      jobs.clear();
      bundles.clear();
    },
  };
}

export type SubmissionsService = ReturnType<typeof createSubmissionsService>;
