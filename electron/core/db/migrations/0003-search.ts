// Migration 3: the full-text index of records (FTS5 over folded text) and the indexes behind the testimony list.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0003: Migration = {
  version: 3,
  name: '0003-search',
  async up(db) {
    // One row per indexed record. `doc` is the record's row in search_index (FTS5 rowids are ours to pick),
    // kept across updates, so "newest indexed first" is a stable order for keyset pagination.
    // The other columns are what a result shows and what the kind-independent filters test, copied from
    // the record's plaintext columns in the same transaction as the record write: never restricted content.
    // `title` is NULL for a restricted person, whose names are sealed.
    await sql`CREATE TABLE search_docs (
      doc INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('testimony', 'person', 'session')),
      record_id TEXT NOT NULL,
      title TEXT,
      date_edtf TEXT,
      date_lo TEXT,
      date_hi TEXT,
      place_id TEXT,
      status TEXT,
      UNIQUE (kind, record_id)
    ) STRICT`.execute(db);

    // Folded text (shared/text/fold.ts: case, diacritics and script removed) of each record's plaintext
    // columns; unicode61 with remove_diacritics 2 is a second guard for anything folding left.
    // Contentless (https://sqlite.org/fts5.html#contentless_tables): the index keeps tokens, not a second
    // copy of every narrative, and contentless_delete lets an update replace a record's row by rowid.
    // kind and record_id live in search_docs: an FTS5 UNINDEXED column cannot be looked up without a scan.
    // Only plaintext columns are indexed (search/search-document.ts): a restricted testimony's title is one,
    // and staff find and pick records by it; its narrative and notes are sealed and never reach this table.
    await sql`CREATE VIRTUAL TABLE search_index USING fts5(
      title, body, names,
      content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);

    // The index's own word list (https://sqlite.org/fts5.html#the_fts5vocab_virtual_table_module): a word
    // typed so far is expanded to the indexed words it starts, which FTS5 then streams newest first, instead
    // of a native prefix query that merges every such word's whole doclist before returning anything.
    await sql`CREATE VIRTUAL TABLE search_terms USING fts5vocab(search_index, row)`.execute(db);

    // The testimony list, newest first, keyset-paginated by (updated_at, id). Migration 2's (status, updated_at)
    // index serves lists filtered by status; these serve the unfiltered list and lists by place (which would
    // otherwise sort every testimony of a large municipality: 27 ms at 100k testimonies). The dates ride
    // along so that a date filter is tested on the index, not on 2 KB testimony rows that an encrypted
    // database must decrypt whenever they are not in the page cache.
    await sql`CREATE INDEX testimonies_updated ON testimonies (updated_at, id, date_lo, date_hi)`.execute(db);
    await sql`CREATE INDEX testimonies_place_updated ON testimonies (place_id, updated_at, id)`.execute(db);
    // "Has an act of this type": answered from the index alone, for lists and search filters alike.
    await sql`CREATE INDEX violations_testimony_act ON violations (testimony_id, act_type)`.execute(db);
  },
};
