// Migration 2: people, testimonies, coded violations, consent, append-only revisions and sealed content.
// Restricted fields never have a plaintext column to land in: CHECK constraints keep them NULL when restricted.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0002: Migration = {
  version: 2,
  name: '0002-records',
  async up(db) {
    await sql`CREATE TABLE sealed_contents (
      id TEXT PRIMARY KEY,
      record_kind TEXT NOT NULL,
      record_id TEXT NOT NULL,
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
    await sql`CREATE INDEX sealed_contents_record ON sealed_contents (record_kind, record_id)`.execute(db);
    await sql`CREATE TABLE sealed_keys (
      content_id TEXT NOT NULL REFERENCES sealed_contents(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id),
      sealed_key BLOB NOT NULL,
      PRIMARY KEY (content_id, user_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
    await sql`CREATE INDEX sealed_keys_user ON sealed_keys (user_id)`.execute(db);

    await sql`CREATE TABLE persons (
      id TEXT PRIMARY KEY,
      confidentiality TEXT NOT NULL CHECK (confidentiality IN ('normal', 'restricted')),
      name_sq TEXT,
      name_sr_latn TEXT,
      name_sr_cyrl TEXT,
      birth_edtf TEXT,
      birth_lo TEXT,
      birth_hi TEXT,
      residence_place_id TEXT,
      contact TEXT,
      identity_sealed_id TEXT REFERENCES sealed_contents(id),
      sex TEXT NOT NULL,
      ethnicity TEXT,
      revision INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES users(id),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL REFERENCES users(id),
      CHECK (confidentiality = 'normal' OR (name_sq IS NULL AND name_sr_latn IS NULL AND name_sr_cyrl IS NULL
        AND birth_edtf IS NULL AND birth_lo IS NULL AND birth_hi IS NULL AND residence_place_id IS NULL
        AND contact IS NULL AND identity_sealed_id IS NOT NULL))
    ) STRICT`.execute(db);

    await sql`CREATE TABLE testimonies (
      id TEXT PRIMARY KEY,
      deponent_id TEXT NOT NULL REFERENCES persons(id),
      taker_id TEXT NOT NULL REFERENCES users(id),
      interpreter TEXT,
      language TEXT NOT NULL,
      mode TEXT NOT NULL,
      date_edtf TEXT,
      date_lo TEXT,
      date_hi TEXT,
      place_id TEXT,
      title TEXT NOT NULL,
      narrative TEXT,
      sensitivity TEXT NOT NULL CHECK (sensitivity IN ('normal', 'restricted')),
      content_sealed_id TEXT REFERENCES sealed_contents(id),
      status TEXT NOT NULL CHECK (status IN ('draft', 'reviewed', 'sealed')),
      revision INTEGER NOT NULL,
      sealed_revision INTEGER,
      sealed_at TEXT,
      sealed_by TEXT REFERENCES users(id),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES users(id),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL REFERENCES users(id),
      CHECK (sensitivity = 'normal' OR (narrative IS NULL AND content_sealed_id IS NOT NULL))
    ) STRICT`.execute(db);
    await sql`CREATE INDEX testimonies_status_updated ON testimonies (status, updated_at)`.execute(db);
    await sql`CREATE INDEX testimonies_date ON testimonies (date_lo, date_hi)`.execute(db);
    await sql`CREATE INDEX testimonies_deponent ON testimonies (deponent_id)`.execute(db);
    await sql`CREATE INDEX testimonies_place ON testimonies (place_id)`.execute(db);

    await sql`CREATE TABLE testimony_groups (
      testimony_id TEXT NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
      group_code TEXT NOT NULL,
      PRIMARY KEY (testimony_id, group_code)
    ) STRICT, WITHOUT ROWID`.execute(db);
    await sql`CREATE INDEX testimony_groups_code ON testimony_groups (group_code, testimony_id)`.execute(db);

    await sql`CREATE TABLE violations (
      id TEXT PRIMARY KEY,
      testimony_id TEXT NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      victim_id TEXT NOT NULL REFERENCES persons(id),
      act_type TEXT NOT NULL,
      date_edtf TEXT,
      date_lo TEXT,
      date_hi TEXT,
      place_id TEXT,
      perpetrator_type TEXT,
      victim_outcome TEXT,
      notes TEXT,
      UNIQUE (testimony_id, position)
    ) STRICT`.execute(db);
    await sql`CREATE INDEX violations_act_date ON violations (act_type, date_lo)`.execute(db);
    await sql`CREATE INDEX violations_victim ON violations (victim_id)`.execute(db);

    await sql`CREATE TABLE consents (
      record_kind TEXT NOT NULL CHECK (record_kind IN ('testimony', 'session')),
      record_id TEXT NOT NULL,
      person_id TEXT NOT NULL REFERENCES persons(id),
      explained_by TEXT NOT NULL,
      language TEXT NOT NULL,
      form_version TEXT NOT NULL,
      medium TEXT NOT NULL CHECK (medium IN ('written', 'recorded')),
      scope_archive INTEGER NOT NULL CHECK (scope_archive IN (0, 1)),
      scope_statistics INTEGER NOT NULL CHECK (scope_statistics IN (0, 1)),
      scope_commission TEXT NOT NULL CHECK (scope_commission IN ('named', 'pseudonymised', 'none')),
      scope_public_hearing INTEGER NOT NULL CHECK (scope_public_hearing IN (0, 1)),
      scope_prosecution INTEGER NOT NULL CHECK (scope_prosecution IN (0, 1)),
      scope_media INTEGER NOT NULL CHECK (scope_media IN (0, 1)),
      scope_recontact INTEGER NOT NULL CHECK (scope_recontact IN (0, 1)),
      anonymity_level TEXT NOT NULL,
      embargo_until TEXT,
      minor INTEGER NOT NULL CHECK (minor IN (0, 1)),
      guardian TEXT,
      withdrawn_on TEXT,
      withdrawal_scope TEXT CHECK (withdrawal_scope IN ('all', 'commission', 'public', 'media')),
      withdrawal_note TEXT,
      PRIMARY KEY (record_kind, record_id, person_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
    await sql`CREATE INDEX consents_commission ON consents (record_kind, scope_commission, record_id)`.execute(db);

    // Append-only history: full snapshots, so any earlier state is reconstructed exactly.
    await sql`CREATE TABLE record_revisions (
      record_kind TEXT NOT NULL,
      record_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('create', 'update', 'review', 'seal', 'revise')),
      at TEXT NOT NULL,
      by TEXT NOT NULL REFERENCES users(id),
      snapshot TEXT NOT NULL,
      sealed_snapshot_id TEXT REFERENCES sealed_contents(id),
      changed TEXT NOT NULL,
      PRIMARY KEY (record_kind, record_id, revision)
    ) STRICT, WITHOUT ROWID`.execute(db);
    await sql`CREATE TRIGGER record_revisions_no_update BEFORE UPDATE ON record_revisions
      BEGIN SELECT RAISE(ABORT, 'record_revisions is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER record_revisions_no_delete BEFORE DELETE ON record_revisions
      BEGIN SELECT RAISE(ABORT, 'record_revisions is append-only'); END`.execute(db);
  },
};
