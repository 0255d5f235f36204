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
  return { persons: await n('persons'), testimonies: await n('testimonies'), revisions: await n('record_revisions'), violations: await n('violations') };
}

test('a valid file imports every record, refs resolved to new ids', async () => {
  const report = await run(recordsFile());
  expect(report).toEqual({ imported: { persons: 3, testimonies: 2 }, rejected: [] });
  expect(await counts()).toMatchObject({ persons: 3, testimonies: 2, violations: 3 });
  const t = await core.sessions.require().archive.db.kysely.selectFrom('testimonies').select(['title', 'deponent_id']).orderBy('title').execute();
  expect(t.map((r) => r.title)).toEqual(['Nestanak supruga, jun 1999', 'Zhdukja e vëllait në Mejë, prill 1999']);
});

test.each([
  ['a bad shape', (f: ReturnType<typeof recordsFile>) => ({ ...f, persons: [f.persons[0], { ...f.persons[1], sex: 42 }, f.persons[2]] }), 'persons', 1, 'p2', 'IPC_BAD_INPUT'],
  ['a dangling ref', (f: ReturnType<typeof recordsFile>) => ({ ...f, testimonies: [f.testimonies[0], { ...f.testimonies[1], deponentRef: 'p9' }] }), 'testimonies', 1, 't2', 'RECORD_UNKNOWN_REFERENCE'],
  ['an unknown act type', (f: ReturnType<typeof recordsFile>) => ({ ...f, testimonies: [f.testimonies[0], { ...f.testimonies[1], violations: [{ ...f.testimonies[1]!.violations[0]!, actType: 'teleportation' }] }] }), 'testimonies', 1, 't2', 'RECORD_UNKNOWN_CODE'],
  ['an invalid date', (f: ReturnType<typeof recordsFile>) => ({ ...f, persons: [f.persons[0], f.persons[1], { ...f.persons[2], birthDate: '1970-02-31' }] }), 'persons', 2, 'p3', 'RECORD_INVALID_DATE'],
  ['a duplicate ref', (f: ReturnType<typeof recordsFile>) => ({ ...f, persons: [...f.persons, f.persons[0]] }), 'persons', 3, 'p1', 'IPC_BAD_INPUT'],
] as const)('one record with %s: nothing imported, the record named', async (_name, mutate, collection, index, ref, code) => {
  const before = await counts();
  const report = await run(mutate(recordsFile()));
  expect(report.imported).toEqual({ persons: 0, testimonies: 0 });
  expect(report.rejected[0]).toMatchObject({ collection, index, ref, code });
  // Testimonies that refer to a rejected person are named too, as unresolved references.
  for (const p of report.rejected.slice(1)) expect(p).toMatchObject({ collection: 'testimonies', code: 'RECORD_UNKNOWN_REFERENCE' });
  expect(await counts()).toEqual(before);
});

test('files that are not records.json v1 are refused whole', async () => {
  await expectArchiveError(() => parseRecordsFile('{"format": "testimony-archive/records", "version": 2, "persons": [], "testimonies": []}'), 'IPC_BAD_INPUT');
  await expectArchiveError(() => parseRecordsFile('not json'), 'IPC_BAD_INPUT');
  await expectArchiveError(() => parseRecordsFile('[]'), 'IPC_BAD_INPUT');
});
