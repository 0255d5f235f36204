// The audit trail on real encrypted archives: sign-in, record changes and lock are chained; any edit, deletion,
// reordering or re-hashed entry made directly in the database (with the key) is named by the verifier.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { appendAudit, chainHash, verifyAuditChain } from '../../electron/core/audit/audit-chain';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { personInput, testimonyInput } from '../fixtures/records';

type Core = Awaited<ReturnType<typeof makeCore>>;
let dir: ReturnType<typeof tempDir>;
let core: Core;

beforeEach(async () => {
  dir = tempDir('ta-audit-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const archive = () => core.sessions.require().archive;
const rows = () => archive().db.sqlite.prepare('SELECT seq, actor, action, subject_kind, subject_id, detail FROM audit_log ORDER BY seq').all() as Array<{ seq: number; action: string; subject_id: string | null; detail: string }>;

/** What an attacker holding the database key can do: drop the append-only triggers and rewrite rows. */
function tamper(statements: string): void {
  archive().db.sqlite.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ${statements}`);
}

async function someHistory(): Promise<{ testimonyId: string; marker: string }> {
  const { records } = core.sessions.require();
  const marker = 'MARKER-auditi-9c1e';
  const p = await records.persons.create(personInput(), records.actor);
  const t = await records.testimonies.create(testimonyInput(p.id, p.id, { narrative: `Rrëfimi ${marker}` }), records.actor);
  await records.testimonies.update(t.id, testimonyInput(p.id, p.id, { narrative: `Rrëfimi i plotë ${marker}` }), 1, records.actor);
  await records.testimonies.review(t.id, 2, records.actor);
  await records.testimonies.seal(t.id, 3, records.actor);
  return { testimonyId: t.id, marker };
}

describe('audit trail', () => {
  test('sign-in, every record change and the lock are chained in order, with ids only (never content)', async () => {
    const { testimonyId, marker } = await someHistory();
    await core.sessions.lock('manual');
    await core.sessions.signIn(director.username, director.passphrase);
    const log = rows();
    expect(log.map((r) => r.action)).toEqual(['session.sign-in', 'record.create', 'record.create', 'record.update', 'record.review', 'record.seal', 'session.lock', 'session.sign-in']);
    expect(log.filter((r) => r.subject_id === testimonyId).map((r) => JSON.parse(r.detail) as unknown)).toEqual([{ revision: 1 }, { revision: 2 }, { revision: 3 }, { revision: 4 }]);
    expect(JSON.stringify(archive().db.sqlite.prepare('SELECT * FROM audit_log').all())).not.toContain(marker);
    const report = await verifyAuditChain(archive().db.kysely);
    expect(report).toMatchObject({ entries: 8, firstBreak: null });
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
  });

  test('two processes appending at once (the CLI beside the app) both land, in one unbroken chain', async () => {
    const other = await makeCore(join(dir.path, 'archive'));
    await other.sessions.signIn(director.username, director.passphrase);
    const entry = (actor: string) => ({ at: new Date().toISOString(), actor, action: 'test.concurrent', subjectKind: null, subjectId: null, detail: {} });
    // Both read the same head before either inserts: one gets the primary-key refusal and appends after the other.
    await Promise.all([appendAudit(archive().db.kysely, entry('a')), appendAudit(other.sessions.require().archive.db.kysely, entry('b'))]);
    await other.sessions.lock('quit');
    const report = await verifyAuditChain(archive().db.kysely);
    expect(report.firstBreak).toBeNull();
    expect(rows().filter((r) => r.action === 'test.concurrent')).toHaveLength(2);
  });

  test('the app itself cannot change or delete an entry', async () => {
    await someHistory();
    expect(() => archive().db.sqlite.exec("UPDATE audit_log SET action = 'x' WHERE seq = 2")).toThrow(/append-only/);
    expect(() => archive().db.sqlite.exec('DELETE FROM audit_log WHERE seq = 2')).toThrow(/append-only/);
  });

  test.each([
    ['an edited action', "UPDATE audit_log SET action = 'record.update' WHERE seq = 3", 3, 'edited'],
    ['an edited detail', `UPDATE audit_log SET detail = '{"revision":9}' WHERE seq = 4`, 4, 'edited'],
    ['another actor', "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2", 2, 'edited'],
    ['a deleted entry', 'DELETE FROM audit_log WHERE seq = 3', 3, 'missing-or-reordered'],
    ['a renumbered entry (gap closed by hand)', 'DELETE FROM audit_log WHERE seq = 3; UPDATE audit_log SET seq = seq - 1 WHERE seq > 3', 3, 'broken-link'],
    ['two entries swapped', 'UPDATE audit_log SET seq = 1000 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = 1000', 4, 'broken-link'],
    ['a hash replaced', 'UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 5', 5, 'edited'],
  ] as const)('%s is named at the first broken place', async (_label, statements, position, reason) => {
    await someHistory();
    expect((await verifyAuditChain(archive().db.kysely)).firstBreak).toBeNull();
    tamper(statements);
    const report = await verifyAuditChain(archive().db.kysely);
    expect(report.firstBreak).toMatchObject({ position, reason });
    expect(report.firstBreak?.message).toMatch(new RegExp(`^Entry ${position} `));
  });

  test('an entry rewritten with a correctly recomputed hash still breaks the link of the entry after it', async () => {
    await someHistory();
    const row = archive().db.sqlite.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as { at: string; actor: string; subject_kind: string; subject_id: string; detail: string; prev_hash: Buffer };
    const forged = { at: row.at, actor: row.actor, action: 'record.update', subjectKind: row.subject_kind, subjectId: row.subject_id, detail: JSON.parse(row.detail) as Record<string, number> };
    const hash = Buffer.from(chainHash(new Uint8Array(row.prev_hash), 3, forged));
    tamper('');
    archive().db.sqlite.prepare("UPDATE audit_log SET action = 'record.update', hash = ? WHERE seq = 3").run(hash);
    const report = await verifyAuditChain(archive().db.kysely);
    expect(report.firstBreak).toMatchObject({ position: 4, reason: 'broken-link' });
  });

  test('cutting off the newest entries leaves a shorter valid chain: the count and head differ from a checkpoint', async () => {
    await someHistory();
    const before = await verifyAuditChain(archive().db.kysely);
    tamper(`DELETE FROM audit_log WHERE seq > ${before.entries - 2}`);
    const after = await verifyAuditChain(archive().db.kysely);
    expect(after.firstBreak).toBeNull();
    expect(after.entries).toBe(before.entries - 2);
    expect(after.head).not.toBe(before.head);
  });
});
