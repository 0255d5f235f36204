// The search bench: seeds the same synthetic archive into an encrypted and a plain database (full schema,
// all migrations), then times the search service on 20 queries and the first page of filtered lists.
//
// Rows are inserted with SQL in batches (not through the record services), but each index entry is built by
// the same code the services use (testimonyDocument / personDocument: folding, restricted content left out)
// and written with the same two statements as writeSearchDocument.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from '../../electron/core/db/migrate';
import { openDatabase, type SqliteHandle } from '../../electron/core/db/open-database';
import type { ArchiveSchema } from '../../electron/core/db/schema';
import { parseEdtf, type EdtfRange } from '../../electron/core/records/edtf-date';
import { loadReferenceData } from '../../electron/core/reference/reference-data';
import { indexableNames, personDocument, testimonyDocument, type SearchDocument } from '../../electron/core/search/search-document';
import { createSearchService, type SearchService } from '../../electron/core/search/search-service';
import type { ListInput, SearchInput } from '../../electron/core/search/search-input';
import { matchExpression, queryTerms } from '../../electron/core/search/match-expression';
import type { PersonsTable } from '../../electron/core/db/schema';
import { makeCorpus, type PersonSeed, type TestimonySeed } from './search-corpus';
import { openPlain } from './plain-database';

type Figure = { value: number; unit: string };
type Variant = 'encrypted' | 'plain';
type Opened = { variant: Variant; sqlite: SqliteHandle; kysely: Kysely<ArchiveSchema>; close: () => Promise<void> };

/** Twenty queries as staff type them: places and names in both scripts, words, prefixes, and filters. */
const queries: Array<[label: string, input: SearchInput]> = [
  ['place sq', { query: 'Gjakovë' }],
  ['place sr-Latn, all scripts', { query: 'Đakovica' }],
  ['place sr-Cyrl', { query: 'Урошевац' }],
  ['place, no diacritics', { query: 'recak' }],
  ['place, 3 words', { query: 'krushe e madhe' }],
  ['surname sq', { query: 'Krasniqi' }],
  ['surname sr', { query: 'Jovanović' }],
  ['full name', { query: 'Agim Berisha' }],
  ['two rare words', { query: 'eshtrat varrezat' }],
  ['two words sr-Cyrl', { query: 'нестао отац' }],
  ['date words', { query: 'prill 1999' }],
  ['prefix 5', { query: 'polic' }],
  ['prefix 3', { query: 'gra' }],
  ['prefix, as typed', { query: 'drejtës' }],
  ['common word + status', { query: 'shtëpia', filters: { status: 'sealed' } }],
  ['word + act type', { query: 'vranë', filters: { actType: 'killing' } }],
  ['word + date range', { query: 'familja', filters: { dateFrom: '2021-01-01', dateTo: '2021-12-31' } }],
  ['common word + rare place', { query: 'dhe', filters: { placeId: 'junik' } }],
  ['word + group + consent', { query: 'nëna', filters: { affectedGroup: 'war-widows', commissionScope: 'named' } }],
  ['names, persons only', { query: 'Ђорђевић', kinds: ['person'] }],
];

/** First pages of lists as the testimony list shows them (no query). */
const lists: Array<[label: string, input: ListInput]> = [
  ['newest first', {}],
  ['status reviewed', { filters: { status: 'reviewed' } }],
  ['act type killing', { filters: { actType: 'killing' } }],
  ['place prishtine', { filters: { placeId: 'prishtine' } }],
  ['year 2021', { filters: { dateFrom: '2021-01-01', dateTo: '2021-12-31' } }],
  ['group + consent', { filters: { affectedGroup: 'war-widows', commissionScope: 'pseudonymised' } }],
  ['rare act type', { filters: { actType: 'forced-labour' } }],
  ['one week', { filters: { dateFrom: '2021-03-01', dateTo: '2021-03-07' } }],
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** Nearest-rank percentile: of 20 values, p95 is the 19th smallest. */
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)]!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const director = { role: 'director' as const };

function open(variant: Variant, file: string, key: Uint8Array, cacheKib: number, create: boolean): Opened {
  if (variant === 'encrypted') {
    const db = openDatabase(file, key, { create, cacheKib });
    return { variant, sqlite: db.sqlite, kysely: db.kysely, close: () => db.close() };
  }
  const sqlite = openPlain(file, cacheKib);
  const kysely = new Kysely<ArchiveSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { variant, sqlite, kysely, close: () => kysely.destroy() };
}

