// Migration 10: explicit grants of a restricted record to a reader who is neither its author nor a director.
// The grant row is the policy (who is sealed to at the next revision, who an auditor may read); the sealed copies
// in sealed_keys are what makes it hold.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0010: Migration = {
  version: 10,
  name: '0010-record-grants',
  async up(db) {
    await sql`CREATE TABLE record_grants (
      record_kind TEXT NOT NULL CHECK (record_kind IN ('testimony', 'person', 'session')),
      record_id TEXT NOT NULL,
      user_id TEXT NOT NULL REFERENCES users(id),
      granted_by TEXT NOT NULL REFERENCES users(id),
      granted_at TEXT NOT NULL,
      PRIMARY KEY (record_kind, record_id, user_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
    // Removing a user drops their grants: found by user without a scan.
    await sql`CREATE INDEX record_grants_user ON record_grants (user_id)`.execute(db);
  },
};
