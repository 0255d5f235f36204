// The IPC contract: per method an input schema, an output schema and the action it needs.
import { z } from 'zod';
import { limits, usernamePattern } from '../domain/limits';
import { roleSchema, type Action } from '../domain/roles';
import { personInputSchema, recordIdSchema, similarPersonsInputSchema, testimonyInputSchema, testimonyStatuses } from '../records/schemas';
import { listInputSchema, searchInputSchema, searchPageSchema } from '../records/search-schemas';
import { followUpInputSchema, followUpStatuses, sessionInputSchema, sessionKinds, sessionListInputSchema, sessionStatuses } from '../records/session-schemas';
import type { MethodName } from './methods';

const username = z.string().min(limits.usernameMin).max(limits.usernameMax).regex(usernamePattern);
// The passphrase is bounded here so a 10 MB string is refused before it reaches the KDF;
// the policy (length, common list, strength) is decided in core after NFKC.
const passphrase = z.string().min(1).max(limits.passphraseMax);
const displayName = z.string().trim().min(1).max(limits.displayNameMax);
const empty = z.strictObject({});

export const sessionInfoSchema = z.strictObject({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  /** Actions this user may perform, from the policy table; the UI hides what is not listed. */
  allowed: z.array(z.string()),
  idleTimeoutMinutes: z.number().int(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const appStatusSchema = z.strictObject({
  state: z.enum(['no-archive', 'locked', 'unlocked']),
  folder: z.string(),
  session: sessionInfoSchema.nullable(),
  /** A training archive holds only the fictional demo records; the UI marks it on every screen. */
  training: z.boolean(),
});
export type AppStatus = z.infer<typeof appStatusSchema>;

export const passphraseProblems = ['too-short', 'too-long', 'common', 'weak'] as const;

type MethodSpec = { input: z.ZodType; output: z.ZodType; action: Action };

const revisionNumber = z.number().int().min(1).max(1_000_000);
const uiLanguage = z.enum(['en', 'sq', 'sr-Latn', 'sr-Cyrl']);
const labelled = z.strictObject({ code: z.string(), esf: z.string().nullable().optional(), labels: z.record(uiLanguage, z.string()) });

export const personViewSchema = personInputSchema.extend({
  // Not refined to "at least one name": a restricted person's names are empty for users without a copy.
  names: z.strictObject({ sq: z.string().nullable(), srLatn: z.string().nullable(), srCyrl: z.string().nullable() }),
  id: z.string(),
  revision: z.number().int(),
  /** False for a restricted person this user holds no sealed copy of: identity fields come back empty. */
  identityVisible: z.boolean(),
});
export type PersonView = z.output<typeof personViewSchema>;

export const testimonyViewSchema = testimonyInputSchema.extend({
  id: z.string(),
  takerId: z.string(),
  status: z.enum(testimonyStatuses),
  revision: z.number().int(),
  sealedRevision: z.number().int().nullable(),
  /** False for a restricted testimony this user holds no sealed copy of: narrative and notes come back empty. */
  contentVisible: z.boolean(),
});
export type TestimonyView = z.output<typeof testimonyViewSchema>;

export const sessionViewSchema = sessionInputSchema.extend({
  id: z.string(),
  followUps: z.array(followUpInputSchema.extend({ id: z.string() })),
  createdBy: z.string(),
  revision: z.number().int(),
  /** False for a restricted session this user holds no sealed copy of: minutes, outcomes and notes come back empty. */
  contentVisible: z.boolean(),
});
export type SessionView = z.output<typeof sessionViewSchema>;

export const sessionPageSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      kind: z.enum(sessionKinds),
      status: z.enum(sessionStatuses),
      title: z.string(),
      date: z.string(),
      placeId: z.string().nullable(),
      sensitivity: z.enum(['normal', 'restricted']),
      revision: z.number().int(),
      updatedAt: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const revisionSummarySchema = z.strictObject({
  revision: z.number().int(),
  action: z.enum(['create', 'update', 'review', 'seal', 'revise']),
  at: z.string(),
  by: z.string(),
  changed: z.array(z.string()),
});

export const placeSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['municipality', 'settlement']),
  municipality: z.string().nullable(),
  names: z.record(z.enum(['sq', 'sr-Latn', 'sr-Cyrl']), z.string()),
});

