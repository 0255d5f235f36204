// Every IPC method, fuzzed through the real router on a real unlocked archive: random, adversarial and near-valid
// payloads never make the router throw, a refusal carries a known code and a clean message, and a refusal writes
// nothing (database content, keyring, attachments, every file in the test's folder).
import { createHash } from 'node:crypto';
import { lstatSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { policyTable } from '../../electron/core/access/policy';
import { ArchiveError } from '../../electron/core/errors';
import { generateIdentity } from '../../electron/core/submissions/age/age';
import { formatShare, parseShare, type ShareFields } from '../../electron/core/vault/recovery-share';
import { createHandlers, type Handlers } from '../../electron/ipc/handlers';
import { createRouter, type Router } from '../../electron/ipc/router';
import { errorCodes, type Result } from '../../shared/errors';
import { contract } from '../../shared/ipc/contract';
import { methodNames, type MethodName } from '../../shared/ipc/methods';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { allTestimonies, exportDate } from '../fixtures/bundles';
import { listFilesRecursive } from '../fixtures/files';
import { adversarialString, adversarialValue, fuzzOptions, fuzzTimeout, leakIn, nearValid, wrongTypes } from '../fixtures/fuzz';
import { personInput, testimonyInput } from '../fixtures/records';
import { sessionInput } from '../fixtures/sessions';
import { addUser, recorder } from '../fixtures/users';

type Core = Awaited<ReturnType<typeof makeCore>>;
type Ids = { person: string; testimony: string; toReview: string; session: string; followUp: string; attachment: string; recipient: string; victim: string };

const appWindow = { url: 'app://archive/index.html', isMainFrame: true };
const noOne = '00000000-0000-4000-8000-000000000000';
const knownCodes = new Set<string>(errorCodes);
const errorKeys = new Set(['code', 'message', 'retryAt', 'share', 'needed']);
/** Runs per method and payload family; FUZZ_RUNS multiplies them. Locked, non-public methods stop at the policy check. */
type Runs = { random: number; nearValid: number };
const runs = { director: { random: 20, nearValid: 35 }, recorder: { random: 10, nearValid: 20 }, lockedPublic: { random: 20, nearValid: 30 }, locked: { random: 4, nearValid: 4 } } satisfies Record<string, Runs>;

/**
 * Methods whose valid call would end or disturb the harness: locking, signing in (it locks the current session
 * first), a passphrase change (five wrong ones lock), removing a user (a master-key rotation), and the background
 * check of all attachments and the archive check (they write while later calls are measured). Payloads that parse are skipped for these.
 */
const unsafeWhenValid = new Set<MethodName>(['session.lock', 'session.signIn', 'account.changePassphrase', 'users.remove', 'attachments.verifyAllStart', 'maintenance.checkStart']);

let dir: ReturnType<typeof tempDir>;
let core: Core;
let route: Router;
const reported: string[] = [];
const directorIds = {} as Ids;
const recorderIds = {} as Ids;

const records = () => core.sessions.require().records;
async function revisionOf(table: 'persons' | 'testimonies' | 'dialogue_sessions', id: string): Promise<number> {
  const row = await core.sessions.require().archive.db.kysely.selectFrom(table).select('revision').where('id', '=', id).executeTakeFirst();
  return row?.revision ?? 1;
}

/** One valid input per method (a typed Record: a new method without a sample fails typecheck). */
async function samplesFor(ids: Ids): Promise<Record<MethodName, unknown>> {
  const rev = { person: await revisionOf('persons', ids.person), testimony: await revisionOf('testimonies', ids.testimony), review: await revisionOf('testimonies', ids.toReview), session: await revisionOf('dialogue_sessions', ids.session) };
  const segment = { id: null, startMs: 0, endMs: 1000, title: 'Hyrje', summary: 'Fillimi i dëshmisë', keywords: ['Mejë'], violationIds: [] };
  return {
    'app.status': {},
    'archive.chooseFolder': {},
    'archive.create': createInput(director),
    'passphrase.check': { passphrase: 'Lumi i Drinit rrjedh ngadalë' },
    'session.signIn': { username: director.username, passphrase: director.passphrase },
    'session.info': {},
    'session.lock': {},
    'settings.get': {},
    'settings.setIdleTimeout': { minutes: 20 },
    'reference.get': {},
    'places.find': { query: 'Gjak', limit: 5 },
    'persons.create': { person: personInput() },
    'persons.get': { id: ids.person },
    'persons.update': { id: ids.person, expectedRevision: rev.person, person: personInput({ contact: '+383 44 123 456' }) },
    'persons.similar': { names: { sq: 'Shqipe Krasniqi', srLatn: null, srCyrl: null }, birthDate: '1961', residencePlaceId: 'gjakove', excludeId: null, limit: 5 },
    'persons.history': { id: ids.person },
    'persons.atRevision': { id: ids.person, revision: 1 },
    'testimonies.create': { testimony: testimonyInput(ids.person, ids.person) },
    'testimonies.get': { id: ids.testimony },
    'testimonies.update': { id: ids.testimony, expectedRevision: rev.testimony, testimony: testimonyInput(ids.person, ids.person, { title: 'Titull i ri' }) },
    'testimonies.review': { id: ids.toReview, expectedRevision: rev.review },
    'testimonies.seal': { id: ids.toReview, expectedRevision: rev.review },
    'testimonies.revise': { id: ids.toReview, expectedRevision: rev.review, testimony: testimonyInput(ids.person, ids.person, { title: 'Rishikuar' }) },
    'testimonies.history': { id: ids.testimony },
    'testimonies.atRevision': { id: ids.testimony, revision: 1 },
    'sessions.create': { session: sessionInput([ids.person]) },
    'sessions.get': { id: ids.session },
    'sessions.update': { id: ids.session, expectedRevision: rev.session, session: sessionInput([ids.person], { title: 'Tryezë e re' }) },
    'sessions.setFollowUpStatus': { id: ids.session, followUpId: ids.followUp, status: 'in-progress', expectedRevision: rev.session },
    'sessions.list': { kind: 'peace-table', status: 'held', dateFrom: '2026-01-01', dateTo: '2026-12-31', limit: 10 },
    'sessions.history': { id: ids.session },
    'sessions.atRevision': { id: ids.session, revision: 1 },
    'search.query': { query: 'Mejë', limit: 10 },
    'search.list': { limit: 10 },
    'drafts.save': { key: 'person:new', data: '{"names":{"sq":"Shqipe"}}' },
    'drafts.get': { key: 'person:new' },
    'drafts.discard': { key: `testimony:${ids.testimony}` },
    'drafts.list': {},
    'account.changePassphrase': { current: 'not my passphrase at all', next: 'Një tjetër fjalëkalim shumë i gjatë', nextConfirm: 'Një tjetër fjalëkalim shumë i gjatë' },
    'users.list': {},
    'users.create': { username: 'besa.gashi', displayName: 'Besa Gashi', role: 'recorder' },
    'users.setDisabled': { id: ids.victim, disabled: true },
    'users.resetPassphrase': { id: ids.victim },
    'users.remove': { id: noOne },
    'records.readers': { kind: 'testimony', id: ids.testimony },
    'records.grant': { kind: 'testimony', id: ids.testimony, userId: ids.victim },
    'records.revoke': { kind: 'testimony', id: ids.testimony, userId: ids.victim },
    'audit.list': { before: null, limit: 50, action: 'session.sign-in', actor: null, subjectId: null, from: '2026-01-01', to: null },
    'audit.verify': {},
    'audit.overview': {},
    'recovery.status': {},
    'recovery.createKit': { threshold: 3, total: 5 },
    'recovery.recover': { shares: ['TA1-0000'], passphrase: 'Një fjalëkalim i ri shumë i gjatë', passphraseConfirm: 'Një fjalëkalim i ri shumë i gjatë' },
    'attachments.import': { ownerKind: 'testimony', ownerId: ids.testimony },
    'attachments.list': { ownerKind: 'testimony', ownerId: ids.testimony },
    'attachments.get': { id: ids.attachment },
    'attachments.verify': { id: ids.attachment },
    'attachments.verifyAllStart': {},
    'attachments.verifyAllStatus': { jobId: noOne },
    'attachments.verifyAllCancel': { jobId: noOne },
    'recording.start': { ownerKind: 'testimony', ownerId: ids.testimony, mimeType: 'audio/webm', device: 'Mikrofoni i laptopit' },
    'recording.chunk': { recordingId: noOne, seq: 0, data: Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2]).toString('base64') },
    'recording.finish': { recordingId: noOne },
    'recording.cancel': { recordingId: noOne },
    'segments.list': { attachmentId: ids.attachment },
    'segments.save': { attachmentId: ids.attachment, segment },
    'segments.delete': { attachmentId: ids.attachment, segmentId: noOne },
    'recipients.list': {},
    'recipients.add': { label: 'Komisioni', kind: 'commission', recipient: generateIdentity().recipient },
    'recipients.retire': { id: ids.recipient },
    'submissions.archiveKey': {},
    'submissions.preview': { filters: allTestimonies, exportDate },
    'submissions.exportStart': { filters: allTestimonies, exportDate, confirmRestricted: true, recipientIds: [ids.recipient] },
    'submissions.exportStatus': { jobId: noOne },
    'submissions.exportCancel': { jobId: noOne },
    'submissions.log': {},
    'bundles.open': { withIdentity: true },
    'bundles.record': { handle: noOne, ref: 'T1' },
    'bundles.close': { handle: noOne },
    'maintenance.checkStart': {},
    'maintenance.checkStatus': { jobId: noOne },
    'maintenance.checkCancel': { jobId: noOne },
    'backups.start': {},
    'backups.status': { jobId: noOne },
    'backups.cancel': { jobId: noOne },
    'backups.list': {},
    'backups.verify': { id: noOne },
    'restore.start': {},
    'restore.status': { jobId: noOne },
    'restore.verify': { jobId: noOne, username: director.username, passphrase: director.passphrase },
    'restore.discard': { jobId: noOne },
  };
}

