// Attachments on real encrypted archives: intake with sniffed types and hashes, restricted keys sealed to readers,
// streamed recording, integrity checks, segments, reach, and the sweep of orphans at open.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit-chain';
import { attachmentPath, attachmentsDir } from '../../electron/core/attachments/file-store';
import type { MediaSource } from '../../electron/core/attachments/attachments-service';
import { attachmentListQuery, mediaOpener, segmentListQuery } from '../../electron/core/attachments/attachments-service';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { personInput, testimonyInput } from '../fixtures/records';
import { sessionInput } from '../fixtures/sessions';
import { addUser, recorder } from '../fixtures/users';

type Core = Awaited<ReturnType<typeof makeCore>>;
type Person = { username: string; displayName: string; passphrase: string };

const otherRecorder: Person = { username: 'arta.berisha', displayName: 'Arta Berisha', passphrase: 'Bjeshkët e Rugovës mbulohen me borë' };

let dir: ReturnType<typeof tempDir>;
let files: string;
let folder: string;
let core: Core;
let ids: { director: string; recorder: string; other: string };

beforeEach(async () => {
  dir = tempDir('ta-attachments-');
  folder = join(dir.path, 'archive');
  files = join(dir.path, 'files');
  mkdirSync(files);
  core = await makeCore(folder);
  await core.sessions.create(createInput(director));
  const archive = core.sessions.require().archive;
  ids = { director: archive.user.id, recorder: await addUser(core.sodium, archive, recorder, 'recorder'), other: await addUser(core.sodium, archive, otherRecorder, 'recorder') };
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

/** Signs `person` in (locking whoever was signed in) and returns their services. */
async function as(person: Person) {
  await core.sessions.lock('switch-user');
  await core.sessions.signIn(person.username, person.passphrase);
  const s = core.sessions.require();
  return { records: s.records, actor: s.records.actor, att: s.records.attachments, db: s.archive.db.kysely };
}

const current = () => {
  const s = core.sessions.require();
  return { records: s.records, actor: s.records.actor, att: s.records.attachments, db: s.archive.db.kysely };
};

/** A testimony by whoever is signed in (the statement-taker), normal unless said otherwise. */
async function testimony(sensitivity: 'normal' | 'restricted' = 'normal') {
  const { records, actor } = current();
  const p = await records.persons.create(personInput(), actor);
  return records.testimonies.create(testimonyInput(p.id, p.id, { sensitivity }), actor);
}

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(files, name);
  writeFileSync(path, bytes);
  return path;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function readAll(src: MediaSource, start = 0, end = src.size - 1): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of src.read(start, end)) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/** Small but real headers of each kind (a PNG signature and IHDR, a PDF, an EBML header with DocType webm). */
const samples = {
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex')]),
  pdf: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  webm: Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84]), Buffer.from('webm', 'latin1'), Buffer.from([0x18, 0x53, 0x80, 0x67]), Buffer.alloc(64, 7)]),
  text: Buffer.from('Dëshmia e plotë u regjistrua në Gjakovë. Svedočenje je zabeleženo u Đakovici.\n', 'utf8'),
};

async function auditActions(): Promise<string[]> {
  const rows = await current().db.selectFrom('audit_log').select('action').orderBy('seq').execute();
  return rows.map((r) => r.action);
}

