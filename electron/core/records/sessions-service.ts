// Dialogue sessions (round tables and peace tables): participants with role and consent, agenda, minutes, outcomes
// and follow-up actions. Every change is a full-snapshot revision; a restricted session's minutes, outcomes and
// participants' notes are sealed to readers and never stored in plaintext columns.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { FollowUpInput, FollowUpStatus, SessionInput, SessionListInput } from '../../../shared/records/session-schemas';
import { requireReach } from '../access/reach';
import { sealPlainAttachmentKeys } from '../attachments/attachment-keys';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema, DialogueSessionsTable } from '../db/schema';
import { inTransaction } from '../db/in-transaction';
import { ArchiveError } from '../errors';
import { indexSession } from '../search/search-indexer';
import type { Actor, ReadersOf, ReferenceCheck } from './actor';
import { consentOf, consentRow } from './consent-rows';
import { parseEdtf } from './edtf-date';
import { auditRestrictedRead } from './record-readers';
import { appendRevision, changedFields, historyOf, readRevision, type RevisionEntry } from './revisions';
import { openSealed, openSealedIfReader, requireReaderIfRestricted, storeSealed } from './sealed-store';

/** A follow-up action as stored: its id is stable across revisions, so a status change names it. */
export type FollowUp = Omit<FollowUpInput, 'id'> & { id: string };

export type SessionState = Omit<SessionInput, 'followUps'> & {
  id: string;
  followUps: FollowUp[];
  /** The recording staff member who created the session: gets a sealed copy, may edit it. */
  createdBy: string;
  revision: number;
  /** False when the session is restricted and this user holds no sealed copy: minutes, outcomes and notes are withheld. */
  contentVisible: boolean;
};

/** One row of the session list: what is shown without opening the session (never sealed content). */
export type SessionSummary = Pick<SessionState, 'id' | 'kind' | 'status' | 'title' | 'date' | 'placeId' | 'sensitivity' | 'revision'> & { updatedAt: string };

export type SessionPage = { items: SessionSummary[]; nextCursor: string | null };

/** The restricted part of a session: what is sealed instead of stored in columns. */
type SealedPart = { minutes: string; outcomes: string; participantNotes: Array<string | null> };

/** What a revision stores in plaintext: the state without id and revision; sealed fields are null when restricted. */
type Snapshot = Omit<SessionState, 'id' | 'revision' | 'contentVisible' | 'minutes' | 'outcomes'> & { minutes: string | null; outcomes: string | null };

export type SessionsDeps = {
  db: Kysely<ArchiveSchema>;
  sodium: Sodium;
  now: () => number;
  reference: ReferenceCheck;
  readersOf: ReadersOf;
};

const isIsoDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) && new Date(Date.parse(s)).toISOString().slice(0, 10) === s;

/** The keyset cursor: the (updated_at, id) of the last row of a page, opaque to callers. */
const encodeCursor = (updatedAt: string, id: string) => Buffer.from(JSON.stringify([updatedAt, id])).toString('base64url');

function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v): v is string => typeof v === 'string' && v.length <= 64)) {
    throw new ArchiveError('IPC_BAD_INPUT', 'The list cursor is not one this archive gave out.');
  }
  const [updatedAt, id] = value as [string, string];
  return { updatedAt, id };
}

/**
 * The list query, newest first with (updated_at, id) as the keyset; exported so tests can EXPLAIN the exact SQL.
 * A date filter matches sessions whose date range overlaps [dateFrom, dateTo].
 *
 * @example sessionListQuery(db, { kind: 'peace-table', limit: 50 }).execute()
 */
export function sessionListQuery(db: Kysely<ArchiveSchema>, filter: SessionListInput) {
  if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > 200) throw new ArchiveError('IPC_BAD_INPUT', 'The page size must be 1 to 200.');
  let q = db.selectFrom('dialogue_sessions').select(['id', 'kind', 'status', 'title', 'date_edtf', 'place_id', 'sensitivity', 'revision', 'updated_at']);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.dateFrom !== undefined) q = q.where('date_hi', '>=', filter.dateFrom);
  if (filter.dateTo !== undefined) q = q.where('date_lo', '<=', filter.dateTo);
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    q = q.where((eb) => eb(eb.refTuple('updated_at', 'id'), '<', eb.tuple(c.updatedAt, c.id)));
  }
  // One row more than asked: its presence says whether there is a next page.
  return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
}

