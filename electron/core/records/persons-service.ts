// People who appear in testimonies and sessions. A restricted person's identity (names, birth date,
// residence, contact) is sealed to readers; sex, ethnicity and status stay queryable for anonymised statistics.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { similarPersonsInputSchema, type PersonInput, type SimilarPersonsInput } from '../../../shared/records/schemas';
import { isAllowed } from '../access/policy';
import { requireReach } from '../access/reach';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema, PersonsTable } from '../db/schema';
import { inTransaction } from '../db/in-transaction';
import { ArchiveError } from '../errors';
import { indexPerson } from '../search/search-indexer';
import type { Actor, ReadersOf, ReferenceCheck } from './actor';
import { parseEdtf } from './edtf-date';
import { candidatesQuery, writePersonNameKeys, type KeyLookup } from './person-name-keys';
import {
  bestNameSimilarity, birthMatches, birthWindow, keyMatchWeight, minNameSimilarity, nameFormWords, scoreCandidate, typoMatchWeight, typoVariants,
  type NameForms, type SimilarityReason,
} from './person-similarity';
import { auditRestrictedRead } from './record-readers';
import { appendRevision, changedFields, historyOf, readRevision, type RevisionEntry } from './revisions';
import { openSealed, openSealedIfReader, requireReaderIfRestricted, storeSealed } from './sealed-store';

type Identity = Pick<PersonInput, 'names' | 'birthDate' | 'residencePlaceId' | 'contact'>;

export type PersonState = PersonInput & { id: string; revision: number; identityVisible: boolean };

/** A suggested duplicate: a normal person's plaintext identity, how alike (0..1) and why. */
export type SimilarPerson = { id: string; names: NameForms; birthDate: string | null; residencePlaceId: string | null; score: number; reasons: SimilarityReason[] };

/** Persons read and scored per lookup, at most: the best by matched name words, residence and birth date. */
export const similarPool = 200;

/** What a person's revision stores in plaintext: the statistical fields, and the identity when the person is normal. */
// status is absent from revisions written before migration 0007 (read as null).
type PlainSnapshot = Pick<PersonInput, 'sex' | 'ethnicity' | 'confidentiality'> & Partial<Pick<PersonInput, 'status'>> & Partial<Identity>;

export type PersonsDeps = { db: Kysely<ArchiveSchema>; sodium: Sodium; now: () => number; reference: ReferenceCheck; readersOf: ReadersOf };

export function validatePerson(input: PersonInput, reference: ReferenceCheck) {
  if (!reference.isCode('sexes', input.sex)) throw new ArchiveError('RECORD_UNKNOWN_CODE', 'Unknown sex code.');
  if (input.ethnicity !== null && !reference.isCode('ethnicities', input.ethnicity)) throw new ArchiveError('RECORD_UNKNOWN_CODE', 'Unknown ethnicity code.');
  if (input.status !== null && !reference.isCode('victimOutcomes', input.status)) throw new ArchiveError('RECORD_UNKNOWN_CODE', 'Unknown person status code.');
  if (input.residencePlaceId !== null && !reference.isPlace(input.residencePlaceId)) throw new ArchiveError('RECORD_UNKNOWN_PLACE', 'Unknown place.');
  return input.birthDate === null ? null : parseEdtf(input.birthDate);
}