describe('intake', () => {
  test('files of several kinds: type sniffed from content (not the name), SHA-256 of the original bytes, custody and audit', async () => {
    const t = await testimony();
    const { att, actor, db } = current();
    const cases = [
      { name: 'skanim.png', bytes: samples.png, type: 'image/png' },
      // Named .txt but a PDF: the name does not decide.
      { name: 'certifikata-e-vdekjes.txt', bytes: samples.pdf, type: 'application/pdf' },
      { name: 'incizim.webm', bytes: samples.webm, type: 'audio/webm' },
      { name: 'shënime.pdf', bytes: samples.text, type: 'application/octet-stream' },
      { name: 'bosh.bin', bytes: new Uint8Array(0), type: 'application/octet-stream' },
    ];
    for (const c of cases) {
      const view = await att.importFile(actor, 'testimony', t.id, write(c.name, c.bytes));
      expect(view).toMatchObject({ ownerKind: 'testimony', ownerId: t.id, fileName: c.name, mediaType: c.type, size: c.bytes.length, sha256: sha256(c.bytes), source: 'import', status: 'unverified', contentVisible: true, createdBy: ids.director });
      expect(view.url).toBe(`app-media://${view.id}`);
      expect(view.custody).toEqual([{ at: view.createdAt, by: ids.director, event: 'intake', detail: { fileName: c.name, fileNameSealed: false, size: c.bytes.length, mediaType: c.type, sha256: sha256(c.bytes), source: 'import', device: null } }]);
      expect(existsSync(attachmentPath(folder, view.id))).toBe(true);
      if (c.bytes.length > 0) expect(await readAll(await att.open(actor, view.id))).toEqual(Buffer.from(c.bytes));
    }
    const listed = await att.list(actor, 'testimony', t.id);
    expect(listed.map((v) => v.fileName)).toEqual(cases.map((c) => c.name));
    const rows = await db.selectFrom('audit_log').selectAll().where('action', '=', 'attachment.add').execute();
    expect(rows).toHaveLength(cases.length);
    // Ids only in the audit log: never the file name.
    expect(rows.every((r) => !r.detail.includes('png') && r.subject_kind === 'attachment')).toBe(true);
    expect((await verifyAuditChain(db)).firstBreak).toBeNull();
  });

  test('a file that cannot be read is ATTACHMENT_UNREADABLE and leaves no row and no file', async () => {
    const t = await testimony();
    const { att, actor, db } = current();
    await expectArchiveError(att.importFile(actor, 'testimony', t.id, join(files, 'nuk-ekziston.pdf')), 'ATTACHMENT_UNREADABLE');
    expect(await db.selectFrom('attachments').select('id').execute()).toEqual([]);
    const leftovers = existsSync(attachmentsDir(folder)) ? readdirSync(attachmentsDir(folder), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
    expect(leftovers).toEqual([]);
  });

  test('a marker in an imported file appears in no file of the archive folder', async () => {
    const t = await testimony();
    const { att, actor } = current();
    const marker = 'MARKER-7f3a9c-Mejë-1999';
    await att.importFile(actor, 'testimony', t.id, write('marker.txt', `${marker}\n`.repeat(2000)));
    const all = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(all.length).toBeGreaterThan(2);
    for (const e of all) expect(readFileSync(join(e.parentPath, e.name)).includes(Buffer.from(marker))).toBe(false);
  });

  test('an unknown owner is RECORD_NOT_FOUND; a recorder cannot add to a testimony of someone else (AUTH_FORBIDDEN)', async () => {
    const t = await testimony();
    const path = write('skanim.png', samples.png);
    await expectArchiveError(current().att.importFile(current().actor, 'testimony', '00000000-0000-4000-8000-000000000000', path), 'RECORD_NOT_FOUND');
    const { att, actor, db } = await as(recorder);
    await expectArchiveError(att.importFile(actor, 'testimony', t.id, path), 'AUTH_FORBIDDEN');
    await expectArchiveError(att.startRecording(actor, 'testimony', t.id, 'audio/webm', null), 'AUTH_FORBIDDEN');
    expect(await db.selectFrom('attachments').select('id').execute()).toEqual([]);
    // Their own testimony is fine.
    const own = await testimony();
    expect((await att.importFile(actor, 'testimony', own.id, path)).mediaType).toBe('image/png');
  });

  test('a session takes attachments too', async () => {
    const { records, actor, att } = current();
    const p = await records.persons.create(personInput(), actor);
    const s = await records.sessions.create(sessionInput([p.id]), actor);
    const view = await att.importFile(actor, 'session', s.id, write('procesverbal.pdf', samples.pdf));
    expect(view).toMatchObject({ ownerKind: 'session', ownerId: s.id, mediaType: 'application/pdf' });
  });
});

describe('restricted owners', () => {
  test('key and name are sealed to the readers; another recorder sees neither until a grant, and loses them at revocation', async () => {
    const { att, actor } = await as(recorder);
    const t = await testimony('restricted');
    const view = await att.importFile(actor, 'testimony', t.id, write('deklarata-e-dhunës.pdf', samples.pdf));
    expect(view).toMatchObject({ fileName: 'deklarata-e-dhunës.pdf', contentVisible: true });
    expect(view.custody[0]?.detail).toMatchObject({ fileName: 'deklarata-e-dhunës.pdf', fileNameSealed: true });

    // Nothing of the name or the key in plain columns.
    const { db } = current();
    const row = await db.selectFrom('attachments').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
    expect([row.file_name, row.file_key, row.key_sealed_id === null]).toEqual([null, null, false]);
    const custody = await db.selectFrom('attachment_custody').select('detail').where('attachment_id', '=', view.id).executeTakeFirstOrThrow();
    expect(custody.detail).not.toContain('deklarata');

    const other = await as(otherRecorder);
    const seen = await other.att.get(other.actor, view.id);
    expect(seen).toMatchObject({ fileName: null, contentVisible: false, sha256: sha256(samples.pdf) });
    expect(seen.custody[0]?.detail.fileName).toBeNull();
    await expectArchiveError(other.att.open(other.actor, view.id), 'CONTENT_NO_ACCESS');
    await expectArchiveError(other.att.verify(other.actor, view.id), 'CONTENT_NO_ACCESS');

    const boss = await as(director);
    expect((await boss.att.get(boss.actor, view.id)).fileName).toBe('deklarata-e-dhunës.pdf');
    await boss.records.grants.grant('testimony', t.id, ids.other, boss.actor);

    const granted = await as(otherRecorder);
    expect(await granted.att.get(granted.actor, view.id)).toMatchObject({ fileName: 'deklarata-e-dhunës.pdf', contentVisible: true });
    expect(await readAll(await granted.att.open(granted.actor, view.id))).toEqual(samples.pdf);
    await granted.att.open(granted.actor, view.id);
    // One read entry per attachment and session, however many range requests the player makes.
    expect((await auditActions()).filter((a) => a === 'attachment.read')).toHaveLength(1);

    const again = await as(director);
    await again.records.grants.revoke('testimony', t.id, ids.other, again.actor);
    const revoked = await as(otherRecorder);
    await expectArchiveError(revoked.att.open(revoked.actor, view.id), 'CONTENT_NO_ACCESS');
    // The re-key left the key readable to the remaining readers.
    const author = await as(recorder);
    expect(await readAll(await author.att.open(author.actor, view.id))).toEqual(samples.pdf);
    expect((await verifyAuditChain(author.db)).firstBreak).toBeNull();
  });

  test('the media opener needs a session: AUTH_REQUIRED when locked', async () => {
    const t = await testimony();
    const { att, actor } = current();
    const view = await att.importFile(actor, 'testimony', t.id, write('skanim.png', samples.png));
    const open = mediaOpener(core.sessions);
    expect((await open(view.id)).mediaType).toBe('image/png');
    await expectArchiveError(open('00000000-0000-4000-8000-000000000000'), 'ATTACHMENT_NOT_FOUND');
    await core.sessions.lock('manual');
    await expectArchiveError(open(view.id), 'AUTH_REQUIRED');
    await core.sessions.signIn(director.username, director.passphrase);
  });
});

describe('recording', () => {
  test('three chunks in order make one attachment with the hash of their bytes; out of order and foreign ids are refused', async () => {
    const t = await testimony();
    const { att, actor } = current();
    const chunks = [samples.webm, Buffer.alloc(70_000, 1), Buffer.alloc(3, 2)];
    const { recordingId } = await att.startRecording(actor, 'testimony', t.id, 'audio/webm;codecs=opus', 'Mikrofoni i brendshëm');
    expect(await att.appendChunk(actor, recordingId, 0, chunks[0] ?? new Uint8Array())).toEqual({ received: 1 });
    await expectArchiveError(att.appendChunk(actor, recordingId, 2, chunks[2] ?? new Uint8Array()), 'RECORDING_OUT_OF_ORDER');
    await expectArchiveError(att.appendChunk(actor, recordingId, 0, chunks[0] ?? new Uint8Array()), 'RECORDING_OUT_OF_ORDER');
    await expectArchiveError(att.appendChunk(actor, '00000000-0000-4000-8000-000000000000', 1, chunks[1] ?? new Uint8Array()), 'RECORDING_NOT_FOUND');
    expect(await att.appendChunk(actor, recordingId, 1, chunks[1] ?? new Uint8Array())).toEqual({ received: 2 });
    expect(await att.appendChunk(actor, recordingId, 2, chunks[2] ?? new Uint8Array())).toEqual({ received: 3 });
    const view = await att.finishRecording(actor, recordingId);
    const all = Buffer.concat(chunks);
    expect(view).toMatchObject({ source: 'recording', device: 'Mikrofoni i brendshëm', mediaType: 'audio/webm', size: all.length, sha256: sha256(all) });
    expect(view.custody[0]?.detail).toMatchObject({ source: 'recording', declaredType: 'audio/webm;codecs=opus', device: 'Mikrofoni i brendshëm' });
    const src = await att.open(actor, view.id);
    expect(await readAll(src)).toEqual(all);
    expect(await readAll(src, 69_990, 70_010)).toEqual(all.subarray(69_990, 70_011));
    // Finished: the id is gone.
    await expectArchiveError(att.appendChunk(actor, recordingId, 3, new Uint8Array(1)), 'RECORDING_NOT_FOUND');
  });

  test("another user's recording is not found; cancelling and locking remove the temp file and commit nothing", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 9);
    const { att, actor } = await as(recorder);
    const t = await testimony();
    const first = await att.startRecording(actor, 'testimony', t.id, 'audio/webm', null);
    await att.appendChunk(actor, first.recordingId, 0, samples.webm);
    // More than the stream's buffer: appendChunk returns only once the writer has taken bytes, so its temp file exists.
    await att.appendChunk(actor, first.recordingId, 1, big);
    const temps = () => (existsSync(attachmentsDir(folder)) ? readdirSync(attachmentsDir(folder), { recursive: true }).map(String).filter((n) => n.endsWith('.tmp')) : []);
    expect(temps()).toHaveLength(1);
    expect(await att.cancelRecording(actor, first.recordingId)).toEqual({ cancelled: true });
    expect(temps()).toEqual([]);
    expect(await att.cancelRecording(actor, first.recordingId)).toEqual({ cancelled: false });

    const second = await att.startRecording(actor, 'testimony', t.id, 'audio/webm', null);
    await att.appendChunk(actor, second.recordingId, 0, big);
    expect(temps()).toHaveLength(1);
    await core.sessions.lock('idle');
    expect(temps()).toEqual([]);
    const back = await as(recorder);
    await expectArchiveError(back.att.appendChunk(back.actor, second.recordingId, 1, samples.webm), 'RECORDING_NOT_FOUND');
    expect(await back.db.selectFrom('attachments').select('id').execute()).toEqual([]);

    const third = await back.att.startRecording(back.actor, 'testimony', t.id, 'audio/webm', null);
    // The session manager's services are per session: signing another user in ends the recording as a lock does.
    const boss = await as(director);
    await expectArchiveError(boss.att.appendChunk(boss.actor, third.recordingId, 0, samples.webm), 'RECORDING_NOT_FOUND');
    expect(await boss.att.cancelRecording(boss.actor, third.recordingId)).toEqual({ cancelled: false });
  });

  test("a recording in progress is another user's to refuse within one session", async () => {
    const t = await testimony();
    const { att, actor } = current();
    const { recordingId } = await att.startRecording(actor, 'testimony', t.id, 'audio/webm', null);
    const stranger = { ...actor, userId: ids.other };
    await expectArchiveError(att.appendChunk(stranger, recordingId, 0, samples.webm), 'RECORDING_NOT_FOUND');
    await expectArchiveError(att.finishRecording(stranger, recordingId), 'RECORDING_NOT_FOUND');
    expect(await att.cancelRecording(stranger, recordingId)).toEqual({ cancelled: false });
    expect(await att.cancelRecording(actor, recordingId)).toEqual({ cancelled: true });
  });
});

