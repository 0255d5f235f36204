// Migration 9: signed checkpoints of the audit trail (count + head hash as a C2SP signed note), append-only;
// and indexes for the auditor's filters on the log.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0009: Migration = {
  version: 9,
  name: '0009-audit-checkpoints',
  async up(db) {
    // count and head repeat what the signed note says, for listing; the verifier trusts only the note.
    await sql`CREATE TABLE audit_checkpoints (
      id INTEGER PRIMARY KEY CHECK (id >= 1),
      at TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (reason IN ('lock', 'export', 'manual')),
      count INTEGER NOT NULL CHECK (count >= 0),
      head BLOB NOT NULL CHECK (length(head) = 32),
      note TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 8192)
    ) STRICT`.execute(db);
    // The auditor's filters by actor and by record, newest first, without walking the whole log.
    await sql`CREATE INDEX audit_log_actor ON audit_log (actor, seq)`.execute(db);
    await sql`CREATE INDEX audit_log_subject ON audit_log (subject_id, seq)`.execute(db);
    // Append-only for the app, like the log itself; someone with the key can drop these, which the signatures are for.
    await sql`CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`.execute(db);
  },
};