// ---- The write detector: database content, and every file under the test's folder.

/**
 * Files under the test folder by size and modification time. While signed in, the database, its WAL and shared
 * memory are left to the content hash (readers touch the shared memory); while locked they are closed and compared too.
 */
function fileState(root: string, withDatabase = false): string {
  const h = createHash('sha256');
  for (const file of listFilesRecursive(root, 8).sort()) {
    if (!withDatabase && /archive\.db(?:-wal|-shm)?$/.test(file)) continue;
    try {
      const st = lstatSync(file);
      h.update(`${file}\0${st.size}\0${st.mtimeMs}\n`);
    } catch {
      h.update(`${file}\0gone\n`);
    }
  }
  return h.digest('hex');
}

/** A hash of every row of every table (the audit chain's head included). */
function contentHash(): string {
  const sqlite = core.sessions.require().archive.db.sqlite;
  const h = createHash('sha256');
  const tables = sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    h.update(`\u0001${t}\u0001`);
    for (const row of sqlite.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}"`).raw().iterate() as Iterable<unknown[]>) {
      for (const cell of row) h.update(Buffer.isBuffer(cell) ? cell : `${typeof cell}:${String(cell)}`).update('\u0002');
      h.update('\u0003');
    }
  }
  return h.digest('hex');
}