/** Prepared inserts for one database; `batch` writes one transaction of rows. */
function seeder(sqlite: SqliteHandle) {
  const userId = '00000000-0000-4000-8000-0000000000d1';
  const at = '2019-01-01T08:00:00.000Z';
  sqlite.prepare("INSERT INTO users (id, username, display_name, role, created_at) VALUES (?, 'drita.krasniqi', 'Drita Krasniqi', 'director', ?)").run(userId, at);
  const sealed = sqlite.prepare('INSERT INTO sealed_contents (id, record_kind, record_id, nonce, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const person = sqlite.prepare(`INSERT INTO persons (id, confidentiality, name_sq, name_sr_latn, name_sr_cyrl, birth_edtf, birth_lo, birth_hi, residence_place_id, contact,
    identity_sealed_id, sex, ethnicity, revision, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, 1, ?, ?, ?, ?)`);
  const testimony = sqlite.prepare(`INSERT INTO testimonies (id, deponent_id, taker_id, interpreter, language, mode, date_edtf, date_lo, date_hi, place_id, title, narrative,
    sensitivity, content_sealed_id, status, revision, sealed_revision, sealed_at, sealed_by, created_at, created_by, updated_at, updated_by)
    VALUES (?, ?, ?, NULL, ?, 'in-person', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const group = sqlite.prepare('INSERT INTO testimony_groups (testimony_id, group_code) VALUES (?, ?)');
  const violation = sqlite.prepare(`INSERT INTO violations (id, testimony_id, position, victim_id, act_type, date_edtf, date_lo, date_hi, place_id, perpetrator_type, victim_outcome, notes)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'unknown', NULL, ?)`);
  const consent = sqlite.prepare(`INSERT INTO consents (record_kind, record_id, person_id, explained_by, language, form_version, medium, scope_archive, scope_statistics,
    scope_commission, scope_public_hearing, scope_prosecution, scope_media, scope_recontact, anonymity_level, embargo_until, minor, guardian)
    VALUES ('testimony', ?, ?, 'Drita Krasniqi', 'albanian', '2026-1', 'written', 1, 1, ?, 0, 1, 0, 1, 'named', NULL, 0, NULL)`);
  // The two statements of writeSearchDocument, for a record indexed for the first time.
  const doc = sqlite.prepare('INSERT INTO search_docs (kind, record_id, title, date_edtf, date_lo, date_hi, place_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const fts = sqlite.prepare('INSERT OR REPLACE INTO search_index (rowid, title, body, names) VALUES (?, ?, ?, ?)');
  const writeDoc = (d: SearchDocument) => {
    const r = d.row;
    const rowid = doc.run(r.kind, r.record_id, r.title, r.date_edtf, r.date_lo, r.date_hi, r.place_id, r.status).lastInsertRowid;
    fts.run(rowid, d.text.title, d.text.body, d.text.names);
  };
  const blob = (n: number) => randomBytes(n);

  return {
    persons: (rows: Array<{ seed: PersonSeed; row: PersonsTable; doc: SearchDocument }>) =>
      sqlite.transaction(() => {
        for (const { seed, row, doc: d } of rows) {
          if (seed.restricted) sealed.run(row.identity_sealed_id, 'person', row.id, blob(24), blob(200), at);
          person.run(row.id, row.confidentiality, row.name_sq, row.name_sr_latn, row.name_sr_cyrl, row.birth_edtf, row.birth_lo, row.birth_hi, row.residence_place_id,
            row.identity_sealed_id, row.sex, row.ethnicity, at, userId, at, userId);
          writeDoc(d);
        }
      })(),
    testimonies: (rows: Array<Prepared>) =>
      sqlite.transaction(() => {
        for (const p of rows) {
          const t = p.seed;
          const sealedId = t.restricted ? `${t.id}-sealed` : null;
          if (sealedId) sealed.run(sealedId, 'testimony', t.id, blob(24), blob(t.narrative.length), t.updatedAt);
          testimony.run(t.id, p.deponentId, userId, t.language === 'albanian' ? 'albanian' : 'serbian', p.date.edtf, p.date.lo, p.date.hi, t.placeId, t.title,
            t.restricted ? null : t.narrative, t.restricted ? 'restricted' : 'normal', sealedId, t.status, t.status === 'sealed' ? 3 : t.status === 'reviewed' ? 2 : 1,
            t.status === 'sealed' ? 3 : null, t.status === 'sealed' ? t.updatedAt : null, t.status === 'sealed' ? userId : null, t.updatedAt, userId, t.updatedAt, userId);
          for (const g of t.groups) group.run(t.id, g);
          p.acts.forEach((a, i) => violation.run(`${t.id}-v${i}`, t.id, i, a.victimId, a.actType, a.date.edtf, a.date.lo, a.date.hi, a.placeId, t.restricted ? null : a.notes));
          consent.run(t.id, p.deponentId, t.commission);
          writeDoc(p.doc);
        }
      })(),
  };
}

type Prepared = {
  seed: TestimonySeed;
  deponentId: string;
  date: EdtfRange;
  acts: Array<{ victimId: string; actType: string; date: EdtfRange; placeId: string; notes: string | null }>;
  doc: SearchDocument;
};

export type SearchBenchOptions = { quick: boolean; dir: string; cacheKib: number; resourcesDir: string; log: (line: string) => void };

export async function runSearchBench(o: SearchBenchOptions): Promise<{ figures: Record<string, Figure>; detail: string[][]; encrypted: { file: string; key: Uint8Array } }> {
  const testimonies = o.quick ? 10_000 : 100_000;
  const batchSize = 5_000;
  const passes = o.quick ? 7 : 5;
  const reference = loadReferenceData(o.resourcesDir);
  const corpus = makeCorpus(reference, { testimonies, persons: Math.round(testimonies * 0.3), narrativeBytes: 2048 });
  const key = randomBytes(32);
  const files: Record<Variant, string> = { encrypted: join(o.dir, 'search-encrypted.db'), plain: join(o.dir, 'search-plain.db') };
  const variants: Variant[] = ['encrypted', 'plain'];

  // Dates repeat a lot (days of eight years): parse each distinct EDTF string once, with the app's parser.
  const dates = new Map<string, EdtfRange>();
  const edtf = (s: string) => {
    let r = dates.get(s);
    if (!r) dates.set(s, (r = parseEdtf(s)));
    return r;
  };

  o.log(`bench: search, ${testimonies} testimonies (~2 KB each) and ${corpus.persons.length} persons, encrypted and plain`);
  const dbs = Object.fromEntries(variants.map((v) => [v, open(v, files[v], key, o.cacheKib, true)])) as Record<Variant, Opened>;
  for (const v of variants) await migrate(dbs[v].kysely, () => new Date('2019-01-01T08:00:00Z'));
  const seeders = Object.fromEntries(variants.map((v) => [v, seeder(dbs[v].sqlite)])) as Record<Variant, ReturnType<typeof seeder>>;
  const insertMs: Record<Variant, number> = { encrypted: 0, plain: 0 };
  let generateMs = 0;
  let foldMs = 0;
  const timed = (v: Variant, work: () => void) => {
    const start = performance.now();
    work();
    insertMs[v] += performance.now() - start;
  };

  let start = performance.now();
  const personRows = corpus.persons.map((seed) => {
    const birth = edtf(seed.birth);
    const normal = !seed.restricted;
    const row: PersonsTable = {
      id: seed.id, confidentiality: normal ? 'normal' : 'restricted',
      name_sq: normal ? seed.names.sq : null, name_sr_latn: normal ? seed.names.srLatn : null, name_sr_cyrl: normal ? seed.names.srCyrl : null,
      birth_edtf: normal ? birth.edtf : null, birth_lo: normal ? birth.lo : null, birth_hi: normal ? birth.hi : null,
      residence_place_id: normal ? seed.residence : null, contact: null, identity_sealed_id: normal ? null : `${seed.id}-sealed`,
      sex: seed.sex, ethnicity: seed.ethnicity, status: null, revision: 1, created_at: '2019-01-01T08:00:00.000Z', created_by: '', updated_at: '2019-01-01T08:00:00.000Z', updated_by: '',
    };
    return { seed, row, doc: personDocument(row) };
  });
  foldMs += performance.now() - start;
  for (const v of variants) timed(v, () => seeders[v].persons(personRows));

  for (let from = 0, round = 0; from < testimonies; from += batchSize, round++) {
    const batch: Prepared[] = [];
    for (let i = from; i < Math.min(testimonies, from + batchSize); i++) {
      start = performance.now();
      const seed = corpus.testimony(i);
      generateMs += performance.now() - start;
      const deponent = personRows[seed.deponent]!.row;
      const victims = seed.victims.map((n) => personRows[n]!.row);
      const date = edtf(seed.date);
      const acts = seed.acts.map((a, k) => ({ victimId: victims[k]!.id, actType: a.actType, date: edtf(a.date), placeId: a.placeId, notes: a.notes }));
      // What indexTestimony reads back: plaintext columns only (a restricted narrative and its notes are NULL).
      const row = { id: seed.id, title: seed.title, narrative: seed.restricted ? null : seed.narrative, sensitivity: seed.restricted ? ('restricted' as const) : ('normal' as const),
        date_edtf: date.edtf, date_lo: date.lo, date_hi: date.hi, place_id: seed.placeId, status: seed.status };
      const people = [...new Map([deponent, ...victims].map((p) => [p.id, p])).values()].sort((a, b) => a.id.localeCompare(b.id));
      start = performance.now();
      const doc = testimonyDocument(row, seed.restricted ? acts.map(() => null) : acts.map((a) => a.notes), people.flatMap(indexableNames));
      foldMs += performance.now() - start;
      batch.push({ seed, deponentId: deponent.id, date, acts, doc });
    }
    // Alternate which database goes first, so disk and CPU noise falls on both alike.
    for (const v of round % 2 ? [...variants].reverse() : variants) timed(v, () => seeders[v].testimonies(batch));
    if (round % 4 === 3) o.log(`bench: search seed ${from + batch.length}/${testimonies} (ms: insert enc ${insertMs.encrypted.toFixed(0)}, plain ${insertMs.plain.toFixed(0)}; folding ${foldMs.toFixed(0)}; generating ${generateMs.toFixed(0)})`);
  }
  for (const v of variants) {
    dbs[v].sqlite.pragma('wal_checkpoint(TRUNCATE)');
    await dbs[v].close();
  }
  const sizeMb = (v: Variant) => statSync(files[v]).size / 1024 ** 2;
  o.log(`bench: search seeded: encrypted ${sizeMb('encrypted').toFixed(0)} MB, plain ${sizeMb('plain').toFixed(0)} MB`);

  /** Times every query and list once per pass on fresh connections (the app's state after unlocking). */
  async function measure(cacheKib: number, rounds: number) {
    const opened = Object.fromEntries(variants.map((v) => [v, open(v, files[v], key, cacheKib, false)])) as Record<Variant, Opened>;
    const services = Object.fromEntries(variants.map((v) => [v, createSearchService({ db: opened[v].kysely })])) as Record<Variant, SearchService>;
    const q: Record<Variant, number[][]> = { encrypted: queries.map(() => []), plain: queries.map(() => []) };
    const l: Record<Variant, number[][]> = { encrypted: lists.map(() => []), plain: lists.map(() => []) };
    const cold: Record<Variant, number[]> = { encrypted: [], plain: [] };
    const firstPages: Record<Variant, string[]> = { encrypted: [], plain: [] };
    for (let pass = 0; pass <= rounds; pass++) {
      for (const v of pass % 2 ? [...variants].reverse() : variants) {
        for (const [i, [, input]] of queries.entries()) {
          const t0 = performance.now();
          const page = await services[v].search(input, director);
          const ms = performance.now() - t0;
          if (pass === 0) {
            cold[v].push(ms);
            firstPages[v].push(page.items.map((x) => x.id).join(','));
          } else q[v][i]!.push(ms);
        }
        for (const [i, [, input]] of lists.entries()) {
          const t0 = performance.now();
          await services[v].list(input, director);
          if (pass > 0) l[v][i]!.push(performance.now() - t0);
        }
      }
    }
    if (firstPages.encrypted.join('|') !== firstPages.plain.join('|')) throw new Error('encrypted and plain databases answered differently');
    // The shape not taken: bm25 rank order has to score every match before the first page.
    const ranked: Record<Variant, number[]> = { encrypted: [], plain: [] };
    for (const v of variants) {
      const stmt = opened[v].sqlite.prepare('SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 51');
      for (const [, input] of queries.filter(([, i]) => !i.filters && !i.kinds)) {
        const match = matchExpression(queryTerms(input.query));
        const times: number[] = [];
        for (let r = 0; r < 2; r++) {
          const t0 = performance.now();
          stmt.all(match);
          times.push(performance.now() - t0);
        }
        ranked[v].push(median(times));
      }
    }
    for (const v of variants) await opened[v].close();
    const perQuery = (v: Variant) => q[v].map(median);
    const perList = (v: Variant) => l[v].map(median);
    return { perQuery, perList, cold, ranked, matches: firstPages.encrypted.map((ids) => (ids === '' ? 0 : ids.split(',').length)) };
  }

  o.log(`bench: search, ${passes} passes of ${queries.length} queries and ${lists.length} lists, cache ${o.cacheKib / 1024} MiB`);
  const main = await measure(o.cacheKib, passes);
  const smallCacheKib = 2048;
  o.log(`bench: search again with SQLite's usual 2 MiB page cache`);
  const small = await measure(smallCacheKib, 3);

  const enc = main.perQuery('encrypted');
  const plain = main.perQuery('plain');
  const listEnc = main.perList('encrypted');
  const listPlain = main.perList('plain');
  // What a write costs the app: building the index entry (folding) plus the SQL, per testimony.
  const insertRate = (v: Variant) => testimonies / ((insertMs[v] + foldMs) / 1000);
  const figures: Record<string, Figure> = {
    search_p50_ms: { value: Number(percentile(enc, 50).toFixed(2)), unit: 'ms' },
    search_p95_ms: { value: Number(percentile(enc, 95).toFixed(2)), unit: 'ms' },
    search_ratio_encrypted_to_plain: { value: Number((sum(enc) / sum(plain)).toFixed(3)), unit: 'ratio' },
    // The slowest of the filtered lists' first pages (each the median of its passes).
    list_first_page_ms: { value: Number(Math.max(...listEnc).toFixed(2)), unit: 'ms' },
  };
  const f = (x: number, d = 2) => x.toFixed(d);
  const detail: string[][] = [
    ['search (median ms of each)', 'encrypted', 'plain', 'ratio', 'page'],
    ...queries.map(([label], i) => [label, f(enc[i]!), f(plain[i]!), f(enc[i]! / plain[i]!, 3), String(main.matches[i])]),
    ['p50 / p95 of the 20', `${f(percentile(enc, 50))} / ${f(percentile(enc, 95))}`, `${f(percentile(plain, 50))} / ${f(percentile(plain, 95))}`, f(sum(enc) / sum(plain), 3), ''],
    ['first pass, cold page cache: p50 / p95', `${f(percentile(main.cold.encrypted, 50))} / ${f(percentile(main.cold.encrypted, 95))}`, `${f(percentile(main.cold.plain, 50))} / ${f(percentile(main.cold.plain, 95))}`, f(sum(main.cold.encrypted) / sum(main.cold.plain), 3), ''],
    [`2 MiB cache: p50 / p95`, `${f(percentile(small.perQuery('encrypted'), 50))} / ${f(percentile(small.perQuery('encrypted'), 95))}`, `${f(percentile(small.perQuery('plain'), 50))} / ${f(percentile(small.perQuery('plain'), 95))}`, f(sum(small.perQuery('encrypted')) / sum(small.perQuery('plain')), 3), ''],
    ['bm25-ranked first page instead (p50 / p95, not used)', `${f(percentile(main.ranked.encrypted, 50))} / ${f(percentile(main.ranked.encrypted, 95))}`, `${f(percentile(main.ranked.plain, 50))} / ${f(percentile(main.ranked.plain, 95))}`, f(sum(main.ranked.encrypted) / sum(main.ranked.plain), 3), ''],
    ['list first page (median ms)', '', '', '', ''],
    ...lists.map(([label], i) => [`  ${label}`, f(listEnc[i]!), f(listPlain[i]!), f(listEnc[i]! / listPlain[i]!, 3), '']),
    ['  all lists (sum)', f(sum(listEnc)), f(sum(listPlain)), f(sum(listEnc) / sum(listPlain), 3), ''],
    ['  2 MiB cache: worst list', f(Math.max(...small.perList('encrypted'))), f(Math.max(...small.perList('plain'))), '', ''],
    ['insert (SQL + FTS, ms)', f(insertMs.encrypted, 0), f(insertMs.plain, 0), f(insertMs.encrypted / insertMs.plain, 3), ''],
    ['insert rate incl. folding (testimonies/s)', f(insertRate('encrypted'), 0), f(insertRate('plain'), 0), f(insertRate('encrypted') / insertRate('plain'), 3), ''],
    ['folding: index entries built (ms, once for both)', f(foldMs, 0), '', '', ''],
    ['database size (MB)', f(sizeMb('encrypted'), 0), f(sizeMb('plain'), 0), f(sizeMb('encrypted') / sizeMb('plain'), 3), ''],
  ];
  // The seeded encrypted database stays in o.dir: the backup bench makes an archive of it.
  return { figures, detail, encrypted: { file: files.encrypted, key } };
}
