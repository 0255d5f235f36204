// Full-text search over every record kind, and the filtered testimony list, both keyset-paginated.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Role } from '../../../shared/domain/roles';
import { isAllowed } from '../access/policy';
import type { ArchiveSchema } from '../db/schema';
import { mapSqliteError } from '../db/open-database';
import { ArchiveError, isArchiveError } from '../errors';
import { matchExpression, maxPrefixExpansion, maxQueryTerms, queryTerms, type QueryTerm } from './match-expression';
import type { SearchKind } from './search-document';
import { decodeCursor, encodeCursor, listInputSchema, parseInput, searchInputSchema, type ListInput, type SearchFilters, type SearchInput } from './search-input';
import { snippetOf, snippetScanLimit } from './snippet';

export type SearchItem = {
  kind: SearchKind;
  id: string;
  /** Null for a restricted person (the name is sealed). */
  title: string | null;
  /** EDTF: the testimony's or session's date, a person's birth date. */
  date: string | null;
  status: string | null;
  snippet?: string;
};

export type SearchPage = { items: SearchItem[]; nextCursor: string | null };

export type SearchDeps = {
  db: Kysely<ArchiveSchema>;
  /** A place and the places inside it (a municipality's settlements), so a municipality filter finds its villages too. */
  placesWithin?: (placeId: string) => readonly string[];
};

/** Filters with the place filter widened to the places inside the chosen one. */
export type ScopedFilters = SearchFilters & { placeIds?: readonly string[] };

/** Who is searching: search reveals which records contain a word, so it needs `records.read` like reading them. */
export type Searcher = { role: Role };

/** The day-range overlap test of a record's [lo, hi] with the filter's [from, to]; null bounds are open. */
function dateOverlap(lo: RawBuilder<unknown>, hi: RawBuilder<unknown>, f: SearchFilters): RawBuilder<SqlBool> | null {
  if (f.dateFrom === undefined && f.dateTo === undefined) return null;
  const parts: Array<RawBuilder<unknown>> = [sql`(${lo} IS NOT NULL OR ${hi} IS NOT NULL)`];
  if (f.dateTo !== undefined) parts.push(sql`(${lo} IS NULL OR ${lo} <= ${f.dateTo})`);
  if (f.dateFrom !== undefined) parts.push(sql`(${hi} IS NULL OR ${hi} >= ${f.dateFrom})`);
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

/**
 * Conditions on a record row: `alias` is search_docs (search, any kind) or testimonies (list), which name
 * status, place and date columns alike (a session's status is planned/held/cancelled). Act type and
 * affected group exist only for testimonies. The commission scope is that of any consent of the record:
 * a testimony's deponent or any participant of a session (consents are keyed by kind and record alike).
 */
function filterConditions(alias: 'd' | 't', f: ScopedFilters): Array<RawBuilder<unknown>> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const id = alias === 'd' ? col('record_id') : col('id');
  const kind = alias === 'd' ? col('kind') : sql.lit('testimony');
  const out: Array<RawBuilder<unknown>> = [];
  if (f.status !== undefined) out.push(sql`${col('status')} = ${f.status}`);
  const places = f.placeIds ?? (f.placeId !== undefined ? [f.placeId] : []);
  if (places.length === 1) out.push(sql`${col('place_id')} = ${places[0]}`);
  else if (places.length > 1) out.push(sql`${col('place_id')} IN (${sql.join(places)})`);
  const dates = dateOverlap(col('date_lo'), col('date_hi'), f);
  if (dates) out.push(dates);
  if (alias === 'd' && (f.actType !== undefined || f.affectedGroup !== undefined)) out.push(sql`d.kind = 'testimony'`);
  if (f.actType !== undefined) {
    out.push(sql`EXISTS (SELECT 1 FROM violations AS v WHERE v.testimony_id = ${id} AND v.act_type = ${f.actType})`);
  }
  if (f.affectedGroup !== undefined) {
    out.push(sql`EXISTS (SELECT 1 FROM testimony_groups AS g WHERE g.testimony_id = ${id} AND g.group_code = ${f.affectedGroup})`);
  }
  if (f.commissionScope !== undefined) {
    out.push(sql`EXISTS (SELECT 1 FROM consents AS c WHERE c.record_kind = ${kind} AND c.record_id = ${id} AND c.scope_commission = ${f.commissionScope})`);
  }
  return out;
}

