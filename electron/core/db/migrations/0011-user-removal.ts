// Migration 11: a removed account keeps its users row (records and the audit log name it) but is marked removed.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0011: Migration = {
  version: 9, // TEMP: renumbered to 11 when 0009/0010 land
  name: '0011-user-removal',
  async up(db) {
    // The row stays: created_by, taker_id and audit entries refer to it; the keyring entry is what is deleted.
    await sql`ALTER TABLE users ADD COLUMN removed_at TEXT`.execute(db);
    // TEMP-BEFORE-MERGE: stands in for 0010-record-grants until that branch lands.
    await sql`CREATE TABLE record_grants (record_kind TEXT NOT NULL, record_id TEXT NOT NULL, user_id TEXT NOT NULL, granted_by TEXT NOT NULL, granted_at TEXT NOT NULL, PRIMARY KEY (record_kind, record_id, user_id)) STRICT`.execute(db);
  },
};
