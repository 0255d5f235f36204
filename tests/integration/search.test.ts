// Full-text search and lists on a real encrypted archive: every folding rule through the real services,
// filters, keyset pagination, index upkeep on each write, restricted content kept out, hostile queries.
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createRecords } from '../../electron/core/records/records-context';
import { createSearchService, listQuery, searchQuery, type SearchItem, type SearchPage } from '../../electron/core/search/search-service';
import { maxQueryLength } from '../../electron/core/search/match-expression';
import type { SearchInput } from '../../electron/core/search/search-input';
import type { PersonInput, TestimonyInput } from '../../shared/records/schemas';
import { loadReferenceData } from '../../electron/core/reference/reference-data';
import { createInput, director, makeCore, resourcesDir, tempDir } from '../fixtures/archive';
import { caught, expectArchiveError } from '../fixtures/errors';
import { referenceCheck } from '../fixtures/reference';
import { consentInput, personInput, testimonyInput } from '../fixtures/records';

type Records = ReturnType<typeof createRecords>;
type Search = ReturnType<typeof createSearchService>;

const me = { role: 'director' as const };

async function openArchive(name: string, now: () => number = Date.now) {
  const dir = tempDir(`ta-search-${name}-`);
  const core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  const archive = core.sessions.require().archive;
  const records = createRecords({ archive, sodium: core.sodium, now, reference: await referenceCheck() });
  const search = createSearchService({ db: archive.db.kysely });
  return { dir, core, records, search, archive };
}

const person = (sq: string, srLatn: string, srCyrl: string, over: Partial<PersonInput> = {}): PersonInput =>
  personInput({ names: { sq, srLatn, srCyrl }, ...over });

/** A testimony with one coded act; the rest from the fixtures (consent given, normal sensitivity). */
function statement(deponentId: string, victimId: string, over: Partial<TestimonyInput> & { act?: string } = {}): TestimonyInput {
  const { act = 'enforced-disappearance', ...rest } = over;
  const base = testimonyInput(deponentId, victimId);
  return { ...base, violations: [{ ...base.violations[0]!, victimId, actType: act }], ...rest };
}

const ids = (page: SearchPage) => page.items.map((i) => i.id).sort();
const sorted = (...xs: string[]) => [...xs].sort();

