// Duplicate-person suggestions on a real encrypted archive: the name-key table kept in step with every person
// write and import, restricted persons never in it, matching across scripts and spellings, and its query plan.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { importRecords, parseRecordsFile } from '../../electron/core/records/import-service';
import { candidatesQuery } from '../../electron/core/records/person-name-keys';
import type { SimilarPerson } from '../../electron/core/records/persons-service';
import { createRecords } from '../../electron/core/records/records-context';
import type { PersonInput, SimilarPersonsInput } from '../../shared/records/schemas';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { referenceCheck } from '../fixtures/reference';
import { personInput } from '../fixtures/records';
import { recordsFile } from '../fixtures/records-file';

let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;
let records: ReturnType<typeof createRecords>;

beforeEach(async () => {
  dir = tempDir('ta-similar-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  records = createRecords({ archive: core.sessions.require().archive, sodium: core.sodium, now: Date.now, reference: await referenceCheck() });
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const sqlite = () => core.sessions.require().archive.db.sqlite;
const keysOf = (id: string) => sqlite().prepare('SELECT key FROM person_name_keys WHERE person_id = ? ORDER BY key').pluck().all(id) as string[];

const person = (sq: string | null, srLatn: string | null, srCyrl: string | null, over: Partial<PersonInput> = {}) => personInput({ names: { sq, srLatn, srCyrl }, ...over });
const create = async (p: PersonInput) => (await records.persons.create(p, records.actor)).id;

function lookup(names: Partial<SimilarPersonsInput['names']>, over: Partial<Omit<SimilarPersonsInput, 'names'>> = {}): Promise<SimilarPerson[]> {
  return records.persons.similar({ names: { sq: null, srLatn: null, srCyrl: null, ...names }, birthDate: null, residencePlaceId: null, excludeId: null, limit: 10, ...over }, records.actor);
}
const idsOf = (c: SimilarPerson[]) => c.map((x) => x.id);

describe('the name-key table', () => {
  test('holds the keys of every normal person, follows updates, and never holds a restricted person', async () => {
    const shaqir = await create(person('Shaqir Krasniqi', 'Šaćir Krasnići', 'Шаћир Красничи', { sex: 'male' }));
    expect(keysOf(shaqir)).toEqual(['krasnici', 'sacir']);
    const row = sqlite().prepare('SELECT birth_lo, birth_hi, residence_place_id FROM person_name_keys WHERE person_id = ? LIMIT 1').get(shaqir);
    expect(row).toEqual({ birth_lo: '1961-01-01', birth_hi: '1961-12-31', residence_place_id: 'gjakove' });

    const hidden = await create(person('Vjollca Berisha', null, null, { confidentiality: 'restricted' }));
    expect(keysOf(hidden)).toEqual([]);

    // Renamed and moved: the keys and their copies follow in the same transaction.
    await records.persons.update(shaqir, person('Shaqir Gashi', null, 'Шаћир Гаши', { sex: 'male', residencePlaceId: 'prizren', birthDate: '1962' }), 1, records.actor);
    expect(keysOf(shaqir)).toEqual(['gasi', 'sacir']);
    expect(sqlite().prepare('SELECT DISTINCT residence_place_id, birth_lo FROM person_name_keys WHERE person_id = ?').all(shaqir)).toEqual([{ residence_place_id: 'prizren', birth_lo: '1962-01-01' }]);

    // Made restricted: every key goes. Made normal again: they come back.
    await records.persons.update(shaqir, person('Shaqir Gashi', null, null, { sex: 'male', confidentiality: 'restricted' }), 2, records.actor);
    expect(keysOf(shaqir)).toEqual([]);
    await records.persons.update(shaqir, person('Shaqir Gashi', null, null, { sex: 'male' }), 3, records.actor);
    expect(keysOf(shaqir)).toEqual(['gasi', 'sacir']);
  });

  test('the schema refuses keys of a restricted person and drops them when a person becomes restricted, whatever the caller', async () => {
    const hidden = await create(person('Vjollca Berisha', null, null, { confidentiality: 'restricted' }));
    expect(() => sqlite().prepare("INSERT INTO person_name_keys (key, person_id, name_words) VALUES ('vjolca', ?, 2)").run(hidden)).toThrow(/normal persons only/);
    const open = await create(person('Agim Gashi', null, null));
    expect(() => sqlite().prepare("INSERT INTO person_name_keys (key, person_id, name_words) VALUES ('x', ?, 1)").run(open)).toThrow(/CHECK constraint/);
    sqlite().prepare("UPDATE persons SET confidentiality = 'restricted', name_sq = NULL, birth_edtf = NULL, birth_lo = NULL, birth_hi = NULL, residence_place_id = NULL, identity_sealed_id = (SELECT identity_sealed_id FROM persons WHERE id = ?) WHERE id = ?").run(hidden, open);
    expect(keysOf(open)).toEqual([]);
    expect(sqlite().prepare("SELECT strict FROM pragma_table_list WHERE name = 'person_name_keys'").get()).toEqual({ strict: 1 });
  });

  test('an import fills it (through the person service, in the import transaction)', async () => {
    const archive = core.sessions.require().archive;
    const reference = await referenceCheck();
    const report = await importRecords(parseRecordsFile(JSON.stringify(recordsFile())), records.actor, (fn) =>
      archive.db.kysely.transaction().execute((trx) => fn(createRecords({ archive, sodium: core.sodium, now: Date.now, reference, db: trx }), trx)),
    );
    expect(report.rejected).toEqual([]);
    expect(sqlite().prepare('SELECT count(DISTINCT person_id) FROM person_name_keys').pluck().get()).toBe(3);
    const found = await lookup({ srCyrl: 'Агим Красничи' });
    expect(found.map((c) => c.names.sq)).toEqual(['Agim Krasniqi']);
    expect((await lookup({ sq: 'Milica Jovanoviq' })).map((c) => c.names.srLatn)).toEqual(['Milica Jovanović']);
  });
});

describe('suggestions', () => {
  const ids: Record<'shaqir' | 'gjergj' | 'xhemajl' | 'qamil' | 'agim' | 'arben' | 'agimElsewhere' | 'hidden', string> = {
    shaqir: '', gjergj: '', xhemajl: '', qamil: '', agim: '', arben: '', agimElsewhere: '', hidden: '',
  };
  beforeEach(async () => {
    ids.shaqir = await create(person('Shaqir Krasniqi', null, null, { sex: 'male', birthDate: '1961~', residencePlaceId: 'gjakove' }));
    ids.gjergj = await create(person(null, 'Đerđ Marku', 'Ђерђ Марку', { sex: 'male', birthDate: '1975-04', residencePlaceId: 'prizren' }));
    ids.xhemajl = await create(person('Xhemajl Hoxha', null, null, { sex: 'male', birthDate: '1950', residencePlaceId: 'peje' }));
    ids.qamil = await create(person(null, null, 'Ћамил Бериша', { sex: 'male', birthDate: null, residencePlaceId: null }));
    ids.agim = await create(person('Agim Gashi', 'Agim Gaši', 'Агим Гаши', { sex: 'male', birthDate: '1970', residencePlaceId: 'prishtine' }));
    ids.arben = await create(person('Arben Gashi', null, null, { sex: 'male', birthDate: '1970', residencePlaceId: 'prishtine' }));
    ids.agimElsewhere = await create(person('Agim Gashi', null, null, { sex: 'male', birthDate: '1990', residencePlaceId: 'peje' }));
    // The same name, birth date and village as Shaqir, but restricted: sealed, never suggested.
    ids.hidden = await create(person('Shaqir Krasniqi', null, null, { sex: 'male', birthDate: '1961~', residencePlaceId: 'gjakove', confidentiality: 'restricted' }));
  });

  test('Albanian ↔ Serbian spellings in either script, with birth date and residence as reasons', async () => {
    const [top, ...rest] = await lookup({ srCyrl: 'Шаћир Красничи' }, { birthDate: '1962', residencePlaceId: 'gjakove' });
    expect(top).toEqual({
      id: ids.shaqir, names: { sq: 'Shaqir Krasniqi', srLatn: null, srCyrl: null }, birthDate: '1961~', residencePlaceId: 'gjakove',
      score: 0.94, reasons: ['name', 'birth-date', 'residence'],
    });
    expect(rest).toEqual([]);
    expect(idsOf(await lookup({ sq: 'Gjergj Marku' }))).toEqual([ids.gjergj]);
    expect(idsOf(await lookup({ srLatn: 'Džemajl Hodža' }))).toEqual([ids.xhemajl]);
    expect(idsOf(await lookup({ sq: 'Qamil Berisha' }))).toEqual([ids.qamil]);
    expect(idsOf(await lookup({ srLatn: 'Dzemajl Hodza' }))).toEqual([ids.xhemajl]); // no diacritics at all
  });

  test('word order and one typo', async () => {
    expect(idsOf(await lookup({ sq: 'Krasniqi Shaqir' }))).toEqual([ids.shaqir]);
    const typo = await lookup({ sq: 'Shaqir Krasnqi' });
    expect(idsOf(typo)).toEqual([ids.shaqir]);
    expect(typo[0]?.score).toBeLessThan((await lookup({ sq: 'Shaqir Krasniqi' }))[0]?.score ?? 0);
    expect(idsOf(await lookup({ sq: 'Agmi Gashi' }, { birthDate: '1970', residencePlaceId: 'prishtine' }))[0]).toBe(ids.agim);
  });

  test('birth date and residence rank namesakes; a different first name is no suggestion', async () => {
    const found = await lookup({ sq: 'Agim Gashi' }, { birthDate: '1969', residencePlaceId: 'prishtine' });
    expect(found.map((c) => [c.id, c.reasons])).toEqual([
      [ids.agim, ['name', 'birth-date', 'residence']],
      [ids.agimElsewhere, ['name']],
    ]);
    expect(found[0]?.score).toBe(1);
    expect(found[1]?.score).toBe(0.6);
    // Birth dates more than two years apart do not count: 1970 against 1973.
    expect((await lookup({ sq: 'Agim Gashi' }, { birthDate: '1973' })).find((c) => c.id === ids.agim)?.reasons).toEqual(['name']);
    expect((await lookup({ sq: 'Agim Gashi' }, { birthDate: '1972-12' })).find((c) => c.id === ids.agim)?.reasons).toEqual(['name', 'birth-date']);
    // "Arben Gashi" shares only the surname with "Agim Gashi".
    expect(idsOf(await lookup({ sq: 'Arben Gashi' }))).toEqual([ids.arben]);
  });

  test('a restricted person is never suggested, however exact the match', async () => {
    const found = await lookup({ sq: 'Shaqir Krasniqi' }, { birthDate: '1961', residencePlaceId: 'gjakove' });
    expect(idsOf(found)).toEqual([ids.shaqir]);
    expect(keysOf(ids.hidden)).toEqual([]);
  });

  test('excludeId, limit, missing or invalid input parts', async () => {
    expect(idsOf(await lookup({ sq: 'Agim Gashi' }, { excludeId: ids.agim }))).toEqual([ids.agimElsewhere]);
    expect(await lookup({ sq: 'Agim Gashi' }, { excludeId: '00000000-0000-4000-8000-000000000000' })).toHaveLength(2);
    expect(await lookup({ sq: 'Agim Gashi' }, { limit: 1 })).toHaveLength(1);
    // An invalid EDTF birth date is ignored: the same answer as without one.
    expect(await lookup({ sq: 'Agim Gashi' }, { birthDate: '1970-02-30' })).toEqual(await lookup({ sq: 'Agim Gashi' }));
    expect(await lookup({ sq: 'Agim Gashi' }, { birthDate: 'sometime in the war' })).toEqual(await lookup({ sq: 'Agim Gashi' }));
    // No comparable word: nothing to suggest (not every person).
    expect(await lookup({})).toEqual([]);
    expect(await lookup({ sq: 'A. ' })).toEqual([]);
    await expectArchiveError(lookup({ sq: 'x'.repeat(201) }), 'IPC_BAD_INPUT');
    await expectArchiveError(lookup({ sq: 'Agim' }, { limit: 0 }), 'IPC_BAD_INPUT');
    await expectArchiveError(lookup({ sq: 'Agim' }, { limit: 21 }), 'IPC_BAD_INPUT');
    await expectArchiveError(records.persons.similar({ names: { sq: 'Agim', srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, excludeId: null, limit: 5 }, { ...records.actor, role: 'auditor' }), 'AUTH_FORBIDDEN');
  });

  test('candidates come from key probes and are ranked on the key table: no scan of persons or keys (EXPLAIN QUERY PLAN, after ANALYZE)', () => {
    // ANALYZE gives the planner statistics under which, without CROSS JOIN, it preferred scanning every key.
    sqlite().exec('ANALYZE');
    const { kysely } = core.sessions.require().archive.db;
    const q = candidatesQuery(
      [{ key: 'agim', word: 'agim', weight: 2 }, { key: 'agm', word: 'agim', weight: 1 }, { key: 'gasi', word: 'gasi', weight: 2 }],
      { typedWords: 2, minSimilarity: 0.6, excludeId: ids.agim, birth: { lo: '1968-01-01', hi: '1972-12-31' }, residencePlaceId: 'prishtine' },
      200,
    ).compile(kysely);
    const steps = (sqlite().prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.parameters) as Array<{ detail: string }>).map((r) => r.detail);
    expect(steps).toContain('SEARCH k USING PRIMARY KEY (key=?)');
    expect(steps.some((s) => /^SEARCH p USING INDEX sqlite_autoindex_persons_1 \(id=\?\)$/.test(s)), steps.join(' | ')).toBe(true);
    expect(steps.filter((s) => /^SCAN (k|p|person_name_keys|persons)\b/.test(s)), steps.join(' | ')).toEqual([]);
  });
});
