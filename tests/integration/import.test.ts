// records.json import: valid files land whole; one bad record means nothing lands, and it is named.
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { importRecords, parseRecordsFile } from '../../electron/core/records/import-service';
import { createRecords } from '../../electron/core/records/records-context';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { referenceCheck } from '../fixtures/reference';
import { recordsFile } from '../fixtures/records-file';

let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;

beforeEach(async () => {
  dir = tempDir('ta-import-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

async function run(file: unknown) {
  const archive = core.sessions.require().archive;
  const reference = await referenceCheck();
  const actor = core.sessions.require().records.actor;
  return importRecords(parseRecordsFile(JSON.stringify(file)), actor, (fn) =>
    archive.db.kysely.transaction().execute((trx) => {
      const r = createRecords({ archive, sodium: core.sodium, now: Date.now, reference, db: trx });
      return fn(r, trx);
    }),
  );
}

async function counts() {
  const db = core.sessions.require().archive.db.kysely;
  const n = async (t: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db)).rows[0]?.n);
  return {
    persons: await n('persons'),
    testimonies: await n('testimonies'),
    revisions: await n('record_revisions'),
    violations: await n('violations'),
    sessions: await n('dialogue_sessions'),
    participants: await n('session_participants'),
    followUps: await n('session_follow_ups'),
    consents: await n('consents'),
  };
}

type File = ReturnType<typeof recordsFile>;

test('a valid file imports every record, refs resolved to new ids', async () => {
  const report = await run(recordsFile());
  expect(report).toEqual({ imported: { persons: 3, testimonies: 2, sessions: 2 }, rejected: [] });
  expect(await counts()).toMatchObject({ persons: 3, testimonies: 2, violations: 3, sessions: 2, participants: 5, followUps: 2, consents: 2 + 5 });
  const db = core.sessions.require().archive.db.kysely;
  const t = await db.selectFrom('testimonies').select(['title', 'deponent_id']).orderBy('title').execute();
  expect(t.map((r) => r.title)).toEqual(['Nestanak supruga, jun 1999', 'Zhdukja e vëllait në Mejë, prill 1999']);

  // Participants point at the people the same file created, by the refs' order; follow-ups got fresh ids.
  const records = core.sessions.require().records;
  const peace = await db.selectFrom('dialogue_sessions').select('id').where('kind', '=', 'peace-table').executeTakeFirstOrThrow();
  const s = await records.sessions.get(peace.id, records.actor);
  const namesOf = async (ids: string[]) => Promise.all(ids.map(async (id) => (await records.persons.get(id, records.actor)).names.srCyrl));
  expect(await namesOf(s.participants.map((p) => p.personId))).toEqual(['Шћипе Красничи', 'Агим Красничи', 'Милица Јовановић']);
  const file = recordsFile();
  expect(s).toMatchObject({ title: file.sessions[0]?.title, status: 'held', revision: 1 });
  expect(s.participants.map((p) => [p.role, p.consent.scopes.commission])).toEqual(file.sessions[0]?.participants.map((p) => [p.role, p.consent.scopes.commission]));
  expect(s.followUps.map((f) => f.text)).toEqual(file.sessions[0]?.followUps.map((f) => f.text));
  for (const f of s.followUps) expect(f.id).toMatch(/^[0-9a-f-]{36}$/);
});

test('a file written before sessions were part of version 1 (no "sessions" key) still imports', async () => {
  const { sessions: _s, ...older } = recordsFile();
  expect(await run(older)).toEqual({ imported: { persons: 3, testimonies: 2, sessions: 0 }, rejected: [] });
  expect(await counts()).toMatchObject({ persons: 3, testimonies: 2, sessions: 0 });
});

test.each([
  ['a bad shape', (f: ReturnType<typeof recordsFile>) => ({ ...f, persons: [f.persons[0], { ...f.persons[1], sex: 42 }, f.persons[2]] }), 'persons', 1, 'p2', 'IPC_BAD_INPUT'],
  ['a dangling ref', (f: ReturnType<typeof recordsFile>) => ({ ...f, testimonies: [f.testimonies[0], { ...f.testimonies[1], deponentRef: 'p9' }] }), 'testimonies', 1, 't2', 'RECORD_UNKNOWN_REFERENCE'],
  ['an unknown act type', (f: ReturnType<typeof recordsFile>) => ({ ...f, testimonies: [f.testimonies[0], { ...f.testimonies[1], violations: [{ ...f.testimonies[1]!.violations[0]!, actType: 'teleportation' }] }] }), 'testimonies', 1, 't2', 'RECORD_UNKNOWN_CODE'],
  ['an invalid date', (f: ReturnType<typeof recordsFile>) => ({ ...f, persons: [f.persons[0], f.persons[1], { ...f.persons[2], birthDate: '1970-02-31' }] }), 'persons', 2, 'p3', 'RECORD_INVALID_DATE'],
  ['a duplicate ref', (f: ReturnType<typeof recordsFile>) => ({ ...f, persons: [...f.persons, f.persons[0]] }), 'persons', 3, 'p1', 'IPC_BAD_INPUT'],
  ['a session of a bad shape', (f: File) => ({ ...f, sessions: [f.sessions[0], { ...f.sessions[1], kind: 'tea-party' }] }), 'sessions', 1, 's2', 'IPC_BAD_INPUT'],
  ['a session with a dangling participant', (f: File) => ({ ...f, sessions: [{ ...f.sessions[0]!, participants: [{ ...f.sessions[0]!.participants[0]!, personRef: 'p9' }] }, f.sessions[1]] }), 'sessions', 0, 's1', 'RECORD_UNKNOWN_REFERENCE'],
  ['a session with a person twice', (f: File) => ({ ...f, sessions: [f.sessions[0], { ...f.sessions[1]!, participants: [f.sessions[1]!.participants[0], f.sessions[1]!.participants[0]] }] }), 'sessions', 1, 's2', 'IPC_BAD_INPUT'],
  ['a session with an unknown role', (f: File) => ({ ...f, sessions: [f.sessions[0], { ...f.sessions[1]!, participants: f.sessions[1]!.participants.map((p) => ({ ...p, role: 'referee' })) }] }), 'sessions', 1, 's2', 'RECORD_UNKNOWN_CODE'],
  ['a session with an open-ended date', (f: File) => ({ ...f, sessions: [{ ...f.sessions[0]!, date: '2026-10/..' }, f.sessions[1]] }), 'sessions', 0, 's1', 'RECORD_INVALID_DATE'],
  ['a session in an unknown place', (f: File) => ({ ...f, sessions: [f.sessions[0], { ...f.sessions[1]!, placeId: 'atlantis' }] }), 'sessions', 1, 's2', 'RECORD_UNKNOWN_PLACE'],
  ['a follow-up with an id', (f: File) => ({ ...f, sessions: [{ ...f.sessions[0]!, followUps: [{ ...f.sessions[0]!.followUps[0]!, id: '00000000-0000-4000-8000-000000000000' }] }, f.sessions[1]] }), 'sessions', 0, 's1', 'IPC_BAD_INPUT'],
  ['a duplicate session ref', (f: File) => ({ ...f, sessions: [f.sessions[0], { ...f.sessions[1]!, ref: 's1' }] }), 'sessions', 1, 's1', 'IPC_BAD_INPUT'],
] as const)('one record with %s: nothing imported, the record named', async (_name, mutate, collection, index, ref, code) => {
  const before = await counts();
  const report = await run(mutate(recordsFile()));
  expect(report.imported).toEqual({ persons: 0, testimonies: 0, sessions: 0 });
  expect(report.rejected[0]).toMatchObject({ collection, index, ref, code });
  // Testimonies and sessions that refer to a rejected person are named too, as unresolved references.
  for (const p of report.rejected.slice(1)) {
    expect(p).toMatchObject({ code: 'RECORD_UNKNOWN_REFERENCE' });
    expect(['testimonies', 'sessions']).toContain(p.collection);
  }
  expect(await counts()).toEqual(before);
});

test('files that are not records.json v1 are refused whole', async () => {
  await expectArchiveError(() => parseRecordsFile('{"format": "testimony-archive/records", "version": 2, "persons": [], "testimonies": []}'), 'IPC_BAD_INPUT');
  await expectArchiveError(() => parseRecordsFile('not json'), 'IPC_BAD_INPUT');
  await expectArchiveError(() => parseRecordsFile('[]'), 'IPC_BAD_INPUT');
  const file = recordsFile();
  await expectArchiveError(() => parseRecordsFile(JSON.stringify({ ...file, sessions: { s1: file.sessions[0] } })), 'IPC_BAD_INPUT');
  await expectArchiveError(() => parseRecordsFile(JSON.stringify({ ...file, meetings: [] })), 'IPC_BAD_INPUT');
});