export function createPersonsService(deps: PersonsDeps) {
  const { db, sodium } = deps;
  const iso = () => new Date(deps.now()).toISOString();

  async function columnsFor(trx: Kysely<ArchiveSchema>, id: string, input: PersonInput, authorId: string, at: string) {
    const birth = validatePerson(input, deps.reference);
    const plain = { sex: input.sex, ethnicity: input.ethnicity, status: input.status, confidentiality: input.confidentiality };
    if (input.confidentiality === 'restricted') {
      const identity: Identity = { names: input.names, birthDate: birth?.edtf ?? null, residencePlaceId: input.residencePlaceId, contact: input.contact };
      const sealedId = await storeSealed(trx, sodium, at, 'person', id, identity, await deps.readersOf(trx, { kind: 'person', id, authorId }));
      return {
        ...plain,
        name_sq: null, name_sr_latn: null, name_sr_cyrl: null, birth_edtf: null, birth_lo: null, birth_hi: null,
        residence_place_id: null, contact: null, identity_sealed_id: sealedId,
      };
    }
    return {
      ...plain,
      name_sq: input.names.sq, name_sr_latn: input.names.srLatn, name_sr_cyrl: input.names.srCyrl,
      birth_edtf: birth?.edtf ?? null, birth_lo: birth?.lo ?? null, birth_hi: birth?.hi ?? null,
      residence_place_id: input.residencePlaceId, contact: input.contact, identity_sealed_id: null,
    };
  }

  async function stateOf(row: PersonsTable, actor: Actor): Promise<PersonState> {
    const base = { id: row.id, revision: row.revision, sex: row.sex, ethnicity: row.ethnicity, status: row.status, confidentiality: row.confidentiality };
    if (row.confidentiality === 'normal') {
      return {
        ...base,
        names: { sq: row.name_sq, srLatn: row.name_sr_latn, srCyrl: row.name_sr_cyrl },
        birthDate: row.birth_edtf, residencePlaceId: row.residence_place_id, contact: row.contact, identityVisible: true,
      };
    }
    const identity = (await openSealedIfReader(db, sodium, row.identity_sealed_id ?? '', actor.userId, actor.box)) as Identity | null;
    if (identity) return { ...base, ...identity, identityVisible: true };
    return { ...base, names: { sq: null, srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, contact: null, identityVisible: false };
  }

  async function rowOf(id: string): Promise<PersonsTable> {
    const row = await db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ArchiveError('RECORD_NOT_FOUND', 'No such person.');
    return row;
  }

  /** The plain part of a revision: everything for a normal person, only the statistical fields for a restricted one. */
  const plainSnapshot = (input: PersonInput, birthEdtf: string | null): PlainSnapshot => ({
    sex: input.sex,
    ethnicity: input.ethnicity,
    status: input.status,
    confidentiality: input.confidentiality,
    ...(input.confidentiality === 'normal' ? { names: input.names, birthDate: birthEdtf, residencePlaceId: input.residencePlaceId, contact: input.contact } : {}),
  });

  return {
    async create(input: PersonInput, actor: Actor): Promise<PersonState> {
      const id = randomUUID();
      const at = iso();
      await inTransaction(db, async (trx) => {
        const cols = await columnsFor(trx, id, input, actor.userId, at);
        await trx.insertInto('persons').values({ id, ...cols, revision: 1, created_at: at, created_by: actor.userId, updated_at: at, updated_by: actor.userId }).execute();
        await appendRevision(trx, {
          kind: 'person', id, revision: 1, action: 'create', at, by: actor.userId,
          snapshot: plainSnapshot(input, cols.birth_edtf),
          sealedSnapshotId: cols.identity_sealed_id,
          changed: Object.keys(input),
        });
        await indexPerson(trx, id);
        await writePersonNameKeys(trx, id);
      });
      return stateOf(await rowOf(id), actor);
    },

    /** A reader's view of the person: the policy's reach, then the identity if they hold a copy (audited when restricted). */
    async get(id: string, actor: Actor): Promise<PersonState> {
      await requireReach(db, actor, 'persons.get', { kind: 'person', id });
      const state = await stateOf(await rowOf(id), actor);
      if (state.confidentiality === 'restricted' && state.identityVisible) await auditRestrictedRead(db, iso(), actor.userId, 'person', id, state.revision);
      return state;
    },

    /** Directors edit any person; a recorder only those they created. The creator keeps the author's sealed copy. */
    async update(id: string, input: PersonInput, expectedRevision: number, actor: Actor): Promise<PersonState> {
      const row = await rowOf(id);
      await requireReach(db, actor, 'persons.update', { kind: 'person', id });
      const before = await stateOf(row, actor);
      if (before.revision !== expectedRevision) throw new ArchiveError('RECORD_CONFLICT', 'The person changed since it was read.');
      if (!before.identityVisible) throw new ArchiveError('CONTENT_NO_ACCESS', 'This person is restricted and has not been shared with you.');
      const at = iso();
      const revision = before.revision + 1;
      await inTransaction(db, async (trx) => {
        const cols = await columnsFor(trx, id, input, row.created_by, at);
        const r = await trx.updateTable('persons').set({ ...cols, revision, updated_at: at, updated_by: actor.userId }).where('id', '=', id).where('revision', '=', expectedRevision).executeTakeFirst();
        if (r.numUpdatedRows !== 1n) throw new ArchiveError('RECORD_CONFLICT', 'The person changed since it was read.');
        await appendRevision(trx, {
          kind: 'person', id, revision, action: 'update', at, by: actor.userId,
          snapshot: plainSnapshot(input, cols.birth_edtf),
          sealedSnapshotId: cols.identity_sealed_id,
          changed: changedFields(before, input),
        });
        await indexPerson(trx, id);
        await writePersonNameKeys(trx, id);
      });
      return stateOf(await rowOf(id), actor);
    },

    async history(id: string, actor: Actor): Promise<RevisionEntry[]> {
      await requireReach(db, actor, 'persons.history', { kind: 'person', id });
      return historyOf(db, 'person', id, 'person');
    },

    /**
     * The person as saved at an earlier revision (what `get` answered then). A restricted revision's identity
     * comes from its sealed snapshot: a user without a copy gets CONTENT_NO_ACCESS, as for testimonies.
     */
    async atRevision(id: string, revision: number, actor: Actor): Promise<PersonState> {
      await requireReach(db, actor, 'persons.atRevision', { kind: 'person', id });
      const entry = await readRevision(db, 'person', id, revision, 'person');
      const now = await db.selectFrom('persons').select(['confidentiality', 'identity_sealed_id']).where('id', '=', id).executeTakeFirst();
      const restricted = now?.confidentiality === 'restricted';
      await requireReaderIfRestricted(db, sodium, now && { restricted, sealedId: now.identity_sealed_id }, actor.userId, actor.box);
      const snap = entry.snapshot as PlainSnapshot;
      const base = { id, revision, sex: snap.sex, ethnicity: snap.ethnicity, status: snap.status ?? null, confidentiality: snap.confidentiality, identityVisible: true };
      const identity: Identity = entry.sealedSnapshotId
        ? ((await openSealed(db, sodium, entry.sealedSnapshotId, actor.userId, actor.box)) as Identity)
        : { names: snap.names ?? { sq: null, srLatn: null, srCyrl: null }, birthDate: snap.birthDate ?? null, residencePlaceId: snap.residencePlaceId ?? null, contact: snap.contact ?? null };
      // An earlier revision of a restricted person is shown only to its readers (above): a restricted read as well.
      if (restricted || entry.sealedSnapshotId) await auditRestrictedRead(db, iso(), actor.userId, 'person', id, revision);
      return { ...base, names: identity.names, birthDate: identity.birthDate, residencePlaceId: identity.residencePlaceId, contact: identity.contact };
    },

    /**
     * Persons who may be the one being entered: names alike across scripts, diacritics, Albanian and Serbian
     * spelling, word order and one typo per word; a birth date within two years and the same residence add
     * to the score. Best first, at most `limit`.
     *
     * Candidates are found through person_name_keys (key equality on its primary key, typo variants
     * included), never by scoring every person. Restricted persons are never suggested: their names, birth
     * date and residence are all sealed, so nothing of them may be matched in plaintext, and their keys
     * are never stored.
     *
     * @example await persons.similar({ names: { sq: 'Shaqir Gashi', srLatn: null, srCyrl: null }, birthDate: '1961', residencePlaceId: 'gjakove', excludeId: null, limit: 5 }, actor)
     */
    async similar(input: SimilarPersonsInput, actor: Actor): Promise<SimilarPerson[]> {
      if (!isAllowed(actor.role, 'persons.create')) throw new ArchiveError('AUTH_FORBIDDEN', 'Your role does not allow entering persons.');
      const parsed = similarPersonsInputSchema.safeParse(input);
      if (!parsed.success) {
        const where = parsed.error.issues[0]?.path.join('.') || 'input';
        throw new ArchiveError('IPC_BAD_INPUT', `Invalid duplicate-person lookup (${where}).`);
      }
      const q = parsed.data;
      const typed = nameFormWords(q.names);
      const typedKeys = [...new Set(typed.flat().map((w) => w.key))];
      if (typedKeys.length === 0) return [];
      const lookups: KeyLookup[] = typedKeys.flatMap((key) => [
        { key, word: key, weight: keyMatchWeight },
        ...typoVariants(key).map((v) => ({ key: v, word: key, weight: typoMatchWeight })),
      ]);
      const window = birthWindow(q.birthDate);
      const filter = { typedWords: Math.min(...typed.map((t) => t.length)), minSimilarity: minNameSimilarity, excludeId: q.excludeId, birth: window, residencePlaceId: q.residencePlaceId };
      const rows = (await candidatesQuery(lookups, filter, similarPool).execute(db)).rows;
      const out: SimilarPerson[] = [];
      for (const r of rows) {
        const names = { sq: r.name_sq, srLatn: r.name_sr_latn, srCyrl: r.name_sr_cyrl };
        const birth = birthMatches(window, { edtf: r.birth_edtf, lo: r.birth_lo, hi: r.birth_hi });
        const residence = q.residencePlaceId !== null && r.residence_place_id === q.residencePlaceId;
        const scored = scoreCandidate(bestNameSimilarity(typed, names), birth, residence);
        if (scored) out.push({ id: r.id, names, birthDate: r.birth_edtf, residencePlaceId: r.residence_place_id, ...scored });
      }
      out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      return out.slice(0, q.limit);
    },

    async exists(id: string): Promise<boolean> {
      return (await db.selectFrom('persons').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },
  };
}

export type PersonsService = ReturnType<typeof createPersonsService>;
