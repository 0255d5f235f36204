// Which records a commission submission holds (preview) and the pseudonymised records.json payload (build).
//
// Preview reads only plaintext columns and consent rows (no sealed content is opened, nothing is written);
// build reads each included record through the record services with the director's keys, so every read of
// restricted content is audited like every other such read. Rules beyond consent-decision.ts:
//   - A person's identity is decided once per bundle (records.json holds one record per person): 'named' only
//     when every included record the person appears in allows their name; otherwise pseudonymised everywhere.
//     A victim without a consent row on a record is pseudonymised.
//   - A pseudonymised person appears as their label: names -> label, birth date, residence and contact dropped,
//     ethnicity dropped too at anonymity level 'anonymous'. Their names (every form and word, all scripts), full
//     birth date and contact are replaced in every free text of the bundle, records of other people included.
//   - Contacts are never exported, named or not: they serve the archive's own recontact, not the commission.
//   - Restricted records, or records whose people are restricted, that the actor holds no sealed copy of are
//     excluded ('content-not-readable'): their names could not be redacted.
//   - Record refs and person refs are per-bundle labels ("T-…", "S-…", "P-…"), never archive ids, so two
//     submissions cannot be joined. The archive ids come back separately for the archive's own export log.
import type { Kysely } from 'kysely';
import type { ConsentInput, PersonInput } from '../../../shared/records/schemas';
import { recordsFileFormat, recordsFileStrictSchema, recordsFileVersion, type RecordsFileInput } from '../../../shared/records/records-file';
import type { SubmissionFilters, SubmissionRecordKind } from '../../../shared/submissions/schemas';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import type { Actor, ReferenceCheck } from '../records/actor';
import { consentOf } from '../records/consent-rows';
import { overlaps, parseEdtf, type EdtfRange } from '../records/edtf-date';
import type { Records } from '../records/records-context';
import { decideSession, decideTestimony, type ConsentBasis, type Decision, type ExclusionReason, type Identity } from './consent-decision';
import { birthDateNeedles, contactNeedles, createPseudonymiser, createRedactor, nameNeedles, type Redaction } from './pseudonymise';

export type SubmissionDeps = {
  db: Kysely<ArchiveSchema>;
  records: Pick<Records, 'persons' | 'testimonies' | 'sessions'>;
  reference: ReferenceCheck;
};

export type IncludedRecord = { kind: SubmissionRecordKind; id: string; title: string; identity: Identity; restricted: boolean; basis: ConsentBasis[] };
export type ExcludedRecord = { kind: SubmissionRecordKind; id: string; title: string; reasons: ExclusionReason[]; basis: ConsentBasis[] };
/** What the director sees before anything is written. Sorted by kind, then title, then id. */
export type SubmissionPreview = { included: IncludedRecord[]; excluded: ExcludedRecord[] };

type Range = { lo: string | null; hi: string | null };

/** A record matched by the filters, with what its consent decision needs. */
type Candidate = {
  kind: SubmissionRecordKind;
  id: string;
  title: string;
  decision: Decision;
  /** Every person of the record: deponent and victims, or participants. */
  personIds: string[];
  /** Restricted content, or restricted people, the actor holds no sealed copy of. */
  unreadable: boolean;
};

const chunk = <T>(xs: readonly T[], n = 500): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

function requireDirector(actor: Actor) {
  if (actor.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director prepares a commission submission.');
}

function checkFilters(filters: SubmissionFilters, reference: ReferenceCheck): EdtfRange | null {
  // By position, not by value: errors carrying user input never echo it (they reach terminals and logs).
  for (const [i, code] of filters.actTypes.entries()) if (!reference.isCode('actTypes', code)) throw new ArchiveError('RECORD_UNKNOWN_CODE', `Act type ${i + 1} of the filters is not a known code.`);
  for (const [i, code] of filters.affectedGroups.entries()) if (!reference.isCode('affectedGroups', code)) throw new ArchiveError('RECORD_UNKNOWN_CODE', `Affected group ${i + 1} of the filters is not a known code.`);
  for (const [i, id] of filters.placeIds.entries()) if (!reference.isPlace(id)) throw new ArchiveError('RECORD_UNKNOWN_PLACE', `Place ${i + 1} of the filters is not in the gazetteer.`);
  return filters.period === null ? null : parseEdtf(filters.period);
}

/** Content ids of `ids` the user holds a sealed copy of. */
async function readableContents(db: Kysely<ArchiveSchema>, userId: string, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk([...new Set(ids)])) {
    const rows = await db.selectFrom('sealed_keys').select('content_id').where('user_id', '=', userId).where('content_id', 'in', part).execute();
    rows.forEach((r) => out.add(r.content_id));
  }
  return out;
}