describe('integrity', () => {
  test('verify passes on an intact file; a flipped byte is reported damaged, with custody and audit entries', async () => {
    const t = await testimony();
    const { att, actor, db } = current();
    const bytes = Buffer.alloc(200_000, 0x5a);
    const view = await att.importFile(actor, 'testimony', t.id, write('incizim.wav', Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'), bytes])));
    expect(view.mediaType).toBe('audio/wav');
    const ok = await att.verify(actor, view.id);
    expect(ok.ok).toBe(true);
    expect(ok.attachment).toMatchObject({ status: 'ok' });
    expect(ok.attachment.lastVerifiedAt).not.toBeNull();
    expect(ok.attachment.custody.map((c) => c.event)).toEqual(['intake', 'verify']);

    const file = attachmentPath(folder, view.id);
    const raw = readFileSync(file);
    const at = Math.floor(statSync(file).size / 2);
    raw[at] = (raw[at] ?? 0) ^ 0x01;
    writeFileSync(file, raw);

    const bad = await att.verify(actor, view.id);
    expect(bad.ok).toBe(false);
    expect(bad.attachment.status).toBe('damaged');
    expect(bad.attachment.custody.map((c) => c.event)).toEqual(['intake', 'verify', 'damaged']);
    expect(bad.attachment.custody[2]?.detail).toEqual({ reason: 'decryption-failed' });
    const actions = await auditActions();
    expect(actions.filter((a) => a === 'attachment.verify')).toHaveLength(1);
    expect(actions.filter((a) => a === 'attachment.damaged')).toHaveLength(1);
    // Playback of the damaged file fails with a named error, never garbage.
    const src = await att.open(actor, view.id);
    await expectArchiveError(readAll(src), 'ATTACHMENT_DAMAGED');
    // Custody is append-only in the database itself.
    await expect(db.deleteFrom('attachment_custody').where('attachment_id', '=', view.id).execute()).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db)).firstBreak).toBeNull();
  });

  test('a truncated file is damaged at open', async () => {
    const t = await testimony();
    const { att, actor } = current();
    const view = await att.importFile(actor, 'testimony', t.id, write('skanim.png', Buffer.concat([samples.png, Buffer.alloc(150_000, 3)])));
    const file = attachmentPath(folder, view.id);
    writeFileSync(file, readFileSync(file).subarray(0, 70_000));
    await expectArchiveError(att.open(actor, view.id), 'ATTACHMENT_DAMAGED');
    expect((await att.verify(actor, view.id)).ok).toBe(false);
  });
});

