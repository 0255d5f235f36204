// Dialogue sessions on real encrypted archives: participants with consent, follow-ups, revisions, sealed minutes, list.
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newBoxKeyPair } from '../../electron/core/crypto/keys';
import type { Actor } from '../../electron/core/records/actor';
import { createRecords } from '../../electron/core/records/records-context';
import { sessionListQuery, type SessionState } from '../../electron/core/records/sessions-service';
import { sessionInputSchema, type SessionInput, type SessionListInput } from '../../shared/records/session-schemas';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { listFilesRecursive, needlesFor, scanFiles } from '../fixtures/files';
import { referenceCheck } from '../fixtures/reference';
import { peaceTablePeople, sessionInput } from '../fixtures/sessions';

type Core = Awaited<ReturnType<typeof makeCore>>;
let dir: ReturnType<typeof tempDir>;
let core: Core;
let records: ReturnType<typeof createRecords>;
/** The records' clock: tests move it to control updated_at (and to make ties on purpose). */
let clock: number;

beforeEach(async () => {
  dir = tempDir('ta-sessions-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  clock = Date.parse('2026-11-01T09:00:00.000Z');
  records = createRecords({ archive: core.sessions.require().archive, sodium: core.sodium, now: () => clock, reference: await referenceCheck() });
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const db = () => core.sessions.require().archive.db.kysely;
const sqlite = () => core.sessions.require().archive.db.sqlite;

/** Someone who holds the database key (calls core directly) but was never given a sealed copy. */
function outsider(): Actor {
  return { userId: records.actor.userId, role: 'director', box: newBoxKeyPair(core.sodium) };
}

async function people(): Promise<string[]> {
  const ids: string[] = [];
  for (const p of peaceTablePeople) ids.push((await records.persons.create(p, records.actor)).id);
  return ids;
}

async function counts() {
  const tables = ['dialogue_sessions', 'session_participants', 'session_follow_ups', 'consents', 'record_revisions', 'sealed_contents', 'sealed_keys', 'persons'] as const;
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db())).rows[0]?.n);
  out['revisions'] = Number(sqlite().prepare('SELECT coalesce(sum(revision), 0) FROM dialogue_sessions').pluck().get());
  return out;
}

/** The editable part of a state, as the edit form sends it back. */
function inputOf(s: SessionState): SessionInput {
  const { id, createdBy, revision, contentVisible, ...input } = s;
  return input;
}

