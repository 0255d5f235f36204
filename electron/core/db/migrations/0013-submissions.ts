// Migration 13: submission recipients (age keys registered by a director), the log of exported bundles, and the
// bundles this archive's users have verified (for the sequence check against replays).
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0013: Migration = {
  version: 13,
  name: '0013-submissions',
  async up(db) {
    // A recipient is never deleted, only retired: the submissions log names who each bundle was encrypted to.
    await sql`CREATE TABLE recipients (
      id TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('commission', 'auditor', 'other')),
      age_recipient TEXT NOT NULL UNIQUE,
      fingerprint TEXT NOT NULL,
      added_by TEXT NOT NULL REFERENCES users(id),
      added_at TEXT NOT NULL,
      retired_at TEXT
    ) STRICT`.execute(db);
    // One row per export, written before the bundle: its sequence number is reserved and never reused, even when
    // the export fails or is cancelled (a reused number would make a later genuine bundle look like a replay).
    await sql`CREATE TABLE submissions (
      id TEXT PRIMARY KEY,
      sequence INTEGER NOT NULL UNIQUE CHECK (sequence > 0),
      status TEXT NOT NULL CHECK (status IN ('writing', 'complete', 'failed', 'cancelled')),
      created_by TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      finished_at TEXT,
      recipients TEXT NOT NULL,
      filters TEXT NOT NULL,
      counts TEXT,
      manifest_sha256 TEXT,
      payload_sha256 TEXT,
      payload_bytes INTEGER
    ) STRICT`.execute(db);
    // Bundles verified in this archive, per signing key: a second bundle with a sequence already seen is a replay.
    await sql`CREATE TABLE seen_bundles (
      key_id TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      bundle_id TEXT NOT NULL,
      manifest_sha256 TEXT NOT NULL,
      verified_by TEXT NOT NULL REFERENCES users(id),
      verified_at TEXT NOT NULL,
      PRIMARY KEY (key_id, sequence)
    ) STRICT, WITHOUT ROWID`.execute(db);
  },
};