describe('segments', () => {
  test('saved, listed by start, updated and deleted; bad times and foreign violations refused', async () => {
    const t = await testimony();
    const other = await testimony();
    const { att, actor, db } = current();
    const view = await att.importFile(actor, 'testimony', t.id, write('incizim.webm', samples.webm));
    const own = await db.selectFrom('violations').select('id').where('testimony_id', '=', t.id).orderBy('position').execute();
    const foreign = await db.selectFrom('violations').select('id').where('testimony_id', '=', other.id).execute();
    const base = { id: null, startMs: 60_000, endMs: 125_000, title: 'Pika e kontrollit në Mejë', summary: 'Dëshmitarja përshkruan ndalimin e vëllait.', keywords: ['Mejë', 'pikë kontrolli'], violationIds: [own[0]?.id ?? ''] };

    await expectArchiveError(att.saveSegment(actor, view.id, { ...base, endMs: 60_000 }), 'IPC_BAD_INPUT');
    await expectArchiveError(att.saveSegment(actor, view.id, { ...base, violationIds: [foreign[0]?.id ?? ''] }), 'RECORD_UNKNOWN_REFERENCE');
    await expectArchiveError(att.saveSegment(actor, '00000000-0000-4000-8000-000000000000', base), 'ATTACHMENT_NOT_FOUND');
    expect(await att.listSegments(actor, view.id)).toEqual([]);

    const second = await att.saveSegment(actor, view.id, base);
    const first = await att.saveSegment(actor, view.id, { ...base, startMs: 0, endMs: 60_000, title: 'Hyrja', violationIds: [] });
    expect((await att.listSegments(actor, view.id)).map((s) => s.title)).toEqual(['Hyrja', 'Pika e kontrollit në Mejë']);
    const updated = await att.saveSegment(actor, view.id, { ...base, id: second.id, title: 'Ndalimi në Mejë', violationIds: own.map((v) => v.id) });
    expect(updated.id).toBe(second.id);
    expect((await att.listSegments(actor, view.id))[1]).toEqual({ ...base, id: second.id, title: 'Ndalimi në Mejë', violationIds: own.map((v) => v.id) });
    await expectArchiveError(att.saveSegment(actor, view.id, { ...base, id: '00000000-0000-4000-8000-000000000000' }), 'RECORD_NOT_FOUND');
    expect(await att.deleteSegment(actor, view.id, first.id)).toEqual({ deleted: true });
    expect(await att.deleteSegment(actor, view.id, first.id)).toEqual({ deleted: false });
    expect((await att.listSegments(actor, view.id)).map((s) => s.id)).toEqual([second.id]);
    const actions = await auditActions();
    expect(['segment.add', 'segment.update', 'segment.delete'].map((a) => actions.filter((x) => x === a).length)).toEqual([2, 1, 1]);
  });

  test("a restricted owner's segment text is sealed; a recorder without a copy cannot list it or edit another's", async () => {
    const { att, actor } = await as(recorder);
    const t = await testimony('restricted');
    const view = await att.importFile(actor, 'testimony', t.id, write('incizim.webm', samples.webm));
    const seg = await att.saveSegment(actor, view.id, { id: null, startMs: 0, endMs: 1000, title: 'Dhuna në burg', summary: 'E ndjeshme.', keywords: ['burg'], violationIds: [] });
    const row = await current().db.selectFrom('attachment_segments').selectAll().where('id', '=', seg.id).executeTakeFirstOrThrow();
    expect([row.title, row.summary, row.keywords, row.text_sealed_id === null]).toEqual([null, null, null, false]);
    expect((await att.listSegments(actor, view.id))[0]?.title).toBe('Dhuna në burg');

    const other = await as(otherRecorder);
    await expectArchiveError(other.att.listSegments(other.actor, view.id), 'CONTENT_NO_ACCESS');
    await expectArchiveError(other.att.saveSegment(other.actor, view.id, { id: null, startMs: 0, endMs: 5, title: 'x', summary: '', keywords: [], violationIds: [] }), 'AUTH_FORBIDDEN');
    await expectArchiveError(other.att.deleteSegment(other.actor, view.id, seg.id), 'AUTH_FORBIDDEN');
  });
});

