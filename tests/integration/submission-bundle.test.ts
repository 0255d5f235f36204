// Exporting submission bundles end to end: consent decides what leaves (checked in every file of the decrypted
// payload and in the manifest, with the Debian tools), and exports are atomic, cancellable, numbered without
// reuse, audited and logged.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { generateIdentity, identityFileText } from '../../electron/core/submissions/age/age';
import type { ExportProgress } from '../../electron/core/submissions/bundle-writer';
import type { PersonInput } from '../../shared/records/schemas';
import { bundleFiles } from '../../shared/submissions/bundle';
import { foldForSearch } from '../../shared/text/fold';
import { director } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { actorOf, allTestimonies, copyBundle, exportDate, exportTo, openWorld, readManifest, resign, reviewedTestimony, verify, type BundleWorld } from '../fixtures/bundles';

/** Every file under `dir`, recursively, with its path relative to it. */
function filesUnder(dir: string, prefix = ''): Array<{ path: string; full: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [{ path: `${prefix}${e.name}`, full: join(dir, e.name) }],
  );
}

describe('consent end to end, read with age and tar', () => {
  let w: BundleWorld;
  let extracted: string;
  let bundleDir: string;
  const vjollca: PersonInput = {
    names: { sq: 'Vjollca Hoxha', srLatn: 'Vjolca Hodža', srCyrl: 'Вјолца Хоџа' },
    sex: 'female',
    birthDate: '1975-03-12',
    ethnicity: 'albanian',
    status: 'survived',
    residencePlaceId: 'gjakove',
    contact: '+383 44 123 456; vjollca.hoxha@example.org',
    confidentiality: 'normal',
  };
  const besnik: Partial<PersonInput> = { names: { sq: 'Besnik Morina', srLatn: 'Besnik Morina', srCyrl: 'Бесник Морина' }, sex: 'male', birthDate: '1966-01-20', contact: '+383 49 765 432' };
  const withdrawnTitle = 'Dëshmia e tërhequr e Arben Kelmendit';
  const embargoedTitle = 'Dëshmia nën embargo e Lule Berishës';
  const pseudonymisedAttachment = Buffer.from('%PDF-1.4\n% the voice of a pseudonymised deponent\n');
  const namedAttachment = Buffer.from('%PDF-1.4\n% a consent form scan of a named deponent\n');
  let ids: { pseudonymised: string; named: string };

  /** Every spelling of Vjollca the bundle must not hold, folded (case, diacritics and script are one check). */
  const forbidden = [
    ...[vjollca.names.sq, vjollca.names.srLatn, vjollca.names.srCyrl].flatMap((n) => (n ? [n, ...n.split(' ')] : [])),
    '1975-03-12',
    '12.03.1975',
    '+383 44 123 456',
    '38344123456',
    'vjollca.hoxha@example.org',
  ].map(foldForSearch);

  beforeAll(async () => {
    w = await openWorld('ta-bundle-consent-');
    const pseudo = await reviewedTestimony(w, {
      person: vjollca,
      consent: { scopes: { archive: true, statistics: true, commission: 'pseudonymised', publicHearing: false, prosecution: true, media: false, recontact: true }, anonymityLevel: 'pseudonym' },
      narrative: 'Unë, Vjollca Hoxha (VJOLCA HODŽA, Вјолца Хоџа), e lindur më 12.03.1975, pashë si e morën vëllanë. Më kontaktoni në +383 44 123 456 ose vjollca.hoxha@example.org. Vjollcën e pyetën dy herë.',
      attachment: pseudonymisedAttachment,
    });
    const named = await reviewedTestimony(w, { person: besnik, narrative: 'Besnik Morina tregon për Mejën, prill 1999.', attachment: namedAttachment });
    for (const [title, name, consent] of [
      [withdrawnTitle, 'Arben Kelmendi', { withdrawal: { date: '2026-06-01', scope: 'commission' as const, note: '' } }],
      [embargoedTitle, 'Lule Berisha', { embargoUntil: '2030-01-01' }],
    ] as const) {
      await reviewedTestimony(w, { person: { names: { sq: name, srLatn: null, srCyrl: null } }, consent, title, narrative: `${title}.` });
    }
    ids = { pseudonymised: pseudo.testimony.id, named: named.testimony.id };
    // Through the service, as the app does it: the save dialog's folder, a background job, polled.
    const { jobId } = await w.core.submissions.exportStart(actorOf(w), { filters: allTestimonies, exportDate, confirmRestricted: false, recipientIds: [w.recipientId] });
    if (!jobId) throw new Error('the save dialog answers');
    while (w.core.submissions.exportStatus(jobId).state === 'running') await new Promise((r) => setTimeout(r, 20));
    const status = w.core.submissions.exportStatus(jobId);
    if (!status.result) throw new Error(`the export ${status.state}: ${status.error?.message ?? ''}`);
    bundleDir = status.result.destination;
    extracted = join(w.dir, 'extracted');
    mkdirSync(extracted);
    const tar = join(w.dir, 'payload.tar');
    writeFileSync(tar, execFileSync('age', ['-d', '-i', w.identityFile, join(bundleDir, bundleFiles.payload)]));
    execFileSync('tar', ['-xf', tar, '-C', extracted]);
  }, 30_000);
  afterAll(async () => {
    await w.cleanup();
  });

  test('the bundle went into a new folder in the chosen one, and verifies', async () => {
    expect(readdirSync(w.saveDir)).toEqual([bundleDir.split('/').pop()]);
    expect((await verify(w, bundleDir)).report.ok).toBe(true);
  });

  test("no file of the payload, nor the manifest, holds the pseudonymised deponent's names (all three scripts), birth date or contact", () => {
    const files = [...filesUnder(extracted), { path: 'manifest.json (outside the payload)', full: join(bundleDir, bundleFiles.manifest) }];
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['records.json', 'records.schema.json', 'records.csv', 'summary.html']));
    for (const f of files) {
      const folded = foldForSearch(readFileSync(f.full, 'utf8'));
      for (const needle of forbidden) expect(folded, `${needle} in ${f.path}`).not.toContain(needle);
    }
    // The check can fail: the needles are folded as the files are, and the record itself is there, redacted.
    expect(forbidden).toContain(foldForSearch('ВЈОЛЦА ХОЏА'));
    const records = readFileSync(join(extracted, 'records.json'), 'utf8');
    expect(records).toContain('pashë si e morën vëllanë');
    expect(foldForSearch(records)).toContain(foldForSearch('Besnik Morina'));
  });

  test("the named deponent's name is in records.json, records.csv and summary.html; the pseudonymised one is a label", () => {
    for (const f of ['records.json', 'records.csv', 'summary.html']) expect(readFileSync(join(extracted, f), 'utf8'), f).toContain('Besnik Morina');
    const file = JSON.parse(readFileSync(join(extracted, 'records.json'), 'utf8')) as { persons: Array<{ ref: string; names: { sq: string | null }; birthDate: string | null; contact: string | null }> };
    const labels = file.persons.filter((p) => /^P-[0-9A-Z]{5,}$/.test(p.names.sq ?? ''));
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ birthDate: null, contact: null });
    expect(file.persons.find((p) => p.names.sq === 'Besnik Morina')).toMatchObject({ birthDate: '1966-01-20', contact: null });
  });

  test('only the named record brings its attachment; withdrawn and embargoed records are absent and counted as excluded', () => {
    const attachments = filesUnder(join(extracted, 'attachments'));
    expect(attachments).toHaveLength(1);
    expect(readFileSync(attachments[0]?.full ?? '').equals(namedAttachment)).toBe(true);
    const m = readManifest(bundleDir);
    expect(m.counts).toMatchObject({ records: 2, testimonies: 2, named: 1, pseudonymised: 1, excluded: 2, attachments: 1, attachmentBytes: namedAttachment.length });
    expect(m.consent.map((c) => c.identity).sort()).toEqual(['named', 'pseudonymised']);
    const everything = filesUnder(extracted).map((f) => readFileSync(f.full, 'utf8')).join('\n') + readFileSync(join(bundleDir, bundleFiles.manifest), 'utf8');
    for (const gone of ['Arben Kelmendi', 'Lule Berisha', withdrawnTitle, embargoedTitle]) expect(everything).not.toContain(gone);
    expect(everything).not.toContain(pseudonymisedAttachment.toString('utf8').slice(10));
    expect(everything).not.toContain(ids.pseudonymised);
    expect(everything).not.toContain(ids.named);
  });
});

