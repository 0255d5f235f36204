// Grants and revocation of restricted records on real archives, proved at the core level: a user holding the
// database key but no sealed copy reads nothing; a grant seals the whole history; a revocation re-keys it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { grantQuery } from '../../electron/core/access/reach';
import { verifyAuditChain } from '../../electron/core/audit/audit-chain';
import { openDatabase, type ArchiveDb } from '../../electron/core/db/open-database';
import type { RecordKind } from '../../electron/core/records/record-readers';
import { adOf, openSealed } from '../../electron/core/records/sealed-store';
import type { SessionInput } from '../../shared/records/session-schemas';
import type { TestimonyInput } from '../../shared/records/schemas';
import { readKeyring, writeKeyring } from '../../electron/core/vault/keyring';
import { archivePaths } from '../../electron/core/vault/vault';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { personInput, testimonyInput } from '../fixtures/records';
import { sessionInput } from '../fixtures/sessions';
import { addUser, recorder } from '../fixtures/users';

type Core = Awaited<ReturnType<typeof makeCore>>;
type Person = { username: string; displayName: string; passphrase: string };

const otherRecorder: Person = { username: 'arta.berisha', displayName: 'Arta Berisha', passphrase: 'Bjeshkët e Rugovës mbulohen me borë' };
const auditor: Person = { username: 'ljiljana.markovic', displayName: 'Ljiljana Marković', passphrase: 'Reka Bistrica teče kroz Peć tiho' };
const lateDirector: Person = { username: 'besnik.hoxha', displayName: 'Besnik Hoxha', passphrase: 'Ura e Shenjtë mbi Drinin e Bardhë' };

let dir: ReturnType<typeof tempDir>;
let core: Core;
let ids: { director: string; author: string; other: string; auditor: string };

