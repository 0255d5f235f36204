// Signed checkpoints and the auditor's service on real encrypted archives: who signs at lock, what the verifier
// rejects (another key, an edited note, a truncated or rewritten log), list filters and paging, and counts.
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { appendAudit, chainHash, verifyAuditChain, type AuditEntry } from '../../electron/core/audit/audit-chain';
import { auditListQuery, createAuditService, type AuditListInput } from '../../electron/core/audit/audit-service';
import { archiveKeyName, checkpointBody, keyIdOf, parseCheckpointBody, parseSignedNote, signCheckpoint, signNote, userKeyName, verifyCheckpoints } from '../../electron/core/audit/checkpoints';
import { openDatabase, type ArchiveDb } from '../../electron/core/db/open-database';
import { readKeyring } from '../../electron/core/vault/keyring';
import { archivePaths } from '../../electron/core/vault/vault';
import { auditOverviewSchema, auditVerifySchema, contract } from '../../shared/ipc/contract';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { consentInput, personInput, testimonyInput } from '../fixtures/records';
import { sessionInput } from '../fixtures/sessions';
import { addUser, recorder } from '../fixtures/users';

type Core = Awaited<ReturnType<typeof makeCore>>;
let dir: ReturnType<typeof tempDir>;
let folder: string;
let core: Core;
/** The test's clock: entries land on chosen days (the list's from/to filters). */
let clock: number;
let raw: ArchiveDb | null;

beforeEach(async () => {
  dir = tempDir('ta-checkpoints-');
  folder = join(dir.path, 'archive');
  clock = Date.parse('2026-03-02T09:00:00.000Z');
  core = await makeCore(folder, { now: () => clock });
  await core.sessions.create(createInput(director));
  raw = null;
});
afterEach(async () => {
  await raw?.close();
  await core.sessions.lock('quit');
  dir.cleanup();
});

const archive = () => core.sessions.require().archive;
const keyring = () => readKeyring(archivePaths(folder).keyring);
const serviceOn = (db: ArchiveDb) => createAuditService({ db: db.kysely, keyring, now: () => clock });
const checkpointRows = (db: ArchiveDb) => db.sqlite.prepare('SELECT id, at, reason, count, head, note FROM audit_checkpoints ORDER BY id').all() as Array<{ id: number; at: string; reason: string; count: number; head: Buffer; note: string }>;
const entryCount = (db: ArchiveDb) => db.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

/** Locks, then opens the database the way an attacker with the master key would (the app's keys are wiped at lock). */
async function lockAndOpenRaw(): Promise<ArchiveDb> {
  const masterKey = archive().secrets.masterKey.slice();
  await core.sessions.lock('manual');
  raw = openDatabase(archivePaths(folder).database, masterKey);
  masterKey.fill(0);
  return raw;
}