/** Restricted persons among `ids` whose identity the user cannot open. */
async function unreadablePersons(db: Kysely<ArchiveSchema>, userId: string, ids: readonly string[]): Promise<Set<string>> {
  const restricted: Array<{ id: string; sealed: string | null }> = [];
  for (const part of chunk([...new Set(ids)])) {
    const rows = await db.selectFrom('persons').select(['id', 'identity_sealed_id']).where('confidentiality', '=', 'restricted').where('id', 'in', part).execute();
    rows.forEach((r) => restricted.push({ id: r.id, sealed: r.identity_sealed_id }));
  }
  const readable = await readableContents(db, userId, restricted.flatMap((r) => (r.sealed === null ? [] : [r.sealed])));
  return new Set(restricted.filter((r) => r.sealed === null || !readable.has(r.sealed)).map((r) => r.id));
}

async function consentsOf(db: Kysely<ArchiveSchema>, kind: 'testimony' | 'session', ids: readonly string[]): Promise<Map<string, ConsentInput>> {
  const out = new Map<string, ConsentInput>();
  for (const part of chunk(ids)) {
    const rows = await db.selectFrom('consents').selectAll().where('record_kind', '=', kind).where('record_id', 'in', part).execute();
    rows.forEach((r) => out.set(`${r.record_id}|${r.person_id}`, consentOf(r)));
  }
  return out;
}

const anyMatch = <T>(wanted: readonly T[], have: readonly T[]) => wanted.length === 0 || have.some((h) => wanted.includes(h));

async function testimonyCandidates(deps: SubmissionDeps, actor: Actor, filters: SubmissionFilters, period: Range | null, exportDate: string): Promise<Candidate[]> {
  const { db } = deps;
  let q = db.selectFrom('testimonies').select(['id', 'title', 'status', 'sensitivity', 'content_sealed_id', 'deponent_id', 'date_lo', 'date_hi', 'place_id']);
  if (filters.testimonyStatuses.length > 0) q = q.where('status', 'in', filters.testimonyStatuses);
  const rows = await q.orderBy('id').execute();
  const ids = rows.map((r) => r.id);
  const violations = new Map<string, Array<{ victimId: string; actType: string; range: Range | null; placeId: string | null }>>();
  const groups = new Map<string, string[]>();
  for (const part of chunk(ids)) {
    const vs = await db.selectFrom('violations').select(['testimony_id', 'victim_id', 'act_type', 'date_lo', 'date_hi', 'date_edtf', 'place_id']).where('testimony_id', 'in', part).orderBy('testimony_id').orderBy('position').execute();
    for (const v of vs) {
      const list = violations.get(v.testimony_id) ?? [];
      list.push({ victimId: v.victim_id, actType: v.act_type, range: v.date_edtf === null ? null : { lo: v.date_lo, hi: v.date_hi }, placeId: v.place_id });
      violations.set(v.testimony_id, list);
    }
    const gs = await db.selectFrom('testimony_groups').select(['testimony_id', 'group_code']).where('testimony_id', 'in', part).execute();
    for (const g of gs) groups.set(g.testimony_id, [...(groups.get(g.testimony_id) ?? []), g.group_code]);
  }
  const matched = rows.filter((r) => {
    const vs = violations.get(r.id) ?? [];
    const ranges = [...(r.date_lo === null && r.date_hi === null ? [] : [{ lo: r.date_lo, hi: r.date_hi }]), ...vs.flatMap((v) => (v.range ? [v.range] : []))];
    const places = [...(r.place_id === null ? [] : [r.place_id]), ...vs.flatMap((v) => (v.placeId === null ? [] : [v.placeId]))];
    return (
      anyMatch(filters.actTypes, vs.map((v) => v.actType)) &&
      anyMatch(filters.affectedGroups, groups.get(r.id) ?? []) &&
      anyMatch(filters.placeIds, places) &&
      (period === null || ranges.some((x) => overlaps(x, period)))
    );
  });
  const consents = await consentsOf(db, 'testimony', matched.map((r) => r.id));
  const personIds = (r: (typeof rows)[number]) => [...new Set([r.deponent_id, ...(violations.get(r.id) ?? []).map((v) => v.victimId)])];
  const hidden = await unreadablePersons(db, actor.userId, matched.flatMap(personIds));
  const readable = await readableContents(db, actor.userId, matched.flatMap((r) => (r.content_sealed_id === null ? [] : [r.content_sealed_id])));
  return matched.map((r) => {
    const decision = decideTestimony(
      {
        status: r.status,
        sensitivity: r.sensitivity,
        deponent: { personId: r.deponent_id, consent: consents.get(`${r.id}|${r.deponent_id}`) ?? null },
        victimIds: (violations.get(r.id) ?? []).map((v) => v.victimId),
      },
      exportDate,
    );
    const people = personIds(r);
    const unreadable = (r.sensitivity === 'restricted' && (r.content_sealed_id === null || !readable.has(r.content_sealed_id))) || people.some((p) => hidden.has(p));
    return { kind: 'testimony', id: r.id, title: r.title, decision, personIds: people, unreadable };
  });
}

