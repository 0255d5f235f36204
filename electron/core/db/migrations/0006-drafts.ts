// Migration 6: form drafts saved automatically, one per (user, key), each sealed to its author alone.
// There is no plaintext column for a draft's content: only a nonce, the ciphertext and the author's sealed data key.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0006: Migration = {
  version: 6,
  name: '0006-drafts',
  async up(db) {
    // A rowid table, not WITHOUT ROWID: a draft may be megabytes, and WITHOUT ROWID suits small rows only.
    await sql`CREATE TABLE drafts (
      id INTEGER PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      draft_key TEXT NOT NULL CHECK (length(draft_key) BETWEEN 1 AND 100),
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      sealed_key BLOB NOT NULL,
      saved_at TEXT NOT NULL,
      UNIQUE (user_id, draft_key)
    ) STRICT`.execute(db);
    // The list is one user's drafts newest first: served by this index alone, without a sort.
    await sql`CREATE INDEX drafts_user_saved ON drafts (user_id, saved_at, draft_key)`.execute(db);
  },
};