beforeEach(async () => {
  dir = tempDir('ta-grants-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  const archive = core.sessions.require().archive;
  ids = {
    director: archive.user.id,
    author: await addUser(core.sodium, archive, recorder, 'recorder'),
    other: await addUser(core.sodium, archive, otherRecorder, 'recorder'),
    auditor: await addUser(core.sodium, archive, auditor, 'auditor'),
  };
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

/** Signs `person` in (locking whoever was signed in) and returns their record services and archive. */
async function as(person: Person) {
  await core.sessions.lock('switch-user');
  await core.sessions.signIn(person.username, person.passphrase);
  const s = core.sessions.require();
  return { records: s.records, actor: s.records.actor, archive: s.archive };
}

/** A second handle on the database file opened with the signed-in user's copy of the master key: the "debugger" view. */
async function withDirectDb<T>(fn: (db: ArchiveDb) => Promise<T>): Promise<T> {
  const { archive } = core.sessions.require();
  const db = openDatabase(archivePaths(archive.folder).database, archive.secrets.masterKey);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const contentsOf = (db: ArchiveDb, kind: RecordKind, id: string) =>
  db.kysely.selectFrom('sealed_contents').selectAll().where('record_kind', '=', kind).where('record_id', '=', id).orderBy('created_at').orderBy('id').execute();

/** The data keys `userId` can open from their own sealed copies, per content: what a grantee could keep. */
async function dataKeysOf(kind: RecordKind, id: string): Promise<Map<string, Uint8Array>> {
  const { records } = core.sessions.require();
  const me = records.actor;
  return withDirectDb(async (db) => {
    const out = new Map<string, Uint8Array>();
    for (const c of await contentsOf(db, kind, id)) {
      const copy = await db.kysely.selectFrom('sealed_keys').select('sealed_key').where('content_id', '=', c.id).where('user_id', '=', me.userId).executeTakeFirstOrThrow();
      out.set(c.id, core.sodium.crypto_box_seal_open(copy.sealed_key, me.box.publicKey, me.box.privateKey));
    }
    return out;
  });
}

/** Decrypts every current content of the record with the given data keys; 'fails' where the key no longer fits. */
async function decryptWith(keys: Map<string, Uint8Array>, kind: RecordKind, id: string): Promise<Array<string>> {
  return withDirectDb(async (db) =>
    (await contentsOf(db, kind, id)).map((c) => {
      const key = keys.get(c.id);
      if (!key) return 'no key';
      try {
        return new TextDecoder().decode(core.sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c.ciphertext, adOf(c.id, kind, id), c.nonce, key));
      } catch {
        return 'fails';
      }
    }),
  );
}

/** Opens each content of the record with sealed-store directly, as the signed-in user: the payload or the error code. */
async function openEachDirectly(kind: RecordKind, id: string): Promise<unknown[]> {
  const me = core.sessions.require().records.actor;
  return withDirectDb(async (db) => {
    const out: unknown[] = [];
    for (const c of await contentsOf(db, kind, id)) {
      try {
        out.push(await openSealed(db.kysely, core.sodium, c.id, me.userId, me.box));
      } catch (e) {
        out.push((e as { code?: string }).code ?? 'threw');
      }
    }
    return out;
  });
}

async function count(table: 'record_grants' | 'sealed_keys' | 'sealed_contents' | 'audit_log' | 'record_revisions'): Promise<number> {
  const db = core.sessions.require().archive.db.kysely;
  return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n);
}

async function auditEntries(action: string, subjectId: string) {
  const db = core.sessions.require().archive.db.kysely;
  return db.selectFrom('audit_log').select(['actor', 'subject_kind', 'subject_id', 'detail']).where('action', '=', action).where('subject_id', '=', subjectId).orderBy('seq').execute();
}

/** The author's restricted testimony in two revisions (two sealed contents), narratives marked so a leak shows. */
async function restrictedTestimony(): Promise<{ id: string; input: TestimonyInput }> {
  const a = await as(recorder);
  const deponent = await a.records.persons.create(personInput(), a.actor);
  const input = testimonyInput(deponent.id, deponent.id, { sensitivity: 'restricted', narrative: 'MARKER-1 Dëshmia e parë.' });
  const t = await a.records.testimonies.create(input, a.actor);
  await a.records.testimonies.update(t.id, { ...input, narrative: 'MARKER-2 Dëshmia e plotësuar.' }, 1, a.actor);
  return { id: t.id, input };
}

describe('restricted content at the core level', () => {
  test('no copy: no read even with the database key; grant: every version reads; revoke: no read, and the old data keys open nothing', async () => {
    const t = await restrictedTestimony();

    // A second recorder holding the master key, calling sealed-store directly with their own box keys.
    let o = await as(otherRecorder);
    expect(await openEachDirectly('testimony', t.id)).toEqual(['CONTENT_NO_ACCESS', 'CONTENT_NO_ACCESS']);
    expect(await o.records.testimonies.get(t.id, o.actor)).toMatchObject({ contentVisible: false, narrative: '' });
    await expectArchiveError(o.records.testimonies.atRevision(t.id, 1, o.actor), 'CONTENT_NO_ACCESS');
    // Nothing was opened for them, so no restricted read is logged.
    expect((await auditEntries('record.read-restricted', t.id)).filter((e) => e.actor === ids.other)).toEqual([]);

    let d = await as(director);
    expect(await d.records.grants.grant('testimony', t.id, ids.other, d.actor)).toEqual({ granted: true });
    expect(await d.records.grants.readers('testimony', t.id, d.actor)).toEqual({
      restricted: true,
      readers: [
        { userId: ids.author, username: recorder.username, via: 'author' },
        { userId: ids.director, username: director.username, via: 'director' },
        { userId: ids.other, username: otherRecorder.username, via: 'grant' },
      ],
    });

    o = await as(otherRecorder);
    const opened = await openEachDirectly('testimony', t.id);
    expect(opened.map((p) => (p as { narrative: string }).narrative)).toEqual(['MARKER-1 Dëshmia e parë.', 'MARKER-2 Dëshmia e plotësuar.']);
    expect(await o.records.testimonies.get(t.id, o.actor)).toMatchObject({ contentVisible: true, narrative: 'MARKER-2 Dëshmia e plotësuar.' });
    expect((await o.records.testimonies.atRevision(t.id, 1, o.actor))['narrative']).toBe('MARKER-1 Dëshmia e parë.');

    // A new revision after the grant is sealed to the grantee as well.
    const a = await as(recorder);
    await a.records.testimonies.update(t.id, { ...t.input, narrative: 'MARKER-3 Dëshmia e tretë.' }, 2, a.actor);
    o = await as(otherRecorder);
    expect(await o.records.testimonies.get(t.id, o.actor)).toMatchObject({ contentVisible: true, narrative: 'MARKER-3 Dëshmia e tretë.' });
    // What a grantee could keep: their data key of each of the three versions, which does decrypt them now.
    const kept = await dataKeysOf('testimony', t.id);
    expect(kept.size).toBe(3);
    const before = await decryptWith(kept, 'testimony', t.id);
    expect(before.map((p) => p.slice(0, 22))).toEqual(['{"narrative":"MARKER-1', '{"narrative":"MARKER-2', '{"narrative":"MARKER-3']);
    const ciphertextsBefore = await withDirectDb(async (db) => (await contentsOf(db, 'testimony', t.id)).map((c) => [c.id, Buffer.from(c.nonce).toString('hex')]));

    d = await as(director);
    expect(await d.records.grants.revoke('testimony', t.id, ids.other, d.actor)).toEqual({ revoked: true });
    expect((await d.records.grants.readers('testimony', t.id, d.actor)).readers.map((r) => r.via)).toEqual(['author', 'director']);

    o = await as(otherRecorder);
    expect(await openEachDirectly('testimony', t.id)).toEqual(['CONTENT_NO_ACCESS', 'CONTENT_NO_ACCESS', 'CONTENT_NO_ACCESS']);
    expect(await decryptWith(kept, 'testimony', t.id)).toEqual(['fails', 'fails', 'fails']);
    // Same contents (ids), each under a fresh nonce and key; the grantee's copies and grant row are gone.
    const after = await withDirectDb(async (db) => (await contentsOf(db, 'testimony', t.id)).map((c) => [c.id, Buffer.from(c.nonce).toString('hex')]));
    expect(after.map(([id]) => id)).toEqual(ciphertextsBefore.map(([id]) => id));
    after.forEach(([, nonce], i) => expect(nonce).not.toBe(ciphertextsBefore[i]?.[1]));
    const db = core.sessions.require().archive.db.kysely;
    expect(await db.selectFrom('sealed_keys').select('content_id').where('user_id', '=', ids.other).execute()).toEqual([]);
    expect(await count('record_grants')).toBe(0);
    expect(await o.records.testimonies.get(t.id, o.actor)).toMatchObject({ contentVisible: false, narrative: '' });
    for (const r of [1, 2, 3]) await expectArchiveError(o.records.testimonies.atRevision(t.id, r, o.actor), 'CONTENT_NO_ACCESS');

    // The author and the director still read every version, under the new keys.
    for (const who of [recorder, director]) {
      const s = await as(who);
      expect(await s.records.testimonies.get(t.id, s.actor)).toMatchObject({ contentVisible: true, narrative: 'MARKER-3 Dëshmia e tretë.' });
      const narratives = [];
      for (const r of [1, 2, 3]) narratives.push((await s.records.testimonies.atRevision(t.id, r, s.actor))['narrative']);
      expect(narratives, who.username).toEqual(['MARKER-1 Dëshmia e parë.', 'MARKER-2 Dëshmia e plotësuar.', 'MARKER-3 Dëshmia e tretë.']);
    }

    // Audited with ids only: the grant, the revocation and every read of restricted content, in an unbroken chain.
    expect(await auditEntries('record.grant', t.id)).toEqual([{ actor: ids.director, subject_kind: 'testimony', subject_id: t.id, detail: JSON.stringify({ userId: ids.other, contents: 2 }) }]);
    expect(await auditEntries('record.revoke', t.id)).toEqual([{ actor: ids.director, subject_kind: 'testimony', subject_id: t.id, detail: JSON.stringify({ userId: ids.other, contents: 3 }) }]);
    const reads = await auditEntries('record.read-restricted', t.id);
    expect(reads.filter((e) => e.actor === ids.other).map((e) => e.detail)).toEqual([JSON.stringify({ revision: 2 }), JSON.stringify({ revision: 1 }), JSON.stringify({ revision: 3 })]);
    expect(reads.filter((e) => e.actor === ids.author)).toHaveLength(4);
    expect(reads.filter((e) => e.actor === ids.director)).toHaveLength(4);
    const now = core.sessions.require().archive.db.kysely;
    const log = await now.selectFrom('audit_log').select(['action', 'detail']).execute();
    expect(JSON.stringify(log)).not.toMatch(/MARKER|Dëshmia/);
    expect((await verifyAuditChain(now)).firstBreak).toBeNull();
  });

  test('a restricted person and a restricted session: grant opens the identity and the minutes, revoke re-keys them', async () => {
    const a = await as(recorder);
    const person = await a.records.persons.create(personInput({ confidentiality: 'restricted', contact: 'MARKER +383 44 123 456' }), a.actor);
    await a.records.persons.update(person.id, personInput({ confidentiality: 'restricted', contact: 'MARKER +383 45 654 321' }), 1, a.actor);
    const session = await a.records.sessions.create(sessionInput([person.id], { sensitivity: 'restricted', minutes: 'MARKER procesverbali' }), a.actor);

    const o = () => core.sessions.require().records;
    const cases: Array<{ kind: RecordKind; id: string; visible: () => Promise<boolean> }> = [
      { kind: 'person', id: person.id, visible: async () => (await o().persons.get(person.id, o().actor)).identityVisible },
      { kind: 'session', id: session.id, visible: async () => (await o().sessions.get(session.id, o().actor)).contentVisible },
    ];
    for (const c of cases) {
      await as(otherRecorder);
      expect(await c.visible(), c.kind).toBe(false);
      const d = await as(director);
      await d.records.grants.grant(c.kind, c.id, ids.other, d.actor);
      await as(otherRecorder);
      expect(await c.visible(), c.kind).toBe(true);
      expect((await openEachDirectly(c.kind, c.id)).every((p) => typeof p === 'object'), c.kind).toBe(true);
      const kept = await dataKeysOf(c.kind, c.id);
      const d2 = await as(director);
      await d2.records.grants.revoke(c.kind, c.id, ids.other, d2.actor);
      await as(otherRecorder);
      expect(await c.visible(), c.kind).toBe(false);
      expect(new Set(await decryptWith(kept, c.kind, c.id)), c.kind).toEqual(new Set(['fails']));
    }
    // The person's two versions were both granted and both re-keyed.
    expect(await auditEntries('record.revoke', person.id)).toMatchObject([{ detail: JSON.stringify({ userId: ids.other, contents: 2 }) }]);
    const s = await as(recorder);
    expect((await s.records.persons.atRevision(person.id, 1, s.actor)).contact).toBe('MARKER +383 44 123 456');
    expect((await s.records.sessions.get(session.id, s.actor)).minutes).toBe('MARKER procesverbali');
  });

  test('a director added after the record holds no copy of it: their grant fails with CONTENT_NO_ACCESS and writes nothing', async () => {
    const t = await restrictedTestimony();
    const d = await as(director);
    await d.records.grants.grant('testimony', t.id, ids.other, d.actor);
    await addUser(core.sodium, d.archive, lateDirector, 'director');
    const late = await as(lateDirector);
    const before = { grants: await count('record_grants'), keys: await count('sealed_keys'), audit: await count('audit_log') };
    await expectArchiveError(late.records.grants.grant('testimony', t.id, ids.auditor, late.actor), 'CONTENT_NO_ACCESS');
    // A revoke cannot re-key what they cannot open: the grant and every copy stay as they were.
    await expectArchiveError(late.records.grants.revoke('testimony', t.id, ids.other, late.actor), 'CONTENT_NO_ACCESS');
    expect({ grants: await count('record_grants'), keys: await count('sealed_keys'), audit: await count('audit_log') }).toEqual(before);
  });
});

describe('grant and revoke refuse what they cannot do, and change nothing', () => {
  test('normal record, unknown or disabled user, unknown record, structural readers, non-directors; granting twice is idempotent', async () => {
    const t = await restrictedTestimony();
    const a = await as(recorder);
    const normal = await a.records.persons.create(personInput(), a.actor);
    const d = await as(director);
    // A disabled account: refused in the keyring and in the users table.
    const disabledId = await addUser(core.sodium, d.archive, { username: 'mentor.gashi', displayName: 'Mentor Gashi', passphrase: 'Kalaja e Prizrenit në mbrëmje' }, 'recorder');
    const keyringPath = archivePaths(d.archive.folder).keyring;
    const keyring = readKeyring(keyringPath);
    writeKeyring(keyringPath, { ...keyring, users: keyring.users.map((u) => (u.id === disabledId ? { ...u, disabled: true } : u)) });
    await d.archive.db.kysely.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', disabledId).execute();

    const g = d.records.grants;
    const snapshot = async () => ({ grants: await count('record_grants'), keys: await count('sealed_keys'), contents: await count('sealed_contents'), audit: await count('audit_log') });
    const before = await snapshot();
    await expectArchiveError(g.grant('person', normal.id, ids.other, d.actor), 'GRANT_NOT_RESTRICTED');
    await expectArchiveError(g.grant('testimony', t.id, disabledId, d.actor), 'ACCOUNT_NOT_FOUND');
    await expectArchiveError(g.grant('testimony', t.id, randomUUID(), d.actor), 'ACCOUNT_NOT_FOUND');
    await expectArchiveError(g.grant('testimony', randomUUID(), ids.other, d.actor), 'RECORD_NOT_FOUND');
    await expectArchiveError(g.grant('session', t.id, ids.other, d.actor), 'RECORD_NOT_FOUND');
    await expectArchiveError(g.grant('testimony', t.id, ids.author, d.actor), 'IPC_BAD_INPUT');
    await expectArchiveError(g.grant('testimony', t.id, ids.director, d.actor), 'IPC_BAD_INPUT');
    const structural = await expectArchiveError(g.revoke('testimony', t.id, ids.author, d.actor), 'IPC_BAD_INPUT');
    expect(structural.message).toMatch(/author/);
    expect((await expectArchiveError(g.revoke('testimony', t.id, ids.director, d.actor), 'IPC_BAD_INPUT')).message).toMatch(/director/);
    expect((await expectArchiveError(g.revoke('testimony', t.id, ids.other, d.actor), 'IPC_BAD_INPUT')).message).toMatch(/no grant/);
    for (const who of [recorder, auditor]) {
      const s = await as(who);
      await expectArchiveError(s.records.grants.grant('testimony', t.id, ids.other, s.actor), 'AUTH_FORBIDDEN');
      await expectArchiveError(s.records.grants.readers('testimony', t.id, s.actor), 'AUTH_FORBIDDEN');
    }
    const d2 = await as(director);
    const afterRefusals = await snapshot();
    // Only the sign-ins and locks of switching users were audited.
    expect({ ...afterRefusals, audit: before.audit }).toEqual(before);
    expect(await d2.archive.db.kysely.selectFrom('audit_log').select('action').where('seq', '>', before.audit).execute()).not.toContainEqual({ action: 'record.grant' });

    await d2.records.grants.grant('testimony', t.id, ids.other, d2.actor);
    await d2.records.grants.grant('testimony', t.id, ids.other, d2.actor);
    expect(await count('record_grants')).toBe(1);
    // One copy per content for the grantee (two contents), not two.
    expect(await d2.archive.db.kysely.selectFrom('sealed_keys').select('content_id').where('user_id', '=', ids.other).execute()).toHaveLength(2);
  });

  test('the grant lookup is a primary-key search (EXPLAIN QUERY PLAN of the exact SQL)', () => {
    const { sqlite, kysely } = core.sessions.require().archive.db;
    const q = grantQuery(kysely, 'testimony', randomUUID(), randomUUID()).compile();
    const steps = (sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.parameters) as Array<{ detail: string }>).map((r) => r.detail);
    expect(steps).toEqual([expect.stringMatching(/^SEARCH record_grants USING PRIMARY KEY \(record_kind=\? AND record_id=\? AND user_id=\?\)$/)]);
  });
});

describe('reach per record', () => {
  test('an auditor reads a record only when granted: testimony, person and session; revoked, refused again', async () => {
    const t = await restrictedTestimony();
    const a = await as(recorder);
    const person = await a.records.persons.create(personInput({ confidentiality: 'restricted' }), a.actor);
    const session = await a.records.sessions.create(sessionInput([person.id], { sensitivity: 'restricted' }), a.actor);
    const reads = (r: ReturnType<typeof core.sessions.require>['records']): Array<() => Promise<unknown>> => [
      () => r.testimonies.get(t.id, r.actor),
      () => r.testimonies.history(t.id, r.actor),
      () => r.testimonies.atRevision(t.id, 1, r.actor),
      () => r.persons.get(person.id, r.actor),
      () => r.persons.history(person.id, r.actor),
      () => r.persons.atRevision(person.id, 1, r.actor),
      () => r.sessions.get(session.id, r.actor),
      () => r.sessions.history(session.id, r.actor),
      () => r.sessions.atRevision(session.id, 1, r.actor),
    ];

    let au = await as(auditor);
    for (const read of reads(au.records)) await expectArchiveError(read(), 'AUTH_FORBIDDEN');
    // Not even whether an unknown record exists.
    await expectArchiveError(au.records.testimonies.get(randomUUID(), au.actor), 'AUTH_FORBIDDEN');

    const d = await as(director);
    for (const [kind, id] of [['testimony', t.id], ['person', person.id], ['session', session.id]] as const) await d.records.grants.grant(kind, id, ids.auditor, d.actor);
    au = await as(auditor);
    const results: unknown[] = [];
    for (const read of reads(au.records)) results.push(await read());
    expect(results[0]).toMatchObject({ contentVisible: true, narrative: 'MARKER-2 Dëshmia e plotësuar.' });
    expect(results[3]).toMatchObject({ identityVisible: true, names: { sq: 'Shqipe Krasniqi' } });
    expect(results[6]).toMatchObject({ contentVisible: true });
    // Grants are per record: the auditor still reaches nothing else.
    const other = await restrictedTestimony();
    au = await as(auditor);
    await expectArchiveError(au.records.testimonies.get(other.id, au.actor), 'AUTH_FORBIDDEN');

    const d2 = await as(director);
    await d2.records.grants.revoke('testimony', t.id, ids.auditor, d2.actor);
    au = await as(auditor);
    await expectArchiveError(au.records.testimonies.get(t.id, au.actor), 'AUTH_FORBIDDEN');
    expect(await au.records.persons.get(person.id, au.actor)).toMatchObject({ identityVisible: true });
  });

  test("a recorder edits only their own persons, sessions and testimonies: someone else's is AUTH_FORBIDDEN and nothing changes", async () => {
    const a = await as(recorder);
    const person = await a.records.persons.create(personInput(), a.actor);
    const session = await a.records.sessions.create(sessionInput([person.id]), a.actor);
    const t = await a.records.testimonies.create(testimonyInput(person.id, person.id), a.actor);
    const followUp = session.followUps[0]!;
    const sessionEdit: SessionInput = { ...sessionInput([person.id]), title: 'Ndryshuar nga dikush tjetër', followUps: session.followUps };

    const o = await as(otherRecorder);
    const revisionsBefore = await count('record_revisions');
    await expectArchiveError(o.records.persons.update(person.id, personInput({ contact: 'ndryshuar' }), 1, o.actor), 'AUTH_FORBIDDEN');
    await expectArchiveError(o.records.sessions.update(session.id, sessionEdit, 1, o.actor), 'AUTH_FORBIDDEN');
    await expectArchiveError(o.records.sessions.setFollowUpStatus(session.id, followUp.id, 'done', 1, o.actor), 'AUTH_FORBIDDEN');
    await expectArchiveError(o.records.testimonies.update(t.id, testimonyInput(person.id, person.id, { title: 'Ndryshuar' }), 1, o.actor), 'AUTH_FORBIDDEN');
    expect(await count('record_revisions')).toBe(revisionsBefore);
    expect(await o.records.persons.get(person.id, o.actor)).toMatchObject({ revision: 1, contact: null });
    expect(await o.records.sessions.get(session.id, o.actor)).toMatchObject({ revision: 1, title: session.title, followUps: [{ status: 'open' }, { status: 'open' }] });
    // Their own records they edit as before.
    const mine = await o.records.persons.create(personInput(), o.actor);
    expect(await o.records.persons.update(mine.id, personInput({ contact: 'Rruga e Nënë Terezës 12' }), 1, o.actor)).toMatchObject({ revision: 2 });

    // The author edits, and so does a director, whose edit of a restricted person keeps the author a reader.
    const au = await as(recorder);
    expect(await au.records.sessions.setFollowUpStatus(session.id, followUp.id, 'done', 1, au.actor)).toMatchObject({ revision: 2 });
    const restricted = await au.records.persons.create(personInput({ confidentiality: 'restricted' }), au.actor);
    const d = await as(director);
    await d.records.persons.update(restricted.id, personInput({ confidentiality: 'restricted', contact: 'MARKER kontakt' }), 1, d.actor);
    const back = await as(recorder);
    expect(await back.records.persons.get(restricted.id, back.actor)).toMatchObject({ identityVisible: true, contact: 'MARKER kontakt' });
  });
});
