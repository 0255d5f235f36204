// Testimonies (statements) with their coded violations and the deponent's consent: draft -> reviewed -> sealed.
// A sealed testimony is never edited in place; `revise` makes a new revision that a director must seal again.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { TestimonyInput, ViolationInput } from '../../../shared/records/schemas';
import { requireReach } from '../access/reach';
import { sealPlainAttachmentKeys } from '../attachments/attachment-keys';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema, ConsentsTable, TestimoniesTable } from '../db/schema';
import { inTransaction } from '../db/in-transaction';
import { ArchiveError } from '../errors';
import { indexTestimony } from '../search/search-indexer';
import type { Actor, ReadersOf, ReferenceCheck } from './actor';
import { consentOf, consentRow } from './consent-rows';
import { parseEdtf } from './edtf-date';
import { auditRestrictedRead } from './record-readers';
import { appendRevision, changedFields, historyOf, readRevision, type RevisionEntry } from './revisions';
import { openSealed, openSealedIfReader, requireReaderIfRestricted, storeSealed } from './sealed-store';

export type TestimonyState = Omit<TestimonyInput, 'violations'> & {
  /** Every stored violation has its id: an edit sends it back to keep the violation (and the segments' links to it). */
  violations: Array<ViolationInput & { id: string }>;
  id: string;
  takerId: string;
  status: TestimoniesTable['status'];
  revision: number;
  sealedRevision: number | null;
  /** False when the testimony is restricted and this user holds no sealed copy: narrative and notes are withheld. */
  contentVisible: boolean;
};

/** The restricted part of a testimony: what is sealed instead of stored in columns. */
type SealedPart = { narrative: string; violationNotes: Array<string | null> };

export type TestimoniesDeps = {
  db: Kysely<ArchiveSchema>;
  sodium: Sodium;
  now: () => number;
  reference: ReferenceCheck;
  readersOf: ReadersOf;
};

const withdrawnFor = (c: Pick<ConsentsTable, 'withdrawn_on' | 'withdrawal_scope'>, scope: 'commission') =>
  c.withdrawn_on !== null && (c.withdrawal_scope === 'all' || c.withdrawal_scope === scope);

