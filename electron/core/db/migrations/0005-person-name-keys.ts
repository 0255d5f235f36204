// Migration 5: phonetic name keys of normal persons, the prefilter behind duplicate-person suggestions.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0005: Migration = {
  version: 5,
  name: '0005-person-name-keys',
  async up(db) {
    // One row per distinct key of a person's name words (records/person-similarity.ts: folded, Albanian and
    // Serbian spellings brought together). Suggestions look candidates up by key equality on the primary
    // key instead of scoring every person. `name_words` (the fewest words of any of the person's name forms)
    // bounds how alike a name can be, so persons matched by one common word of several ("Krasniqi") are
    // dropped in SQL; the birth range and residence are copies of the person's own plaintext columns, so the
    // rest are ranked on this table alone and only the best few persons are read. Derived data: rewritten on
    // every person write.
    // A restricted person's names are sealed, and a phonetic key is a near copy of a name: none may land
    // here, which the trigger below enforces whatever the caller does.
    await sql`CREATE TABLE person_name_keys (
      key TEXT NOT NULL CHECK (length(key) BETWEEN 2 AND 200),
      person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
      name_words INTEGER NOT NULL CHECK (name_words >= 1),
      birth_lo TEXT,
      birth_hi TEXT,
      residence_place_id TEXT,
      PRIMARY KEY (key, person_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
    // A person's keys are replaced on each write: found by person, not by a scan.
    await sql`CREATE INDEX person_name_keys_person ON person_name_keys (person_id)`.execute(db);
    await sql`CREATE TRIGGER person_name_keys_normal_only BEFORE INSERT ON person_name_keys
      WHEN (SELECT confidentiality FROM persons WHERE id = NEW.person_id) IS NOT 'normal'
      BEGIN SELECT RAISE(ABORT, 'person_name_keys holds keys of normal persons only'); END`.execute(db);
    // A person made restricted loses their keys in the same statement, even if a caller forgot to delete them.
    await sql`CREATE TRIGGER person_name_keys_restricted AFTER UPDATE OF confidentiality ON persons
      WHEN NEW.confidentiality <> 'normal'
      BEGIN DELETE FROM person_name_keys WHERE person_id = NEW.id; END`.execute(db);
  },
};
