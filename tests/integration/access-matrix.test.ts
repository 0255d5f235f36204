// The whole role x method matrix, walked through the real router on a real archive and checked cell by cell
// against the policy table: `none` is refused, `all` works, `own` and `granted` work on the right record only.
// A sample input is required for every method (a typed Record), so no method can be left out of the walk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { beforePassphraseChange, policyTable, reachOf, type Reach } from '../../electron/core/access/policy';
import { generateIdentity, identityFileText } from '../../electron/core/submissions/age/age';
import { isArchiveError } from '../../electron/core/errors';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter, type Router } from '../../electron/ipc/router';
import { roles, type Role } from '../../shared/domain/roles';
import type { ErrorCode, Result } from '../../shared/errors';
import { methodNames, type MethodName } from '../../shared/ipc/methods';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { allTestimonies, exportDate } from '../fixtures/bundles';
import { personInput, testimonyInput } from '../fixtures/records';
import { sessionInput } from '../fixtures/sessions';
import { addUser, recorder } from '../fixtures/users';

type Core = Awaited<ReturnType<typeof makeCore>>;
type Person = { username: string; displayName: string; passphrase: string };
/** A cell's sample: the input on a record the caller reaches, and (for own/granted) one on a record they do not. */
type Sample = { input: () => unknown; outside?: () => unknown; expect?: Partial<Record<Role, ErrorCode>>; outsideExpect?: ErrorCode | 'ok' };

const appWindow = { url: 'app://archive/index.html', isMainFrame: true };
const secondRecorder: Person = { username: 'vesna.markovic', displayName: 'Vesna Marković', passphrase: 'Jutro nad Šar planinom miriše na kišu' };
const auditor: Person = { username: 'arta.berisha', displayName: 'Arta Berisha', passphrase: 'Llogaritë e drejta nuk kanë frikë nga dielli' };
const victims = ['to.disable', 'to.reset', 'to.remove'].map((u) => ({ username: u, displayName: u, passphrase: `${u} fjalëkalim i gjatë mjaftueshëm` }));

let dir: ReturnType<typeof tempDir>;
let core: Core;
let route: Router;
const ids = {} as Record<'recorder' | 'recorder2' | 'auditor' | 'toDisable' | 'toReset' | 'toRemove', string> &
  Record<'pOwn' | 'pOther' | 'pGranted' | 'tOwn' | 'tOther' | 'tReview' | 'tGranted' | 'sOwn' | 'sOther' | 'sGranted', string> &
  Record<'fOwn' | 'fOther', string> &
  Record<'aOwn' | 'aOther' | 'aGranted', string> &
  Record<'recipient' | 'backup', string>;
/** The save dialog's folder, the one bundle exported in setup, and the identity that opens it. */
const picks = { saveDir: '', bundle: '', identityFile: '', backupDir: '' };

const call = (method: string, input: unknown) => route(appWindow, method, input);
const codeOf = (r: Result<unknown>): ErrorCode | 'ok' => (r.ok ? 'ok' : r.error.code);
const records = () => core.sessions.require().records;

async function revisionOf(table: 'persons' | 'testimonies' | 'dialogue_sessions', id: string): Promise<number> {
  const row = await core.sessions.require().archive.db.kysely.selectFrom(table).select('revision').where('id', '=', id).executeTakeFirstOrThrow();
  return row.revision;
}

async function signInAs(who: Person): Promise<void> {
  await core.sessions.signIn(who.username, who.passphrase);
}

let sampleFile = '';