describe('dialogue sessions', () => {
  test('a peace table: three participants with consent, agenda, minutes, outcomes, two follow-ups; edit makes revision 2 and revision 1 is reconstructed exactly', async () => {
    const ids = await people();
    const input = sessionInput(ids);
    const s1 = await records.sessions.create(input, records.actor);
    expect(s1).toMatchObject({
      kind: 'peace-table', status: 'held', title: input.title, date: '2026-10-14', placeId: 'gjakove', facilitators: input.facilitators,
      participants: input.participants, agenda: input.agenda, minutes: input.minutes, outcomes: input.outcomes,
      sensitivity: 'normal', revision: 1, createdBy: records.actor.userId, contentVisible: true,
    });
    expect(s1.followUps.map(({ id, ...f }) => f)).toEqual(input.followUps.map(({ id, ...f }) => f));
    expect(new Set(s1.followUps.map((f) => f.id)).size).toBe(2);
    expect(s1.participants.map((p) => p.role)).toEqual(['affected-family-member', 'official', 'community-representative']);
    expect(await records.sessions.get(s1.id, records.actor)).toEqual(s1);

    // One consent row per participant, in the shared consents table.
    const consents = await db().selectFrom('consents').select(['person_id', 'language', 'scope_commission']).where('record_kind', '=', 'session').where('record_id', '=', s1.id).orderBy('person_id').execute();
    expect(consents.map((c) => c.person_id)).toEqual([...ids].sort());
    expect(consents.find((c) => c.person_id === ids[1])).toMatchObject({ language: 'serbian', scope_commission: 'pseudonymised' });

    const edited: SessionInput = {
      ...inputOf(s1),
      minutes: `${s1.minutes}\nNë fund u lexua procesverbali. Zapisnik je pročitan na kraju.`,
      followUps: [...s1.followUps, { id: null, text: 'Ndarja e procesverbalit me pjesëmarrësit', owner: 'Drita Krasniqi', dueDate: '2026-10-31', status: 'open' }],
    };
    const s2 = await records.sessions.update(s1.id, edited, 1, records.actor);
    expect(s2).toMatchObject({ revision: 2, minutes: edited.minutes, participants: input.participants });
    expect(s2.followUps.slice(0, 2)).toEqual(s1.followUps);
    expect(s2.followUps).toHaveLength(3);

    const before = await counts();
    await expectArchiveError(records.sessions.update(s1.id, { ...edited, title: 'stale' }, 1, records.actor), 'RECORD_CONFLICT');
    expect(await counts()).toEqual(before);

    const history = await records.sessions.history(s1.id, records.actor);
    expect(history.map((h) => [h.revision, h.action, h.by])).toEqual([[1, 'create', records.actor.userId], [2, 'update', records.actor.userId]]);
    expect(history[1]?.changed).toEqual(['minutes', 'followUps']);
    expect(await records.sessions.atRevision(s1.id, 1, records.actor)).toEqual(s1);
    expect(await records.sessions.atRevision(s1.id, 2, records.actor)).toEqual(s2);
    await expectArchiveError(records.sessions.atRevision(s1.id, 9, records.actor), 'RECORD_NOT_FOUND');
  });

  test('follow-up status changes are revisions of their own; the action keeps its id', async () => {
    const ids = await people();
    const s1 = await records.sessions.create(sessionInput(ids), records.actor);
    const [first, second] = s1.followUps;
    if (!first || !second) throw new Error('fixture has two follow-ups');

    const s2 = await records.sessions.setFollowUpStatus(s1.id, first.id, 'in-progress', 1, records.actor);
    const s3 = await records.sessions.setFollowUpStatus(s1.id, first.id, 'done', 2, records.actor);
    const s4 = await records.sessions.setFollowUpStatus(s1.id, second.id, 'dropped', 3, records.actor);
    expect(s4.followUps).toEqual([{ ...first, status: 'done' }, { ...second, status: 'dropped' }]);
    expect(s4.revision).toBe(4);
    // Same status again: nothing to record.
    expect((await records.sessions.setFollowUpStatus(s1.id, first.id, 'done', 4, records.actor)).revision).toBe(4);

    const history = await records.sessions.history(s1.id, records.actor);
    expect(history.map((h) => [h.revision, h.action, h.changed])).toEqual([
      [1, 'create', Object.keys(sessionInput(ids))],
      [2, 'update', ['followUps']],
      [3, 'update', ['followUps']],
      [4, 'update', ['followUps']],
    ]);
    expect(await records.sessions.atRevision(s1.id, 2, records.actor)).toEqual(s2);
    expect(await records.sessions.atRevision(s1.id, 3, records.actor)).toEqual(s3);
    expect((await records.sessions.atRevision(s1.id, 1, records.actor)).followUps.map((f) => f.status)).toEqual(['open', 'open']);

    const before = await counts();
    await expectArchiveError(records.sessions.setFollowUpStatus(s1.id, first.id, 'open', 3, records.actor), 'RECORD_CONFLICT');
    await expectArchiveError(records.sessions.setFollowUpStatus(s1.id, '00000000-0000-4000-8000-000000000000', 'open', 4, records.actor), 'RECORD_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  test('a restricted session: minutes, outcomes and notes sealed, never in a column or file; an outsider with the database key gets none', async () => {
    const ids = await people();
    const markers = { minutes: 'MARKER-procesverbal-91c2', outcomes: 'MARKER-marreveshje-4be7', notes: 'MARKER-beleska-d05e' };
    const base = sessionInput(ids);
    const input = sessionInput(ids, {
      sensitivity: 'restricted',
      minutes: `Procesverbal i mbyllur ${markers.minutes}`,
      outcomes: `Marrëveshje konfidenciale ${markers.outcomes}`,
      participants: base.participants.map((p, i) => ({ ...p, notes: `Beleška ${i} ${markers.notes}` })),
    });
    const s = await records.sessions.create(input, records.actor);
    expect(s).toMatchObject({ minutes: input.minutes, outcomes: input.outcomes, participants: input.participants, contentVisible: true });

    const row = await db().selectFrom('dialogue_sessions').select(['minutes', 'outcomes', 'content_sealed_id']).where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ minutes: null, outcomes: null });
    expect(row.content_sealed_id).not.toBeNull();
    const notes = await db().selectFrom('session_participants').select('notes').where('session_id', '=', s.id).execute();
    expect(notes.map((n) => n.notes)).toEqual([null, null, null]);

    // The schema itself refuses plaintext for a restricted session, even from code that bypasses the service.
    expect(() => sqlite().prepare("UPDATE dialogue_sessions SET minutes = 'x' WHERE id = ?").run(s.id)).toThrow(/CHECK constraint/);
    expect(() => sqlite().prepare("UPDATE dialogue_sessions SET content_sealed_id = NULL WHERE id = ?").run(s.id)).toThrow(/CHECK constraint/);
    expect(() => sqlite().prepare("UPDATE session_participants SET notes = 'x' WHERE session_id = ?").run(s.id)).toThrow(/CHECK constraint/);
    expect(() => sqlite().prepare("UPDATE session_participants SET sensitivity = 'normal', notes = 'x' WHERE session_id = ?").run(s.id)).toThrow(/FOREIGN KEY constraint/);

    const o = outsider();
    const seen = await records.sessions.get(s.id, o);
    expect(seen).toMatchObject({ contentVisible: false, minutes: '', outcomes: '', title: input.title, agenda: input.agenda, followUps: s.followUps });
    expect(seen.participants.map((p) => p.notes)).toEqual([null, null, null]);
    await expectArchiveError(records.sessions.atRevision(s.id, 1, o), 'CONTENT_NO_ACCESS');
    const before = await counts();
    await expectArchiveError(records.sessions.update(s.id, input, 1, o), 'CONTENT_NO_ACCESS');
    await expectArchiveError(records.sessions.setFollowUpStatus(s.id, s.followUps[0]?.id ?? '', 'done', 1, o), 'CONTENT_NO_ACCESS');
    expect(await counts()).toEqual(before);

    // The author still reads every revision; a status change re-seals the content under a new revision.
    const s2 = await records.sessions.setFollowUpStatus(s.id, s.followUps[0]?.id ?? '', 'done', 1, records.actor);
    expect(s2).toMatchObject({ revision: 2, minutes: input.minutes, participants: input.participants });
    expect(await records.sessions.atRevision(s.id, 1, records.actor)).toEqual(s);
    expect(JSON.stringify(await records.sessions.history(s.id, records.actor))).not.toMatch(/MARKER-/);
    expect(JSON.stringify(await records.sessions.list({ limit: 10 }))).not.toMatch(/MARKER-/);

    const folder = join(dir.path, 'archive');
    await core.sessions.lock('manual');
    const files = listFilesRecursive(folder);
    expect(files.length).toBeGreaterThan(0);
    expect(scanFiles(files, needlesFor(...Object.values(markers)))).toEqual([]);
    await core.sessions.signIn(director.username, director.passphrase);
  });

  test('a session moves between normal and restricted as revisions; the current columns follow', async () => {
    const ids = await people();
    const s1 = await records.sessions.create(sessionInput(ids), records.actor);
    const s2 = await records.sessions.update(s1.id, { ...inputOf(s1), sensitivity: 'restricted' }, 1, records.actor);
    expect(s2).toMatchObject({ revision: 2, sensitivity: 'restricted', minutes: s1.minutes, participants: s1.participants });
    const row = () => db().selectFrom('dialogue_sessions').select(['minutes', 'content_sealed_id']).where('id', '=', s1.id).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ minutes: null });
    const s3 = await records.sessions.update(s1.id, { ...inputOf(s2), sensitivity: 'normal' }, 2, records.actor);
    expect(await row()).toEqual({ minutes: s1.minutes, content_sealed_id: null });
    expect(await records.sessions.atRevision(s1.id, 2, records.actor)).toEqual(s2);
    expect(inputOf(s3)).toEqual(inputOf(s1));
    expect((await records.sessions.history(s1.id, records.actor)).map((h) => h.changed)).toEqual([expect.any(Array), ['sensitivity'], ['sensitivity']]);
  });

  test('bad input is refused with its own code and changes nothing', async () => {
    const ids = await people();
    const good = sessionInput(ids);
    const s = await records.sessions.create(good, records.actor);
    const p0 = good.participants[0]!;
    const f0 = good.followUps[0]!;
    const dangling = '00000000-0000-4000-8000-000000000000';
    const cases: Array<[SessionInput, Parameters<typeof expectArchiveError>[1]]> = [
      [{ ...good, date: '2026-02-30' }, 'RECORD_INVALID_DATE'],
      [{ ...good, date: 'tetor 2026' }, 'RECORD_INVALID_DATE'],
      [{ ...good, date: '2026-10/..' }, 'RECORD_INVALID_DATE'],
      [{ ...good, followUps: [{ ...f0, dueDate: '2026-02-30' }] }, 'RECORD_INVALID_DATE'],
      [{ ...good, participants: [{ ...p0, role: 'no-such-role' }] }, 'RECORD_UNKNOWN_CODE'],
      [{ ...good, participants: [{ ...p0, consent: { ...p0.consent, language: 'klingon' } }] }, 'RECORD_UNKNOWN_CODE'],
      [{ ...good, placeId: 'atlantis' }, 'RECORD_UNKNOWN_PLACE'],
      [{ ...good, participants: [...good.participants, { ...p0, personId: dangling }] }, 'RECORD_UNKNOWN_REFERENCE'],
      [{ ...good, followUps: [{ ...f0, id: s.followUps[0]?.id ?? '' }] }, 'RECORD_UNKNOWN_REFERENCE'],
      [{ ...good, participants: [p0, p0] }, 'IPC_BAD_INPUT'],
    ];
    const before = await counts();
    for (const [input, code] of cases) await expectArchiveError(records.sessions.create(input, records.actor), code);
    expect(await counts()).toEqual(before);

    const current = inputOf(s);
    const edits: Array<[SessionInput, number, Parameters<typeof expectArchiveError>[1]]> = [
      [{ ...current, title: 'ndryshuar' }, 2, 'RECORD_CONFLICT'],
      [{ ...current, date: '2026-13' }, 1, 'RECORD_INVALID_DATE'],
      [{ ...current, participants: [{ ...p0, role: 'spectator' }] }, 1, 'RECORD_UNKNOWN_CODE'],
      [{ ...current, placeId: 'atlantis' }, 1, 'RECORD_UNKNOWN_PLACE'],
      [{ ...current, participants: [{ ...p0, personId: dangling }] }, 1, 'RECORD_UNKNOWN_REFERENCE'],
      [{ ...current, followUps: [{ ...f0, id: dangling }] }, 1, 'RECORD_UNKNOWN_REFERENCE'],
    ];
    for (const [input, rev, code] of edits) await expectArchiveError(records.sessions.update(s.id, input, rev, records.actor), code);
    await expectArchiveError(records.sessions.update(dangling, current, 1, records.actor), 'RECORD_NOT_FOUND');
    await expectArchiveError(records.sessions.create(good, { ...records.actor, role: 'auditor' }), 'AUTH_FORBIDDEN');
    await expectArchiveError(records.sessions.update(s.id, current, 1, { ...records.actor, userId: 'someone-else', role: 'recorder' }), 'AUTH_FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect(await records.sessions.get(s.id, records.actor)).toEqual(s);
  });

  test('the input schema: duplicates, unknown fields, bad statuses and non-days are refused before core', () => {
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
    const good = sessionInput(ids);
    expect(sessionInputSchema.parse(good)).toEqual(good);
    const bad: unknown[] = [
      { ...good, extra: 1 },
      { ...good, kind: 'tea-party' },
      { ...good, participants: [good.participants[0], good.participants[0]] },
      { ...good, followUps: [{ ...good.followUps[0], status: 'forgotten' }] },
      { ...good, followUps: [{ ...good.followUps[0], dueDate: '2026-13-01' }] },
      { ...good, followUps: [{ ...good.followUps[0], id: ids[0] }, { ...good.followUps[1], id: ids[0] }] },
      { ...good, minutes: 'a'.repeat(5 * 1024 * 1024 + 1) },
      { ...good, title: 'Tryezë \uD800' },
      { ...good, title: '   ' },
    ];
    for (const b of bad) expect(sessionInputSchema.safeParse(b).success).toBe(false);
  });

  test('list: filters and keyset pagination return each session exactly once, newest change first', async () => {
    const ids = await people();
    const made: SessionState[] = [];
    const specs: Array<Partial<SessionInput>> = [
      { kind: 'peace-table', status: 'held', date: '2026-10-14' },
      { kind: 'round-table', status: 'held', date: '2026-09' },
      { kind: 'round-table', status: 'planned', date: '2026-12-03' },
      { kind: 'peace-table', status: 'cancelled', date: '2026-11-20' },
      { kind: 'peace-table', status: 'planned', date: '2027-01~' },
      { kind: 'round-table', status: 'held', date: '2025-05-10/2025-05-11' },
      { kind: 'peace-table', status: 'held', date: '2025', sensitivity: 'restricted' },
      { kind: 'round-table', status: 'cancelled', date: '2026-10-01' },
      { kind: 'peace-table', status: 'held', date: '2026-10-15' },
      { kind: 'round-table', status: 'held', date: '2026-10-16' },
      { kind: 'peace-table', status: 'planned', date: '2026-12' },
    ];
    for (const [i, spec] of specs.entries()) {
      // Every third session shares its timestamp with the previous one: ties are broken by id.
      if (i % 3 !== 2) clock += 1000;
      made.push(await records.sessions.create(sessionInput(ids, { title: `Tryeza ${i} / Sto ${i}`, ...spec }), records.actor));
    }
    // Edits move two sessions to the top.
    clock += 1000;
    const first = made[0]!;
    made[0] = await records.sessions.update(first.id, { ...inputOf(first), agenda: 'Rendi i ditës i ndryshuar' }, 1, records.actor);
    const fifth = made[5]!;
    made[5] = await records.sessions.setFollowUpStatus(fifth.id, fifth.followUps[0]?.id ?? '', 'done', 1, records.actor);

    const rows = await db().selectFrom('dialogue_sessions').select(['id', 'kind', 'status', 'date_lo', 'date_hi', 'updated_at']).execute();
    const expected = (f: Omit<SessionListInput, 'limit' | 'cursor'>) =>
      rows
        .filter((r) => (f.kind === undefined || r.kind === f.kind) && (f.status === undefined || r.status === f.status))
        .filter((r) => (f.dateFrom === undefined || r.date_hi >= f.dateFrom) && (f.dateTo === undefined || r.date_lo <= f.dateTo))
        .sort((a, b) => (a.updated_at === b.updated_at ? b.id.localeCompare(a.id) : b.updated_at.localeCompare(a.updated_at)))
        .map((r) => r.id);

    const pageThrough = async (f: Omit<SessionListInput, 'limit' | 'cursor'>, limit: number) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const page = await records.sessions.list({ ...f, limit, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((s) => s.id));
        if (page.nextCursor === null) return seen;
        cursor = page.nextCursor;
      }
      throw new Error('pagination did not end');
    };

    const filters: Array<Omit<SessionListInput, 'limit' | 'cursor'>> = [
      {},
      { kind: 'peace-table' },
      { kind: 'round-table' },
      { status: 'held' },
      { status: 'planned' },
      { kind: 'peace-table', status: 'held' },
      { dateFrom: '2026-10-01', dateTo: '2026-10-31' },
      { dateFrom: '2026-12-01' },
      { dateTo: '2025-12-31' },
      { kind: 'round-table', dateFrom: '2026-01-01', dateTo: '2026-12-31' },
      { status: 'cancelled', dateFrom: '2030-01-01' },
    ];
    for (const f of filters) {
      const want = expected(f);
      for (const limit of [1, 2, 4, 50]) {
        const got = await pageThrough(f, limit);
        expect(got, `${JSON.stringify(f)} limit ${limit}`).toEqual(want);
        expect(new Set(got).size).toBe(got.length);
      }
    }
    expect(expected({})).toHaveLength(specs.length);
    expect(expected({}).slice(0, 2)).toEqual([fifth.id, first.id].sort().reverse());
    // A September session overlaps October only when its range does: '2026-09' ends on the 30th.
    expect(expected({ dateFrom: '2026-10-01', dateTo: '2026-10-31' })).toHaveLength(4);

    const page = await records.sessions.list({ kind: 'peace-table', limit: 50 });
    expect(page.items.find((i) => i.id === made[6]?.id)).toMatchObject({ sensitivity: 'restricted', title: 'Tryeza 6 / Sto 6', date: '2025', kind: 'peace-table', status: 'held', revision: 1 });
    await expectArchiveError(records.sessions.list({ limit: 10, cursor: 'not-a-cursor' }), 'IPC_BAD_INPUT');
    await expectArchiveError(records.sessions.list({ limit: 0 }), 'IPC_BAD_INPUT');
  });

  test('the list and follow-up queries use indexes (EXPLAIN QUERY PLAN of the exact SQL)', () => {
    const plan = (q: { sql: string; parameters: readonly unknown[] }) =>
      (sqlite().prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.parameters) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    const listPlan = (f: SessionListInput) => plan(sessionListQuery(db(), f).compile());
    const cursor = Buffer.from(JSON.stringify(['2026-11-01T09:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url');

    for (const c of [undefined, cursor]) {
      const withCursor = c === undefined ? {} : { cursor: c };
      expect(listPlan({ limit: 50, ...withCursor })).toMatch(/USING (COVERING )?INDEX dialogue_sessions_updated/);
      expect(listPlan({ kind: 'peace-table', limit: 50, ...withCursor })).toMatch(/USING (COVERING )?INDEX dialogue_sessions_kind_updated/);
      expect(listPlan({ status: 'held', limit: 50, ...withCursor })).toMatch(/USING (COVERING )?INDEX dialogue_sessions_status_updated/);
      expect(listPlan({ kind: 'round-table', status: 'planned', limit: 50, ...withCursor })).toMatch(/USING (COVERING )?INDEX dialogue_sessions_(kind|status)_updated/);
      // Ordered indexes: no sort step for the plain and the kind/status lists.
      expect(listPlan({ kind: 'peace-table', limit: 50, ...withCursor })).not.toMatch(/TEMP B-TREE/);
      expect(listPlan({ limit: 50, ...withCursor })).not.toMatch(/TEMP B-TREE/);
    }
    expect(listPlan({ limit: 50, cursor })).toMatch(/\(updated_at,id\)<\(\?,\?\)/);
    expect(listPlan({ dateFrom: '2026-10-01', dateTo: '2026-10-31', limit: 50 })).toMatch(/USING INDEX dialogue_sessions_(date|updated)/);
    expect(listPlan({ dateFrom: '2026-10-01', dateTo: '2026-10-31', limit: 50 })).not.toMatch(/SCAN dialogue_sessions(?! USING)/);

    const raw = (q: string) => plan({ sql: q, parameters: [] });
    expect(raw("SELECT session_id FROM session_participants WHERE person_id = 'p'")).toMatch(/USING (COVERING )?INDEX session_participants_person/);
    expect(raw("SELECT id FROM session_follow_ups WHERE status = 'open' AND due_date < '2026-11-01'")).toMatch(/USING INDEX session_follow_ups_status_due/);
    expect(raw("SELECT person_id FROM consents WHERE record_kind = 'session' AND record_id = 's'")).toMatch(/USING PRIMARY KEY/);
  });

  test('the schema refuses impossible due dates and unknown kinds, statuses and follow-up statuses', async () => {
    const ids = await people();
    const s = await records.sessions.create(sessionInput(ids), records.actor);
    const run = (q: string) => () => sqlite().prepare(q).run(s.id);
    expect(run("UPDATE session_follow_ups SET due_date = '2026-02-30' WHERE session_id = ?")).toThrow(/CHECK constraint/);
    expect(run("UPDATE session_follow_ups SET due_date = '2026-2-3' WHERE session_id = ?")).toThrow(/CHECK constraint/);
    expect(run("UPDATE session_follow_ups SET status = 'forgotten' WHERE session_id = ?")).toThrow(/CHECK constraint/);
    expect(run("UPDATE dialogue_sessions SET kind = 'tea-party' WHERE id = ?")).toThrow(/CHECK constraint/);
    expect(run("UPDATE dialogue_sessions SET status = 'maybe' WHERE id = ?")).toThrow(/CHECK constraint/);
    expect(run("UPDATE dialogue_sessions SET facilitators = 'Drita' WHERE id = ?")).toThrow(/CHECK constraint/);
    expect(() => sqlite().prepare('DELETE FROM record_revisions WHERE record_id = ?').run(s.id)).toThrow(/append-only/);
  });
});