describe('export robustness', () => {
  let w: BundleWorld;
  const db = () => w.core.sessions.require().archive.db.kysely;
  const rows = () => db().selectFrom('submissions').select(['id', 'sequence', 'status']).orderBy('sequence').execute();
  const auditActions = async (subjectId: string) => (await db().selectFrom('audit_log').select('action').where('subject_id', '=', subjectId).execute()).map((r) => r.action);

  beforeEach(async () => {
    w = await openWorld('ta-bundle-export-');
    await reviewedTestimony(w, { attachment: Buffer.alloc(200_000, 3) });
  });
  afterEach(async () => {
    await w.cleanup();
  });

  for (const at of ['writing', 'signing'] as const) {
    test(`cancelled while ${at}: SUBMISSION_CANCELLED, no folder (final or partial), row cancelled, audited; the number is not reused`, async () => {
      const abort = new AbortController();
      const seen: ExportProgress[] = [];
      const destination = join(w.dir, 'cancelled');
      const before = readdirSync(w.dir).sort();
      await expectArchiveError(
        exportTo(w, { destination }, {
          signal: abort.signal,
          onProgress: (p) => {
            seen.push(p);
            if (p.phase === at && (at === 'signing' || p.doneBytes > 0)) abort.abort();
          },
        }),
        'SUBMISSION_CANCELLED',
      );
      expect(seen.some((p) => p.phase === at)).toBe(true);
      expect(readdirSync(w.dir).sort()).toEqual(before);
      const [row] = await rows();
      expect(row).toMatchObject({ sequence: 1, status: 'cancelled' });
      expect(await auditActions(row?.id ?? '')).toEqual(['submission.cancelled']);
      const next = await exportTo(w);
      expect(next.sequence).toBe(2);
      expect((await rows()).map((r) => [r.sequence, r.status])).toEqual([
        [1, 'cancelled'],
        [2, 'complete'],
      ]);
    });
  }

  test('a damaged attachment in the archive fails the export: the row is failed and audited, no folder is left, the number is spent', async () => {
    // The one large file in a subfolder of the archive is the attachment's encrypted copy: damage its middle.
    const big = filesUnder(join(w.dir, 'archive')).filter((f) => f.path.includes('/') && statSync(f.full).size > 150_000);
    expect(big).toHaveLength(1);
    const bytes = readFileSync(big[0]?.full ?? '');
    bytes[100_000] = (bytes[100_000] ?? 0) ^ 1;
    writeFileSync(big[0]?.full ?? '', bytes);
    const before = readdirSync(w.dir).sort();
    const e = await expectArchiveError(exportTo(w, { destination: join(w.dir, 'never') }), 'ATTACHMENT_DAMAGED');
    expect(e.message).not.toMatch(/\n\s+at /);
    expect(readdirSync(w.dir).sort()).toEqual(before);
    const [row] = await rows();
    expect(row).toMatchObject({ sequence: 1, status: 'failed' });
    expect(await auditActions(row?.id ?? '')).toEqual(['submission.failed']);
  });

  test('exportCancel on a running job: the job ends cancelled and the save folder stays empty', async () => {
    const { jobId } = await w.core.submissions.exportStart(actorOf(w), { filters: allTestimonies, exportDate, confirmRestricted: false, recipientIds: [w.recipientId] });
    if (!jobId) throw new Error('the save dialog answers');
    expect(w.core.submissions.exportCancel(jobId)).toEqual({ cancelled: true });
    while (w.core.submissions.exportStatus(jobId).state === 'running') await new Promise((r) => setTimeout(r, 10));
    expect(w.core.submissions.exportStatus(jobId)).toMatchObject({ state: 'cancelled', result: null, error: { code: 'SUBMISSION_CANCELLED' } });
    expect(readdirSync(w.saveDir)).toEqual([]);
    expect(w.core.submissions.exportCancel(jobId)).toEqual({ cancelled: false });
  });

  test('locking during an export cancels it before the database closes: no row left writing, folder empty', async () => {
    const { jobId } = await w.core.submissions.exportStart(actorOf(w), { filters: allTestimonies, exportDate, confirmRestricted: false, recipientIds: [w.recipientId] });
    if (!jobId) throw new Error('the save dialog answers');
    await w.core.sessions.lock('manual');
    expect(readdirSync(w.saveDir)).toEqual([]);
    await w.core.sessions.signIn(director.username, director.passphrase);
    // Cancelled before its number was reserved (no row), or after (a cancelled, audited row): never left writing.
    for (const row of await rows()) {
      expect(row.status).toBe('cancelled');
      expect(await auditActions(row.id)).toEqual(['submission.cancelled']);
    }
    // The job belonged to the session that ended.
    await expectArchiveError(Promise.resolve().then(() => w.core.submissions.exportStatus(jobId)), 'RECORD_NOT_FOUND');
  });

  test('a destination that exists and is not empty → BUNDLE_DESTINATION_EXISTS; nothing is written and no number is used', async () => {
    const full = join(w.dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    await expectArchiveError(exportTo(w, { destination: full }), 'BUNDLE_DESTINATION_EXISTS');
    expect(readdirSync(full)).toEqual(['keep.txt']);
    const file = join(w.dir, 'a-file');
    writeFileSync(file, 'x');
    await expectArchiveError(exportTo(w, { destination: file }), 'BUNDLE_DESTINATION_EXISTS');
    expect(readFileSync(file, 'utf8')).toBe('x');
    expect(await rows()).toEqual([]);
    // An existing empty folder is accepted, and replaced by the bundle.
    const empty = join(w.dir, 'empty');
    mkdirSync(empty);
    const r = await exportTo(w, { destination: empty });
    expect(r.sequence).toBe(1);
    expect(readdirSync(empty).sort()).toEqual([bundleFiles.publicKey, bundleFiles.manifest, bundleFiles.manifestSig, bundleFiles.payload, bundleFiles.payloadSig].sort());
  });

  test('no recipient, an unknown one, or a retired one → RECIPIENT_NOT_FOUND, no number used', async () => {
    await expectArchiveError(exportTo(w, { recipientIds: [] }), 'RECIPIENT_NOT_FOUND');
    await expectArchiveError(exportTo(w, { recipientIds: ['00000000-0000-4000-8000-000000000000'] }), 'RECIPIENT_NOT_FOUND');
    await w.core.submissions.retireRecipient(actorOf(w), w.recipientId);
    await expectArchiveError(exportTo(w), 'RECIPIENT_NOT_FOUND');
    expect(await rows()).toEqual([]);
    expect(readdirSync(w.dir).filter((n) => n.startsWith('bundle-') || n.startsWith('.'))).toEqual([]);
  });

  test('a restricted record without confirmation → SUBMISSION_CONFIRMATION_REQUIRED, no number used; nothing to submit → SUBMISSION_EMPTY', async () => {
    await reviewedTestimony(w, { sensitivity: 'restricted' });
    await expectArchiveError(exportTo(w, { confirmRestricted: false }), 'SUBMISSION_CONFIRMATION_REQUIRED');
    await expectArchiveError(exportTo(w, { filters: { ...allTestimonies, period: '1850' } }), 'SUBMISSION_EMPTY');
    expect(await rows()).toEqual([]);
    const r = await exportTo(w, { confirmRestricted: true });
    expect(r.sequence).toBe(1);
    expect(r.counts.records).toBe(2);
  });

  test('sequences run 1, 2, 3; a failed export keeps its number (never reused), one refused before it starts takes none; all audited and logged', async () => {
    const a = await exportTo(w);
    const b = await exportTo(w);
    const c = await exportTo(w);
    expect([a.sequence, b.sequence, c.sequence]).toEqual([1, 2, 3]);
    // Cancelled before anything is reserved: no number.
    const early = new AbortController();
    early.abort();
    await expectArchiveError(exportTo(w, {}, { signal: early.signal }), 'SUBMISSION_CANCELLED');
    // Cancelled while writing: number 4 is spent.
    const late = new AbortController();
    await expectArchiveError(exportTo(w, {}, { signal: late.signal, onProgress: (p) => p.phase === 'writing' && late.abort() }), 'SUBMISSION_CANCELLED');
    const d = await exportTo(w);
    expect(d.sequence).toBe(5);
    for (const x of [a, b, c, d]) {
      expect(statSync(x.dir).isDirectory()).toBe(true);
      expect(readManifest(x.dir)).toMatchObject({ bundleId: x.bundleId, sequence: x.sequence });
      expect(await auditActions(x.bundleId)).toEqual(['submission.export']);
    }
    const log = await w.core.submissions.log();
    expect(log.map((l) => [l.sequence, l.status, l.records])).toEqual([
      [5, 'complete', 1],
      [4, 'cancelled', null],
      [3, 'complete', 1],
      [2, 'complete', 1],
      [1, 'complete', 1],
    ]);
    expect(log.map((l) => l.id).filter((id) => [a, b, c, d].some((x) => x.bundleId === id))).toEqual([d, c, b, a].map((x) => x.bundleId));
    expect(await auditActions(log[1]?.id ?? '')).toEqual(['submission.cancelled']);
    expect(log[0]).toMatchObject({ createdBy: 'drita.krasniqi', manifestSha256: d.manifestSha256, recipients: [{ label: 'Commission' }] });
  });
});

describe('opening bundles in the app: verified against the archive key, sequences remembered in the archive', () => {
  let w: BundleWorld;
  let b1: Awaited<ReturnType<typeof exportTo>>;
  let b2: Awaited<ReturnType<typeof exportTo>>;
  beforeAll(async () => {
    w = await openWorld('ta-bundle-open-');
    await reviewedTestimony(w, { attachment: Buffer.from('%PDF-1.4\n% scan\n') });
    b1 = await exportTo(w);
    b2 = await exportTo(w);
  }, 30_000);
  afterAll(async () => {
    await w.cleanup();
  });
  const open = (bundle: string | null, withIdentity = true) => {
    w.picks.bundle = bundle;
    return w.core.submissions.openBundle(actorOf(w), { withIdentity });
  };
  const failedChecks = (o: Awaited<ReturnType<typeof open>>) => o?.report.checks.filter((c) => c.status === 'fail').map((c) => [c.name, c.code]);

  test('a genuine bundle opens with its records (read-only, then closed), and opens again; each opening is audited', async () => {
    const first = await open(b2.dir);
    expect(first?.report.ok).toBe(true);
    expect(first?.records).toHaveLength(1);
    const ref = first?.records[0]?.ref ?? '';
    const record = w.core.submissions.bundleRecord(first?.handle ?? '', ref);
    expect(record).toMatchObject({ kind: 'testimony', ref, identity: 'named', attachments: [{ bytes: 16 }] });
    expect(record.people.map((p) => p.name)).toContain('Shqipe Krasniqi');
    // Codes, not labels in one language: the page names them in its own language.
    expect(record.placeId).toBe('gjakove');
    expect(record.violations.map((v) => [v.actType, v.placeId])).toEqual([['enforced-disappearance', 'meje'], ['arbitrary-detention', 'meje']]);
    expect(w.core.submissions.closeBundle(first?.handle ?? '')).toEqual({ closed: true });
    await expectArchiveError(async () => w.core.submissions.bundleRecord(first?.handle ?? '', ref), 'RECORD_NOT_FOUND');
    expect((await open(b2.dir))?.report.ok).toBe(true);
    const db = w.core.sessions.require().archive.db.kysely;
    expect(await db.selectFrom('seen_bundles').select(['sequence', 'bundle_id']).execute()).toEqual([{ sequence: 2, bundle_id: b2.bundleId }]);
    expect((await db.selectFrom('audit_log').select('action').where('action', '=', 'bundle.verify').execute()).length).toBe(2);
  });

  test("the archive's memory refuses a re-signed bundle reusing sequence 2, and the older bundle 1 after 2", async () => {
    await open(b2.dir);
    const forged = copyBundle(b1.dir, join(w.dir, 'forged'));
    await resign(w, forged, { manifest: (m) => ({ ...m, bundleId: randomUUID(), sequence: 2 }) });
    const replay = await open(forged);
    expect(replay?.report.ok).toBe(false);
    expect(failedChecks(replay)).toEqual([['sequence', 'BUNDLE_SEQUENCE_REPLAYED']]);
    expect(replay?.handle).toBe('');
    expect(failedChecks(await open(b1.dir))).toEqual([['sequence', 'BUNDLE_SEQUENCE_REPLAYED']]);
  });

  test('without an identity the signatures are checked and the contents skipped; a stranger identity is AGE_NO_IDENTITY; a bad identity file is AGE_KEY_INVALID; a cancelled dialog opens nothing', async () => {
    const bare = await open(b2.dir, false);
    expect(bare?.report.ok).toBe(true);
    expect(bare?.report.checks.find((c) => c.name === 'decryption')?.status).toBe('skipped');
    expect(bare?.records).toEqual([]);
    const stranger = join(w.dir, 'stranger.txt');
    writeFileSync(stranger, identityFileText(generateIdentity().identity));
    w.picks.identityFile = stranger;
    expect(failedChecks(await open(b2.dir))).toEqual([['decryption', 'AGE_NO_IDENTITY']]);
    const garbage = join(w.dir, 'garbage.txt');
    writeFileSync(garbage, 'AGE-SECRET-KEY-1NOTAKEY\n');
    w.picks.identityFile = garbage;
    await expectArchiveError(open(b2.dir), 'AGE_KEY_INVALID');
    w.picks.identityFile = w.identityFile;
    expect(await open(null)).toBeNull();
  });
});
