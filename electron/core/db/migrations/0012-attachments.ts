// Migration 12: encrypted attachments (files outside the database), their chain of custody and segment index.
// An attachment's key and original name have no plaintext column when its owner record is restricted: CHECKs keep
// them NULL and require the sealed content (sealed to the record's readers) instead.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0012: Migration = {
  version: 12,
  name: '0012-attachments',
  async up(db) {
    await sql`CREATE TABLE attachments (
      id TEXT PRIMARY KEY,
      owner_kind TEXT NOT NULL CHECK (owner_kind IN ('testimony', 'session')),
      owner_id TEXT NOT NULL,
      file_name TEXT,
      file_key BLOB,
      key_sealed_id TEXT REFERENCES sealed_contents(id),
      media_type TEXT NOT NULL,
      size INTEGER NOT NULL CHECK (size >= 0),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      source TEXT NOT NULL CHECK (source IN ('import', 'recording')),
      device TEXT,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES users(id),
      status TEXT NOT NULL CHECK (status IN ('unverified', 'ok', 'damaged')),
      last_verified_at TEXT,
      CHECK ((key_sealed_id IS NULL AND file_key IS NOT NULL AND length(file_key) = 32 AND file_name IS NOT NULL)
        OR (key_sealed_id IS NOT NULL AND file_key IS NULL AND file_name IS NULL))
    ) STRICT`.execute(db);
    // A record's attachments, oldest first (id breaks ties): served by the index without a sort.
    await sql`CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id, created_at, id)`.execute(db);

    await sql`CREATE TABLE attachment_custody (
      attachment_id TEXT NOT NULL REFERENCES attachments(id),
      seq INTEGER NOT NULL CHECK (seq >= 1),
      at TEXT NOT NULL,
      by TEXT NOT NULL REFERENCES users(id),
      event TEXT NOT NULL CHECK (event IN ('intake', 'verify', 'damaged')),
      detail TEXT NOT NULL,
      PRIMARY KEY (attachment_id, seq)
    ) STRICT, WITHOUT ROWID`.execute(db);
    // Custody is evidence: entries are added, never changed or removed.
    await sql`CREATE TRIGGER attachment_custody_no_update BEFORE UPDATE ON attachment_custody BEGIN SELECT RAISE(ABORT, 'attachment_custody is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER attachment_custody_no_delete BEFORE DELETE ON attachment_custody BEGIN SELECT RAISE(ABORT, 'attachment_custody is append-only'); END`.execute(db);

    // Segments of a restricted owner's recording keep title, summary and keywords in sealed content only.
    await sql`CREATE TABLE attachment_segments (
      id TEXT PRIMARY KEY,
      attachment_id TEXT NOT NULL REFERENCES attachments(id),
      start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
      end_ms INTEGER NOT NULL CHECK (end_ms > start_ms),
      title TEXT,
      summary TEXT,
      keywords TEXT,
      text_sealed_id TEXT REFERENCES sealed_contents(id),
      violation_ids TEXT NOT NULL,
      revision INTEGER NOT NULL CHECK (revision >= 1),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL REFERENCES users(id),
      CHECK ((text_sealed_id IS NULL AND title IS NOT NULL AND summary IS NOT NULL AND keywords IS NOT NULL)
        OR (text_sealed_id IS NOT NULL AND title IS NULL AND summary IS NULL AND keywords IS NULL))
    ) STRICT`.execute(db);
    await sql`CREATE INDEX attachment_segments_attachment ON attachment_segments (attachment_id, start_ms, id)`.execute(db);
  },
};