const where = (conditions: Array<RawBuilder<unknown>>) => (conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``);

type Row = { kind: SearchKind; id: string; title: string | null; date: string | null; status: string | null };

/**
 * The list query: testimonies newest first by (updated_at, id), filtered, one row more than a page.
 * Exported for the EXPLAIN QUERY PLAN test: it reads the first page off an index (testimonies_updated,
 * testimonies_place_updated of migration 3, or migration 2's testimonies_status_updated), and tests other
 * filters per row through the primary keys and indexes of violations, testimony_groups and consents.
 */
export function listQuery(f: ScopedFilters, limit: number, after: { updatedAt: string; id: string } | null) {
  const conditions = filterConditions('t', f);
  // Written as a range on updated_at plus a tie-break, so the index range starts at the cursor.
  if (after) conditions.push(sql`t.updated_at <= ${after.updatedAt} AND (t.updated_at < ${after.updatedAt} OR t.id < ${after.id})`);
  return sql<Row & { updated_at: string }>`SELECT 'testimony' AS kind, t.id AS id, t.title AS title, t.date_edtf AS date, t.status AS status, t.updated_at AS updated_at
    FROM testimonies AS t ${where(conditions)}
    ORDER BY t.updated_at DESC, t.id DESC LIMIT ${limit + 1}`;
}

/**
 * The search query: index entries matching `match`, newest indexed first, filtered, one row more than a
 * page. FTS5 walks the words' doclists in descending rowid order and stops at the limit, so a common word
 * costs about as much as a rare one (a native prefix query does not stream: see expandPrefix). Filters
 * are tested per entry on the small search_docs row, never on the 2 KB testimony row.
 */
export function searchQuery(match: string, kinds: readonly SearchKind[] | undefined, f: ScopedFilters, limit: number, afterDoc: number | null) {
  const conditions: Array<RawBuilder<unknown>> = [sql`search_index MATCH ${match}`];
  if (afterDoc !== null) conditions.push(sql`search_index.rowid < ${afterDoc}`);
  if (kinds) conditions.push(sql`d.kind IN (${sql.join(kinds)})`);
  conditions.push(...filterConditions('d', f));
  return sql<Row & { doc: number }>`SELECT d.doc AS doc, d.kind AS kind, d.record_id AS id, d.title AS title, d.date_edtf AS date, d.status AS status
    FROM search_index JOIN search_docs AS d ON d.doc = search_index.rowid ${where(conditions)}
    ORDER BY search_index.rowid DESC LIMIT ${limit + 1}`;
}