describe('segments linked to violations', () => {
  test('a link survives edits that keep the violation (ids stable); removing the violation drops it from the segment', async () => {
    const t = await testimony();
    const { records, att, actor, db } = current();
    const view = await att.importFile(actor, 'testimony', t.id, write('incizim.webm', samples.webm));
    const [first, second] = t.violations;
    if (!first || !second) throw new Error('the fixture has two violations');
    const seg = await att.saveSegment(actor, view.id, { id: null, startMs: 0, endMs: 30_000, title: 'Zhdukja', summary: '', keywords: [], violationIds: [second.id] });

    // An edit sending the violations back with their ids, a change of one of them and a new one added.
    const { id: _id, takerId: _taker, status: _status, revision: _revision, sealedRevision: _sealed, contentVisible: _visible, ...input } = t;
    const edited = await records.testimonies.update(t.id, { ...input, title: 'Titull i ri', violations: [first, { ...second, notes: 'Shënim i ri.' }, { ...withoutId(second), actType: 'torture-ill-treatment' }] }, t.revision, actor);
    expect(edited.violations.map((v) => v.id).slice(0, 2)).toEqual([first.id, second.id]);
    expect(edited.violations[2]?.id).not.toBe(second.id);
    expect((await att.listSegments(actor, view.id))[0]?.violationIds).toEqual([second.id]);
    // Review rewrites the rows too: the ids stay.
    const reviewed = await records.testimonies.review(t.id, edited.revision, actor);
    expect(reviewed.violations.map((v) => v.id)).toEqual(edited.violations.map((v) => v.id));
    // The history compares what was recorded: ids are neither in the snapshot nor counted as a change.
    const history = await records.testimonies.history(t.id, actor);
    expect(history.find((h) => h.revision === 2)?.changed).toEqual(['title', 'violations']);
    const snapshot = await records.testimonies.atRevision(t.id, 2, actor);
    expect((snapshot['violations'] as Array<Record<string, unknown>>).every((v) => !('id' in v))).toBe(true);

    // The second violation removed: its row is gone and the segment no longer names it.
    const without = await records.testimonies.update(t.id, { ...input, violations: [first] }, reviewed.revision, actor);
    expect(without.violations.map((v) => v.id)).toEqual([first.id]);
    expect(await db.selectFrom('violations').select('id').where('id', '=', second.id).execute()).toEqual([]);
    expect(await att.listSegments(actor, view.id)).toEqual([expect.objectContaining({ id: seg.id, violationIds: [] })]);
  });

  test("ids are kept, never chosen: another testimony's violation id, the same id twice or an id on a new testimony are refused", async () => {
    const t = await testimony();
    const other = await testimony();
    const { records, actor } = current();
    const { id: _id, takerId: _taker, status: _status, revision: _revision, sealedRevision: _sealed, contentVisible: _visible, ...input } = t;
    const [first] = t.violations;
    const foreign = other.violations[0];
    if (!first || !foreign) throw new Error('the fixture has violations');
    await expectArchiveError(records.testimonies.update(t.id, { ...input, violations: [first, { ...first, id: foreign.id }] }, t.revision, actor), 'RECORD_UNKNOWN_REFERENCE');
    await expectArchiveError(records.testimonies.update(t.id, { ...input, violations: [first, first] }, t.revision, actor), 'IPC_BAD_INPUT');
    await expectArchiveError(records.testimonies.create({ ...input, violations: [first] }, actor), 'IPC_BAD_INPUT');
    // Nothing changed: same revision, same violations.
    const after = await records.testimonies.get(t.id, actor);
    expect([after.revision, after.violations.map((v) => v.id)]).toEqual([t.revision, t.violations.map((v) => v.id)]);
  });
});

