// Dialogue sessions in full-text search, on a real encrypted archive: what is indexed (and what a restricted
// session keeps out), either script and diacritics, session filters, and the index following every write.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRecords } from '../../electron/core/records/records-context';
import type { SessionState } from '../../electron/core/records/sessions-service';
import { sessionDocument } from '../../electron/core/search/search-document';
import { sessionsOfPerson } from '../../electron/core/search/search-indexer';
import { createSearchService, searchQuery, type SearchPage } from '../../electron/core/search/search-service';
import type { SearchInput } from '../../electron/core/search/search-input';
import type { PersonInput } from '../../shared/records/schemas';
import type { SessionInput } from '../../shared/records/session-schemas';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { referenceCheck } from '../fixtures/reference';
import { consentInput, personInput } from '../fixtures/records';
import { participantsFor, sessionInput } from '../fixtures/sessions';

const me = { role: 'director' as const };
const marker = 'fjalekycemarkerX';
const hiddenName = 'Sekretmarkeremri';

let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;
let records: ReturnType<typeof createRecords>;
let search: ReturnType<typeof createSearchService>;
const p: Record<'shqipe' | 'dragan' | 'milica' | 'hidden', string> = { shqipe: '', dragan: '', milica: '', hidden: '' };
const s: Record<'peace' | 'restricted' | 'cancelled', SessionState> = {} as Record<'peace' | 'restricted' | 'cancelled', SessionState>;

const person = (sq: string | null, srLatn: string | null, srCyrl: string | null, over: Partial<PersonInput> = {}) => personInput({ names: { sq, srLatn, srCyrl }, ...over });

/** The editable part of a state, as the edit form sends it back. */
function inputOf(state: SessionState): SessionInput {
  const { id, createdBy, revision, contentVisible, ...input } = state;
  return input;
}