const totalChanges = () => core.sessions.require().archive.db.sqlite.prepare('SELECT total_changes()').pluck().get() as number;

/**
 * total_changes() moves on every statement that changed rows, even in a transaction later rolled back, so it is
 * the cheap first look; only when it moved is the content hashed again and compared. Files are compared by stat.
 */
function writeDetector(root: string) {
  let known = { changes: -1, content: '' };
  return {
    before(): { files: string } {
      if (core.sessions.current() === null) return { files: fileState(root, true) };
      const changes = totalChanges();
      if (changes !== known.changes) known = { changes, content: contentHash() };
      return { files: fileState(root) };
    },
    /** What was written since `before`, or null. */
    written(snap: { files: string }): string | null {
      if (core.sessions.current() === null) return fileState(root, true) === snap.files ? null : 'a file under the test folder changed';
      if (fileState(root) !== snap.files) return 'a file under the test folder changed';
      const changes = totalChanges();
      if (changes === known.changes) return null;
      const content = contentHash();
      return content === known.content ? null : 'database content changed';
    },
  };
}

// ---- The property: one call through the router.

const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).join(',');
const cleanProto = protoKeys();

type Verdict = { ok: true } | { ok: false; why: string };

/** Calls `method` with `payload` through `via`; a failed verdict explains what broke. */
async function probe(via: Router, method: MethodName, payload: unknown, detector: ReturnType<typeof writeDetector>, folders: string[], signedIn = true): Promise<Verdict> {
  const snap = detector.before();
  reported.length = 0;
  let r: Result<unknown>;
  try {
    r = await via(appWindow, method, payload);
  } catch (e) {
    return { ok: false, why: `the router threw ${e instanceof Error ? e.name : typeof e}` };
  }
  if (protoKeys() !== cleanProto || ({} as Record<string, unknown>)['polluted'] !== undefined) return { ok: false, why: 'Object.prototype was changed' };
  if (reported.length > 0) return { ok: false, why: `the router reported: ${reported.join('; ')}` };
  if ((core.sessions.current() !== null) !== signedIn) return { ok: false, why: signedIn ? 'the session ended' : 'a session began' };
  tally(method, r.ok ? 'ok' : r.error.code);
  if (r.ok) return { ok: true };
  const { error } = r;
  if (!knownCodes.has(error.code)) return { ok: false, why: `unknown code ${error.code}` };
  if (error.code === 'INTERNAL') return { ok: false, why: `INTERNAL: ${error.message}` };
  const extra = Object.keys(error).filter((k) => !errorKeys.has(k));
  if (extra.length > 0) return { ok: false, why: `unexpected error fields ${extra.join(', ')}` };
  const leak = leakIn(error.message, folders);
  if (leak) return { ok: false, why: `${leak} in ${error.code}: ${error.message.slice(0, 200)}` };
  const wrote = detector.written(snap);
  if (wrote) return { ok: false, why: `refused with ${error.code} but ${wrote}` };
  return { ok: true };
}