describe('check of all attachments in the background', () => {
  test('a damaged file among intact ones is named in the status, with custody and audit; progress reaches the total', async () => {
    const t = await testimony();
    const { att, actor, db } = current();
    const a = await att.importFile(actor, 'testimony', t.id, write('skanim.png', samples.png));
    const b = await att.importFile(actor, 'testimony', t.id, write('deklarata.pdf', Buffer.concat([samples.pdf, Buffer.alloc(100_000, 7)])));
    const c = await att.importFile(actor, 'testimony', t.id, write('incizim.webm', samples.webm));
    const file = attachmentPath(folder, b.id);
    const raw = readFileSync(file);
    const at = Math.floor(raw.length / 2);
    raw[at] = (raw[at] ?? 0) ^ 0x01;
    writeFileSync(file, raw);

    const progress: Array<[number, number]> = [];
    const tally = await att.verifyAll(actor, (p) => progress.push([p.done, p.total]));
    expect(tally).toEqual({ checked: 3, damaged: 1, skipped: 0 });
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]]);

    const { jobId } = await att.startCheck(actor);
    const status = await until(() => att.checkStatus(actor, jobId), (s) => s.state !== 'running');
    expect(status).toEqual({
      jobId,
      state: 'finished',
      done: 3,
      total: 3,
      checked: 3,
      skipped: 0,
      damaged: [{ id: b.id, recordKind: 'testimony', recordId: t.id, name: 'deklarata.pdf', source: 'import', createdAt: b.createdAt, reason: 'decryption-failed' }],
      error: null,
    });
    expect((await att.get(actor, b.id)).status).toBe('damaged');
    expect((await att.get(actor, a.id)).status).toBe('ok');
    expect((await att.get(actor, c.id)).status).toBe('ok');
    const damagedAudit = await db.selectFrom('audit_log').select('subject_id').where('action', '=', 'attachment.damaged').execute();
    expect(damagedAudit.map((r) => r.subject_id)).toEqual([b.id, b.id]);
    // Starting again while none runs begins a new check; the old one is forgotten.
    const again = await att.startCheck(actor);
    expect(again.jobId).not.toBe(jobId);
    await expectArchiveError(() => att.checkStatus(actor, jobId), 'CHECK_NOT_FOUND');
    await until(() => att.checkStatus(actor, again.jobId), (s) => s.state !== 'running');
  });

  test("cancelled before its first file it checks nothing; stopping all (at lock) waits for it; another user's check is unknown", async () => {
    const t = await testimony();
    const { att, actor } = current();
    for (const name of ['a.png', 'b.png', 'c.png']) await att.importFile(actor, 'testimony', t.id, write(name, samples.png));
    const { jobId } = await att.startCheck(actor);
    // Started twice while running: the same check.
    expect((await att.startCheck(actor)).jobId).toBe(jobId);
    expect(att.cancelCheck(actor, jobId)).toEqual({ cancelled: true });
    const status = await until(() => att.checkStatus(actor, jobId), (s) => s.state !== 'running');
    expect(status).toMatchObject({ state: 'cancelled', done: 0, total: 3, checked: 0, damaged: [] });
    expect(att.cancelCheck(actor, jobId)).toEqual({ cancelled: false });
    expect((await auditActions()).filter((a) => a === 'attachment.verify')).toEqual([]);

    // What the lock does: a running check is stopped and waited for, so nothing runs on a closed database.
    const stopped = await att.startCheck(actor);
    expect(await att.cancelAllChecks()).toBe(1);
    await expectArchiveError(() => att.checkStatus(actor, stopped.jobId), 'CHECK_NOT_FOUND');
    expect((await auditActions()).filter((a) => a === 'attachment.verify')).toEqual([]);

    const running = await att.startCheck(actor);
    const other = await as(recorder);
    await expectArchiveError(() => other.att.checkStatus(other.actor, running.jobId), 'CHECK_NOT_FOUND');
    await expectArchiveError(() => other.att.cancelCheck(other.actor, running.jobId), 'CHECK_NOT_FOUND');
  });
});

