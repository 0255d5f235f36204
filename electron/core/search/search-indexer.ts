// Keeps the full-text index in step with the records: called inside each record write's own transaction.
import { sql, type Kysely } from 'kysely';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import { indexableNames, personDocument, sessionDocument, testimonyDocument, type SearchDocument } from './search-document';

/**
 * Inserts or replaces one record's entry. The record keeps its `doc` number across updates, so its
 * place in "newest first" results does not move when it is edited.
 *
 * @example await writeSearchDocument(trx, personDocument(row))
 */
export async function writeSearchDocument(db: Kysely<ArchiveSchema>, doc: SearchDocument): Promise<void> {
  const { doc: rowid } = await db
    .insertInto('search_docs')
    .values(doc.row)
    .onConflict((oc) =>
      oc.columns(['kind', 'record_id']).doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        date_edtf: eb.ref('excluded.date_edtf'),
        date_lo: eb.ref('excluded.date_lo'),
        date_hi: eb.ref('excluded.date_hi'),
        place_id: eb.ref('excluded.place_id'),
        status: eb.ref('excluded.status'),
      })),
    )
    .returning('doc')
    .executeTakeFirstOrThrow();
  // A contentless-delete FTS5 table replaces a whole row by rowid (it cannot update single columns).
  await sql`INSERT OR REPLACE INTO search_index (rowid, title, body, names) VALUES (${rowid}, ${doc.text.title}, ${doc.text.body}, ${doc.text.names})`.execute(db);
}

/**
 * Re-reads a testimony's plaintext columns (in the caller's transaction) and rewrites its entry. Reading
 * back what was stored, instead of taking the service's input, means sealed content cannot reach the index.
 */
export async function indexTestimony(db: Kysely<ArchiveSchema>, id: string): Promise<void> {
  const t = await db
    .selectFrom('testimonies')
    .select(['id', 'title', 'narrative', 'sensitivity', 'date_edtf', 'date_lo', 'date_hi', 'place_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!t) throw new ArchiveError('RECORD_NOT_FOUND', 'No such testimony.');
  const notes = await db.selectFrom('violations').select('notes').where('testimony_id', '=', id).orderBy('position').execute();
  const people = await db
    .selectFrom('persons')
    .select(['confidentiality', 'name_sq', 'name_sr_latn', 'name_sr_cyrl'])
    .where('id', 'in', (eb) =>
      eb.selectFrom('testimonies').select('deponent_id as person_id').where('id', '=', id).union(eb.selectFrom('violations').select('victim_id as person_id').where('testimony_id', '=', id)),
    )
    .orderBy('id')
    .execute();
  await writeSearchDocument(db, testimonyDocument(t, notes.map((n) => n.notes), people.flatMap(indexableNames)));
}

/**
 * Re-reads a dialogue session's plaintext columns, participants and follow-ups (in the caller's transaction)
 * and rewrites its entry; like indexTestimony, what was stored is read back, so sealed content cannot reach the index.
 */
export async function indexSession(db: Kysely<ArchiveSchema>, id: string): Promise<void> {
  const s = await db
    .selectFrom('dialogue_sessions')
    .select(['id', 'title', 'agenda', 'minutes', 'outcomes', 'facilitators', 'sensitivity', 'date_edtf', 'date_lo', 'date_hi', 'place_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!s) throw new ArchiveError('RECORD_NOT_FOUND', 'No such session.');
  const [participants, followUps] = await Promise.all([
    db
      .selectFrom('session_participants as sp')
      .innerJoin('persons as p', 'p.id', 'sp.person_id')
      .select(['sp.notes', 'p.confidentiality', 'p.name_sq', 'p.name_sr_latn', 'p.name_sr_cyrl'])
      .where('sp.session_id', '=', id)
      .orderBy('sp.position')
      .execute(),
    db.selectFrom('session_follow_ups').select(['text', 'owner']).where('session_id', '=', id).orderBy('position').execute(),
  ]);
  const facilitators = JSON.parse(s.facilitators) as string[];
  await writeSearchDocument(
    db,
    sessionDocument(s, { facilitators, notes: participants.map((p) => p.notes), followUps, names: participants.flatMap(indexableNames) }),
  );
}

/** Rewrites a person's entry and those of the testimonies (as deponent or victim) and sessions (as participant) that name them. */
export async function indexPerson(db: Kysely<ArchiveSchema>, id: string): Promise<void> {
  const p = await db
    .selectFrom('persons')
    .select(['id', 'confidentiality', 'name_sq', 'name_sr_latn', 'name_sr_cyrl', 'birth_edtf', 'birth_lo', 'birth_hi', 'residence_place_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!p) throw new ArchiveError('RECORD_NOT_FOUND', 'No such person.');
  await writeSearchDocument(db, personDocument(p));
  const naming = await db
    .selectFrom('testimonies')
    .select('id')
    .where('deponent_id', '=', id)
    .union(db.selectFrom('violations').select('testimony_id as id').where('victim_id', '=', id))
    .execute();
  for (const t of naming) await indexTestimony(db, t.id);
  for (const s of await sessionsOfPerson(db, id).execute()) await indexSession(db, s.session_id);
}

/** The sessions a person takes part in; answered from session_participants_person (person_id, session_id) alone. */
export function sessionsOfPerson(db: Kysely<ArchiveSchema>, personId: string) {
  return db.selectFrom('session_participants').select('session_id').where('person_id', '=', personId);
}