/** A draft's key: what form it belongs to, e.g. `testimony:new` or `session:<uuid>`. */
export const draftKeySchema = z.string().min(1).max(100).regex(/^(?:testimony|session|person):(?:new|[0-9a-f-]{36})$/);
/** A draft is the form's values as JSON; bounded so a runaway form cannot fill the archive. */
export const maxDraftLength = 12 * 1024 * 1024;

export const similarPersonSchema = z.strictObject({
  id: z.string(),
  names: z.strictObject({ sq: z.string().nullable(), srLatn: z.string().nullable(), srCyrl: z.string().nullable() }),
  birthDate: z.string().nullable(),
  residencePlaceId: z.string().nullable(),
  /** 0..1, higher is more alike. */
  score: z.number().min(0).max(1),
  /** What matched: the name across scripts and diacritics, a birth date within two years, the same village. */
  reasons: z.array(z.enum(['name', 'birth-date', 'residence'])),
});

const historyOutput = z.strictObject({ revisions: z.array(revisionSummarySchema) });
const stateOutput = z.strictObject({ state: z.record(z.string(), z.unknown()) });

export const contract = {
  'app.status': { input: empty, output: appStatusSchema, action: 'public' },
  'archive.chooseFolder': {
    input: empty,
    output: z.strictObject({ folder: z.string(), containsArchive: z.boolean(), cancelled: z.boolean() }),
    action: 'public',
  },
  'archive.create': {
    input: z.strictObject({
      username,
      displayName,
      passphrase,
      passphraseConfirm: passphrase,
      /** Create a training archive loaded with resources/demo/records.json (fictional people). */
      training: z.boolean().optional(),
    }),
    output: sessionInfoSchema,
    action: 'public',
  },
  'passphrase.check': {
    input: z.strictObject({ passphrase }),
    output: z.strictObject({
      acceptable: z.boolean(),
      score: z.number().int().min(0).max(4),
      problem: z.enum(passphraseProblems).nullable(),
    }),
    action: 'public',
  },
  'session.signIn': {
    input: z.strictObject({ username: z.string().min(1).max(limits.usernameMax), passphrase }),
    output: sessionInfoSchema,
    action: 'public',
  },
  'session.info': { input: empty, output: sessionInfoSchema, action: 'session' },
  'session.lock': { input: empty, output: z.strictObject({ locked: z.literal(true) }), action: 'session' },
  'settings.get': {
    input: empty,
    output: z.strictObject({ idleTimeoutMinutes: z.number().int() }),
    action: 'session',
  },
  'settings.setIdleTimeout': {
    input: z.strictObject({
      minutes: z.number().int().min(limits.idleMinutesMin).max(limits.idleMinutesMax),
    }),
    output: z.strictObject({ idleTimeoutMinutes: z.number().int() }),
    action: 'settings.write',
  },
  'reference.get': {
    input: empty,
    // The whole gazetteer comes along (a few hundred places): lists show place names without a call per row.
    output: z.strictObject({ vocabularies: z.record(z.string(), z.array(labelled)), places: z.array(placeSchema) }),
    action: 'session',
  },
  'places.find': {
    input: z.strictObject({ query: z.string().max(200), limit: z.number().int().min(1).max(50) }),
    output: z.strictObject({ places: z.array(placeSchema) }),
    action: 'session',
  },
  'persons.create': { input: z.strictObject({ person: personInputSchema }), output: personViewSchema, action: 'records.create' },
  'persons.get': { input: z.strictObject({ id: recordIdSchema }), output: personViewSchema, action: 'records.read' },
  'persons.update': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, person: personInputSchema }),
    output: personViewSchema,
    action: 'records.edit',
  },
  'testimonies.create': { input: z.strictObject({ testimony: testimonyInputSchema }), output: testimonyViewSchema, action: 'records.create' },
  'testimonies.get': { input: z.strictObject({ id: recordIdSchema }), output: testimonyViewSchema, action: 'records.read' },
  'testimonies.update': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, testimony: testimonyInputSchema }),
    output: testimonyViewSchema,
    action: 'records.edit',
  },
  'testimonies.review': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber }),
    output: testimonyViewSchema,
    action: 'records.review',
  },
  'testimonies.seal': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber }),
    output: testimonyViewSchema,
    action: 'records.review',
  },
  'testimonies.revise': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, testimony: testimonyInputSchema }),
    output: testimonyViewSchema,
    action: 'records.review',
  },
  'testimonies.history': {
    input: z.strictObject({ id: recordIdSchema }),
    output: z.strictObject({ revisions: z.array(revisionSummarySchema) }),
    action: 'records.read',
  },
  'sessions.create': { input: z.strictObject({ session: sessionInputSchema }), output: sessionViewSchema, action: 'records.create' },
  'sessions.get': { input: z.strictObject({ id: recordIdSchema }), output: sessionViewSchema, action: 'records.read' },
  'sessions.update': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, session: sessionInputSchema }),
    output: sessionViewSchema,
    action: 'records.edit',
  },
  'sessions.setFollowUpStatus': {
    input: z.strictObject({ id: recordIdSchema, followUpId: recordIdSchema, status: z.enum(followUpStatuses), expectedRevision: revisionNumber }),
    output: sessionViewSchema,
    action: 'records.edit',
  },
  'sessions.list': { input: sessionListInputSchema, output: sessionPageSchema, action: 'records.read' },
  'sessions.history': {
    input: z.strictObject({ id: recordIdSchema }),
    output: z.strictObject({ revisions: z.array(revisionSummarySchema) }),
    action: 'records.read',
  },
  'search.query': { input: searchInputSchema, output: searchPageSchema, action: 'records.read' },
  'search.list': { input: listInputSchema, output: searchPageSchema, action: 'records.read' },
  'testimonies.atRevision': {
    input: z.strictObject({ id: recordIdSchema, revision: revisionNumber }),
    output: z.strictObject({ state: z.record(z.string(), z.unknown()) }),
    action: 'records.read',
  },
  'persons.similar': {
    input: similarPersonsInputSchema,
    output: z.strictObject({ candidates: z.array(similarPersonSchema) }),
    action: 'records.create',
  },
  'persons.history': { input: z.strictObject({ id: recordIdSchema }), output: historyOutput, action: 'records.read' },
  'persons.atRevision': { input: z.strictObject({ id: recordIdSchema, revision: revisionNumber }), output: stateOutput, action: 'records.read' },
  'sessions.atRevision': { input: z.strictObject({ id: recordIdSchema, revision: revisionNumber }), output: stateOutput, action: 'records.read' },
  'drafts.save': {
    input: z.strictObject({ key: draftKeySchema, data: z.string().max(maxDraftLength) }),
    output: z.strictObject({ savedAt: z.string() }),
    action: 'session',
  },
  'drafts.get': {
    input: z.strictObject({ key: draftKeySchema }),
    output: z.strictObject({ draft: z.strictObject({ data: z.string(), savedAt: z.string() }).nullable() }),
    action: 'session',
  },
  'drafts.discard': { input: z.strictObject({ key: draftKeySchema }), output: z.strictObject({ discarded: z.boolean() }), action: 'session' },
  'drafts.list': {
    input: empty,
    output: z.strictObject({ drafts: z.array(z.strictObject({ key: z.string(), savedAt: z.string() })) }),
    action: 'session',
  },
} as const satisfies Record<MethodName, MethodSpec>;

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
