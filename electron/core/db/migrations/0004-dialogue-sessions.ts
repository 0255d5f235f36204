// Migration 4: dialogue sessions (round tables, peace tables) with participants and follow-up actions.
// Restricted minutes, outcomes and participant notes have no plaintext to land in: CHECK constraints keep them NULL.
import { sql } from 'kysely';
import type { Migration } from './frozen-db';

export const migration0004: Migration = {
  version: 4,
  name: '0004-dialogue-sessions',
  async up(db) {
    await sql`CREATE TABLE dialogue_sessions (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('round-table', 'peace-table')),
      status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
      title TEXT NOT NULL,
      date_edtf TEXT NOT NULL,
      date_lo TEXT NOT NULL,
      date_hi TEXT NOT NULL,
      place_id TEXT,
      facilitators TEXT NOT NULL CHECK (json_valid(facilitators) AND json_type(facilitators) = 'array'),
      agenda TEXT NOT NULL,
      minutes TEXT,
      outcomes TEXT,
      sensitivity TEXT NOT NULL CHECK (sensitivity IN ('normal', 'restricted')),
      content_sealed_id TEXT REFERENCES sealed_contents(id),
      revision INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES users(id),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL REFERENCES users(id),
      -- The parent key of session_participants' (session_id, sensitivity): a CHECK cannot see the parent row,
      -- so each participant row carries its session's sensitivity and this key keeps the two equal.
      UNIQUE (id, sensitivity),
      CHECK (sensitivity = 'normal' OR (minutes IS NULL AND outcomes IS NULL AND content_sealed_id IS NOT NULL)),
      CHECK (sensitivity = 'restricted' OR content_sealed_id IS NULL)
    ) STRICT`.execute(db);
    // The list is keyset-paginated by (updated_at, id) newest first, optionally filtered by kind, status or date.
    await sql`CREATE INDEX dialogue_sessions_updated ON dialogue_sessions (updated_at, id)`.execute(db);
    await sql`CREATE INDEX dialogue_sessions_kind_updated ON dialogue_sessions (kind, updated_at, id)`.execute(db);
    await sql`CREATE INDEX dialogue_sessions_status_updated ON dialogue_sessions (status, updated_at, id)`.execute(db);
    await sql`CREATE INDEX dialogue_sessions_date ON dialogue_sessions (date_lo, date_hi)`.execute(db);
    await sql`CREATE INDEX dialogue_sessions_place ON dialogue_sessions (place_id)`.execute(db);

    await sql`CREATE TABLE session_participants (
      session_id TEXT NOT NULL,
      sensitivity TEXT NOT NULL CHECK (sensitivity IN ('normal', 'restricted')),
      position INTEGER NOT NULL,
      person_id TEXT NOT NULL REFERENCES persons(id),
      role TEXT NOT NULL,
      notes TEXT,
      PRIMARY KEY (session_id, person_id),
      UNIQUE (session_id, position),
      FOREIGN KEY (session_id, sensitivity) REFERENCES dialogue_sessions(id, sensitivity) ON DELETE CASCADE,
      CHECK (sensitivity = 'normal' OR notes IS NULL)
    ) STRICT, WITHOUT ROWID`.execute(db);
    await sql`CREATE INDEX session_participants_person ON session_participants (person_id, session_id)`.execute(db);

    await sql`CREATE TABLE session_follow_ups (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES dialogue_sessions(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      text TEXT NOT NULL,
      owner TEXT NOT NULL,
      due_date TEXT CHECK (due_date IS NULL OR date(due_date) IS due_date),
      status TEXT NOT NULL CHECK (status IN ('open', 'in-progress', 'done', 'dropped')),
      UNIQUE (session_id, position)
    ) STRICT`.execute(db);
    await sql`CREATE INDEX session_follow_ups_status_due ON session_follow_ups (status, due_date)`.execute(db);
  },
};