beforeAll(async () => {
  dir = tempDir('ta-search-sessions-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  const archive = core.sessions.require().archive;
  records = createRecords({ archive, sodium: core.sodium, now: Date.now, reference: await referenceCheck() });
  search = createSearchService({ db: archive.db.kysely });
  const { persons, sessions, actor } = records;
  p.shqipe = (await persons.create(person('Shqipe Krasniqi', 'Šćipe Krasnići', 'Шћипе Красничи'), actor)).id;
  p.dragan = (await persons.create(person(null, null, 'Драган Јовановић', { sex: 'male', ethnicity: 'serb', residencePlaceId: 'gracanice' }), actor)).id;
  p.milica = (await persons.create(person('Milica Stojanoviq', 'Milica Stojanović', null, { ethnicity: 'serb', residencePlaceId: 'gracanice' }), actor)).id;
  p.hidden = (await persons.create(person(`Vjollca ${hiddenName}`, null, null, { confidentiality: 'restricted' }), actor)).id;

  // A held peace table in Gjakova: Serbian minutes in Cyrillic, Albanian outcomes, a Serbian Latin agenda line.
  s.peace = await sessions.create(
    sessionInput([p.shqipe, p.dragan, p.milica], {
      title: 'Tryezë paqeje në Gjakovë: familjet e të zhdukurve',
      agenda: '1. Hyrje\n2. Zahtevi porodica nestalih institucijama\n3. Dëshmitë',
      minutes: 'Породице несталих траже истину о гробницама код Мејe. Familjet kërkuan hapjen e arkivave.',
      outcomes: 'Marrëveshje për një takim të përbashkët me Komisionin.',
      date: '2026-10-14', placeId: 'gjakove', status: 'held',
    }),
    actor,
  );
  // A planned restricted round table in Graçanica: its minutes and outcomes hold the marker and are sealed.
  s.restricted = await sessions.create(
    sessionInput([p.milica, p.hidden], {
      kind: 'round-table', sensitivity: 'restricted', status: 'planned', facilitators: ['Besa Morina'],
      title: 'Okrugli sto u Gračanici o nasilju', agenda: 'Razgovor sa preživelima, zatvorenog tipa.',
      minutes: `Zapisnik ${marker} ostaje zapečaćen.`, outcomes: `Ishod ${marker}.`,
      date: '2025-03', placeId: 'gracanice', followUps: [],
      participants: participantsFor([p.milica, p.hidden]).map((x) => ({ ...x, notes: `Beleška ${marker}` })),
    }),
    actor,
  );
  // A cancelled session in Prizren whose only participant gave no commission consent.
  s.cancelled = await sessions.create(
    sessionInput([p.shqipe], {
      kind: 'round-table', status: 'cancelled', facilitators: ['Arta Hoxha'], title: 'Takim i anuluar në Prizren', agenda: 'Pajtimi dhe kujtesa.',
      minutes: '', outcomes: '', date: '2024-05-20', placeId: 'prizren', followUps: [],
      participants: participantsFor([p.shqipe]).map((x) => ({ ...x, consent: consentInput({ scopes: { ...consentInput().scopes, commission: 'none' } }) })),
    }),
    actor,
  );
});
afterAll(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const find = (query: string, more: Partial<SearchInput> = {}) => search.search({ query, ...more }, me);
const ids = (page: SearchPage) => page.items.map((i) => i.id).sort();
const sessionIds = async (query: string, more: Partial<SearchInput> = {}) => ids(await find(query, { kinds: ['session'], ...more }));
const sorted = (...xs: string[]) => [...xs].sort();

describe('what a session puts in the index', () => {
  test('title, agenda, minutes, outcomes, facilitators, participant names and follow-ups of a normal session', async () => {
    expect(await sessionIds('Tryezë paqeje')).toEqual([s.peace.id]);
    expect(await sessionIds('hyrje')).toEqual([s.peace.id]); // agenda
    expect(await sessionIds('arkivave')).toEqual([s.peace.id]); // minutes
    expect(await sessionIds('takim te perbashket')).toEqual([s.peace.id]); // outcomes
    expect(await sessionIds('Komisionit per Persona')).toEqual([s.peace.id]); // follow-up text
    expect(await sessionIds('Милица Јовановић')).toEqual([s.peace.id]); // facilitator, Cyrillic
    expect(await sessionIds('Stojanović')).toEqual(sorted(s.peace.id, s.restricted.id)); // participant
    expect(await sessionIds('kerkon informata')).toEqual(sorted(s.peace.id, s.cancelled.id)); // a participant's note (normal sessions)
  });

  test('either script, with or without diacritics, finds it', async () => {
    // Cyrillic minutes by a Latin query, with and without diacritics; a Latin agenda by a Cyrillic query.
    expect(await sessionIds('porodice nestalih traze istinu')).toEqual([s.peace.id]);
    expect(await sessionIds('traže istinu')).toEqual([s.peace.id]);
    expect(await sessionIds('захтеви институцијама')).toEqual([s.peace.id]);
    // A participant entered in Cyrillic only is found in Latin; an Albanian title without its diacritics.
    expect(await sessionIds('jovanovic')).toEqual([s.peace.id]);
    expect(await sessionIds('tryeze paqeje gjakove')).toEqual([s.peace.id]);
    expect(await sessionIds('ГРАЧАНИЦИ')).toEqual([s.restricted.id]);
    expect(await sessionIds('gracanici')).toEqual([s.restricted.id]);
  });

  test('a restricted session: title, agenda and normal participants are found; sealed minutes, outcomes, notes and restricted names are not', async () => {
    expect(await sessionIds('okrugli sto')).toEqual([s.restricted.id]);
    expect(await sessionIds('preživelima')).toEqual([s.restricted.id]);
    expect(ids(await find(marker))).toEqual([]);
    expect(ids(await find('zapisnik'))).toEqual([]);
    expect(ids(await find('ishod'))).toEqual([]);
    expect(ids(await find('beleska'))).toEqual([]);
    expect(ids(await find(hiddenName))).toEqual([]);
    // The index holds no word of the sealed text at all (its own word list, not only what a query reaches).
    const words = core.sessions.require().archive.db.sqlite.prepare('SELECT term FROM search_terms').pluck().all() as string[];
    expect(words.filter((w) => w.includes('markerx') || w.includes('sekretmarker') || w === 'zapisnik' || w === 'ishod')).toEqual([]);
    expect(words).toContain('okrugli');
  });

  test('sessionDocument leaves sealed fields out of a restricted session even when a caller passes them', () => {
    const row = { id: s.restricted.id, title: 'Okrugli sto', agenda: 'Dnevni red', minutes: `Zapisnik ${marker}`, outcomes: `Ishod ${marker}`,
      sensitivity: 'restricted' as const, date_edtf: '2025-03', date_lo: '2025-03-01', date_hi: '2025-03-31', place_id: 'gracanice', status: 'planned' as const };
    const extra = { facilitators: ['Besa Morina'], notes: [`Beleška ${marker}`], followUps: [{ text: 'Pismo', owner: 'Opština' }], names: ['Milica Stojanović'] };
    const restricted = sessionDocument(row, extra);
    expect(restricted.text).toEqual({ title: 'okrugli sto', body: 'dnevni red pismo opstina', names: 'besa morina milica stojanovic' });
    expect(restricted.row).toEqual({ kind: 'session', record_id: row.id, title: 'Okrugli sto', date_edtf: '2025-03', date_lo: '2025-03-01', date_hi: '2025-03-31', place_id: 'gracanice', status: 'planned' });
    // The same row when normal: minutes, outcomes and notes are indexed (so the test above is not vacuous).
    expect(sessionDocument({ ...row, sensitivity: 'normal' }, extra).text.body).toContain(marker.toLowerCase());
  });

  test('results carry the session title, date and status; snippets come from the agenda and, when normal, minutes', async () => {
    const page = await find('istinu');
    expect(page.items).toEqual([
      { kind: 'session', id: s.peace.id, title: s.peace.title, date: '2026-10-14', status: 'held', snippet: expect.stringContaining('истину') as unknown },
    ]);
    const restricted = await find('preživelima');
    expect(restricted.items[0]).toMatchObject({ kind: 'session', id: s.restricted.id, date: '2025-03', status: 'planned' });
    expect(restricted.items[0]?.snippet).toContain('preživelima');
    expect(JSON.stringify(await find('okrugli'))).not.toContain(marker);
  });
});

describe('filters that apply to sessions', () => {
  const cases: Array<[string, SearchInput['filters'], Array<'peace' | 'restricted' | 'cancelled'>]> = [
    ['status held', { status: 'held' }, ['peace']],
    ['status planned', { status: 'planned' }, ['restricted']],
    ['status cancelled', { status: 'cancelled' }, ['cancelled']],
    ['a testimony status matches no session', { status: 'draft' }, []],
    ['place', { placeId: 'gracanice' }, ['restricted']],
    ['date range overlapping March 2025', { dateFrom: '2025-03-15', dateTo: '2025-12-31' }, ['restricted']],
    ['date from 2026', { dateFrom: '2026-01-01' }, ['peace']],
    ['date up to 2024', { dateTo: '2024-12-31' }, ['cancelled']],
    ['commission scope of any participant: named', { commissionScope: 'named' }, ['peace', 'restricted']],
    ['commission scope of any participant: pseudonymised', { commissionScope: 'pseudonymised' }, ['peace', 'restricted']],
    ['commission scope of any participant: none', { commissionScope: 'none' }, ['cancelled']],
    ['testimony-only filters leave sessions out', { actType: 'killing' }, []],
    ['two filters together', { status: 'held', placeId: 'gjakove', commissionScope: 'named' }, ['peace']],
  ];
  test.each(cases)('%s', async (_label, filters, expected) => {
    // Every session names Shqipe or Milica: "krasniqi stojanovic" would need both, so the query is per session kind.
    const all = sorted(...(await Promise.all(['krasniqi', 'stojanovic'].map((q) => sessionIds(q, { filters })))).flat());
    expect([...new Set(all)]).toEqual(sorted(...expected.map((k) => s[k].id)));
  });

  test('kinds: sessions beside persons and testimonies', async () => {
    expect(ids(await find('stojanovic'))).toEqual(sorted(p.milica, s.peace.id, s.restricted.id));
    expect(ids(await find('stojanovic', { kinds: ['person'] }))).toEqual([p.milica]);
    expect(ids(await find('stojanovic', { kinds: ['testimony'] }))).toEqual([]);
  });

  test('the session filters use indexes (EXPLAIN QUERY PLAN): no scan of search_docs, consents or participants', () => {
    const { sqlite, kysely } = core.sessions.require().archive.db;
    const plan = (q: { compile(db: typeof kysely): { sql: string; parameters: readonly unknown[] } }) => {
      const c = q.compile(kysely);
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...c.parameters) as Array<{ detail: string }>).map((r) => r.detail);
    };
    const steps = plan(searchQuery('"stojanovic"', ['session'], { status: 'held', placeId: 'gjakove', dateFrom: '2026-01-01', commissionScope: 'pseudonymised' }, 50, null));
    expect(steps.join(' | ')).toMatch(/SCAN search_index VIRTUAL TABLE INDEX/);
    expect(steps.join(' | ')).toMatch(/SEARCH d USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(steps.join(' | ')).toMatch(/SEARCH c EXISTS USING COVERING INDEX consents_commission/);
    expect(steps.filter((step) => /^SCAN (d|c)\b/.test(step))).toEqual([]);
    // Re-indexing a renamed participant's sessions finds them through session_participants_person.
    expect(plan(sessionsOfPerson(kysely, p.milica))).toEqual([expect.stringMatching(/^SEARCH session_participants USING COVERING INDEX session_participants_person \(person_id=\?\)$/)]);
  });
});

describe('the index follows every session and participant write', () => {
  test('update, follow-up status, made restricted, participant renamed or made restricted', async () => {
    const { persons, sessions, actor } = records;
    const ana = await persons.create(person('Ana Nikoliq', 'Ana Nikolić', 'Ана Николић', { ethnicity: 'serb' }), actor);
    const base = sessionInput([ana.id], { facilitators: ['Besa Morina'], title: 'Sastanak u Štimlju', minutes: 'Razgovor o spomeniku u Štimlju.', outcomes: '', followUps: [], placeId: 'shtime' });
    const v1 = await sessions.create(base, actor);
    expect(await sessionIds('spomeniku')).toEqual([v1.id]);

    const v2 = await sessions.update(v1.id, { ...inputOf(v1), minutes: 'Razgovor o obnovi škole.', status: 'planned' }, 1, actor);
    expect(await sessionIds('spomeniku')).toEqual([]);
    expect(await sessionIds('obnovi skole', { filters: { status: 'planned' } })).toEqual([v1.id]);

    const v3 = await sessions.update(v1.id, { ...inputOf(v2), followUps: [{ id: null, text: 'Pismo opštini Štimlje', owner: 'Kancelarija za zajednice', dueDate: null, status: 'open' }] }, 2, actor);
    const v4 = await sessions.setFollowUpStatus(v1.id, v3.followUps[0]!.id, 'done', 3, actor);
    expect(v4.revision).toBe(4);
    expect(await sessionIds('pismo opstini')).toEqual([v1.id]);

    // Made restricted: the minutes leave the index, the title stays.
    const v5 = await sessions.update(v1.id, { ...inputOf(v4), sensitivity: 'restricted' }, 4, actor);
    expect(await sessionIds('obnovi')).toEqual([]);
    expect(await sessionIds('sastanak stimlju')).toEqual([v1.id]);

    // A participant renamed: the session is found by the new name only.
    expect(await sessionIds('nikolic')).toEqual([v1.id]);
    const renamed = await persons.update(ana.id, person('Ana Petroviq', 'Ana Petrović', 'Ана Петровић', { ethnicity: 'serb' }), 1, actor);
    expect(await sessionIds('nikolic')).toEqual([]);
    expect(await sessionIds('петровић')).toEqual([v1.id]);
    // A participant made restricted: their name leaves the session's entry too.
    await persons.update(ana.id, person('Ana Petroviq', 'Ana Petrović', 'Ана Петровић', { ethnicity: 'serb', confidentiality: 'restricted' }), renamed.revision, actor);
    expect(await sessionIds('petrovic')).toEqual([]);
    expect(await sessionIds('sastanak')).toEqual([v5.id]);

    const docs = core.sessions.require().archive.db.sqlite.prepare("SELECT kind, count(*) AS n FROM search_docs WHERE kind = 'session'").get();
    expect(docs).toEqual({ kind: 'session', n: 4 });
  });
});