describe('search over a small archive of Albanian and Serbian records', () => {
  let a: Awaited<ReturnType<typeof openArchive>>;
  let search: Search;
  const p: Record<'hoxha' | 'djordjevic' | 'krasniqi' | 'hidden', string> = { hoxha: '', djordjevic: '', krasniqi: '', hidden: '' };
  const t: Record<'gjakove' | 'djakovicaLatin' | 'djakovicaAscii' | 'cyrillic' | 'recak' | 'krushe' | 'cuska' | 'restricted', string> = {
    gjakove: '', djakovicaLatin: '', djakovicaAscii: '', cyrillic: '', recak: '', krushe: '', cuska: '', restricted: '',
  };
  const marker = 'fjalesekreteMARKER';

  beforeAll(async () => {
    a = await openArchive('corpus');
    search = a.search;
    const { persons, testimonies } = a.records;
    const actor = a.records.actor;
    p.hoxha = (await persons.create(person('Fatmire Hoxha', 'Fatmire Hodža', 'Фатмире Хоџа'), actor)).id;
    p.djordjevic = (await persons.create(person('Dragan Gjorgjeviq', 'Dragan Đorđević', 'Драган Ђорђевић', { sex: 'male', ethnicity: 'serb', residencePlaceId: 'ferizaj' }), actor)).id;
    p.krasniqi = (await persons.create(person('Agim Krasniqi', 'Agim Krasnići', 'Агим Красничи', { sex: 'male', residencePlaceId: 'krushe-e-madhe' }), actor)).id;
    p.hidden = (await persons.create(person(`Vjollca ${marker}`, 'Vjolca Beriša', 'Вјолца Бериша', { confidentiality: 'restricted' }), actor)).id;

    const create = async (input: TestimonyInput) => (await testimonies.create(input, actor)).id;
    t.gjakove = await create(statement(p.hoxha, p.hoxha, {
      title: 'Dëbimi nga qyteti, mars 1999',
      narrative: 'Në mars 1999 na dëbuan nga Gjakovë drejt kufirit. Rruga kalonte nga Mejë dhe ushtarët morën dokumentet.',
      placeId: 'gjakove', date: '2026-10-14', affectedGroups: ['displaced-persons'], act: 'expulsion-forced-displacement',
    }));
    t.djakovicaLatin = await create(statement(p.djordjevic, p.djordjevic, {
      language: 'serbian', title: 'Spaljena kuća, jun 1999',
      narrative: 'Živeli smo u opštini Đakovica do juna 1999. Komšija Žarko je video kako kuću pale.',
      placeId: 'gjakove', date: '2025-06', affectedGroups: ['returnees'], act: 'destruction-of-property',
      consent: consentInput({ scopes: { ...consentInput().scopes, commission: 'pseudonymised' } }),
    }));
    t.djakovicaAscii = await create(statement(p.djordjevic, p.krasniqi, {
      language: 'serbian', title: 'Otmica oca 1999',
      narrative: 'Otac je odveden iz sela kod Djakovica u aprilu 1999 i od tada se nista ne zna.',
      placeId: 'meje', date: '2024~', affectedGroups: ['families-of-missing'], act: 'abduction',
      consent: consentInput({ scopes: { ...consentInput().scopes, commission: 'none' } }),
    }));
    t.cyrillic = await create(statement(p.djordjevic, p.djordjevic, {
      language: 'serbian', title: 'Нестанак оца, мај 1999',
      narrative: 'Мој отац је нестао у граду Урошевац у мају 1999. Комшије из Ђаковица и Грачаница су га тражиле.',
      placeId: 'ferizaj', date: '2026-03', affectedGroups: ['families-of-missing'], act: 'enforced-disappearance',
    }));
    t.recak = await create(statement(p.krasniqi, p.krasniqi, {
      title: 'Masakra e Reçakut', narrative: 'Më 15 janar 1999 në Reçak u vranë dyzet e pesë civilë.',
      placeId: 'recak', date: '2025-01-15', affectedGroups: ['families-of-killed'], act: 'killing',
    }));
    t.krushe = await create(statement(p.krasniqi, p.krasniqi, {
      title: 'Krusha e Madhe, 26 mars 1999', narrative: 'Në Krushë e Madhe burrat u ndanë nga gratë më 26 mars 1999.',
      placeId: 'krushe-e-madhe', date: '2026-05', affectedGroups: ['war-widows'], act: 'killing',
    }));
    t.cuska = await create(statement(p.hidden, p.hidden, {
      language: 'serbian', title: 'Selo kod Peći, maj 1999',
      narrative: 'U selu Ćuška je 14. maja 1999. ubijeno četrdeset jedan muškarac. Šef grupe je naredio paljenje kuća.',
      placeId: null, date: '2023', affectedGroups: ['war-widows'], act: 'killing',
    }));
    t.restricted = await create(statement(p.hoxha, p.hoxha, {
      sensitivity: 'restricted', title: 'Dëshmi e mbrojtur nga Shtime',
      narrative: `Dëshmia e plotë ${marker} mbetet e mbyllur.`,
      placeId: 'shtime', date: '2026-10-14', affectedGroups: ['sexual-violence-survivors'], act: 'rape',
      violations: [{ victimId: p.hoxha, actType: 'rape', date: '1999-05~', placeId: 'shtime', perpetratorType: 'unknown', victimOutcome: 'survived', notes: `shënim ${marker}` }],
    }));
    await testimonies.review(t.recak, 1, actor);
    await testimonies.review(t.krushe, 1, actor);
    await testimonies.seal(t.krushe, 2, actor);
  });
  afterAll(async () => {
    await a.core.sessions.lock('quit');
    a.dir.cleanup();
  });

  const find = (query: string, over: Partial<SearchInput> = {}) => search.search({ query, ...over }, me);

  test.each([
    ['ë/e: "Gjakove" finds "Gjakovë"', 'Gjakove', ['gjakove']],
    ['the indefinite form typed exactly', 'gjakovë', ['gjakove']],
    ['đ/dj: "Đakovica" finds Latin, ASCII and Cyrillic spellings', 'Đakovica', ['djakovicaLatin', 'djakovicaAscii', 'cyrillic']],
    ['"Djakovica" finds the same three', 'Djakovica', ['djakovicaLatin', 'djakovicaAscii', 'cyrillic']],
    ['Cyrillic "Ђаковица" finds the Latin texts too', 'Ђаковица', ['djakovicaLatin', 'djakovicaAscii', 'cyrillic']],
    ['all capitals', 'ĐAKOVICA', ['djakovicaLatin', 'djakovicaAscii', 'cyrillic']],
    ['Latin "urosevac" finds Cyrillic "Урошевац"', 'urosevac', ['cyrillic']],
    ['Latin "Gračanica" finds Cyrillic "Грачаница"', 'Gračanica', ['cyrillic']],
    ['ç/c: "recak" finds "Reçak" (and "Reçakut" by prefix)', 'recak', ['recak']],
    ['"krushe" finds "Krushë"', 'krushe', ['krushe']],
    ['Cyrillic "Ћушка" finds Latin "Ćuška" (ć/c, š/s)', 'Ћушка', ['cuska']],
    ['č/c: "cetrdeset" finds "četrdeset"', 'cetrdeset', ['cuska']],
    ['ž/z: "zarko" finds "Žarko"', 'zarko', ['djakovicaLatin']],
    ['š/s: "sef" finds "Šef"', 'sef grupe', ['cuska']],
    ['several words must all match', 'mars 1999 kufirit', ['gjakove']],
  ] as const)('%s', async (_label, query, expected) => {
    const page = await find(query);
    expect(ids(page)).toEqual(sorted(...expected.map((k) => t[k])));
    expect(page.items.every((i) => i.kind === 'testimony')).toBe(true);
  });

  test('names find the person in any script, and the testimonies that name them', async () => {
    for (const q of ['hodza', 'Hodža', 'Хоџа', 'HOXHA']) {
      const page = await find(q);
      expect(ids(page), q).toEqual(sorted(p.hoxha, t.gjakove, t.restricted));
    }
    for (const q of ['Đorđević', 'djordjevic', 'Ђорђевић']) {
      expect(ids(await find(q)), q).toEqual(sorted(p.djordjevic, t.djakovicaLatin, t.djakovicaAscii, t.cyrillic));
    }
    const people = await find('Красничи', { kinds: ['person'] });
    expect(people.items).toEqual([{ kind: 'person', id: p.krasniqi, title: 'Agim Krasniqi', date: '1961~', status: null }]);
  });

  test('results carry title, date, status and an extract of the original text around the match', async () => {
    const page = await find('urosevac');
    expect(page.items).toHaveLength(1);
    const item = page.items[0]!;
    expect(item).toMatchObject({ kind: 'testimony', id: t.cyrillic, title: 'Нестанак оца, мај 1999', date: '2026-03', status: 'draft' });
    expect(item.snippet).toContain('Урошевац');
    const sealed = (await find('krushe')).items[0]!;
    expect(sealed).toMatchObject({ status: 'sealed', snippet: 'Në Krushë e Madhe burrat u ndanë nga gratë më 26 mars 1999.' });
    // A match in the title only has no narrative extract; snippets can be turned off.
    expect((await find('masakra')).items[0]?.snippet).toBeUndefined();
    expect((await find('urosevac', { snippets: false })).items[0]?.snippet).toBeUndefined();
  });

  test('restricted content is not findable: narrative, violation notes and a restricted person\'s names', async () => {
    for (const q of [marker, marker.toLowerCase(), 'fjalesekrete', 'shënim', 'Vjollca', 'Beriša', 'Бериша']) {
      expect((await find(q)).items, q).toEqual([]);
    }
    // The title of a restricted testimony is a plaintext column: it is indexed, and shown.
    expect((await find('mbrojtur')).items).toEqual([{ kind: 'testimony', id: t.restricted, title: 'Dëshmi e mbrojtur nga Shtime', date: '2026-10-14', status: 'draft' }]);
    // A restricted person has an entry (kind and id only): no title, no date, no names.
    const row = await a.archive.db.kysely.selectFrom('search_docs').selectAll().where('record_id', '=', p.hidden).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'person', title: null, date_edtf: null, place_id: null });
    // Every term the index holds, read from the index itself: none comes from sealed content.
    const sqlite = a.archive.db.sqlite;
    sqlite.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, search_index, row)');
    const terms = (sqlite.prepare('SELECT term FROM temp.search_terms').all() as Array<{ term: string }>).map((r) => r.term);
    expect(terms).toContain('krushe');
    expect(terms.filter((term) => /marker|sekret|vjoll|berisa|shenim|plote|mbyllur/.test(term))).toEqual([]);
    sqlite.exec('DROP TABLE temp.search_terms');
  });

  describe('filters narrow search and list alike', () => {
    const cases: Array<[string, SearchInput['filters'], Array<keyof typeof t>]> = [
      ['act type', { actType: 'killing' }, ['recak', 'krushe', 'cuska']],
      ['date range overlapping the record\'s EDTF range', { dateFrom: '2026-01-01', dateTo: '2026-12-31' }, ['gjakove', 'cyrillic', 'krushe', 'restricted']],
      ['a month inside an uncertain year ("2024~")', { dateFrom: '2024-06-01', dateTo: '2024-06-30' }, ['djakovicaAscii']],
      ['open-ended range', { dateTo: '2024-12-31' }, ['djakovicaAscii', 'cuska']],
      ['place', { placeId: 'gjakove' }, ['gjakove', 'djakovicaLatin']],
      ['affected group', { affectedGroup: 'families-of-missing' }, ['djakovicaAscii', 'cyrillic']],
      ['status reviewed', { status: 'reviewed' }, ['recak']],
      ['status sealed', { status: 'sealed' }, ['krushe']],
      ['commission scope pseudonymised', { commissionScope: 'pseudonymised' }, ['djakovicaLatin']],
      ['commission scope none', { commissionScope: 'none' }, ['djakovicaAscii']],
      ['two filters together', { actType: 'killing', status: 'draft' }, ['cuska']],
    ];
    test.each(cases)('%s', async (_label, filters, expected) => {
      const want = sorted(...expected.map((k) => t[k]));
      // "1999" is in every plaintext title or narrative, so the query alone matches every testimony but the
      // restricted one (its narrative is not indexed); the filter does the narrowing.
      expect(ids(await find('1999', { filters }))).toEqual(want.filter((id) => id !== t.restricted));
      expect(ids(await search.list({ filters }, me))).toEqual(want);
    });

    test('a municipality finds its settlements too, when the service knows the gazetteer; a settlement only itself', async () => {
      const { gazetteer } = loadReferenceData(resourcesDir);
      const scoped = createSearchService({ db: a.archive.db.kysely, placesWithin: (id) => gazetteer.within(id) });
      const municipality = sorted(t.gjakove, t.djakovicaLatin, t.djakovicaAscii);
      expect(ids(await scoped.list({ filters: { placeId: 'gjakove' } }, me))).toEqual(municipality);
      expect(ids(await scoped.search({ query: '1999', filters: { placeId: 'gjakove' } }, me))).toEqual(municipality);
      expect(ids(await scoped.list({ filters: { placeId: 'meje' } }, me))).toEqual([t.djakovicaAscii]);
      expect(gazetteer.within('meje')).toEqual(['meje']);
      expect(gazetteer.within('nowhere')).toEqual([]);
    });

    test('kinds', async () => {
      expect(ids(await find('djordjevic', { kinds: ['person'] }))).toEqual([p.djordjevic]);
      expect(ids(await find('djordjevic', { kinds: ['testimony'] }))).toEqual(sorted(t.djakovicaLatin, t.djakovicaAscii, t.cyrillic));
      expect(ids(await find('djordjevic', { kinds: ['session'] }))).toEqual([]);
      // Testimony-only filters leave other kinds out.
      expect(ids(await find('djordjevic', { filters: { actType: 'abduction' } }))).toEqual([t.djakovicaAscii]);
    });

    test('an empty or blank query lists instead, with the same filters', async () => {
      expect(await find('', { filters: { actType: 'killing' } })).toEqual(await search.list({ filters: { actType: 'killing' } }, me));
      expect(ids(await find('   \n\t'))).toEqual(sorted(...Object.values(t)));
      expect(await find('', { kinds: ['person'] })).toEqual({ items: [], nextCursor: null });
    });
  });

  test('migration 3: a contentless FTS5 index over folded text, its word list, and STRICT search_docs', () => {
    const sqlite = a.archive.db.sqlite;
    const ddl = (name: string) => (sqlite.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string } | undefined)?.sql ?? '';
    expect(ddl('search_index')).toMatch(/USING fts5\(\s*title, body, names,\s*content = '', contentless_delete = 1,\s*tokenize = 'unicode61 remove_diacritics 2'\s*\)/);
    expect(ddl('search_terms')).toMatch(/USING fts5vocab\(search_index, row\)/);
    expect(sqlite.prepare("SELECT strict FROM pragma_table_list WHERE name = 'search_docs'").get()).toEqual({ strict: 1 });
    // One entry per record: 4 persons and 8 testimonies.
    expect(sqlite.prepare('SELECT kind, count(*) AS n FROM search_docs GROUP BY kind ORDER BY kind').all()).toEqual([{ kind: 'person', n: 4 }, { kind: 'testimony', n: 8 }]);
  });

  test('list and search queries use indexes (EXPLAIN QUERY PLAN)', () => {
    const sqlite = a.archive.db.sqlite;
    const db = a.archive.db.kysely;
    const plan = (q: { compile(db: typeof a.archive.db.kysely): { sql: string; parameters: readonly unknown[] } }) => {
      const c = q.compile(db);
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...c.parameters) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    };
    const cursor = { updatedAt: '2026-11-01T00:00:00.000Z', id: '00000000-0000-4000-8000-000000000000' };
    expect(plan(listQuery({}, 50, null))).toMatch(/SCAN t USING INDEX testimonies_updated/);
    expect(plan(listQuery({}, 50, cursor))).toMatch(/SEARCH t USING INDEX testimonies_updated \(updated_at<\?\)/);
    expect(plan(listQuery({ status: 'draft' }, 50, cursor))).toMatch(/SEARCH t USING INDEX testimonies_status_updated \(status=\? AND updated_at<\?\)/);
    expect(plan(listQuery({ placeId: 'gjakove' }, 50, cursor))).toMatch(/SEARCH t USING INDEX testimonies_place_updated \(place_id=\? AND updated_at<\?\)/);
    expect(plan(listQuery({ dateFrom: '1999-01-01', dateTo: '1999-12-31' }, 50, null))).toMatch(/USING INDEX testimonies_(date|updated)/);
    // A municipality with its settlements: still read through an index, never a scan of every testimony.
    expect(plan(listQuery({ placeId: 'gjakove', placeIds: ['gjakove', 'meje', 'korenice'] }, 50, cursor))).toMatch(/USING INDEX testimonies_(place_updated|updated)/);
    const filtered = plan(listQuery({ actType: 'killing', affectedGroup: 'war-widows', commissionScope: 'named', dateFrom: '1999-01-01', dateTo: '1999-12-31' }, 50, cursor));
    expect(filtered).toMatch(/USING INDEX testimonies_updated/);
    expect(filtered).toMatch(/SEARCH v EXISTS USING COVERING INDEX violations_testimony_act \(testimony_id=\? AND act_type=\?\)/);
    expect(filtered).toMatch(/SEARCH g EXISTS USING PRIMARY KEY \(testimony_id=\? AND group_code=\?\)/);
    expect(filtered).toMatch(/SEARCH c EXISTS USING COVERING INDEX consents_commission/);
    // Never a full scan of a table (a plain "SCAN t" reads every testimony).
    for (const q of [
      listQuery({}, 50, null),
      listQuery({ placeId: 'gjakove', dateFrom: '1999-01-01' }, 50, null),
      listQuery({ placeId: 'gjakove', placeIds: ['gjakove', 'meje'] }, 50, null),
      listQuery({ affectedGroup: 'war-widows' }, 50, null),
    ]) {
      expect(plan(q).split(' | ').filter((step) => /^SCAN \w+$/.test(step))).toEqual([]);
    }
    const s = plan(searchQuery('"gjakove"*', ['testimony'], { status: 'draft' }, 50, 1000));
    expect(s).toMatch(/SCAN search_index VIRTUAL TABLE INDEX/);
    expect(s).toMatch(/SEARCH d USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(s).not.toMatch(/TEMP B-TREE/);
  });

  test('hostile queries never reach FTS5 as syntax and never fail with an SQL error', async () => {
    const queries = ['"', '""', 'AND OR NOT', 'NOT', '*', '**', 'NEAR(', 'NEAR(a b, 2)', 'title:gjakove', '^gjakove', '-gjakove', '(', ')', '{title body}: x',
      'a"b', "'; DROP TABLE testimonies; --", '\uD800', 'x\uDC00y', 'Gjakov\uD83D', '🙂', '\u0000', 'ë\u0308\u0308', 'x'.repeat(maxQueryLength)];
    for (const q of queries) {
      const page = await find(q);
      expect(Array.isArray(page.items), q).toBe(true);
    }
    expect(ids(await find('NOT Gjakovë'))).toEqual([]); // "not" is a word to find here, not an operator
    expect(ids(await find('"gjakove"'))).toEqual([t.gjakove]);
    await expectArchiveError(find('x'.repeat(10_000)), 'IPC_BAD_INPUT');
    await expectArchiveError(find(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')), 'IPC_BAD_INPUT');
    for (const cursor of ['garbage', 'eyJrIjoic2VhcmNoIn0', Buffer.from('{"k":"search","doc":-1}').toString('base64url')]) {
      await expectArchiveError(find('1999', { cursor }), 'IPC_BAD_INPUT');
    }
    const listCursor = (await search.list({ limit: 1 }, me)).nextCursor!;
    await expectArchiveError(find('1999', { cursor: listCursor }), 'IPC_BAD_INPUT');
    for (const bad of [{ limit: 0 }, { limit: 201 }, { filters: { dateFrom: '2026-02-30' } }, { filters: { dateFrom: '2026-02-01', dateTo: '2026-01-01' } }, { filters: { placeId: 'X; --' } }, { extra: 1 }] as Array<Partial<SearchInput>>) {
      const e = await expectArchiveError(find('1999', bad), 'IPC_BAD_INPUT');
      expect(e.message).not.toMatch(/SQL|SELECT|sqlite/i);
    }
    await expectArchiveError(search.list({ filters: { status: 'sealed' }, cursor: 'x' }, me), 'IPC_BAD_INPUT');
  });

  test('an auditor may not search or list (it would reveal which records contain a word)', async () => {
    await expectArchiveError(search.search({ query: 'gjakove' }, { role: 'auditor' }), 'AUTH_FORBIDDEN');
    await expectArchiveError(search.list({}, { role: 'auditor' }), 'AUTH_FORBIDDEN');
    expect((await search.search({ query: 'gjakove' }, { role: 'recorder' })).items).toHaveLength(1);
  });

  test('a database failure becomes an archive error without SQL', async () => {
    a.archive.db.sqlite.exec('ALTER TABLE search_docs RENAME TO search_docs_moved');
    try {
      const e = await caught(search.search({ query: 'gjakove' }, me));
      expect(e).toMatchObject({ name: 'ArchiveError', code: 'INTERNAL' });
      expect((e as Error).message).not.toMatch(/search_docs|SQL|no such/i);
    } finally {
      a.archive.db.sqlite.exec('ALTER TABLE search_docs_moved RENAME TO search_docs');
    }
  });
});