export function createSearchService(deps: SearchDeps) {
  const { db } = deps;
  const scoped = (f: SearchFilters): ScopedFilters => (f.placeId !== undefined && deps.placesWithin ? { ...f, placeIds: deps.placesWithin(f.placeId) } : f);

  const mayRead = (who: Searcher) => {
    if (!isAllowed(who.role, 'search.query')) throw new ArchiveError('AUTH_FORBIDDEN', 'Your role does not allow searching records.');
  };

  /** Database failures leave as archive errors; anything else as INTERNAL, never with SQL or a stack. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isArchiveError(e)) throw e;
      const mapped = mapSqliteError(e);
      if (isArchiveError(mapped)) throw mapped;
      throw new ArchiveError('INTERNAL', 'The search could not be completed.');
    }
  }

  async function listPage(f: ScopedFilters, limit: number, cursor: string | null | undefined): Promise<SearchPage> {
    const after = cursor ? decodeCursor(cursor, 'list') : null;
    const rows = (await listQuery(f, limit, after).execute(db)).rows;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(({ updated_at, ...item }) => item),
      nextCursor: rows.length > limit && last ? encodeCursor({ k: 'list', updatedAt: last.updated_at, id: last.id }) : null,
    };
  }

  /**
   * The indexed words that start with the prefix term, read from the index's word list (a range scan that
   * stops after maxPrefixExpansion + 1 words); undefined when there are more (FTS5's prefix query is used).
   * An empty list means no indexed word starts so: nothing can match.
   */
  async function expandPrefix(term: QueryTerm): Promise<string[] | undefined> {
    // U+10FFFF is the largest code point, so every word that starts with the token sorts below this bound.
    const rows = await sql<{ term: string }>`SELECT term FROM search_terms WHERE term >= ${term.token} AND term < ${`${term.token}\u{10FFFF}`} LIMIT ${maxPrefixExpansion + 1}`.execute(db);
    return rows.rows.length > maxPrefixExpansion ? undefined : rows.rows.map((r) => r.term);
  }

  /**
   * Snippets from the narratives of the normal testimonies on the page, and from the agenda, minutes and
   * outcomes of its sessions (agenda only for a restricted one: its minutes and outcomes are sealed).
   */
  async function addSnippets(items: SearchItem[], terms: readonly QueryTerm[]): Promise<void> {
    const ids = (kind: SearchKind) => items.filter((i) => i.kind === kind).map((i) => i.id);
    const testimonyIds = ids('testimony');
    const sessionIds = ids('session');
    const texts = new Map<string, string>();
    // Only the part snippetOf scans crosses into JavaScript, however long the narrative.
    if (testimonyIds.length > 0) {
      const rows = await db
        .selectFrom('testimonies')
        .select(['id', sql<string>`substr(narrative, 1, ${snippetScanLimit})`.as('head')])
        .where('id', 'in', testimonyIds)
        .where('sensitivity', '=', 'normal')
        .execute();
      for (const r of rows) texts.set(`testimony:${r.id}`, r.head);
    }
    if (sessionIds.length > 0) {
      const rows = await db
        .selectFrom('dialogue_sessions')
        .select([
          'id',
          sql<string>`substr(agenda || CASE WHEN sensitivity = 'normal' THEN char(10) || coalesce(minutes, '') || char(10) || coalesce(outcomes, '') ELSE '' END, 1, ${snippetScanLimit})`.as('head'),
        ])
        .where('id', 'in', sessionIds)
        .execute();
      for (const r of rows) texts.set(`session:${r.id}`, r.head);
    }
    for (const item of items) {
      const text = texts.get(`${item.kind}:${item.id}`);
      const snippet = text === undefined ? undefined : snippetOf(text, terms);
      if (snippet !== undefined) item.snippet = snippet;
    }
  }

  return {
    /**
     * Records matching `query` in any case, with or without diacritics, in either script ("gjakove" finds
     * "Gjakovë", "urosevac" finds "Урошевац"), newest indexed first. A query with no words lists instead.
     *
     * @example await search.search({ query: 'Reçak 1999', filters: { actType: 'killing' } }, actor)
     */
    async search(input: SearchInput, who: Searcher): Promise<SearchPage> {
      mayRead(who);
      const q = parseInput(searchInputSchema, input);
      const terms = queryTerms(q.query);
      if (terms.length > maxQueryTerms) throw new ArchiveError('IPC_BAD_INPUT', `The search has too many words (at most ${maxQueryTerms}).`);
      return guarded(async () => {
        if (terms.length === 0) {
          // Nothing to match: the filtered testimony list, when testimonies are among the kinds asked for.
          if (q.kinds && !q.kinds.includes('testimony')) return { items: [], nextCursor: null };
          return listPage(scoped(q.filters), q.limit, q.cursor);
        }
        const afterDoc = q.cursor ? decodeCursor(q.cursor, 'search').doc : null;
        const last = terms.at(-1);
        const expansion = last?.prefix ? await expandPrefix(last) : undefined;
        if (expansion?.length === 0) return { items: [], nextCursor: null };
        const rows = (await searchQuery(matchExpression(terms, expansion), q.kinds, scoped(q.filters), q.limit, afterDoc).execute(db)).rows;
        const page = rows.slice(0, q.limit);
        const items: SearchItem[] = page.map(({ doc, ...item }) => item);
        if (q.snippets) await addSnippets(items, terms);
        const end = page.at(-1);
        return { items, nextCursor: rows.length > q.limit && end ? encodeCursor({ k: 'search', doc: end.doc }) : null };
      });
    },

    /** A page of the testimony list, newest change first, filtered; nothing else is loaded. */
    async list(input: ListInput, who: Searcher): Promise<SearchPage> {
      mayRead(who);
      const q = parseInput(listInputSchema, input);
      return guarded(() => listPage(scoped(q.filters), q.limit, q.cursor));
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