/** Polls `read` (every 20 ms, up to 10 s) until `done` holds for what it returns. */
async function until<T>(read: () => T, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting');
}

/** A violation as the form sends a new one: without an id. */
function withoutId<T extends { id: string }>(v: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = v;
  return rest;
}

describe('sweep at open', () => {
  test('an unknown .bin and a temp file are removed when a session starts; attachments with rows stay', async () => {
    const t = await testimony();
    const { att, actor } = current();
    const kept = await att.importFile(actor, 'testimony', t.id, write('skanim.png', samples.png));
    const orphanId = 'abcdef01-2345-4678-9abc-def012345678';
    const orphan = attachmentPath(folder, orphanId);
    mkdirSync(join(attachmentsDir(folder), 'ab'), { recursive: true });
    writeFileSync(orphan, Buffer.alloc(100, 1));
    const temp = join(attachmentsDir(folder), 'ab', `.incoming-${orphanId}.bin.0123456789ab.tmp`);
    writeFileSync(temp, Buffer.alloc(100, 2));
    await as(director);
    expect([existsSync(orphan), existsSync(temp), existsSync(attachmentPath(folder, kept.id))]).toEqual([false, false, true]);
    expect(await readAll(await current().att.open(current().actor, kept.id))).toEqual(samples.png);
  });
});