/** Outcomes per method (printed with FUZZ_STATS=1): shows how far past the schema the payloads got. */
const outcomes = new Map<string, Map<string, number>>();
function tally(method: string, outcome: string): void {
  const m = outcomes.get(method) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  outcomes.set(method, m);
}

const parses = (method: MethodName, payload: unknown) => contract[method].input.safeParse(payload).success;

/** Random and adversarial payloads (and wrong types per field) for `method`. */
const randomPayload = (sample: unknown) => fc.oneof(adversarialValue, wrongTypes(sample), fc.dictionary(adversarialString, adversarialValue, { maxKeys: 4 }));

async function fuzzMethod(label: string, method: MethodName, sample: unknown, counts: Runs, signedIn = true): Promise<void> {
  const detector = writeDetector(dir.path);
  const folders = [dir.path, tmpdir(), process.cwd()];
  for (const [family, payloads, base] of [
    ['random', randomPayload(sample), counts.random],
    ['near-valid', nearValid(sample), counts.nearValid],
  ] as const) {
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        fc.pre(!(unsafeWhenValid.has(method) && parses(method, payload)));
        const verdict = await probe(route, method, payload, detector, folders, signedIn);
        if (!verdict.ok) throw new Error(`${method}: ${verdict.why}`);
      }),
      fuzzOptions(`${label}/${family}/${method}`, base),
    );
  }
}