async function sessionCandidates(deps: SubmissionDeps, actor: Actor, filters: SubmissionFilters, period: Range | null, exportDate: string): Promise<Candidate[]> {
  // Act types and affected groups are testimony facts: a session cannot match them.
  if (filters.actTypes.length > 0 || filters.affectedGroups.length > 0) return [];
  const { db } = deps;
  let q = db.selectFrom('dialogue_sessions').select(['id', 'title', 'status', 'sensitivity', 'content_sealed_id', 'date_lo', 'date_hi', 'place_id']);
  if (filters.sessionStatuses.length > 0) q = q.where('status', 'in', filters.sessionStatuses);
  if (filters.placeIds.length > 0) q = q.where('place_id', 'in', filters.placeIds);
  const rows = (await q.orderBy('id').execute()).filter((r) => period === null || overlaps({ lo: r.date_lo, hi: r.date_hi }, period));
  const participants = new Map<string, string[]>();
  for (const part of chunk(rows.map((r) => r.id))) {
    const ps = await db.selectFrom('session_participants').select(['session_id', 'person_id']).where('session_id', 'in', part).orderBy('session_id').orderBy('position').execute();
    for (const p of ps) participants.set(p.session_id, [...(participants.get(p.session_id) ?? []), p.person_id]);
  }
  const consents = await consentsOf(db, 'session', rows.map((r) => r.id));
  const hidden = await unreadablePersons(db, actor.userId, [...participants.values()].flat());
  const readable = await readableContents(db, actor.userId, rows.flatMap((r) => (r.content_sealed_id === null ? [] : [r.content_sealed_id])));
  return rows.map((r) => {
    const people = participants.get(r.id) ?? [];
    const decision = decideSession(
      { status: r.status, sensitivity: r.sensitivity, participants: people.map((personId) => ({ personId, consent: consents.get(`${r.id}|${personId}`) ?? null })) },
      exportDate,
    );
    const unreadable = (r.sensitivity === 'restricted' && (r.content_sealed_id === null || !readable.has(r.content_sealed_id))) || people.some((p) => hidden.has(p));
    return { kind: 'session', id: r.id, title: r.title, decision, personIds: people, unreadable };
  });
}

const byKindTitle = (a: { kind: string; title: string; id: string }, b: { kind: string; title: string; id: string }) =>
  a.kind === b.kind ? (a.title === b.title ? (a.id < b.id ? -1 : 1) : a.title.localeCompare(b.title)) : a.kind === 'testimony' ? -1 : 1;