describe('schema', () => {
  test('the list queries read their index in order (EXPLAIN QUERY PLAN of the exact SQL)', () => {
    const archive = core.sessions.require().archive;
    const planOf = (q: { sql: string; parameters: readonly unknown[] }) =>
      (archive.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.parameters) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    const list = planOf(attachmentListQuery(archive.db.kysely, 'testimony', 'x').compile());
    expect(list).toMatch(/USING INDEX attachments_owner/);
    expect(list).not.toMatch(/TEMP B-TREE/);
    const segments = planOf(segmentListQuery(archive.db.kysely, 'x').compile());
    expect(segments).toMatch(/USING INDEX attachment_segments_attachment/);
    expect(segments).not.toMatch(/TEMP B-TREE/);
  });

  test('a restricted-looking row with a plain key, or a plain row without one, is refused by the CHECK', async () => {
    const t = await testimony();
    const { db } = current();
    const base = { id: 'row', owner_kind: 'testimony' as const, owner_id: t.id, media_type: 'image/png', size: 1, sha256: 'a'.repeat(64), source: 'import' as const, device: null, created_at: 'now', created_by: ids.director, status: 'unverified' as const, last_verified_at: null };
    await expect(db.insertInto('attachments').values({ ...base, file_name: 'x.png', file_key: null, key_sealed_id: null }).execute()).rejects.toThrow(/CHECK/);
    await expect(db.insertInto('attachments').values({ ...base, file_name: null, file_key: new Uint8Array(32), key_sealed_id: null }).execute()).rejects.toThrow(/CHECK/);
  });
});

describe('keys over the archive lifetime', () => {
  test('after a user is removed (master key rotated, database rekeyed) every attachment still opens; verifyAll reports progress', async () => {
    const normal = await testimony();
    const restricted = await testimony('restricted');
    const { att, actor } = current();
    const a = await att.importFile(actor, 'testimony', normal.id, write('skanim.png', samples.png));
    const b = await att.importFile(actor, 'testimony', restricted.id, write('deklarata.pdf', samples.pdf));
    await core.sessions.removeUser(ids.other);
    const after = await as(director);
    expect(await readAll(await after.att.open(after.actor, a.id))).toEqual(samples.png);
    expect(await readAll(await after.att.open(after.actor, b.id))).toEqual(samples.pdf);
    const progress: Array<[number, number, boolean | null]> = [];
    expect(await after.att.verifyAll(after.actor, (p) => progress.push([p.done, p.total, p.ok]))).toEqual({ checked: 2, damaged: 0, skipped: 0 });
    expect(progress).toEqual([[1, 2, true], [2, 2, true]]);
    // A recorder holds no key of the director's restricted testimony: checked what they can, the rest skipped.
    const rec = await as(recorder);
    expect(await rec.att.verifyAll(rec.actor)).toEqual({ checked: 1, damaged: 0, skipped: 1 });
  });
});

describe('a record made restricted later', () => {
  test("its attachments' keys and names move from the database columns into content sealed to its readers", async () => {
    const { records, actor, att, db } = current();
    const p = await records.persons.create(personInput(), actor);
    const t = await records.testimonies.create(testimonyInput(p.id, p.id), actor);
    const view = await att.importFile(actor, 'testimony', t.id, write('skanim.png', samples.png));
    const before = await db.selectFrom('attachments').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
    expect([before.file_name, before.file_key?.length, before.key_sealed_id]).toEqual(['skanim.png', 32, null]);
    await records.testimonies.update(t.id, testimonyInput(p.id, p.id, { sensitivity: 'restricted' }), t.revision, actor);
    const after = await db.selectFrom('attachments').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
    expect([after.file_name, after.file_key, after.key_sealed_id === null]).toEqual([null, null, false]);
    expect(await att.get(actor, view.id)).toMatchObject({ fileName: 'skanim.png', contentVisible: true });
    expect(await readAll(await att.open(actor, view.id))).toEqual(samples.png);
    const other = await as(otherRecorder);
    expect(await other.att.get(other.actor, view.id)).toMatchObject({ fileName: null, contentVisible: false });
    await expectArchiveError(other.att.open(other.actor, view.id), 'CONTENT_NO_ACCESS');
  });
});