beforeAll(async () => {
  dir = tempDir('ta-fuzz-ipc-');
  const sampleFile = join(dir.path, 'consent-form.pdf');
  writeFileSync(sampleFile, '%PDF-1.4\n% consent form scan\n');
  // Every dialog is cancelled: a path never comes from the page, and no call may write outside the archive.
  core = await makeCore(join(dir.path, 'archive'), { pickFolder: () => Promise.resolve(null), pickFile: () => Promise.resolve(null) });
  route = createRouter({
    handlers: createHandlers(core),
    currentUser: () => core.sessions.caller(),
    isTrustedSender: (s) => s.isMainFrame && s.url.startsWith('app://archive/'),
    report: (line) => reported.push(line),
  });
  await core.sessions.create(createInput(director));
  const archive = core.sessions.require().archive;
  const victim = await addUser(core.sodium, archive, { username: 'to.disable', displayName: 'To Disable', passphrase: 'to.disable fjalëkalim i gjatë mjaftueshëm' }, 'recorder');
  await addUser(core.sodium, archive, recorder, 'recorder');
  const recipient = (await core.submissions.addRecipient(records().actor, { label: 'Komisioni', kind: 'commission', recipient: generateIdentity().recipient })).id;
  async function own(into: Ids): Promise<void> {
    const r = records();
    const p = await r.persons.create(personInput(), r.actor);
    const t = await r.testimonies.create(testimonyInput(p.id, p.id, { sensitivity: 'restricted' }), r.actor);
    const toReview = await r.testimonies.create(testimonyInput(p.id, p.id), r.actor);
    const s = await r.sessions.create(sessionInput([p.id]), r.actor);
    const a = await r.attachments.importFile(r.actor, 'testimony', t.id, sampleFile);
    Object.assign(into, { person: p.id, testimony: t.id, toReview: toReview.id, session: s.id, followUp: s.followUps[0]?.id ?? noOne, attachment: a.id, recipient, victim });
  }
  await own(directorIds);
  await core.sessions.signIn(recorder.username, recorder.passphrase);
  await own(recorderIds);
  await core.sessions.signIn(director.username, director.passphrase);
}, 120_000);
afterAll(async () => {
  if (process.env['FUZZ_STATS']) for (const [method, m] of outcomes) console.log(method, Object.fromEntries(m));
  await core.sessions.lock('quit');
  dir.cleanup();
});

