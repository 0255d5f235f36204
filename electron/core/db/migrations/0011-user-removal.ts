// Migration 11: a removed account keeps its users row (records and the audit log name it) but is marked removed.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0011: Migration = {
  version: 11,
  name: '0011-user-removal',
  async up(db) {
    // The row stays: created_by, taker_id and audit entries refer to it; the keyring entry is what is deleted.
    await sql`ALTER TABLE users ADD COLUMN removed_at TEXT`.execute(db);
  },
};