/** The preview plus, for the build, each person's identity in the bundle. */
async function select(deps: SubmissionDeps, actor: Actor, filters: SubmissionFilters, exportDate: string) {
  requireDirector(actor);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(exportDate)) throw new ArchiveError('IPC_BAD_INPUT', 'The export date must be a day (yyyy-mm-dd).');
  const period = checkFilters(filters, deps.reference);
  const candidates = [
    ...(filters.kinds.includes('testimony') ? await testimonyCandidates(deps, actor, filters, period, exportDate) : []),
    ...(filters.kinds.includes('session') ? await sessionCandidates(deps, actor, filters, period, exportDate) : []),
  ];
  const accepted = candidates.filter((c) => c.decision.include && !c.unreadable);
  // A person is named in the bundle only if every included record they appear in names them.
  const personIdentity = new Map<string, Identity>();
  for (const c of accepted) {
    const basisOf = new Map(c.decision.basis.map((b) => [b.personId, b.identity]));
    for (const p of c.personIds) {
      const mine = basisOf.get(p) ?? 'pseudonymised';
      personIdentity.set(p, personIdentity.get(p) === 'pseudonymised' || mine !== 'named' ? 'pseudonymised' : 'named');
    }
  }
  const included: IncludedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  for (const c of candidates) {
    const d = c.decision;
    if (d.include && !c.unreadable) {
      const main = c.kind === 'testimony' ? c.personIds.slice(0, 1) : c.personIds;
      const identity: Identity = main.every((p) => personIdentity.get(p) === 'named') ? 'named' : 'pseudonymised';
      included.push({ kind: c.kind, id: c.id, title: c.title, identity, restricted: d.restricted, basis: d.basis });
    } else {
      const reasons: ExclusionReason[] = [...(d.include ? [] : d.reasons), ...(c.unreadable ? (['content-not-readable'] as const) : [])];
      excluded.push({ kind: c.kind, id: c.id, title: c.title, reasons, basis: d.basis });
    }
  }
  included.sort(byKindTitle);
  excluded.sort(byKindTitle);
  return { preview: { included, excluded }, personIdentity };
}

