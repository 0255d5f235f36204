// Migration 14: the log of encrypted backups made from this archive (where, how large, whether re-verified).
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0014: Migration = {
  version: 14,
  name: '0014-backups',
  async up(db) {
    // One row per backup attempt, written before the copy starts, so a failed or cancelled attempt is also logged.
    // `location` is the backup's own folder (on a removable drive it may be absent later: listing does not need it).
    await sql`CREATE TABLE backups (
      id TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('writing', 'complete', 'failed', 'cancelled')),
      created_by TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      finished_at TEXT,
      location TEXT NOT NULL,
      bytes INTEGER CHECK (bytes IS NULL OR bytes >= 0),
      files INTEGER CHECK (files IS NULL OR files >= 0),
      attachments_copied INTEGER,
      attachments_reused INTEGER,
      manifest_sha256 TEXT,
      verification TEXT NOT NULL CHECK (verification IN ('unverified', 'ok', 'failed')),
      verified_at TEXT,
      verification_detail TEXT
    ) STRICT`.execute(db);
    await sql`CREATE INDEX backups_created ON backups (created_at)`.execute(db);
  },
};
