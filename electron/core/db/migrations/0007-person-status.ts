// Migration 7: a person's status (survived, killed, still missing, found...), a plain statistical column.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0007: Migration = {
  version: 7,
  name: '0007-person-status',
  async up(db) {
    // NULL = not recorded; the code is checked against the victimOutcomes vocabulary in core (vocabularies grow).
    await sql`ALTER TABLE persons ADD COLUMN status TEXT CHECK (status IS NULL OR length(status) BETWEEN 1 AND 64)`.execute(db);
  },
};
