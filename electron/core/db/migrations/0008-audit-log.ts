// Migration 8: the audit trail, an append-only hash chain of who did what (ids and actions, never content).
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0008: Migration = {
  version: 8,
  name: '0008-audit-log',
  async up(db) {
    await sql`CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY CHECK (seq >= 1),
      at TEXT NOT NULL,
      actor TEXT,
      action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
      subject_kind TEXT,
      subject_id TEXT,
      detail TEXT NOT NULL CHECK (json_valid(detail) AND json_type(detail) = 'object'),
      prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
      hash BLOB NOT NULL CHECK (length(hash) = 32)
    ) STRICT`.execute(db);
    // Append-only for the app; someone with the key can still drop these, which is what the chain is for.
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  },
};