export function createSessionsService(deps: SessionsDeps) {
  const { db, sodium, reference } = deps;
  const iso = () => new Date(deps.now()).toISOString();

  /** Checks codes, places, dates and references; returns the normalised date and follow-ups with their ids. */
  async function validate(trx: Kysely<ArchiveSchema>, id: string, input: SessionInput) {
    const code = (vocab: Parameters<ReferenceCheck['isCode']>[0], value: string, what: string) => {
      if (!reference.isCode(vocab, value)) throw new ArchiveError('RECORD_UNKNOWN_CODE', `Unknown ${what} code.`);
    };
    for (const p of input.participants) {
      code('participantRoles', p.role, 'participant role');
      code('languages', p.consent.language, 'consent language');
      code('anonymityLevels', p.consent.anonymityLevel, 'anonymity level');
    }
    if (input.placeId !== null && !reference.isPlace(input.placeId)) throw new ArchiveError('RECORD_UNKNOWN_PLACE', 'Unknown place.');
    const { edtf, lo, hi } = parseEdtf(input.date);
    // A meeting happened (or is planned) within known days; an open-ended range would also escape the date filter.
    if (lo === null || hi === null) throw new ArchiveError('RECORD_INVALID_DATE', 'A session date needs both a start and an end.');
    const date = { edtf, lo, hi };
    for (const f of input.followUps) {
      if (f.dueDate !== null && !isIsoDay(f.dueDate)) throw new ArchiveError('RECORD_INVALID_DATE', 'A follow-up due date is not a calendar day (yyyy-mm-dd).');
    }

    const people = input.participants.map((p) => p.personId);
    if (new Set(people).size !== people.length) throw new ArchiveError('IPC_BAD_INPUT', 'A person is listed twice among the participants.');
    if (people.length > 0) {
      const found = await trx.selectFrom('persons').select('id').where('id', 'in', people).execute();
      if (found.length !== people.length) throw new ArchiveError('RECORD_UNKNOWN_REFERENCE', 'A participant does not exist.');
    }

    const given = input.followUps.flatMap((f) => (f.id === null ? [] : [f.id]));
    if (new Set(given).size !== given.length) throw new ArchiveError('IPC_BAD_INPUT', 'A follow-up action is listed twice.');
    if (given.length > 0) {
      const own = await trx.selectFrom('session_follow_ups').select('id').where('session_id', '=', id).where('id', 'in', given).execute();
      if (own.length !== given.length) throw new ArchiveError('RECORD_UNKNOWN_REFERENCE', 'A follow-up action does not belong to this session.');
    }
    const followUps: FollowUp[] = input.followUps.map((f) => ({ ...f, id: f.id ?? randomUUID() }));
    return { date, followUps };
  }

  /** Writes the current state's rows (session, participants, consents, follow-ups) and the revision. */
  async function write(
    trx: Transaction<ArchiveSchema>,
    id: string,
    input: SessionInput,
    meta: { createdBy: string; revision: number; at: string; actor: Actor; action: 'create' | 'update'; before: SessionState | null },
  ) {
    const { date, followUps } = await validate(trx, id, input);
    const restricted = input.sensitivity === 'restricted';
    let sealedId: string | null = null;
    if (restricted) {
      const part: SealedPart = { minutes: input.minutes, outcomes: input.outcomes, participantNotes: input.participants.map((p) => p.notes) };
      const readers = await deps.readersOf(trx, { kind: 'session', id, authorId: meta.createdBy });
      sealedId = await storeSealed(trx, sodium, meta.at, 'session', id, part, readers);
      // Attachments added while it was normal follow the session into restriction.
      await sealPlainAttachmentKeys(trx, sodium, meta.at, { kind: 'session', id }, readers);
    }
    const columns = {
      kind: input.kind,
      status: input.status,
      title: input.title,
      date_edtf: date.edtf,
      date_lo: date.lo,
      date_hi: date.hi,
      place_id: input.placeId,
      facilitators: JSON.stringify(input.facilitators),
      agenda: input.agenda,
      minutes: restricted ? null : input.minutes,
      outcomes: restricted ? null : input.outcomes,
      sensitivity: input.sensitivity,
      content_sealed_id: sealedId,
      revision: meta.revision,
      updated_at: meta.at,
      updated_by: meta.actor.userId,
    };
    if (meta.action === 'create') {
      await trx.insertInto('dialogue_sessions').values({ id, ...columns, created_at: meta.at, created_by: meta.actor.userId }).execute();
    } else {
      // Children first: participant rows carry the session's sensitivity through a foreign key, so they go
      // before the session row may change it.
      await trx.deleteFrom('session_participants').where('session_id', '=', id).execute();
      await trx.deleteFrom('session_follow_ups').where('session_id', '=', id).execute();
      await trx.deleteFrom('consents').where('record_kind', '=', 'session').where('record_id', '=', id).execute();
      const r = await trx.updateTable('dialogue_sessions').set(columns).where('id', '=', id).where('revision', '=', meta.revision - 1).executeTakeFirst();
      if (r.numUpdatedRows !== 1n) throw new ArchiveError('RECORD_CONFLICT', 'The session changed since it was read.');
    }
    if (input.participants.length) {
      await trx
        .insertInto('session_participants')
        .values(
          input.participants.map((p, position) => ({
            session_id: id,
            sensitivity: input.sensitivity,
            position,
            person_id: p.personId,
            role: p.role,
            notes: restricted ? null : p.notes,
          })),
        )
        .execute();
      await trx.insertInto('consents').values(input.participants.map((p) => consentRow('session', id, p.personId, p.consent))).execute();
    }
    if (followUps.length) {
      await trx
        .insertInto('session_follow_ups')
        .values(followUps.map((f, position) => ({ id: f.id, session_id: id, position, text: f.text, owner: f.owner, due_date: f.dueDate, status: f.status })))
        .execute();
    }
    const full = { ...input, date: date.edtf, followUps };
    const snapshot: Snapshot = {
      ...full,
      minutes: restricted ? null : input.minutes,
      outcomes: restricted ? null : input.outcomes,
      participants: input.participants.map((p) => ({ ...p, notes: restricted ? null : p.notes })),
      createdBy: meta.createdBy,
    };
    const changed = meta.before === null ? Object.keys(input) : changedFields(inputOf(meta.before), full);
    await appendRevision(trx, { kind: 'session', id, revision: meta.revision, action: meta.action, at: meta.at, by: meta.actor.userId, snapshot, sealedSnapshotId: sealedId, changed });
    // Create, update and follow-up changes all pass here: the index entry commits or fails with the write.
    await indexSession(trx, id);
  }

  /** The current state as `actor` sees it, without the reach check or the read audit (the service's own reads). */
  async function load(id: string, actor: Actor): Promise<SessionState> {
    const row = await db.selectFrom('dialogue_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ArchiveError('RECORD_NOT_FOUND', 'No such session.');
    const [participants, followUps, consents] = await Promise.all([
      db.selectFrom('session_participants').selectAll().where('session_id', '=', id).orderBy('position').execute(),
      db.selectFrom('session_follow_ups').selectAll().where('session_id', '=', id).orderBy('position').execute(),
      db.selectFrom('consents').selectAll().where('record_kind', '=', 'session').where('record_id', '=', id).execute(),
    ]);
    const consentOfPerson = new Map(consents.map((c) => [c.person_id, c]));
    const sealed =
      row.sensitivity === 'restricted' ? ((await openSealedIfReader(db, sodium, row.content_sealed_id ?? '', actor.userId, actor.box)) as SealedPart | null) : null;
    const contentVisible = row.sensitivity === 'normal' || sealed !== null;
    const restricted = row.sensitivity === 'restricted';
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      title: row.title,
      date: row.date_edtf,
      placeId: row.place_id,
      facilitators: JSON.parse(row.facilitators) as string[],
      participants: participants.map((p) => {
        const consent = consentOfPerson.get(p.person_id);
        if (!consent) throw new ArchiveError('INTERNAL', 'A session participant has no consent record.');
        return { personId: p.person_id, role: p.role, notes: restricted ? (sealed?.participantNotes[p.position] ?? null) : p.notes, consent: consentOf(consent) };
      }),
      agenda: row.agenda,
      minutes: restricted ? (sealed?.minutes ?? '') : (row.minutes ?? ''),
      outcomes: restricted ? (sealed?.outcomes ?? '') : (row.outcomes ?? ''),
      followUps: followUps.map((f) => ({ id: f.id, text: f.text, owner: f.owner, dueDate: f.due_date, status: f.status })),
      sensitivity: row.sensitivity,
      createdBy: row.created_by,
      revision: row.revision,
      contentVisible,
    };
  }

  /** A reader's view of the session: the policy's reach, then the content if they hold a copy (audited when restricted). */
  async function get(id: string, actor: Actor): Promise<SessionState> {
    await requireReach(db, actor, 'sessions.get', { kind: 'session', id });
    const state = await load(id, actor);
    if (state.sensitivity === 'restricted' && state.contentVisible) await auditRestrictedRead(db, iso(), actor.userId, 'session', id, state.revision);
    return state;
  }

  /** The checks before any change: who may edit (directors any session, a recorder their own), the optimistic revision, and access to the sealed part. */
  async function editable(id: string, expectedRevision: number, actor: Actor, method: 'sessions.update' | 'sessions.setFollowUpStatus'): Promise<SessionState> {
    const before = await load(id, actor);
    await requireReach(db, actor, method, { kind: 'session', id });
    if (before.revision !== expectedRevision) throw new ArchiveError('RECORD_CONFLICT', 'The session changed since it was read.');
    if (!before.contentVisible) throw new ArchiveError('CONTENT_NO_ACCESS', 'This session has not been shared with you.');
    return before;
  }

  return {
    get,

    async create(input: SessionInput, actor: Actor): Promise<SessionState> {
      if (actor.role === 'auditor') throw new ArchiveError('AUTH_FORBIDDEN', 'Auditors do not record sessions.');
      const id = randomUUID();
      await inTransaction(db, (trx) => write(trx, id, input, { createdBy: actor.userId, revision: 1, at: iso(), actor, action: 'create', before: null }));
      return load(id, actor);
    },

    async update(id: string, input: SessionInput, expectedRevision: number, actor: Actor): Promise<SessionState> {
      const before = await editable(id, expectedRevision, actor, 'sessions.update');
      await inTransaction(db, (trx) =>
        write(trx, id, input, { createdBy: before.createdBy, revision: before.revision + 1, at: iso(), actor, action: 'update', before }),
      );
      return load(id, actor);
    },

    /** Moves one follow-up action to `status` as a new revision (unchanged status: no revision). */
    async setFollowUpStatus(id: string, followUpId: string, status: FollowUpStatus, expectedRevision: number, actor: Actor): Promise<SessionState> {
      const before = await editable(id, expectedRevision, actor, 'sessions.setFollowUpStatus');
      const target = before.followUps.find((f) => f.id === followUpId);
      if (!target) throw new ArchiveError('RECORD_NOT_FOUND', 'No such follow-up action in this session.');
      if (target.status === status) return before;
      const input: SessionInput = { ...inputOf(before), followUps: before.followUps.map((f) => (f.id === followUpId ? { ...f, status } : f)) };
      await inTransaction(db, (trx) =>
        write(trx, id, input, { createdBy: before.createdBy, revision: before.revision + 1, at: iso(), actor, action: 'update', before }),
      );
      return load(id, actor);
    },

    async history(id: string, actor: Actor): Promise<RevisionEntry[]> {
      await requireReach(db, actor, 'sessions.history', { kind: 'session', id });
      return historyOf(db, 'session', id, 'session');
    },

    /** The full state at an earlier revision, restricted fields included when the user holds a copy (else CONTENT_NO_ACCESS). */
    async atRevision(id: string, revision: number, actor: Actor): Promise<SessionState> {
      await requireReach(db, actor, 'sessions.atRevision', { kind: 'session', id });
      const entry = await readRevision(db, 'session', id, revision, 'session');
      const now = await db.selectFrom('dialogue_sessions').select(['sensitivity', 'content_sealed_id']).where('id', '=', id).executeTakeFirst();
      const restricted = now?.sensitivity === 'restricted';
      await requireReaderIfRestricted(db, sodium, now && { restricted, sealedId: now.content_sealed_id }, actor.userId, actor.box);
      const snap = entry.snapshot as Snapshot;
      let state: SessionState = { ...snap, id, revision, minutes: snap.minutes ?? '', outcomes: snap.outcomes ?? '', contentVisible: true };
      if (entry.sealedSnapshotId) {
        const part = (await openSealed(db, sodium, entry.sealedSnapshotId, actor.userId, actor.box)) as SealedPart;
        state = {
          ...state,
          minutes: part.minutes,
          outcomes: part.outcomes,
          participants: snap.participants.map((p, i) => ({ ...p, notes: part.participantNotes[i] ?? null })),
        };
      }
      // An earlier revision of a restricted session is shown only to its readers (above): a restricted read as well.
      if (restricted || entry.sealedSnapshotId) await auditRestrictedRead(db, iso(), actor.userId, 'session', id, revision);
      return state;
    },

    /** One page of sessions, newest change first; pass `nextCursor` back for the next page. */
    async list(filter: SessionListInput): Promise<SessionPage> {
      const rows = await sessionListQuery(db, filter).execute();
      const page = rows.slice(0, filter.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => summaryOf(r)),
        nextCursor: rows.length > filter.limit && last ? encodeCursor(last.updated_at, last.id) : null,
      };
    },
  };
}

function summaryOf(r: Pick<DialogueSessionsTable, 'id' | 'kind' | 'status' | 'title' | 'date_edtf' | 'place_id' | 'sensitivity' | 'revision' | 'updated_at'>): SessionSummary {
  return { id: r.id, kind: r.kind, status: r.status, title: r.title, date: r.date_edtf, placeId: r.place_id, sensitivity: r.sensitivity, revision: r.revision, updatedAt: r.updated_at };
}

/** The editable part of a state: what `update` takes. */
function inputOf(s: SessionState): SessionInput {
  const { id, createdBy, revision, contentVisible, ...input } = s;
  return input;
}

export type SessionsService = ReturnType<typeof createSessionsService>;