async function inOrder<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const [i, item] of items.entries()) {
    out.push(await read(item));
    // Database reads resolve at once (better-sqlite3 is synchronous), so without a pause this loop would hold the
    // thread for its whole length: an export streams its attachments meanwhile and needs the event loop.
    if (i % 16 === 15) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

/**
 * Which records the filters select, which are included and at which identity level, and which are excluded and
 * why. Reads no sealed content and writes nothing. Directors only.
 */
export async function previewSubmission(deps: SubmissionDeps, actor: Actor, filters: SubmissionFilters, exportDate: string): Promise<SubmissionPreview> {
  return (await select(deps, actor, filters, exportDate)).preview;
}

/** A person's consent basis as the bundle's manifest records it: by bundle label, never by archive id. */
export type ManifestBasis = Omit<ConsentBasis, 'personId'> & { personRef: string };

export type BuiltSubmission = {
  /** The records.json payload (version 1 of the import format), already pseudonymised and redacted. */
  file: RecordsFileInput;
  /** Per included record: its ref in the file, identity level, restriction and every person's consent basis. */
  manifest: Array<{ kind: SubmissionRecordKind; ref: string; identity: Identity; restricted: boolean; basis: ManifestBasis[] }>;
  /** Which archive record and person each ref stands for: for the archive's own export log, never for the bundle. */
  localIds: { records: Record<string, { kind: SubmissionRecordKind; id: string }>; persons: Record<string, string> };
  preview: SubmissionPreview;
};

export type BuildOptions = {
  exportDate: string;
  /** At least 16 random bytes, one per bundle: pseudonyms depend on it. */
  bundleSecret: Uint8Array;
  /** The director confirmed that the restricted records of the preview may leave the archive. */
  confirmRestricted: boolean;
};

const withheld = { birthDate: '[birth date withheld]', contact: '[contact withheld]', guardian: '[guardian withheld]' };

/** A checked selection: what the bundle will hold, before a record's content is read. */
export type SubmissionSelection = { preview: SubmissionPreview; personIdentity: ReadonlyMap<string, Identity> };

/**
 * The selection a bundle is built from. SUBMISSION_EMPTY when nothing is included;
 * SUBMISSION_CONFIRMATION_REQUIRED when a restricted record is included without `confirmRestricted`. Reads no
 * sealed content and writes nothing, so the export can refuse before it reserves a sequence number.
 */
export async function selectSubmission(deps: SubmissionDeps, actor: Actor, filters: SubmissionFilters, options: Pick<BuildOptions, 'exportDate' | 'confirmRestricted'>): Promise<SubmissionSelection> {
  const { preview, personIdentity } = await select(deps, actor, filters, options.exportDate);
  if (preview.included.length === 0) {
    const reasons = new Map<string, number>();
    for (const r of preview.excluded) for (const why of r.reasons) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    const why = [...reasons].map(([r, n]) => `${r} x${n}`).join(', ');
    throw new ArchiveError('SUBMISSION_EMPTY', `No record matching the filters may be submitted${preview.excluded.length ? ` (${preview.excluded.length} matched, all excluded: ${why})` : ' (none matched)'}.`);
  }
  if (preview.included.some((r) => r.restricted) && !options.confirmRestricted) {
    throw new ArchiveError('SUBMISSION_CONFIRMATION_REQUIRED', 'The submission includes restricted records: confirm them before it is built.');
  }
  return { preview, personIdentity };
}

/**
 * The records to write into the submission's records.json, with their consent basis: selectSubmission, then
 * buildFromSelection. Restricted content is read (and audited) through the record services.
 */
export async function buildSubmissionRecords(deps: SubmissionDeps, actor: Actor, filters: SubmissionFilters, options: BuildOptions): Promise<BuiltSubmission> {
  const selection = await selectSubmission(deps, actor, filters, options);
  return buildFromSelection(deps, actor, selection, submissionLabels(selection, options.bundleSecret));
}

/** Each person's and record's label in the bundle. */
export type SubmissionLabels = { personRef: ReadonlyMap<string, string>; recordRef: ReadonlyMap<string, string> };

/** The bundle's labels, from its secret: known before a record is read, so attachments can be named by record. */
export function submissionLabels(selection: SubmissionSelection, bundleSecret: Uint8Array): SubmissionLabels {
  // Labels in a fixed order (sorted ids), so the same secret gives the same labels.
  const pseudonyms = createPseudonymiser(bundleSecret);
  const personRef = new Map([...selection.personIdentity.keys()].sort().map((id) => [id, pseudonyms.label(id, 'P')]));
  const kindOf = new Map(selection.preview.included.map((r) => [r.id, r.kind]));
  const recordRef = new Map([...kindOf.keys()].sort().map((id) => [id, pseudonyms.label(id, kindOf.get(id) === 'session' ? 'S' : 'T')]));
  return { personRef, recordRef };
}

/** records.json's content for a checked selection, pseudonymised with the bundle's labels. */
export async function buildFromSelection(deps: SubmissionDeps, actor: Actor, selection: SubmissionSelection, labels: SubmissionLabels): Promise<BuiltSubmission> {
  const { preview, personIdentity } = selection;
  const { records } = deps;
  // One at a time: the database connection serves one query at a time anyway, and a thousand queued reads make
  // kysely's connection lock wake every waiter on each release (quadratic; 40% of this build at 1,000 records).
  const testimonies = await inOrder(preview.included.filter((r) => r.kind === 'testimony'), (r) => records.testimonies.get(r.id, actor));
  const sessions = await inOrder(preview.included.filter((r) => r.kind === 'session'), (r) => records.sessions.get(r.id, actor));
  if ([...testimonies, ...sessions].some((r) => !r.contentVisible)) throw new ArchiveError('CONTENT_NO_ACCESS', 'A restricted record has not been shared with you.');
  const personIds = [...personIdentity.keys()].sort();
  const persons = await inOrder(personIds, (id) => records.persons.get(id, actor));
  if (persons.some((p) => !p.identityVisible)) throw new ArchiveError('CONTENT_NO_ACCESS', "A restricted person's identity has not been shared with you.");

  const { personRef, recordRef } = labels;
  const ref = (m: ReadonlyMap<string, string>, id: string) => {
    const r = m.get(id);
    if (r === undefined) throw new ArchiveError('INTERNAL', 'A record of the submission has no label.');
    return r;
  };

  const anonymous = new Set<string>();
  for (const r of preview.included) for (const b of r.basis) if (b.anonymity === 'anonymous') anonymous.add(b.personId);
  const redactions: Redaction[] = persons.flatMap((p): Redaction[] => {
    const names = [p.names.sq, p.names.srLatn, p.names.srCyrl];
    // A named person's names are kept as written; a word of them that is also someone pseudonymised's becomes
    // ambiguous and names neither (rather than giving the named person the other's label).
    if (personIdentity.get(p.id) === 'named') return [{ needles: nameNeedles(names), replacement: null }, { needles: contactNeedles(p.contact), replacement: withheld.contact }];
    return [
      { needles: nameNeedles(names), replacement: ref(personRef, p.id) },
      { needles: birthDateNeedles(p.birthDate), replacement: withheld.birthDate },
      { needles: contactNeedles(p.contact), replacement: withheld.contact },
    ];
  });
  const red = createRedactor(redactions);
  const redN = (t: string | null) => (t === null ? null : red(t));

  const personRecords = persons.map((p) => {
    const label = ref(personRef, p.id);
    const base = { ref: label, sex: p.sex, status: p.status, confidentiality: p.confidentiality, contact: null };
    if (personIdentity.get(p.id) === 'named') return { ...base, names: p.names, birthDate: p.birthDate, ethnicity: p.ethnicity, residencePlaceId: p.residencePlaceId } satisfies PersonInput & { ref: string };
    return { ...base, names: { sq: label, srLatn: label, srCyrl: label }, birthDate: null, ethnicity: anonymous.has(p.id) ? null : p.ethnicity, residencePlaceId: null } satisfies PersonInput & { ref: string };
  });
  const consentFor = (personId: string, c: ConsentInput): ConsentInput => {
    const named = personIdentity.get(personId) === 'named';
    return {
      ...c,
      explainedBy: red(c.explainedBy),
      guardian: c.guardian === null ? null : named ? red(c.guardian) : withheld.guardian,
      withdrawal: c.withdrawal === null ? null : { ...c.withdrawal, note: red(c.withdrawal.note) },
    };
  };
  const testimonyRecords = testimonies.map((t) => ({
    ref: ref(recordRef, t.id),
    deponentRef: ref(personRef, t.deponentId),
    interpreter: redN(t.interpreter),
    language: t.language,
    mode: t.mode,
    date: t.date,
    placeId: t.placeId,
    affectedGroups: t.affectedGroups,
    title: red(t.title),
    narrative: red(t.narrative),
    sensitivity: t.sensitivity,
    violations: t.violations.map((v) => ({
      victimRef: ref(personRef, v.victimId),
      actType: v.actType,
      date: v.date,
      placeId: v.placeId,
      perpetratorType: v.perpetratorType,
      victimOutcome: v.victimOutcome,
      notes: redN(v.notes),
    })),
    consent: consentFor(t.deponentId, t.consent),
  }));
  const sessionRecords = sessions.map((s) => ({
    ref: ref(recordRef, s.id),
    kind: s.kind,
    status: s.status,
    title: red(s.title),
    date: s.date,
    placeId: s.placeId,
    facilitators: s.facilitators.map(red),
    participants: s.participants.map((p) => ({ personRef: ref(personRef, p.personId), role: p.role, notes: redN(p.notes), consent: consentFor(p.personId, p.consent) })),
    agenda: red(s.agenda),
    minutes: red(s.minutes),
    outcomes: red(s.outcomes),
    followUps: s.followUps.map((f) => ({ text: red(f.text), owner: red(f.owner), dueDate: f.dueDate, status: f.status })),
    sensitivity: s.sensitivity,
  }));
  const file: RecordsFileInput = { format: recordsFileFormat, version: recordsFileVersion, persons: personRecords, testimonies: testimonyRecords, sessions: sessionRecords };
  // A replacement can lengthen a text past its bound: the file must stay importable, so it is checked here.
  const checked = recordsFileStrictSchema.safeParse(file);
  if (!checked.success) {
    const at = checked.error.issues[0]?.path.join('.') ?? 'the file';
    throw new ArchiveError('INTERNAL', `The submission's records could not be written in the records format (at ${at}).`);
  }
  return {
    file,
    manifest: preview.included.map((r) => ({
      kind: r.kind,
      ref: ref(recordRef, r.id),
      identity: r.identity,
      restricted: r.restricted,
      basis: r.basis.map(({ personId, ...b }) => ({ ...b, identity: b.identity === null ? null : (personIdentity.get(personId) ?? 'pseudonymised'), personRef: ref(personRef, personId) })),
    })),
    localIds: {
      records: Object.fromEntries(preview.included.map((r) => [ref(recordRef, r.id), { kind: r.kind, id: r.id }])),
      persons: Object.fromEntries(personIds.map((id) => [ref(personRef, id), id])),
    },
    preview,
  };
}