describe('the index follows every write, and pages return each record exactly once', () => {
  let a: Awaited<ReturnType<typeof openArchive>>;
  let records: Records;
  // A frozen clock: every record has the same updated_at, so list pages rely on the id tie-break.
  beforeEach(async () => {
    a = await openArchive('writes', () => Date.parse('2026-11-26T10:00:00Z'));
    records = a.records;
  });
  afterEach(async () => {
    await a.core.sessions.lock('quit');
    a.dir.cleanup();
  });

  async function all(first: (cursor: string | null) => Promise<SearchPage>): Promise<SearchItem[]> {
    const out: SearchItem[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await first(cursor);
      out.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) return out;
    }
    throw new Error('pagination did not end');
  }

  test('search and list pages return every item exactly once, in a stable order, also when a seen record changes', async () => {
    const dep = await records.persons.create(personInput(), records.actor);
    const created: string[] = [];
    for (let i = 0; i < 23; i++) {
      created.push((await records.testimonies.create(statement(dep.id, dep.id, { title: `Dëshmia ${i + 1} nga Prizreni`, narrative: `Rrëfim i shkurtër numër ${i + 1} për luftën e vitit 1999.` }), records.actor)).id);
    }
    let edited = false;
    const searched = await all(async (cursor) => {
      const page = await a.search.search({ query: 'prizreni', limit: 4, cursor }, me);
      if (!edited && page.items[0]) {
        // An edit after the first page keeps the record's place: nothing is skipped or repeated.
        const first = await records.testimonies.get(page.items[0].id, records.actor);
        await records.testimonies.update(first.id, { ...statement(dep.id, dep.id), title: `${first.title} (ndryshuar)`, narrative: first.narrative }, first.revision, records.actor);
        edited = true;
      }
      return page;
    });
    expect(searched.map((i) => i.id)).toEqual([...created].reverse());
    const listed = await all((cursor) => a.search.list({ limit: 5, cursor }, me));
    expect(listed.map((i) => i.id).sort()).toEqual([...created].sort());
    expect(new Set(listed.map((i) => i.id)).size).toBe(created.length);
    expect(listed.map((i) => i.id)).toEqual([...created].sort().reverse()); // same updated_at: id descending
  });

  test('update, review, seal, revise and renaming a person all update the index in the same transaction', async () => {
    const dep = await records.persons.create(person('Besim Morina', 'Besim Morina', 'Бесим Морина'), records.actor);
    const input = statement(dep.id, dep.id, { title: 'Zjarri në Rahovec', narrative: 'Shtëpia u dogj në prill 1999, fqinjët ikën në mal.' });
    const created = await records.testimonies.create(input, records.actor);
    const search = (query: string, filters: SearchInput['filters'] = {}) => a.search.search({ query, filters }, me).then(ids);

    const v2 = await records.testimonies.update(created.id, { ...input, narrative: 'Shtëpia u plaçkit në maj 1999.' }, 1, records.actor);
    expect(await search('dogj')).toEqual([]);
    expect(await search('plackit')).toEqual([created.id]);

    await records.testimonies.review(created.id, v2.revision, records.actor);
    expect(await search('plackit', { status: 'reviewed' })).toEqual([created.id]);
    await records.testimonies.seal(created.id, v2.revision + 1, records.actor);
    expect(await search('plackit', { status: 'reviewed' })).toEqual([]);
    expect(await search('plackit', { status: 'sealed' })).toEqual([created.id]);

    const revised = await records.testimonies.revise(created.id, { ...input, title: 'Zjarri në Rahovec (rishikuar)', narrative: 'Shtëpia u plaçkit dhe u dogj.' }, v2.revision + 2, records.actor);
    expect(revised.status).toBe('reviewed');
    expect(await search('rishikuar', { status: 'reviewed' })).toEqual([created.id]);

    // Renaming the deponent re-indexes the testimonies that name them.
    expect(await search('morina')).toEqual(sorted(dep.id, created.id));
    const renamed = await records.persons.update(dep.id, person('Besim Gashi', 'Besim Gaši', 'Бесим Гаши'), 1, records.actor);
    expect(renamed.revision).toBe(2);
    expect(await search('morina')).toEqual([]);
    expect(await search('gasi')).toEqual(sorted(dep.id, created.id));

    // Made restricted: the narrative leaves the index, the title stays.
    const restricted = await records.testimonies.update(created.id, { ...input, sensitivity: 'restricted', narrative: 'Shtëpia u plaçkit dhe u dogj.' }, revised.revision, records.actor);
    expect(restricted.sensitivity).toBe('restricted');
    expect(await search('plackit')).toEqual([]);
    expect(await search('rahovec')).toEqual([created.id]);
    const docs = await a.archive.db.kysely.selectFrom('search_docs').select(['kind', 'record_id']).execute();
    expect(docs).toHaveLength(2);
  });

  test('a word typed so far finds every indexed word it starts: through the word list, or FTS5 prefix syntax past 64 words', async () => {
    const dep = await records.persons.create(personInput(), records.actor);
    const words = Array.from({ length: 70 }, (_, i) => `lulekuqe${i + 1}`).join(' ');
    const many = await records.testimonies.create(statement(dep.id, dep.id, { narrative: `Në oborr kishte ${words}.` }), records.actor);
    const one = await records.testimonies.create(statement(dep.id, dep.id, { narrative: 'Vetëm një lulekuqe7x.' }), records.actor);
    const found = (query: string) => a.search.search({ query }, me).then(ids);
    expect(await found('lulekuqe')).toEqual(sorted(many.id, one.id)); // 71 words: FTS5's own prefix query
    expect(await found('lulekuqe7')).toEqual(sorted(many.id, one.id)); // lulekuqe7, lulekuqe70, lulekuqe7x: an OR
    expect(await found('oborr lulekuqe7')).toEqual([many.id]);
    expect(await found('lulekuqez')).toEqual([]); // no indexed word starts so
  });

  test('the record write and its index entry commit or fail together', async () => {
    const dep = await records.persons.create(personInput(), records.actor);
    const created = await records.testimonies.create(statement(dep.id, dep.id, { narrative: 'Fjala e parë: lisi.' }), records.actor);
    const sqlite = a.archive.db.sqlite;
    // The index cannot be written: the testimony's update is rolled back with it.
    sqlite.exec('ALTER TABLE search_docs RENAME TO search_docs_moved');
    try {
      await caught(records.testimonies.update(created.id, statement(dep.id, dep.id, { narrative: 'Fjala e dytë: ahu.' }), 1, records.actor));
    } finally {
      sqlite.exec('ALTER TABLE search_docs_moved RENAME TO search_docs');
    }
    expect(await records.testimonies.get(created.id, records.actor)).toMatchObject({ revision: 1, narrative: 'Fjala e parë: lisi.' });
    expect(await records.testimonies.history(created.id, records.actor)).toHaveLength(1);
    expect(ids(await a.search.search({ query: 'lisi' }, me))).toEqual([created.id]);
    expect(ids(await a.search.search({ query: 'ahu' }, me))).toEqual([]);
    const count = await sql<{ n: number }>`SELECT count(*) AS n FROM search_docs`.execute(a.archive.db.kysely);
    expect(count.rows[0]?.n).toBe(2);
  });
});