beforeAll(async () => {
  dir = tempDir('ta-matrix-');
  sampleFile = join(dir.path, 'consent-form.pdf');
  writeFileSync(sampleFile, '%PDF-1.4\n% consent form scan\n');
  picks.saveDir = join(dir.path, 'save');
  mkdirSync(picks.saveDir);
  picks.identityFile = join(dir.path, 'commission.key');
  picks.backupDir = join(dir.path, 'usb');
  mkdirSync(picks.backupDir);
  core = await makeCore(join(dir.path, 'archive'), {
    pickSaveFolder: () => Promise.resolve(picks.saveDir),
    pickBundleFolder: () => Promise.resolve(picks.bundle),
    pickIdentityFile: () => Promise.resolve(picks.identityFile),
    pickBackupFolder: () => Promise.resolve(picks.backupDir),
  });
  route = createRouter({ handlers: createHandlers(core), currentUser: () => core.sessions.caller(), isTrustedSender: (s) => s.isMainFrame && s.url.startsWith('app://archive/') });
  await core.sessions.create(createInput(director));
  const archive = core.sessions.require().archive;
  ids.recorder = await addUser(core.sodium, archive, recorder, 'recorder');
  ids.recorder2 = await addUser(core.sodium, archive, secondRecorder, 'recorder');
  ids.auditor = await addUser(core.sodium, archive, auditor, 'auditor');
  const [d, r, x] = victims;
  if (!d || !r || !x) throw new Error('three victims');
  ids.toDisable = await addUser(core.sodium, archive, d, 'recorder');
  ids.toReset = await addUser(core.sodium, archive, r, 'recorder');
  ids.toRemove = await addUser(core.sodium, archive, x, 'recorder');

  // Each recorder's own person, testimony and session (restricted ones too, for the sensitivity cells).
  for (const [who, suffix] of [[recorder, 'Own'], [secondRecorder, 'Other']] as const) {
    await signInAs(who);
    const p = await records().persons.create(personInput(), records().actor);
    const t = await records().testimonies.create(testimonyInput(p.id, p.id, { sensitivity: 'restricted' }), records().actor);
    const s = await records().sessions.create(sessionInput([p.id]), records().actor);
    ids[`p${suffix}`] = p.id;
    ids[`t${suffix}`] = t.id;
    ids[`s${suffix}`] = s.id;
    ids[`f${suffix}`] = s.followUps[0]?.id ?? '';
    ids[`a${suffix}`] = (await records().attachments.importFile(records().actor, 'testimony', t.id, sampleFile)).id;
  }
  // The director's restricted records granted to the auditor, and one testimony to review, seal and revise.
  await signInAs(director);
  const pg = await records().persons.create(personInput({ confidentiality: 'restricted' }), records().actor);
  const tg = await records().testimonies.create(testimonyInput(pg.id, pg.id, { sensitivity: 'restricted' }), records().actor);
  const sg = await records().sessions.create(sessionInput([pg.id], { sensitivity: 'restricted' }), records().actor);
  const tr = await records().testimonies.create(testimonyInput(pg.id, pg.id), records().actor);
  Object.assign(ids, { pGranted: pg.id, tGranted: tg.id, sGranted: sg.id, tReview: tr.id });
  ids.aGranted = (await records().attachments.importFile(records().actor, 'testimony', tg.id, sampleFile)).id;
  for (const [kind, id] of [['person', pg.id], ['testimony', tg.id], ['session', sg.id]] as const) await records().grants.grant(kind, id, ids.auditor, records().actor);
  // A commission recipient and one exported bundle (a reviewed testimony), for the submission and bundle methods.
  const commission = generateIdentity();
  writeFileSync(picks.identityFile, identityFileText(commission.identity), { mode: 0o600 });
  ids.recipient = (await core.submissions.addRecipient(records().actor, { label: 'Commission', kind: 'commission', recipient: commission.recipient })).id;
  const pe = await records().persons.create(personInput(), records().actor);
  const te = await records().testimonies.create(testimonyInput(pe.id, pe.id), records().actor);
  await records().testimonies.review(te.id, te.revision, records().actor);
  const job = await exportJob([ids.recipient]);
  const done = core.submissions.exportStatus(job);
  if (done.state !== 'finished' || !done.result) throw new Error(`the setup export ${done.state}: ${done.error?.message ?? ''}`);
  picks.bundle = done.result.destination;
  ids.backup = await ownBackup('backups.verify');
  await core.sessions.lock('manual');
}, 120_000);
afterAll(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

/** The record a role reaches for read methods: auditors only what was granted to them. */
const readable = (role: Role, kind: 'p' | 't' | 's' | 'a') => (role === 'auditor' ? ids[`${kind}Granted`] : ids[`${kind}Own`]);
const noOne = '00000000-0000-4000-8000-000000000000';
/** A recording of the signed-in user (one chunk in), or a made-up id for a role the router refuses anyway. */
async function ownRecording(method: MethodName): Promise<string> {
  if (reachOf(currentRole, method) === 'none') return noOne;
  try {
    const { recordingId } = await records().attachments.startRecording(records().actor, 'testimony', ids.tOwn, 'audio/webm', null);
    await records().attachments.appendChunk(records().actor, recordingId, 0, Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3]));
    return recordingId;
  } catch {
    // Not this user's record (the one-time-passphrase case): the router refuses before the id matters.
    return noOne;
  }
}
/** A check of all attachments started by the signed-in user, or a made-up id for a role the router refuses anyway. */
async function ownCheck(method: MethodName): Promise<string> {
  if (reachOf(currentRole, method) === 'none') return noOne;
  return (await records().attachments.startCheck(records().actor)).jobId;
}
/** An archive check of the signed-in user (director or auditor), or a made-up id for a role the router refuses anyway. */
function ownArchiveCheck(method: MethodName): string {
  if (reachOf(currentRole, method) === 'none') return noOne;
  return core.archiveChecks.start().jobId;
}
/** Starts an export as the signed-in user and waits until it ends (one export runs at a time). */
async function exportJob(recipientIds: string[]): Promise<string> {
  let jobId: string | null = null;
  while (jobId === null) {
    try {
      jobId = (await core.submissions.exportStart(records().actor, { filters: allTestimonies, exportDate, confirmRestricted: true, recipientIds })).jobId;
      if (jobId === null) throw new Error('the save dialog is never cancelled here');
    } catch (e) {
      // The router's own export (sampled just before) may still be running.
      if (!isArchiveError(e) || e.code !== 'ARCHIVE_BUSY') throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  while (core.submissions.exportStatus(jobId).state === 'running') await new Promise((r) => setTimeout(r, 20));
  return jobId;
}
/** An export job of the signed-in director (one that fails fast: its recipient does not exist), or a made-up id. */
async function ownExport(method: MethodName): Promise<string> {
  return reachOf(currentRole, method) === 'none' ? noOne : exportJob([noOne]);
}
/** A finished backup job of the signed-in director (one backup runs at a time), or a made-up id. */
async function ownBackup(method: MethodName): Promise<string> {
  if (reachOf(currentRole, method) === 'none') return noOne;
  let jobId: string | null = null;
  while (jobId === null) {
    try {
      jobId = core.backups.startInto(records().actor, picks.backupDir).jobId;
    } catch (e) {
      // The router's own backup (sampled just before) may still be running.
      if (!isArchiveError(e) || e.code !== 'ARCHIVE_BUSY') throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const done = await core.backups.wait(jobId);
  if (done.state !== 'finished' || !done.result) throw new Error(`a backup ${done.state}: ${done.error?.message ?? ''}`);
  return method === 'backups.verify' ? done.result.backupId : jobId;
}
/** A recipient to retire (added now), or a made-up id for a role the router refuses anyway. */
async function freshRecipient(method: MethodName): Promise<string> {
  if (reachOf(currentRole, method) === 'none') return noOne;
  return (await core.submissions.addRecipient(records().actor, { label: 'To retire', kind: 'other', recipient: generateIdentity().recipient })).id;
}
/** The setup bundle opened by the signed-in user (handle and first record), or made-up values. */
async function openedBundle(method: MethodName): Promise<{ handle: string; ref: string }> {
  if (reachOf(currentRole, method) === 'none') return { handle: noOne, ref: 'T1' };
  const opened = await core.submissions.openBundle(records().actor, { withIdentity: true });
  const ref = opened?.records[0]?.ref;
  if (!opened?.report.ok || !ref) throw new Error('the setup bundle opens and verifies');
  return { handle: opened.handle, ref };
}
const audioChunk = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 9, 9]).toString('base64');
const segment = { id: null, startMs: 0, endMs: 1000, title: 'Hyrje', summary: '', keywords: [], violationIds: [] };
let currentRole: Role = 'director';

const samples: Record<MethodName, Sample> = {
  'app.status': { input: () => ({}) },
  'archive.chooseFolder': { input: () => ({}), expect: { director: 'ARCHIVE_BUSY', recorder: 'ARCHIVE_BUSY', auditor: 'ARCHIVE_BUSY' } },
  'archive.create': { input: () => createInput(director), expect: { director: 'ARCHIVE_BUSY', recorder: 'ARCHIVE_BUSY', auditor: 'ARCHIVE_BUSY' } },
  'passphrase.check': { input: () => ({ passphrase: 'any text at all' }) },
  'session.signIn': { input: () => ({ username: who(currentRole).username, passphrase: who(currentRole).passphrase }) },
  'session.info': { input: () => ({}) },
  'session.lock': { input: () => ({}) },
  'settings.get': { input: () => ({}) },
  'settings.setIdleTimeout': { input: () => ({ minutes: 20 }) },
  'reference.get': { input: () => ({}) },
  'places.find': { input: () => ({ query: 'Gjak', limit: 5 }) },
  'persons.create': { input: () => ({ person: personInput() }) },
  'persons.get': { input: () => ({ id: readable(currentRole, 'p') }), outside: () => ({ id: ids.pOther }) },
  'persons.update': {
    input: async () => ({ id: ids.pOwn, expectedRevision: await revisionOf('persons', ids.pOwn), person: personInput({ contact: `+383 44 ${currentRole}` }) }),
    outside: async () => ({ id: ids.pOther, expectedRevision: await revisionOf('persons', ids.pOther), person: personInput() }),
  },
  'persons.similar': { input: () => ({ names: { sq: 'Shqipe Krasniqi', srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, excludeId: null, limit: 5 }) },
  'persons.history': { input: () => ({ id: readable(currentRole, 'p') }), outside: () => ({ id: ids.pOther }) },
  'persons.atRevision': { input: () => ({ id: readable(currentRole, 'p'), revision: 1 }), outside: () => ({ id: ids.pOther, revision: 1 }) },
  'testimonies.create': { input: () => ({ testimony: testimonyInput(ids.pOwn, ids.pOwn) }) },
  'testimonies.get': { input: () => ({ id: readable(currentRole, 't') }), outside: () => ({ id: ids.tOther }) },
  'testimonies.update': {
    input: async () => ({ id: ids.tOwn, expectedRevision: await revisionOf('testimonies', ids.tOwn), testimony: testimonyInput(ids.pOwn, ids.pOwn, { sensitivity: 'restricted', title: `Edited by ${currentRole}` }) }),
    outside: async () => ({ id: ids.tOther, expectedRevision: await revisionOf('testimonies', ids.tOther), testimony: testimonyInput(ids.pOther, ids.pOther) }),
  },
  'testimonies.review': { input: async () => ({ id: ids.tReview, expectedRevision: await revisionOf('testimonies', ids.tReview) }) },
  'testimonies.seal': { input: async () => ({ id: ids.tReview, expectedRevision: await revisionOf('testimonies', ids.tReview) }) },
  'testimonies.revise': {
    input: async () => ({ id: ids.tReview, expectedRevision: await revisionOf('testimonies', ids.tReview), testimony: testimonyInput(ids.pGranted, ids.pGranted, { title: 'Revised' }) }),
  },
  'testimonies.history': { input: () => ({ id: readable(currentRole, 't') }), outside: () => ({ id: ids.tOther }) },
  'testimonies.atRevision': { input: () => ({ id: readable(currentRole, 't'), revision: 1 }), outside: () => ({ id: ids.tOther, revision: 1 }) },
  'sessions.create': { input: () => ({ session: sessionInput([ids.pOwn]) }) },
  'sessions.get': { input: () => ({ id: readable(currentRole, 's') }), outside: () => ({ id: ids.sOther }) },
  'sessions.update': {
    input: async () => ({ id: ids.sOwn, expectedRevision: await revisionOf('dialogue_sessions', ids.sOwn), session: sessionInput([ids.pOwn], { title: `Edited by ${currentRole}` }) }),
    outside: async () => ({ id: ids.sOther, expectedRevision: await revisionOf('dialogue_sessions', ids.sOther), session: sessionInput([ids.pOther]) }),
  },
  'sessions.setFollowUpStatus': {
    input: async () => ({ id: ids.sOwn, followUpId: await followUpOf(ids.sOwn), status: 'in-progress', expectedRevision: await revisionOf('dialogue_sessions', ids.sOwn) }),
    outside: async () => ({ id: ids.sOther, followUpId: await followUpOf(ids.sOther), status: 'in-progress', expectedRevision: await revisionOf('dialogue_sessions', ids.sOther) }),
  },
  'sessions.list': { input: () => ({ limit: 10 }) },
  'sessions.history': { input: () => ({ id: readable(currentRole, 's') }), outside: () => ({ id: ids.sOther }) },
  'sessions.atRevision': { input: () => ({ id: readable(currentRole, 's'), revision: 1 }), outside: () => ({ id: ids.sOther, revision: 1 }) },
  'search.query': { input: () => ({ query: 'Mejë', limit: 10 }) },
  'search.list': { input: () => ({ limit: 10 }) },
  'drafts.save': { input: () => ({ key: 'person:new', data: '{"names":{}}' }) },
  'drafts.get': { input: () => ({ key: 'person:new' }) },
  'drafts.discard': { input: () => ({ key: 'person:new' }) },
  'drafts.list': { input: () => ({}) },
  // A wrong current passphrase: the call is allowed by policy, refused by the check, and nothing changes.
  'account.changePassphrase': { input: () => ({ current: 'not my passphrase at all', next: 'Një tjetër fjalëkalim shumë i gjatë', nextConfirm: 'Një tjetër fjalëkalim shumë i gjatë' }), expect: { director: 'AUTH_FAILED', recorder: 'AUTH_FAILED', auditor: 'AUTH_FAILED' } },
  'users.list': { input: () => ({}) },
  'users.create': { input: () => ({ username: 'new.person', displayName: 'New Person', role: 'recorder' }) },
  'users.setDisabled': { input: () => ({ id: ids.toDisable, disabled: true }) },
  'users.resetPassphrase': { input: () => ({ id: ids.toReset }) },
  'users.remove': { input: () => ({ id: ids.toRemove }) },
  'records.readers': { input: () => ({ kind: 'testimony', id: ids.tOther }) },
  'records.grant': { input: () => ({ kind: 'testimony', id: ids.tOther, userId: ids.recorder }) },
  'records.revoke': { input: () => ({ kind: 'testimony', id: ids.tOther, userId: ids.recorder }) },
  'audit.list': { input: () => ({ before: null, limit: 50, action: null, actor: null, subjectId: null, from: null, to: null }) },
  'audit.verify': { input: () => ({}) },
  'audit.overview': { input: () => ({}) },
  'recovery.status': { input: () => ({}) },
  'recovery.createKit': { input: () => ({ threshold: 3, total: 5 }) },
  'attachments.import': { input: () => ({ ownerKind: 'testimony', ownerId: ids.tOwn }), outside: () => ({ ownerKind: 'testimony', ownerId: ids.tOther }) },
  'attachments.list': { input: () => ({ ownerKind: 'testimony', ownerId: readable(currentRole, 't') }), outside: () => ({ ownerKind: 'testimony', ownerId: ids.tOther }) },
  'attachments.get': { input: () => ({ id: readable(currentRole, 'a') }), outside: () => ({ id: ids.aOther }) },
  'attachments.verify': { input: () => ({ id: readable(currentRole, 'a') }), outside: () => ({ id: ids.aOther }) },
  'attachments.verifyAllStart': { input: () => ({}) },
  // A check belongs to the user who started it: no other user can follow or stop it.
  'attachments.verifyAllStatus': { input: async () => ({ jobId: await ownCheck('attachments.verifyAllStatus') }) },
  'attachments.verifyAllCancel': { input: async () => ({ jobId: await ownCheck('attachments.verifyAllCancel') }) },
  'maintenance.checkStart': { input: () => ({}) },
  // Like the attachment check, an archive check belongs to the user who started it.
  'maintenance.checkStatus': { input: () => ({ jobId: ownArchiveCheck('maintenance.checkStatus') }) },
  'maintenance.checkCancel': { input: () => ({ jobId: ownArchiveCheck('maintenance.checkCancel') }) },
  'recording.start': {
    input: () => ({ ownerKind: 'testimony', ownerId: ids.tOwn, mimeType: 'audio/webm', device: null }),
    outside: () => ({ ownerKind: 'testimony', ownerId: ids.tOther, mimeType: 'audio/webm', device: null }),
  },
  // A recording belongs to the session that started it: anyone else's id is simply not found.
  'recording.chunk': { input: async () => ({ recordingId: await ownRecording('recording.chunk'), seq: 1, data: audioChunk }), outside: () => ({ recordingId: noOne, seq: 0, data: audioChunk }), outsideExpect: 'RECORDING_NOT_FOUND' },
  'recording.finish': { input: async () => ({ recordingId: await ownRecording('recording.finish') }), outside: () => ({ recordingId: noOne }), outsideExpect: 'RECORDING_NOT_FOUND' },
  // Cancelling is idempotent: someone else's (or no) recording answers cancelled: false and touches nothing.
  'recording.cancel': { input: async () => ({ recordingId: await ownRecording('recording.cancel') }), outside: () => ({ recordingId: noOne }), outsideExpect: 'ok' },
  'segments.list': { input: () => ({ attachmentId: readable(currentRole, 'a') }), outside: () => ({ attachmentId: ids.aOther }) },
  'segments.save': { input: () => ({ attachmentId: ids.aOwn, segment }), outside: () => ({ attachmentId: ids.aOther, segment }) },
  'segments.delete': {
    input: async () => ({
      attachmentId: ids.aOwn,
      segmentId: reachOf(currentRole, 'segments.delete') === 'none' ? noOne : ((await records().attachments.saveSegment(records().actor, ids.aOwn, segment).catch(() => null))?.id ?? noOne),
    }),
    outside: () => ({ attachmentId: ids.aOther, segmentId: noOne }),
  },
  'recipients.list': { input: () => ({}) },
  'recipients.add': { input: () => ({ label: `Commission ${currentRole}`, kind: 'commission', recipient: generateIdentity().recipient }) },
  'recipients.retire': { input: async () => ({ id: await freshRecipient('recipients.retire') }) },
  'submissions.archiveKey': { input: () => ({}) },
  'submissions.preview': { input: () => ({ filters: allTestimonies, exportDate }) },
  // Started through the router, it ends in the background (here: no such recipient); the call itself succeeds.
  'submissions.exportStart': { input: () => ({ filters: allTestimonies, exportDate, confirmRestricted: true, recipientIds: [noOne] }) },
  'submissions.exportStatus': { input: async () => ({ jobId: await ownExport('submissions.exportStatus') }) },
  'submissions.exportCancel': { input: async () => ({ jobId: await ownExport('submissions.exportCancel') }) },
  'submissions.log': { input: () => ({}) },
  'bundles.open': { input: () => ({ withIdentity: true }) },
  'bundles.record': { input: () => openedBundle('bundles.record') },
  'bundles.close': { input: async () => ({ handle: (await openedBundle('bundles.close')).handle }) },
  // Started through the router, the backup runs in the background into the dialog's folder.
  'backups.start': { input: () => ({}) },
  'backups.status': { input: async () => ({ jobId: await ownBackup('backups.status') }) },
  'backups.cancel': { input: async () => ({ jobId: await ownBackup('backups.cancel') }) },
  'backups.list': { input: () => ({}) },
  'backups.verify': { input: () => ({ id: ids.backup }) },
  // Public, but only while locked (restore from the locked screen): signed in, refused as busy.
  'restore.start': { input: () => ({}), expect: { director: 'ARCHIVE_BUSY', recorder: 'ARCHIVE_BUSY', auditor: 'ARCHIVE_BUSY' } },
  'restore.status': { input: () => ({ jobId: noOne }), expect: { director: 'ARCHIVE_BUSY', recorder: 'ARCHIVE_BUSY', auditor: 'ARCHIVE_BUSY' } },
  'restore.verify': { input: () => ({ jobId: noOne, username: director.username, passphrase: director.passphrase }), expect: { director: 'ARCHIVE_BUSY', recorder: 'ARCHIVE_BUSY', auditor: 'ARCHIVE_BUSY' } },
  'restore.discard': { input: () => ({ jobId: noOne }), expect: { director: 'ARCHIVE_BUSY', recorder: 'ARCHIVE_BUSY', auditor: 'ARCHIVE_BUSY' } },
  // Public, but only while locked: signed in, it is refused as busy (not as forbidden).
  'recovery.recover': { input: () => ({ shares: ['TA1-0000'], passphrase: 'x', passphraseConfirm: 'x' }), expect: { director: 'ARCHIVE_BUSY', recorder: 'ARCHIVE_BUSY', auditor: 'ARCHIVE_BUSY' } },
};

function who(role: Role): Person {
  return role === 'director' ? director : role === 'recorder' ? recorder : auditor;
}

async function followUpOf(sessionId: string): Promise<string> {
  const row = await core.sessions.require().archive.db.kysely.selectFrom('session_follow_ups').select('id').where('session_id', '=', sessionId).orderBy('position').executeTakeFirstOrThrow();
  return row.id;
}

/** Methods that end or change the session run last. */
const order: MethodName[] = [...methodNames.filter((m) => m !== 'session.lock'), 'session.lock'];

describe('role x method matrix through the router', () => {
  for (const role of roles) {
    test(`${role}: every method answers as the policy table says`, async () => {
      currentRole = role;
      await signInAs(who(role));
      const cells: Array<{ method: MethodName; reach: Reach; got: string; outside?: string }> = [];
      for (const method of order) {
        const sample = samples[method];
        const reach = reachOf(role, method);
        const got = codeOf(await call(method, await sample.input()));
        const cell: (typeof cells)[number] = { method, reach, got };
        if ((reach === 'own' || reach === 'granted') && sample.outside) cell.outside = codeOf(await call(method, await sample.outside()));
        cells.push(cell);
      }
      const expected = cells.map(({ method, reach }) => {
        const inside = reach === 'none' ? 'AUTH_FORBIDDEN' : (samples[method].expect?.[role] ?? 'ok');
        const sample = samples[method];
        return { method, reach, got: inside, ...((reach === 'own' || reach === 'granted') && sample.outside ? { outside: sample.outsideExpect ?? 'AUTH_FORBIDDEN' } : {}) };
      });
      expect(cells).toEqual(expected);
      expect(cells.map((c) => c.method).sort()).toEqual([...methodNames].sort());
    }, 120_000);
  }

  test('sensitivity: a recorder reads the metadata of another recorder\'s restricted testimony, never its content', async () => {
    await signInAs(recorder);
    const theirs = await call('testimonies.get', { id: ids.tOther });
    expect(theirs).toMatchObject({ ok: true, value: { contentVisible: false, narrative: '', title: expect.any(String) as string } });
    const own = await call('testimonies.get', { id: ids.tOwn });
    expect(own).toMatchObject({ ok: true, value: { contentVisible: true } });
    await signInAs(auditor);
    expect(await call('testimonies.get', { id: ids.tGranted })).toMatchObject({ ok: true, value: { contentVisible: true } });
    await core.sessions.lock('manual');
  });

  test('locked: every method but the public ones answers AUTH_REQUIRED', async () => {
    // Valid inputs are made while signed in (some read revisions), then the archive is locked.
    await signInAs(director);
    currentRole = 'director';
    // Signing in (public) would end the locked state: it is the one public method left out here.
    const methods = methodNames.filter((m) => m !== 'session.signIn');
    const inputs = new Map<MethodName, unknown>();
    for (const method of methods) inputs.set(method, await samples[method].input());
    await core.sessions.lock('manual');
    for (const method of methods) {
      const r = codeOf(await call(method, inputs.get(method)));
      if (policyTable[method] === 'public') expect(r, method).not.toBe('AUTH_REQUIRED');
      else expect(r, method).toBe('AUTH_REQUIRED');
    }
  });

  test('with a one-time passphrase only the change, the session and locking are allowed', async () => {
    await signInAs(director);
    const fresh = await core.accounts.create(core.sessions.require().archive, { username: 'fresh.recorder', displayName: 'Fresh Recorder', role: 'recorder' });
    await core.sessions.signIn('fresh.recorder', fresh.oneTimePassphrase);
    currentRole = 'recorder';
    for (const method of order.filter((m) => m !== 'session.signIn' && m !== 'session.lock')) {
      const got = codeOf(await call(method, await samples[method].input()));
      if (reachOf('recorder', method) === 'none') expect(got, method).toBe('AUTH_FORBIDDEN');
      else if (beforePassphraseChange.has(method)) expect(got, method).not.toBe('AUTH_PASSPHRASE_CHANGE_REQUIRED');
      else expect(got, method).toBe('AUTH_PASSPHRASE_CHANGE_REQUIRED');
    }
    await core.sessions.lock('manual');
  });
});