/** What someone holding the database key can do: drop the append-only triggers and rewrite rows. */
function tamper(db: ArchiveDb, statements: string): void {
  db.sqlite.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS audit_checkpoints_no_update; ${statements}`);
}

async function someHistory(): Promise<{ testimonyId: string }> {
  const { records } = core.sessions.require();
  const p = await records.persons.create(personInput(), records.actor);
  const t = await records.testimonies.create(testimonyInput(p.id, p.id), records.actor);
  await records.testimonies.review(t.id, 1, records.actor);
  return { testimonyId: t.id };
}

const nullFilter: AuditListInput = { before: null, limit: 500, action: null, actor: null, subjectId: null, from: null, to: null };

describe('checkpoints at lock', () => {
  test("a director's lock is signed with the archive key, a recorder's with their own; both verify, and each covers its lock entry", async () => {
    await someHistory();
    const recorderId = await addUser(core.sodium, archive(), recorder, 'recorder');
    await core.sessions.signIn(recorder.username, recorder.passphrase); // locks the director first ('switch-user')
    expect(archive().secrets.archiveSigningSecretKey).toBeNull();
    const db = await lockAndOpenRaw();

    const rows = checkpointRows(db);
    expect(rows.map((r) => r.reason)).toEqual(['lock', 'lock']);
    const ring = keyring();
    const expectedSigners = [
      { name: archiveKeyName(ring.archiveId), publicKey: Buffer.from(ring.signing.publicKey, 'base64') },
      { name: userKeyName(ring.archiveId, recorderId), publicKey: Buffer.from(ring.users.find((u) => u.id === recorderId)?.signPublicKey ?? '', 'base64') },
    ];
    const lockSeqs = (db.sqlite.prepare("SELECT seq FROM audit_log WHERE action = 'session.lock' ORDER BY seq").pluck().all() as number[]);
    for (const [i, row] of rows.entries()) {
      const note = parseSignedNote(row.note);
      const signer = expectedSigners[i];
      expect(note?.signatures.map((s) => s.name)).toEqual([signer?.name]);
      expect(Buffer.from(note?.signatures[0]?.keyId ?? [])).toEqual(Buffer.from(keyIdOf(signer?.name ?? '', new Uint8Array(signer?.publicKey ?? []))));
      const body = parseCheckpointBody(note?.text ?? '');
      expect(body).toMatchObject({ origin: `testimony-archive/${ring.archiveId}`, count: row.count });
      // The checkpoint is signed right after the lock entry, so it covers it.
      expect(row.count).toBe(lockSeqs[i]);
      const headAt = db.sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(row.count) as Buffer;
      expect(Buffer.from(body?.head ?? [])).toEqual(headAt);
    }

    const report = await serviceOn(db).verify();
    expect(auditVerifySchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ entries: entryCount(db), firstBreak: null, checkpoints: { total: 2, valid: 2, firstBad: null, latest: { id: rows[1]?.id, count: rows[1]?.count, reason: 'lock' } } });
  });

  test('a lock whose checkpoint cannot be signed (keyring unreadable) still locks, and writes no checkpoint', async () => {
    const keyringFile = archivePaths(folder).keyring;
    const saved = readFileSync(keyringFile);
    writeFileSync(keyringFile, 'not json');
    const db = await lockAndOpenRaw();
    writeFileSync(keyringFile, saved);
    expect(core.sessions.current()).toBeNull();
    expect(checkpointRows(db)).toEqual([]);
    expect(db.sqlite.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get()).toBe('session.lock');
  });

  test('the note is the C2SP signed-note text, and Node’s own Ed25519 and SHA-256 verify it independently', async () => {
    const db = await lockAndOpenRaw();
    const [row] = checkpointRows(db);
    const ring = keyring();
    const name = `testimony-archive/${ring.archiveId}`;
    const publicKey = Buffer.from(ring.signing.publicKey, 'base64');
    // Exactly: origin, count, base64 head, blank line, "— <name> <base64(key id || signature)>".
    const m = /^(testimony-archive\/[0-9a-f-]{36})\n(\d+)\n([A-Za-z0-9+/]{43}=)\n\n\u2014 (\S+) ([A-Za-z0-9+/]{91}=)\n$/u.exec(row?.note ?? '');
    expect(m?.[1]).toBe(name);
    expect(Number(m?.[2])).toBe(row?.count);
    expect(m?.[4]).toBe(name);
    const text = `${m?.[1]}\n${m?.[2]}\n${m?.[3]}\n`;
    const blob = Buffer.from(m?.[5] ?? '', 'base64');
    const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), publicKey])).digest().subarray(0, 4);
    expect(blob.subarray(0, 4)).toEqual(keyId);
    const nodeKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
    expect(nodeVerify(null, Buffer.from(text, 'utf8'), nodeKey, blob.subarray(4))).toBe(true);
    // The same check fails on a text one digit off: the signature covers the count.
    const other = text.replace(/\n(\d+)\n/, (_, n: string) => `\n${Number(n) + 1}\n`);
    expect(nodeVerify(null, Buffer.from(other, 'utf8'), nodeKey, blob.subarray(4))).toBe(false);
  });
});

describe('the verifier rejects', () => {
  test('a checkpoint signed by another key under the archive key’s name (its honest key ID): unknown-key', async () => {
    const fresh = core.sodium.crypto_sign_keypair();
    const { id } = await signCheckpoint(archive().db.kysely, { archiveId: archive().archiveId, at: new Date(clock).toISOString(), reason: 'manual', signer: { name: archiveKeyName(archive().archiveId), secretKey: fresh.privateKey } });
    const report = await serviceOn(archive().db).verify();
    expect(report.checkpoints).toMatchObject({ total: 1, valid: 0, firstBad: { id, problem: 'unknown-key' }, latest: null });
    expect(report.checkpoints.firstBad?.message).toMatch(/not signed by the archive key/);
  });

  test('a checkpoint by another key that claims the archive key’s ID: bad-signature', async () => {
    const fresh = core.sodium.crypto_sign_keypair();
    const db = archive().db;
    const name = archiveKeyName(archive().archiveId);
    const head = db.sqlite.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get() as Buffer;
    const count = entryCount(db);
    const text = checkpointBody(name, count, head);
    const honest = signNote(text, { name, secretKey: fresh.privateKey });
    // Swap in the archive key's ID: now the verifier must check the signature, and it fails.
    const archiveKeyId = keyIdOf(name, Buffer.from(keyring().signing.publicKey, 'base64'));
    const sigLine = honest.slice(text.length + 1);
    const blob = Buffer.from(/ (\S+)\n$/.exec(sigLine)?.[1] ?? '', 'base64');
    blob.set(archiveKeyId, 0);
    const forged = `${text}\n\u2014 ${name} ${blob.toString('base64')}\n`;
    db.sqlite.prepare("INSERT INTO audit_checkpoints (at, reason, count, head, note) VALUES (?, 'manual', ?, ?, ?)").run(new Date(clock).toISOString(), count, head, forged);
    expect((await serviceOn(db).verify()).checkpoints).toMatchObject({ total: 1, valid: 0, firstBad: { problem: 'bad-signature' } });
  });

  test('a good checkpoint signed by a key the verifier does not list is refused, and accepted once it is listed', async () => {
    // The same note against two key sets: proves the key set decides, not merely the signature's validity.
    await signCheckpoint(archive().db.kysely, { archiveId: archive().archiveId, at: new Date(clock).toISOString(), reason: 'manual', signer: { name: archiveKeyName(archive().archiveId), secretKey: archive().secrets.archiveSigningSecretKey ?? new Uint8Array() } });
    const chain = await verifyAuditChain(archive().db.kysely);
    const archiveKey = { name: archiveKeyName(archive().archiveId), publicKey: Buffer.from(keyring().signing.publicKey, 'base64') };
    expect((await verifyCheckpoints(archive().db.kysely, [], chain)).firstBad?.problem).toBe('unknown-key');
    expect((await verifyCheckpoints(archive().db.kysely, [{ ...archiveKey, name: 'testimony-archive/other' }], chain)).firstBad?.problem).toBe('unknown-key');
    expect(await verifyCheckpoints(archive().db.kysely, [archiveKey], chain)).toMatchObject({ total: 1, valid: 1, firstBad: null });
  });

  test('a note whose count was edited (with its columns, to look consistent): bad-signature', async () => {
    const db = await lockAndOpenRaw();
    const [row] = checkpointRows(db);
    expect(row).toBeDefined();
    const count = (row?.count ?? 0) - 1;
    const head = db.sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(count) as Buffer;
    const note = (row?.note ?? '').replace(/^(.*\n)\d+\n[^\n]+\n/, `$1${count}\n${head.toString('base64')}\n`);
    tamper(db, '');
    db.sqlite.prepare('UPDATE audit_checkpoints SET count = ?, head = ?, note = ? WHERE id = ?').run(count, head, note, row?.id);
    const report = await serviceOn(db).verify();
    expect(report.firstBreak).toBeNull();
    expect(report.checkpoints).toMatchObject({ total: 1, valid: 0, firstBad: { id: row?.id, count, problem: 'bad-signature' } });
  });

  test.each([
    ['a count column that disagrees with the note', (r: { count: number }) => ({ sql: 'UPDATE audit_checkpoints SET count = ? WHERE id = ?', value: r.count - 1 })],
    ['a note that is not a signed note', () => ({ sql: 'UPDATE audit_checkpoints SET note = ? WHERE id = ?', value: 'just some text\n' })],
    ['a note with a fourth body line', (r: { note: string }) => ({ sql: 'UPDATE audit_checkpoints SET note = ? WHERE id = ?', value: r.note.replace('\n\n', '\nextra\n\n') })],
    ['a note with a control character', (r: { note: string }) => ({ sql: 'UPDATE audit_checkpoints SET note = ? WHERE id = ?', value: r.note.replace('\n\n', '\t\n\n') })],
  ] as const)('%s: malformed', async (_label, edit) => {
    const db = await lockAndOpenRaw();
    const [row] = checkpointRows(db);
    if (!row) throw new Error('no checkpoint');
    const { sql, value } = edit(row);
    tamper(db, '');
    db.sqlite.prepare(sql).run(value, row.id);
    expect((await serviceOn(db).verify()).checkpoints).toMatchObject({ total: 1, valid: 0, firstBad: { id: row.id, problem: 'malformed' } });
  });

  test('the newest entries cut off after a checkpoint: the chain still holds, the checkpoint names the truncation', async () => {
    await someHistory();
    const db = await lockAndOpenRaw();
    const [row] = checkpointRows(db);
    const before = entryCount(db);
    expect(row?.count).toBe(before);
    tamper(db, `DELETE FROM audit_log WHERE seq > ${before - 3}`);
    const report = await serviceOn(db).verify();
    expect(report).toMatchObject({ entries: before - 3, firstBreak: null });
    expect(report.checkpoints).toMatchObject({ valid: 0, firstBad: { id: row?.id, count: before, problem: 'count-beyond-log' } });
    expect(report.checkpoints.firstBad?.message).toBe(`Checkpoint ${row?.id} covers ${before} entries, but the log now holds only ${before - 3}: entries were removed after it was signed.`);
  });

  test('a truncated log that grew back past the checkpoint: head-mismatch at the checkpoint’s position', async () => {
    await someHistory();
    const db = await lockAndOpenRaw();
    const [row] = checkpointRows(db);
    const before = entryCount(db);
    tamper(db, `DELETE FROM audit_log WHERE seq > ${before - 2}`);
    // The app goes on appending: the log is a valid chain again, and longer than the checkpoint's count.
    for (let i = 0; i < 4; i++) await appendAudit(db.kysely, { at: new Date(clock).toISOString(), actor: null, action: 'test.later', subjectKind: null, subjectId: null, detail: {} });
    const report = await serviceOn(db).verify();
    expect(report).toMatchObject({ entries: before + 2, firstBreak: null });
    expect(report.checkpoints.firstBad).toMatchObject({ id: row?.id, count: before, problem: 'head-mismatch' });
  });

  test('an edited entry with the whole chain re-hashed after it: a valid chain, but the checkpoint names it', async () => {
    const { testimonyId } = await someHistory();
    const db = await lockAndOpenRaw();
    const rows = db.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<{ seq: number; at: string; actor: string | null; action: string; subject_kind: string | null; subject_id: string | null; detail: string }>;
    tamper(db, '');
    // Rewrite "reviewed" as "created", then recompute every hash from there on, as a careful forger would.
    let prev: Uint8Array = new Uint8Array(32);
    const update = db.sqlite.prepare('UPDATE audit_log SET action = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    for (const r of rows) {
      const action = r.action === 'record.review' && r.subject_id === testimonyId ? 'record.update' : r.action;
      const e: AuditEntry = { at: r.at, actor: r.actor, action, subjectKind: r.subject_kind, subjectId: r.subject_id, detail: JSON.parse(r.detail) as AuditEntry['detail'] };
      const hash = chainHash(prev, r.seq, e);
      update.run(action, Buffer.from(prev), Buffer.from(hash), r.seq);
      prev = hash;
    }
    const report = await serviceOn(db).verify();
    expect(report.firstBreak).toBeNull();
    expect(report.checkpoints.firstBad).toMatchObject({ problem: 'head-mismatch' });
  });

  test.each([
    ['an edited entry', 'UPDATE audit_log SET action = \'record.update\' WHERE seq = 3', 3, 'edited'],
    ['a deleted entry', 'DELETE FROM audit_log WHERE seq = 2', 2, 'missing-or-reordered'],
    ['two entries swapped', 'UPDATE audit_log SET seq = 1000 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 1000', 3, 'broken-link'],
  ] as const)('through the auditor service, %s is named at its position', async (_label, statements, position, reason) => {
    await someHistory();
    const db = await lockAndOpenRaw();
    tamper(db, statements);
    const report = await serviceOn(db).verify();
    expect(auditVerifySchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ head: null, firstBreak: { position, reason } });
  });
});

describe('checkpoint storage', () => {
  test('migration 9: audit_checkpoints is STRICT and append-only; the list filters use their indexes', async () => {
    const db = archive().db;
    expect(db.sqlite.prepare("SELECT strict FROM pragma_table_list WHERE name = 'audit_checkpoints'").pluck().get()).toBe(1);
    await signCheckpoint(db.kysely, { archiveId: archive().archiveId, at: new Date(clock).toISOString(), reason: 'manual', signer: { name: archiveKeyName(archive().archiveId), secretKey: archive().secrets.archiveSigningSecretKey ?? new Uint8Array() } });
    expect(() => db.sqlite.exec('UPDATE audit_checkpoints SET count = 0')).toThrow(/append-only/);
    expect(() => db.sqlite.exec('DELETE FROM audit_checkpoints')).toThrow(/append-only/);
    expect(() => db.sqlite.exec("INSERT INTO audit_checkpoints (at, reason, count, head, note) VALUES ('x', 'whim', 0, zeroblob(32), 'n')")).toThrow(/CHECK/);
    const plan = (filter: Partial<AuditListInput>) => {
      const q = auditListQuery(db.kysely, { ...nullFilter, limit: 51, ...filter }).compile();
      return (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    };
    expect(plan({ actor: archive().user.id })).toMatch(/USING (COVERING )?INDEX audit_log_actor/);
    expect(plan({ subjectId: archive().user.id })).toMatch(/USING (COVERING )?INDEX audit_log_subject/);
    for (const p of [plan({ actor: archive().user.id }), plan({}), plan({ before: 10 })]) expect(p).not.toMatch(/TEMP B-TREE/);
  });

  test('signCheckpoint refuses a wrong key size, an unknown reason and a time that is not an instant, storing nothing', async () => {
    const db = archive().db;
    const base = { archiveId: archive().archiveId, at: new Date(clock).toISOString(), reason: 'manual' as const, signer: { name: archiveKeyName(archive().archiveId), secretKey: archive().secrets.archiveSigningSecretKey ?? new Uint8Array() } };
    await expectArchiveError(signCheckpoint(db.kysely, { ...base, signer: { ...base.signer, secretKey: new Uint8Array(32) } }), 'INTERNAL');
    await expectArchiveError(signCheckpoint(db.kysely, { ...base, signer: { ...base.signer, name: 'has space' } }), 'INTERNAL');
    await expectArchiveError(signCheckpoint(db.kysely, { ...base, reason: 'whim' as 'manual' }), 'INTERNAL');
    await expectArchiveError(signCheckpoint(db.kysely, { ...base, at: 'yesterday' }), 'INTERNAL');
    expect(checkpointRows(db)).toEqual([]);
  });
});

describe('list', () => {
  async function history() {
    const { records } = core.sessions.require();
    const directorId = archive().user.id;
    const p = await records.persons.create(personInput(), records.actor); // day 1 (2 March)
    clock = Date.parse('2026-03-04T15:30:00.000Z');
    const t = await records.testimonies.create(testimonyInput(p.id, p.id), records.actor);
    await records.testimonies.update(t.id, testimonyInput(p.id, p.id, { title: 'Titulli i ri' }), 1, records.actor);
    const recorderId = await addUser(core.sodium, archive(), recorder, 'recorder');
    clock = Date.parse('2026-03-06T08:00:00.000Z');
    await core.sessions.signIn(recorder.username, recorder.passphrase);
    const r = core.sessions.require().records;
    const rp = await r.persons.create(personInput({ names: { sq: 'Agim Berisha', srLatn: 'Agim Beriša', srCyrl: 'Агим Бериша' } }), r.actor);
    await core.sessions.signIn(director.username, director.passphrase);
    // An actor that is no longer an account (ids stay in the log).
    await appendAudit(archive().db.kysely, { at: new Date(clock).toISOString(), actor: '0b7c6a52-8a7e-4a39-9d4f-6f1c1a0f2e11', action: 'account.remove_x%', subjectKind: null, subjectId: null, detail: {} });
    return { directorId, recorderId, testimonyId: t.id, recorderPersonId: rp.id };
  }

  test('newest first, paged by `before` until nextBefore is null; every page fits the contract', async () => {
    await history();
    const service = serviceOn(archive().db);
    const all = (await service.list(nullFilter)).items.map((e) => e.seq);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(all).toHaveLength(entryCount(archive().db));
    const seen: number[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const page = await service.list({ ...nullFilter, limit: 3, before });
      expect(contract['audit.list'].output.parse(page)).toEqual(page);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.seq));
      before = page.nextBefore;
      pages++;
    } while (before !== null);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  test('filters: action exactly or by prefix, actor (with names), subject, days; an unknown actor has no name', async () => {
    const { directorId, recorderId, testimonyId, recorderPersonId } = await history();
    const service = serviceOn(archive().db);
    const list = (f: Partial<AuditListInput>) => service.list({ ...nullFilter, ...f }).then((p) => p.items);

    const recordActions = await list({ action: 'record.' });
    expect(recordActions.map((e) => e.action)).toEqual(['record.create', 'record.update', 'record.create', 'record.create']);
    expect((await list({ action: 'record.update' })).map((e) => e.subjectId)).toEqual([testimonyId]);
    expect(await list({ action: 'record' })).toEqual([]);
    // '_' and '%' are literal characters of an action, never wildcards.
    expect((await list({ action: 'account.remove_x%' })).map((e) => e.actorName)).toEqual([null]);
    expect(await list({ action: 'account.remove_' })).toEqual([]);

    const byRecorder = await list({ actor: recorderId });
    expect(byRecorder.map((e) => e.action)).toEqual(['session.lock', 'record.create', 'session.sign-in']);
    expect(new Set(byRecorder.map((e) => e.actorName))).toEqual(new Set([recorder.username]));
    expect((await list({ actor: directorId })).every((e) => e.actorName === director.username)).toBe(true);

    expect((await list({ subjectId: testimonyId })).map((e) => [e.action, e.detail])).toEqual([['record.update', { revision: 2 }], ['record.create', { revision: 1 }]]);
    expect((await list({ subjectId: recorderPersonId })).map((e) => e.actor)).toEqual([recorderId]);

    const days = (items: Array<{ at: string }>) => [...new Set(items.map((e) => e.at.slice(0, 10)))].sort();
    expect(days(await list({ to: '2026-03-02' }))).toEqual(['2026-03-02']);
    expect(days(await list({ from: '2026-03-03', to: '2026-03-05' }))).toEqual(['2026-03-04']);
    expect(days(await list({ from: '2026-03-05' }))).toEqual(['2026-03-06']);
    expect(await list({ from: '2026-03-04', to: '2026-03-04', actor: recorderId })).toEqual([]);
  });

  test.each([
    ['a zero page size', { limit: 0 }],
    ['a page size over 500', { limit: 501 }],
    ['a `before` of 0', { before: 0 }],
    ['a day that is not a date', { from: '2026-02-30' }],
    ['an actor that is not an id', { actor: "x' OR 1=1" }],
    ['an unknown field', { extra: true }],
    ['a start after the end', { from: '2026-03-05', to: '2026-03-04' }],
  ])('refuses %s with IPC_BAD_INPUT', async (_label, over) => {
    const service = serviceOn(archive().db);
    await expectArchiveError(service.list({ ...nullFilter, ...over }), 'IPC_BAD_INPUT');
  });
});

describe('overview', () => {
  test('counts records, statuses, consent scopes, withdrawals, minors and running embargoes, and nothing else', async () => {
    const { records } = core.sessions.require();
    const actor = records.actor;
    const deponent = await records.persons.create(personInput(), actor);
    const hidden = await records.persons.create(personInput({ confidentiality: 'restricted', contact: '+383 44 123 456' }), actor);
    const child = await records.persons.create(personInput({ names: { sq: 'Blerta Gashi', srLatn: 'Blerta Gaši', srCyrl: 'Блерта Гаши' }, birthDate: '2010' }), actor);
    // Today is 2 March 2026 on the test clock.
    const t1 = await records.testimonies.create(testimonyInput(deponent.id, deponent.id), actor);
    await records.testimonies.create(
      testimonyInput(hidden.id, hidden.id, { sensitivity: 'restricted', consent: consentInput({ scopes: { ...consentInput().scopes, commission: 'pseudonymised' }, embargoUntil: '2030-01-01' }) }),
      actor,
    );
    await records.testimonies.create(testimonyInput(child.id, child.id, { consent: consentInput({ minor: true, guardian: null, embargoUntil: '2026-03-01' }) }), actor);
    await records.testimonies.create(
      testimonyInput(deponent.id, deponent.id, { consent: consentInput({ minor: true, guardian: 'Arta Gashi (nëna)', withdrawal: { date: '2026-02-20', scope: 'commission', note: 'Nuk dëshiron më.' } }) }),
      actor,
    );
    await records.testimonies.review(t1.id, 1, actor);
    // A peace table: three participants, each with a consent row (named, pseudonymised, pseudonymised).
    const others = await Promise.all([personInput(), personInput({ sex: 'male' })].map((p) => records.persons.create(p, actor)));
    await records.sessions.create(sessionInput([deponent.id, ...others.map((o) => o.id)], { sensitivity: 'restricted' }), actor);

    const overview = await serviceOn(archive().db).overview();
    expect(auditOverviewSchema.parse(overview)).toEqual(overview);
    expect(overview).toEqual({
      records: { testimonies: 4, persons: 5, sessions: 1, restricted: 3 },
      testimoniesByStatus: { draft: 3, reviewed: 1, sealed: 0 },
      consent: {
        total: 7,
        commission: { named: 4, pseudonymised: 3, none: 0 },
        withdrawn: { all: 0, commission: 1, public: 0, media: 0 },
        minors: 2,
        minorsWithoutGuardian: 1,
        embargoed: 1,
      },
    });
    // The embargo ending 1 March no longer runs; on 2030-01-01 the other one ends too.
    clock = Date.parse('2030-01-01T12:00:00.000Z');
    expect((await serviceOn(archive().db).overview()).consent.embargoed).toBe(0);
  });
});