describe('the write detector', () => {
  test('sees a committed row, a changed file, and a handler that writes before it refuses', async () => {
    const detector = writeDetector(dir.path);
    let snap = detector.before();
    expect(detector.written(snap)).toBeNull();
    await records().drafts.save(records().actor, 'person:new', '{"names":{"sq":"Besa"}}');
    expect(detector.written(snap)).toBe('database content changed');
    snap = detector.before();
    writeFileSync(join(dir.path, 'archive', 'stray.tmp'), 'x');
    expect(detector.written(snap)).toBe('a file under the test folder changed');
    rmSync(join(dir.path, 'archive', 'stray.tmp'));

    // A broken handler: it saves a draft and then refuses. The property must catch it, and say why.
    const honest = createHandlers(core);
    const broken: Handlers = {
      ...honest,
      'drafts.discard': async ({ key }) => {
        await records().drafts.save(records().actor, key, '{"leftover":true}');
        throw new ArchiveError('RECORD_NOT_FOUND', 'No such draft.');
      },
    };
    const brokenRouter = createRouter({ handlers: broken, currentUser: () => core.sessions.caller(), isTrustedSender: () => true });
    const outcome = await fc.check(
      fc.asyncProperty(nearValid({ key: 'person:new' }), async (payload) => {
        const verdict = await probe(brokenRouter, 'drafts.discard', payload, writeDetector(dir.path), []);
        if (!verdict.ok) throw new Error(verdict.why);
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(outcome.failed).toBe(true);
    expect(String(outcome.errorInstance)).toContain('refused with RECORD_NOT_FOUND but database content changed');
  });
});

describe('every method, as the director', () => {
  test('the sample table covers every method in methods.ts', async () => {
    expect(Object.keys(await samplesFor(directorIds)).sort()).toEqual([...methodNames].sort());
  });
  for (const method of methodNames) {
    test(method, async () => {
      await fuzzMethod('director', method, (await samplesFor(directorIds))[method], runs.director);
    }, fuzzTimeout(120_000));
  }
});

describe('record methods, as a recorder', () => {
  const subset = methodNames.filter((m) => /^(persons|testimonies|sessions|search|drafts|attachments|recording|segments|records|users|audit|submissions|bundles)\./.test(m));
  beforeAll(async () => {
    await core.sessions.signIn(recorder.username, recorder.passphrase);
  });
  for (const method of subset) {
    test(method, async () => {
      await fuzzMethod('recorder', method, (await samplesFor(recorderIds))[method], runs.recorder);
    }, fuzzTimeout(120_000));
  }
});

describe('every method, while locked', () => {
  // Made while signed in: the samples (revisions are read) and a recovery kit. The recovery sample holds two real
  // shares of a kit of three and one of an earlier kit, so no mutation of it can recover (and rewrite the keyring).
  const lockedSamples = {} as Record<MethodName, unknown>;
  let kitShares: string[] = [];
  let kitFields: ShareFields[] = [];
  beforeAll(async () => {
    await core.sessions.signIn(director.username, director.passphrase);
    Object.assign(lockedSamples, await samplesFor(directorIds));
    const archive = core.sessions.require().archive;
    const earlier = await core.recovery.createKit(archive, { threshold: 3, total: 5 });
    const kit = await core.recovery.createKit(archive, { threshold: 3, total: 5 });
    kitShares = kit.shares.map((sh) => sh.text);
    kitFields = kitShares.map((t) => {
      const p = parseShare(core.sodium, t);
      if (!p.ok) throw new Error('a fresh share parses');
      return p.fields;
    });
    lockedSamples['recovery.recover'] = { shares: [kitShares[0], kitShares[1], earlier.shares[2]?.text], passphrase: 'Një fjalëkalim i ri shumë i gjatë', passphraseConfirm: 'Një fjalëkalim i ri shumë i gjatë' };
    await core.sessions.lock('manual');
  }, 60_000);

  for (const method of methodNames) {
    test(method, async () => {
      await fuzzMethod('locked', method, lockedSamples[method], policyTable[method] === 'public' ? runs.lockedPublic : runs.locked, false);
    }, fuzzTimeout(120_000));
  }

  test('forged shares (right kit, right checksum, made-up share bytes) are refused with a recovery code', async () => {
    const detector = writeDetector(dir.path);
    const forged = fc.record({ base: fc.nat({ max: 4 }), bytes: fc.uint8Array({ minLength: 33, maxLength: 33 }), x: fc.oneof(fc.constantFrom(0, 1, 2, 3, 255), fc.nat({ max: 255 })), index: fc.integer({ min: 1, max: 5 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.nat({ max: 1 }), forged), { minLength: 1, maxLength: 5 }), async (picks) => {
        const shares = picks.map((pick) => {
          // At most the first two real shares: a threshold of three is never reached by real shares alone.
          if (typeof pick === 'number') return kitShares[pick] ?? '';
          const base = kitFields[pick.base];
          if (!base) return '';
          const share = Uint8Array.from(pick.bytes);
          share[32] = pick.x;
          return formatShare(core.sodium, { ...base, index: pick.index, share });
        });
        const verdict = await probe(route, 'recovery.recover', { shares, passphrase: 'Një fjalëkalim i ri shumë i gjatë', passphraseConfirm: 'Një fjalëkalim i ri shumë i gjatë' }, detector, [dir.path], false);
        if (!verdict.ok) throw new Error(verdict.why);
        const r = await route(appWindow, 'recovery.recover', { shares, passphrase: 'Një fjalëkalim i ri shumë i gjatë', passphraseConfirm: 'Një fjalëkalim i ri shumë i gjatë' });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toMatch(/^RECOVERY_/);
      }),
      fuzzOptions('locked/forged-shares', 60),
    );
  }, fuzzTimeout(120_000));

  afterAll(async () => {
    await core.sessions.signIn(director.username, director.passphrase);
  });
});

describe('the router itself', () => {
  test('unknown methods and foreign senders are refused, never thrown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(adversarialValue, adversarialString, fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'session.lock ', 'SESSION.LOCK', 'archive:session.lock')),
        fc.record({ url: fc.oneof(adversarialString, fc.constant('app://archive/index.html')), isMainFrame: fc.boolean() }),
        adversarialValue,
        async (method, sender, payload) => {
          const trusted = sender.isMainFrame && sender.url.startsWith('app://archive/');
          const r = await route(sender, method, payload);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.code).toBe(trusted ? 'IPC_UNKNOWN_METHOD' : 'IPC_FORBIDDEN_SENDER');
          expect(core.sessions.current()).not.toBeNull();
        },
      ),
      fuzzOptions('router/unknown', 200),
    );
  }, fuzzTimeout(60_000));
});
