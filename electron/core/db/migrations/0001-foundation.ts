// Migration 1: accounts, settings and archive metadata for the first vertical slice.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0001: Migration = {
  version: 1,
  name: '0001-foundation',
  async up(db) {
    await sql`CREATE TABLE archive_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT`.execute(db);
    await sql`CREATE TABLE users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('recorder', 'director', 'auditor')),
      created_at TEXT NOT NULL,
      must_change_passphrase INTEGER NOT NULL DEFAULT 0 CHECK (must_change_passphrase IN (0, 1)),
      disabled_at TEXT
    ) STRICT`.execute(db);
    await sql`CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT REFERENCES users(id)
    ) STRICT`.execute(db);
  },
};