export function createTestimoniesService(deps: TestimoniesDeps) {
  const { db, sodium, reference } = deps;
  const iso = () => new Date(deps.now()).toISOString();

  async function validate(trx: Kysely<ArchiveSchema>, input: TestimonyInput) {
    const code = (vocab: Parameters<ReferenceCheck['isCode']>[0], value: string | null, what: string) => {
      if (value !== null && !reference.isCode(vocab, value)) throw new ArchiveError('RECORD_UNKNOWN_CODE', `Unknown ${what} code.`);
    };
    const place = (id: string | null) => {
      if (id !== null && !reference.isPlace(id)) throw new ArchiveError('RECORD_UNKNOWN_PLACE', 'Unknown place.');
    };
    code('languages', input.language, 'language');
    code('testimonyModes', input.mode, 'mode');
    input.affectedGroups.forEach((g) => code('affectedGroups', g, 'affected group'));
    code('languages', input.consent.language, 'consent language');
    code('anonymityLevels', input.consent.anonymityLevel, 'anonymity level');
    place(input.placeId);
    const date = input.date === null ? null : parseEdtf(input.date);
    const violations = input.violations.map((v) => {
      code('actTypes', v.actType, 'act type');
      code('perpetratorTypes', v.perpetratorType, 'perpetrator type');
      code('victimOutcomes', v.victimOutcome, 'victim outcome');
      place(v.placeId);
      return { ...v, range: v.date === null ? null : parseEdtf(v.date) };
    });
    const people = [...new Set([input.deponentId, ...input.violations.map((v) => v.victimId)])];
    const found = await trx.selectFrom('persons').select('id').where('id', 'in', people).execute();
    if (found.length !== people.length) throw new ArchiveError('RECORD_UNKNOWN_REFERENCE', 'A deponent or victim does not exist.');
    return { date, violations };
  }

  /**
   * The id each input violation is stored under: its own when it names one of this testimony's violations, a new
   * one when it names none. An id on a new testimony, an id of another testimony's violation or the same id twice
   * is refused: ids are never chosen by the caller, only kept.
   */
  async function stableViolationIds(trx: Kysely<ArchiveSchema>, id: string, input: TestimonyInput, creating: boolean): Promise<string[]> {
    const given = input.violations.map((v) => v.id).filter((v): v is string => v !== undefined);
    if (given.length === 0) return input.violations.map(() => randomUUID());
    if (creating) throw new ArchiveError('IPC_BAD_INPUT', 'A new testimony\'s violations have no ids yet.');
    if (new Set(given).size !== given.length) throw new ArchiveError('IPC_BAD_INPUT', 'Two violations of the testimony carry the same id.');
    const existing = new Set((await trx.selectFrom('violations').select('id').where('testimony_id', '=', id).execute()).map((v) => v.id));
    const position = input.violations.findIndex((v) => v.id !== undefined && !existing.has(v.id));
    if (position >= 0) throw new ArchiveError('RECORD_UNKNOWN_REFERENCE', `Violation ${position + 1} names an id that is not one of this testimony's violations.`);
    return input.violations.map((v) => v.id ?? randomUUID());
  }

  /** Writes the current state's rows (testimony columns, groups, violations, consent) and the revision. */
  async function write(trx: Transaction<ArchiveSchema>, id: string, input: TestimonyInput, meta: { takerId: string; status: TestimoniesTable['status']; revision: number; sealedRevision: number | null; at: string; actor: Actor; action: 'create' | 'update' | 'review' | 'seal' | 'revise'; changed: string[]; createdAt?: string }) {
    const { date, violations } = await validate(trx, input);
    const violationIds = await stableViolationIds(trx, id, input, meta.action === 'create');
    const restricted = input.sensitivity === 'restricted';
    let sealedId: string | null = null;
    if (restricted) {
      const part: SealedPart = { narrative: input.narrative, violationNotes: input.violations.map((v) => v.notes) };
      const readers = await deps.readersOf(trx, { kind: 'testimony', id, authorId: meta.takerId });
      sealedId = await storeSealed(trx, sodium, meta.at, 'testimony', id, part, readers);
      // Attachments added while it was normal follow the testimony into restriction.
      await sealPlainAttachmentKeys(trx, sodium, meta.at, { kind: 'testimony', id }, readers);
    }
    const columns = {
      deponent_id: input.deponentId,
      taker_id: meta.takerId,
      interpreter: input.interpreter,
      language: input.language,
      mode: input.mode,
      date_edtf: date?.edtf ?? null,
      date_lo: date?.lo ?? null,
      date_hi: date?.hi ?? null,
      place_id: input.placeId,
      title: input.title,
      narrative: restricted ? null : input.narrative,
      sensitivity: input.sensitivity,
      content_sealed_id: sealedId,
      status: meta.status,
      revision: meta.revision,
      sealed_revision: meta.sealedRevision,
      updated_at: meta.at,
      updated_by: meta.actor.userId,
    };
    if (meta.action === 'create') {
      await trx.insertInto('testimonies').values({ id, ...columns, sealed_at: null, sealed_by: null, created_at: meta.at, created_by: meta.actor.userId }).execute();
    } else {
      const r = await trx
        .updateTable('testimonies')
        .set({ ...columns, ...(meta.action === 'seal' ? { sealed_at: meta.at, sealed_by: meta.actor.userId } : {}) })
        .where('id', '=', id)
        .where('revision', '=', meta.revision - 1)
        .executeTakeFirst();
      if (r.numUpdatedRows !== 1n) throw new ArchiveError('RECORD_CONFLICT', 'The testimony changed since it was read.');
      // Rows are rewritten, but each kept violation under its own id: segments of recordings link to it.
      await trx.deleteFrom('testimony_groups').where('testimony_id', '=', id).execute();
      await trx.deleteFrom('violations').where('testimony_id', '=', id).execute();
      await trx.deleteFrom('consents').where('record_kind', '=', 'testimony').where('record_id', '=', id).execute();
    }
    if (input.affectedGroups.length) {
      await trx.insertInto('testimony_groups').values([...new Set(input.affectedGroups)].map((g) => ({ testimony_id: id, group_code: g }))).execute();
    }
    if (violations.length) {
      await trx
        .insertInto('violations')
        .values(
          violations.map((v, position) => ({
            id: violationIds[position] ?? randomUUID(),
            testimony_id: id,
            position,
            victim_id: v.victimId,
            act_type: v.actType,
            date_edtf: v.range?.edtf ?? null,
            date_lo: v.range?.lo ?? null,
            date_hi: v.range?.hi ?? null,
            place_id: v.placeId,
            perpetrator_type: v.perpetratorType,
            victim_outcome: v.victimOutcome,
            notes: restricted ? null : v.notes,
          })),
        )
        .execute();
    }
    await trx.insertInto('consents').values(consentRow('testimony', id, input.deponentId, input.consent)).execute();
    const plain = {
      ...input,
      date: date?.edtf ?? null,
      narrative: restricted ? null : input.narrative,
      // Without ids: the history compares what was recorded, and ids are the archive's bookkeeping.
      violations: input.violations.map(({ id: _id, ...v }, i) => ({ ...v, date: violations[i]?.range?.edtf ?? null, notes: restricted ? null : v.notes })),
      takerId: meta.takerId,
      status: meta.status,
      sealedRevision: meta.sealedRevision,
    };
    await appendRevision(trx, { kind: 'testimony', id, revision: meta.revision, action: meta.action, at: meta.at, by: meta.actor.userId, snapshot: plain, sealedSnapshotId: sealedId, changed: meta.changed });
    await indexTestimony(trx, id);
  }

  /** The current state as `actor` sees it, without the reach check or the read audit (the service's own reads). */
  async function load(id: string, actor: Actor): Promise<TestimonyState> {
    const row = await db.selectFrom('testimonies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ArchiveError('RECORD_NOT_FOUND', 'No such testimony.');
    const [groups, violations, consent] = await Promise.all([
      db.selectFrom('testimony_groups').select('group_code').where('testimony_id', '=', id).orderBy('group_code').execute(),
      db.selectFrom('violations').selectAll().where('testimony_id', '=', id).orderBy('position').execute(),
      db.selectFrom('consents').selectAll().where('record_kind', '=', 'testimony').where('record_id', '=', id).where('person_id', '=', row.deponent_id).executeTakeFirstOrThrow(),
    ]);
    const sealed =
      row.sensitivity === 'restricted' ? ((await openSealedIfReader(db, sodium, row.content_sealed_id ?? '', actor.userId, actor.box)) as SealedPart | null) : null;
    const contentVisible = row.sensitivity === 'normal' || sealed !== null;
    return {
      id: row.id,
      deponentId: row.deponent_id,
      takerId: row.taker_id,
      interpreter: row.interpreter,
      language: row.language,
      mode: row.mode,
      date: row.date_edtf,
      placeId: row.place_id,
      affectedGroups: groups.map((g) => g.group_code),
      title: row.title,
      narrative: row.sensitivity === 'restricted' ? (sealed?.narrative ?? '') : (row.narrative ?? ''),
      sensitivity: row.sensitivity,
      violations: violations.map((v) => ({
        id: v.id,
        victimId: v.victim_id,
        actType: v.act_type,
        date: v.date_edtf,
        placeId: v.place_id,
        perpetratorType: v.perpetrator_type,
        victimOutcome: v.victim_outcome,
        notes: row.sensitivity === 'restricted' ? (sealed?.violationNotes[v.position] ?? null) : v.notes,
      })),
      consent: consentOf(consent),
      status: row.status,
      revision: row.revision,
      sealedRevision: row.sealed_revision,
      contentVisible,
    };
  }

  /** A reader's view of the testimony: the policy's reach, then the content if they hold a copy (audited when restricted). */
  async function get(id: string, actor: Actor): Promise<TestimonyState> {
    await requireReach(db, actor, 'testimonies.get', { kind: 'testimony', id });
    const state = await load(id, actor);
    if (state.sensitivity === 'restricted' && state.contentVisible) await auditRestrictedRead(db, iso(), actor.userId, 'testimony', id, state.revision);
    return state;
  }

  /** Directors edit any testimony; a recorder only their own (statement-taker or creator), and only while a draft. */
  async function mayEdit(state: TestimonyState, actor: Actor) {
    await requireReach(db, actor, 'testimonies.update', { kind: 'testimony', id: state.id });
    if (actor.role !== 'director' && state.status !== 'draft') throw new ArchiveError('AUTH_FORBIDDEN', 'Your role does not allow editing this testimony.');
  }

  /** The input as the history compares it: a violation's id is not a recorded fact, so it never counts as a change. */
  const withoutViolationIds = (input: TestimonyInput): TestimonyInput => ({ ...input, violations: input.violations.map(({ id: _id, ...v }) => v) });

  const inputOf = (s: TestimonyState): TestimonyInput => {
    const { id, takerId, status, revision, sealedRevision, contentVisible, ...input } = s;
    return input;
  };

  async function transition(id: string, expectedRevision: number, actor: Actor, action: 'review' | 'seal', status: 'reviewed' | 'sealed') {
    if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director reviews and seals testimonies.');
    const before = await load(id, actor);
    if (before.revision !== expectedRevision) throw new ArchiveError('RECORD_CONFLICT', 'The testimony changed since it was read.');
    if (!before.contentVisible) throw new ArchiveError('CONTENT_NO_ACCESS', 'This testimony has not been shared with you.');
    if (before.status === 'sealed') throw new ArchiveError('RECORD_SEALED', 'The testimony is already sealed.');
    const revision = before.revision + 1;
    await inTransaction(db, (trx) =>
      write(trx, id, inputOf(before), { takerId: before.takerId, status, revision, sealedRevision: status === 'sealed' ? revision : before.sealedRevision, at: iso(), actor, action, changed: ['status'] }),
    );
    return load(id, actor);
  }

  return {
    get,

    async create(input: TestimonyInput, actor: Actor): Promise<TestimonyState> {
      if (actor.role === 'auditor') throw new ArchiveError('AUTH_FORBIDDEN', 'Auditors do not record testimonies.');
      const id = randomUUID();
      await inTransaction(db, (trx) =>
        write(trx, id, input, { takerId: actor.userId, status: 'draft', revision: 1, sealedRevision: null, at: iso(), actor, action: 'create', changed: Object.keys(input) }),
      );
      return load(id, actor);
    },

    /** Edits a draft or reviewed testimony in place (as a new revision). A sealed one refuses: use `revise`. */
    async update(id: string, input: TestimonyInput, expectedRevision: number, actor: Actor): Promise<TestimonyState> {
      const before = await load(id, actor);
      if (before.status === 'sealed') throw new ArchiveError('RECORD_SEALED', 'A sealed testimony is not edited in place; create a new revision.');
      await mayEdit(before, actor);
      if (before.revision !== expectedRevision) throw new ArchiveError('RECORD_CONFLICT', 'The testimony changed since it was read.');
      if (!before.contentVisible) throw new ArchiveError('CONTENT_NO_ACCESS', 'This testimony has not been shared with you.');
      await inTransaction(db, (trx) =>
        write(trx, id, input, { takerId: before.takerId, status: before.status, revision: before.revision + 1, sealedRevision: before.sealedRevision, at: iso(), actor, action: 'update', changed: changedFields(withoutViolationIds(inputOf(before)), withoutViolationIds(input)) }),
      );
      return load(id, actor);
    },

    /** A change to a sealed testimony: the sealed revision stays in history; the new one awaits re-sealing. */
    async revise(id: string, input: TestimonyInput, expectedRevision: number, actor: Actor): Promise<TestimonyState> {
      if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director revises a sealed testimony.');
      const before = await load(id, actor);
      if (before.status !== 'sealed') throw new ArchiveError('IPC_BAD_INPUT', 'Only a sealed testimony is revised; edit this one directly.');
      if (before.revision !== expectedRevision) throw new ArchiveError('RECORD_CONFLICT', 'The testimony changed since it was read.');
      if (!before.contentVisible) throw new ArchiveError('CONTENT_NO_ACCESS', 'This testimony has not been shared with you.');
      await inTransaction(db, (trx) =>
        write(trx, id, input, { takerId: before.takerId, status: 'reviewed', revision: before.revision + 1, sealedRevision: before.sealedRevision, at: iso(), actor, action: 'revise', changed: changedFields(withoutViolationIds(inputOf(before)), withoutViolationIds(input)) }),
      );
      return load(id, actor);
    },

    review: (id: string, expectedRevision: number, actor: Actor) => transition(id, expectedRevision, actor, 'review', 'reviewed'),
    seal: (id: string, expectedRevision: number, actor: Actor) => transition(id, expectedRevision, actor, 'seal', 'sealed'),

    async history(id: string, actor: Actor): Promise<RevisionEntry[]> {
      await requireReach(db, actor, 'testimonies.history', { kind: 'testimony', id });
      return historyOf(db, 'testimony', id, 'testimony');
    },

    /** The full state at an earlier revision, restricted fields included when the user holds a copy. */
    async atRevision(id: string, revision: number, actor: Actor): Promise<Record<string, unknown>> {
      await requireReach(db, actor, 'testimonies.atRevision', { kind: 'testimony', id });
      const entry = await readRevision(db, 'testimony', id, revision, 'testimony');
      const now = await db.selectFrom('testimonies').select(['sensitivity', 'content_sealed_id']).where('id', '=', id).executeTakeFirst();
      const restricted = now?.sensitivity === 'restricted';
      await requireReaderIfRestricted(db, sodium, now && { restricted, sealedId: now.content_sealed_id }, actor.userId, actor.box);
      let state = entry.snapshot;
      if (entry.sealedSnapshotId) {
        const part = (await openSealed(db, sodium, entry.sealedSnapshotId, actor.userId, actor.box)) as SealedPart;
        const violations = (entry.snapshot['violations'] as Array<Record<string, unknown>>).map((v, i) => ({ ...v, notes: part.violationNotes[i] ?? null }));
        state = { ...entry.snapshot, narrative: part.narrative, violations };
      }
      // An earlier revision of a restricted record is shown only to its readers (above): a restricted read as well.
      if (restricted || entry.sealedSnapshotId) await auditRestrictedRead(db, iso(), actor.userId, 'testimony', id, revision);
      return state;
    },

    /**
     * Testimonies whose deponent's consent allows submission to the commission at `level` on `today`:
     * archive consent given, commission scope at least `level`, not withdrawn for it, no embargo running.
     */
    async commissionEligible(level: 'named' | 'pseudonymised', today: string): Promise<string[]> {
      const levels = level === 'named' ? ['named'] : ['named', 'pseudonymised'];
      const rows = await db
        .selectFrom('consents')
        .select(['record_id', 'withdrawn_on', 'withdrawal_scope'])
        .where('record_kind', '=', 'testimony')
        .where('scope_commission', 'in', levels as Array<'named' | 'pseudonymised'>)
        .where('scope_archive', '=', 1)
        .where((eb) => eb.or([eb('embargo_until', 'is', null), eb('embargo_until', '<=', today)]))
        .orderBy('record_id')
        .execute();
      return rows.filter((r) => !withdrawnFor(r, 'commission')).map((r) => r.record_id);
    },
  };
}

export type TestimoniesService = ReturnType<typeof createTestimoniesService>;
