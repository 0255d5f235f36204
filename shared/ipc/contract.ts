// The IPC contract: per method an input schema and an output schema. Who may call it is electron/core/access's table.
import { z } from 'zod';
import { errorCodes } from '../errors';
import { bundleCheckNames } from '../submissions/bundle';
import { exclusionReasons } from '../submissions/exclusion-reasons';
import { submissionBuildInputSchema, submissionPreviewInputSchema, submissionRecordKinds } from '../submissions/schemas';
import { limits, usernamePattern } from '../domain/limits';
import { roleSchema } from '../domain/roles';
import { personInputSchema, recordIdSchema, similarPersonsInputSchema, testimonyInputSchema, testimonyStatuses, violationInputSchema } from '../records/schemas';
import { listInputSchema, searchInputSchema, searchPageSchema } from '../records/search-schemas';
import { followUpInputSchema, followUpStatuses, sessionInputSchema, sessionKinds, sessionListInputSchema, sessionStatuses } from '../records/session-schemas';
import { archiveCheckStatusSchema } from '../maintenance/archive-check';
import { checkStates, damageReasons } from './contract-enums';
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
  /** Methods this user may call, from the policy table (electron/core/access); the UI hides what is not listed. */
  allowed: z.array(z.string()),
  idleTimeoutMinutes: z.number().int(),
  /** A one-time passphrase set by a director: until it is changed, only the change (and lock) is allowed. */
  mustChangePassphrase: z.boolean(),
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

type MethodSpec = { input: z.ZodType; output: z.ZodType };

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
  /** Stored violations always carry their id; sending it back with an edit keeps the violation. */
  violations: z.array(violationInputSchema.extend({ id: z.string() })),
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

export const recordKinds = ['testimony', 'person', 'session'] as const;

export const userViewSchema = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  mustChangePassphrase: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.output<typeof userViewSchema>;

/** A passphrase the app generated for a new or reset account: shown once to the director, never stored. */
const oneTimeOutput = z.strictObject({ user: userViewSchema, oneTimePassphrase: z.string() });

export const auditEntryViewSchema = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string().nullable(),
  /** The actor's username when the user still exists (ids stay in the log; names are looked up). */
  actorName: z.string().nullable(),
  action: z.string(),
  subjectKind: z.string().nullable(),
  subjectId: z.string().nullable(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type AuditEntryView = z.output<typeof auditEntryViewSchema>;

export const auditBreakReasons = ['missing-or-reordered', 'edited', 'broken-link', 'unreadable'] as const;
export const checkpointProblems = ['bad-signature', 'unknown-key', 'malformed', 'count-beyond-log', 'head-mismatch'] as const;

export const auditVerifySchema = z.strictObject({
  entries: z.number().int(),
  head: z.string().nullable(),
  /** The first place the chain stops holding (1-based position); the UI words it from reason + position. */
  firstBreak: z.strictObject({ position: z.number().int(), reason: z.enum(auditBreakReasons), message: z.string() }).nullable(),
  checkpoints: z.strictObject({
    total: z.number().int(),
    valid: z.number().int(),
    /** The first checkpoint that fails: a signature not by the archive key, or a log that no longer matches it. */
    firstBad: z.strictObject({ id: z.number().int(), count: z.number().int().nullable(), problem: z.enum(checkpointProblems), message: z.string() }).nullable(),
    latest: z.strictObject({ id: z.number().int(), count: z.number().int(), at: z.string(), reason: z.string() }).nullable(),
  }),
});
export type AuditVerify = z.output<typeof auditVerifySchema>;

const countMap = z.record(z.string(), z.number().int());
export const auditOverviewSchema = z.strictObject({
  /** Records per kind, and how many are restricted. */
  records: z.strictObject({ testimonies: z.number().int(), persons: z.number().int(), sessions: z.number().int(), restricted: z.number().int() }),
  testimoniesByStatus: countMap,
  /** Consent rows (per person per testimony or session) by commission scope, withdrawals, minors, embargoes. */
  consent: z.strictObject({
    total: z.number().int(),
    commission: countMap,
    withdrawn: countMap,
    minors: z.number().int(),
    minorsWithoutGuardian: z.number().int(),
    embargoed: z.number().int(),
  }),
});
export type AuditOverview = z.output<typeof auditOverviewSchema>;

/** One printable recovery share: "TA1-..." text that also goes into the QR code. */
export const recoveryShareSchema = z.strictObject({ index: z.number().int(), text: z.string() });
export const recoveryKitSchema = z.strictObject({
  kitId: z.string(),
  archiveId: z.string(),
  threshold: z.number().int(),
  total: z.number().int(),
  createdAt: z.string(),
  /** Short fingerprint of the commitment, printed on every share so a mixed-up pile is noticed. */
  fingerprint: z.string(),
  shares: z.array(recoveryShareSchema),
});
export type RecoveryKit = z.output<typeof recoveryKitSchema>;
export const maxShareLength = 400;

export const attachmentOwnerKinds = ['testimony', 'session'] as const;
export const attachmentStatuses = ['unverified', 'ok', 'damaged'] as const;

export const custodyEntrySchema = z.strictObject({
  at: z.string(),
  by: z.string(),
  /** What happened: intake (import or recording), verify (hash checked), damaged (a check failed). */
  event: z.enum(['intake', 'verify', 'damaged']),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export const attachmentViewSchema = z.strictObject({
  id: z.string(),
  ownerKind: z.enum(attachmentOwnerKinds),
  ownerId: z.string(),
  /** The original file name (or "Recording <date>"); null when the owner is restricted and this user holds no copy. */
  fileName: z.string().nullable(),
  /** Sniffed from the content at intake (never from the name), e.g. audio/webm, image/jpeg, application/pdf. */
  mediaType: z.string(),
  size: z.number().int(),
  /** SHA-256 of the original bytes, hex: the chain-of-custody anchor. */
  sha256: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** Where it came from: "import" or "recording", and the device label when recorded. */
  source: z.enum(['import', 'recording']),
  device: z.string().nullable(),
  status: z.enum(attachmentStatuses),
  lastVerifiedAt: z.string().nullable(),
  /** False when the owner is restricted and this user holds no sealed copy of the attachment key. */
  contentVisible: z.boolean(),
  /** The URL the page plays or shows it from (decrypted on the fly by main, range requests answered). */
  url: z.string(),
  custody: z.array(custodyEntrySchema),
});
export type AttachmentView = z.output<typeof attachmentViewSchema>;

export const segmentSchema = z.strictObject({
  id: z.string().nullable(),
  startMs: z.number().int().min(0).max(48 * 3600 * 1000),
  endMs: z.number().int().min(0).max(48 * 3600 * 1000),
  title: z.string().trim().min(1).max(200),
  summary: z.string().max(4000),
  keywords: z.array(z.string().trim().min(1).max(60)).max(30),
  /** Coded violations of the owning testimony this part of the recording speaks of. */
  violationIds: z.array(recordIdSchema).max(50),
});
export type SegmentInput = z.output<typeof segmentSchema>;

export { checkStates, damageReasons };

/** A background check of every attachment: progress (done of total), and the damaged ones found so far. */
export const checkStatusSchema = z.strictObject({
  jobId: z.string(),
  state: z.enum(checkStates),
  /** Attachments looked at so far, checked or skipped, of all in the archive. */
  done: z.number().int(),
  total: z.number().int(),
  checked: z.number().int(),
  /** Attachments this user holds no key for or may not reach: not checked. */
  skipped: z.number().int(),
  damaged: z.array(
    z.strictObject({
      id: z.string(),
      recordKind: z.enum(attachmentOwnerKinds),
      recordId: z.string(),
      /** The file name, or "Recording <date>" for a recording. */
      name: z.string().nullable(),
      source: z.enum(['import', 'recording']),
      createdAt: z.string(),
      reason: z.enum(damageReasons),
    }),
  ),
  /** Why the check stopped early (state "failed"). */
  error: z.strictObject({ code: z.enum(errorCodes), message: z.string() }).nullable(),
});
export type CheckStatus = z.output<typeof checkStatusSchema>;
/** A chunk of a recording in progress, base64 (at most 1 MiB of audio per call). */
export const maxRecordingChunkBase64 = Math.ceil((1024 * 1024) / 3) * 4;

const historyOutput = z.strictObject({ revisions: z.array(revisionSummarySchema) });
const stateOutput = z.strictObject({ state: z.record(z.string(), z.unknown()) });

// ---- Submissions (issue 6): recipients, preview, background export, log, and auditors' bundle browser.
export const recipientKinds = ['commission', 'auditor', 'other'] as const;
export const recipientViewSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  kind: z.enum(recipientKinds),
  /** The age X25519 recipient (age1...). */
  recipient: z.string(),
  /** For confirmation out of band: the first 16 bytes of SHA-256 of the key, in groups of 4 hex digits. */
  fingerprint: z.string(),
  addedAt: z.string(),
  retired: z.boolean(),
});
export type RecipientView = z.output<typeof recipientViewSchema>;

const consentBasisViewSchema = z.strictObject({
  personId: z.string(),
  role: z.enum(['deponent', 'participant', 'victim']),
  scope: z.enum(['named', 'pseudonymised', 'none']).nullable(),
  anonymity: z.string().nullable(),
  withdrawal: z.strictObject({ date: z.string(), scope: z.enum(['all', 'commission', 'public', 'media']) }).nullable(),
  embargoUntil: z.string().nullable(),
  formVersion: z.string().nullable(),
  minor: z.boolean(),
  identity: z.enum(['named', 'pseudonymised']).nullable(),
});
export const submissionPreviewSchema = z.strictObject({
  included: z.array(z.strictObject({ kind: z.enum(submissionRecordKinds), id: z.string(), title: z.string(), identity: z.enum(['named', 'pseudonymised']), restricted: z.boolean(), basis: z.array(consentBasisViewSchema) })),
  excluded: z.array(z.strictObject({ kind: z.enum(submissionRecordKinds), id: z.string(), title: z.string(), reasons: z.array(z.enum(exclusionReasons)), basis: z.array(consentBasisViewSchema) })),
});
export type SubmissionPreviewView = z.output<typeof submissionPreviewSchema>;

export const exportStates = ['running', 'finished', 'cancelled', 'failed'] as const;
export const exportPhases = ['preparing', 'writing', 'signing', 'done'] as const;
const exportCountsSchema = z.strictObject({ records: z.number(), testimonies: z.number(), sessions: z.number(), named: z.number(), pseudonymised: z.number(), excluded: z.number(), attachments: z.number(), attachmentBytes: z.number() });
export const exportStatusSchema = z.strictObject({
  jobId: z.string(),
  state: z.enum(exportStates),
  phase: z.enum(exportPhases),
  doneBytes: z.number(),
  totalBytes: z.number(),
  result: z.strictObject({ bundleId: z.string(), sequence: z.number(), destination: z.string(), counts: exportCountsSchema, payloadBytes: z.number(), manifestSha256: z.string(), keyId: z.string() }).nullable(),
  error: z.strictObject({ code: z.enum(errorCodes), message: z.string() }).nullable(),
});
export type ExportStatusView = z.output<typeof exportStatusSchema>;

export const submissionLogEntrySchema = z.strictObject({
  id: z.string(),
  sequence: z.number(),
  status: z.enum(['writing', 'complete', 'failed', 'cancelled']),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  recipients: z.array(z.strictObject({ label: z.string(), fingerprint: z.string() })),
  records: z.number().nullable(),
  manifestSha256: z.string().nullable(),
});

export const bundleCheckSchema = z.strictObject({ name: z.enum(bundleCheckNames), status: z.enum(['pass', 'fail', 'skipped']), code: z.enum(errorCodes).optional(), detail: z.string() });
export const bundleReportSchema = z.strictObject({ ok: z.boolean(), bundleId: z.string().nullable(), sequence: z.number().nullable(), archiveId: z.string().nullable(), createdAt: z.string().nullable(), checks: z.array(bundleCheckSchema) });
export const openedBundleSchema = z.strictObject({
  /** Empty when nothing was decrypted (no identity, or a check failed): there is nothing to browse. */
  handle: z.string(),
  folderName: z.string(),
  report: bundleReportSchema,
  records: z.array(z.strictObject({ kind: z.enum(submissionRecordKinds), ref: z.string(), title: z.string(), date: z.string().nullable(), identity: z.string().nullable() })),
});
export type OpenedBundleView = z.output<typeof openedBundleSchema>;
export const bundleRecordSchema = z.strictObject({
  kind: z.enum(submissionRecordKinds),
  ref: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  /** Codes of the shipped gazetteer and vocabularies: the page shows them in its own language. */
  placeId: z.string().nullable(),
  identity: z.string().nullable(),
  people: z.array(z.strictObject({ ref: z.string(), name: z.string(), role: z.string() })),
  sections: z.array(z.strictObject({ heading: z.enum(['narrative', 'agenda', 'minutes', 'outcomes']), text: z.string() })),
  violations: z.array(z.strictObject({ actType: z.string(), victim: z.string(), date: z.string().nullable(), placeId: z.string().nullable(), notes: z.string().nullable() })),
  attachments: z.array(z.strictObject({ path: z.string(), mediaType: z.string(), bytes: z.number(), sha256: z.string() })),
});
export type BundleRecordView = z.output<typeof bundleRecordSchema>;
const handleSchema = z.string().regex(/^[0-9a-f-]{36}$/);

export const backupPhases = ['preparing', 'database', 'attachments', 'signing', 'done'] as const;
export const backupStatusSchema = z.strictObject({
  jobId: z.string(),
  state: z.enum(['running', 'finished', 'cancelled', 'failed']),
  phase: z.enum(backupPhases),
  doneBytes: z.number(),
  totalBytes: z.number(),
  doneFiles: z.number(),
  totalFiles: z.number(),
  result: z
    .strictObject({ backupId: z.string(), folder: z.string(), createdAt: z.string(), bytes: z.number(), files: z.number(), attachmentsCopied: z.number(), attachmentsReused: z.number(), keyId: z.string() })
    .nullable(),
  error: z.strictObject({ code: z.enum(errorCodes), message: z.string() }).nullable(),
});
export type BackupStatusView = z.output<typeof backupStatusSchema>;
export const backupListEntrySchema = z.strictObject({
  id: z.string(),
  status: z.enum(['writing', 'complete', 'failed', 'cancelled']),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  location: z.string(),
  bytes: z.number().nullable(),
  files: z.number().nullable(),
  attachmentsCopied: z.number().nullable(),
  attachmentsReused: z.number().nullable(),
  verification: z.enum(['unverified', 'ok', 'failed']),
  verifiedAt: z.string().nullable(),
  verificationDetail: z.string().nullable(),
});
export type BackupListEntry = z.output<typeof backupListEntrySchema>;
export const restoreStatusSchema = z.strictObject({
  jobId: z.string(),
  state: z.enum(['running', 'restored', 'verified', 'failed', 'discarded']),
  phase: z.enum(['checking', 'copying', 'done']),
  doneBytes: z.number(),
  totalBytes: z.number(),
  doneFiles: z.number(),
  totalFiles: z.number(),
  backup: z.strictObject({ backupId: z.string(), archiveId: z.string(), createdAt: z.string(), keyId: z.string() }).nullable(),
  error: z.strictObject({ code: z.enum(errorCodes), message: z.string() }).nullable(),
});
export const backupCheckReportSchema = z.strictObject({
  ok: z.boolean(),
  backupId: z.string().nullable(),
  archiveId: z.string().nullable(),
  createdAt: z.string().nullable(),
  keyId: z.string().nullable(),
  pinned: z.boolean(),
  files: z.number(),
  bytes: z.number(),
  /** The file at fault (a path inside the backup) and what is wrong with it. */
  problems: z.array(z.strictObject({ file: z.string(), problem: z.enum(['missing', 'size', 'hash', 'signature', 'manifest', 'keyring']) })),
});

export const contract = {
  'app.status': { input: empty, output: appStatusSchema },
  'archive.chooseFolder': {
    input: empty,
    output: z.strictObject({ folder: z.string(), containsArchive: z.boolean(), cancelled: z.boolean() }) },
  'archive.create': {
    input: z.strictObject({
      username,
      displayName,
      passphrase,
      passphraseConfirm: passphrase,
      /** Create a training archive loaded with resources/demo/records.json (fictional people). */
      training: z.boolean().optional(),
    }),
    output: sessionInfoSchema },
  'passphrase.check': {
    input: z.strictObject({ passphrase }),
    output: z.strictObject({
      acceptable: z.boolean(),
      score: z.number().int().min(0).max(4),
      problem: z.enum(passphraseProblems).nullable(),
    }) },
  'session.signIn': {
    input: z.strictObject({ username: z.string().min(1).max(limits.usernameMax), passphrase }),
    output: sessionInfoSchema },
  'session.info': { input: empty, output: sessionInfoSchema },
  'session.lock': { input: empty, output: z.strictObject({ locked: z.literal(true) }) },
  'settings.get': {
    input: empty,
    output: z.strictObject({ idleTimeoutMinutes: z.number().int() }) },
  'settings.setIdleTimeout': {
    input: z.strictObject({
      minutes: z.number().int().min(limits.idleMinutesMin).max(limits.idleMinutesMax),
    }),
    output: z.strictObject({ idleTimeoutMinutes: z.number().int() }) },
  'reference.get': {
    input: empty,
    // The whole gazetteer comes along (a few hundred places): lists show place names without a call per row.
    output: z.strictObject({ vocabularies: z.record(z.string(), z.array(labelled)), places: z.array(placeSchema) }) },
  'places.find': {
    input: z.strictObject({ query: z.string().max(200), limit: z.number().int().min(1).max(50) }),
    output: z.strictObject({ places: z.array(placeSchema) }) },
  'persons.create': { input: z.strictObject({ person: personInputSchema }), output: personViewSchema },
  'persons.get': { input: z.strictObject({ id: recordIdSchema }), output: personViewSchema },
  'persons.update': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, person: personInputSchema }),
    output: personViewSchema },
  'testimonies.create': { input: z.strictObject({ testimony: testimonyInputSchema }), output: testimonyViewSchema },
  'testimonies.get': { input: z.strictObject({ id: recordIdSchema }), output: testimonyViewSchema },
  'testimonies.update': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, testimony: testimonyInputSchema }),
    output: testimonyViewSchema },
  'testimonies.review': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber }),
    output: testimonyViewSchema },
  'testimonies.seal': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber }),
    output: testimonyViewSchema },
  'testimonies.revise': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, testimony: testimonyInputSchema }),
    output: testimonyViewSchema },
  'testimonies.history': {
    input: z.strictObject({ id: recordIdSchema }),
    output: z.strictObject({ revisions: z.array(revisionSummarySchema) }) },
  'sessions.create': { input: z.strictObject({ session: sessionInputSchema }), output: sessionViewSchema },
  'sessions.get': { input: z.strictObject({ id: recordIdSchema }), output: sessionViewSchema },
  'sessions.update': {
    input: z.strictObject({ id: recordIdSchema, expectedRevision: revisionNumber, session: sessionInputSchema }),
    output: sessionViewSchema },
  'sessions.setFollowUpStatus': {
    input: z.strictObject({ id: recordIdSchema, followUpId: recordIdSchema, status: z.enum(followUpStatuses), expectedRevision: revisionNumber }),
    output: sessionViewSchema },
  'sessions.list': { input: sessionListInputSchema, output: sessionPageSchema },
  'sessions.history': {
    input: z.strictObject({ id: recordIdSchema }),
    output: z.strictObject({ revisions: z.array(revisionSummarySchema) }) },
  'search.query': { input: searchInputSchema, output: searchPageSchema },
  'search.list': { input: listInputSchema, output: searchPageSchema },
  'testimonies.atRevision': {
    input: z.strictObject({ id: recordIdSchema, revision: revisionNumber }),
    output: z.strictObject({ state: z.record(z.string(), z.unknown()) }) },
  'persons.similar': {
    input: similarPersonsInputSchema,
    output: z.strictObject({ candidates: z.array(similarPersonSchema) }) },
  'persons.history': { input: z.strictObject({ id: recordIdSchema }), output: historyOutput },
  'persons.atRevision': { input: z.strictObject({ id: recordIdSchema, revision: revisionNumber }), output: stateOutput },
  'sessions.atRevision': { input: z.strictObject({ id: recordIdSchema, revision: revisionNumber }), output: stateOutput },
  'drafts.save': {
    input: z.strictObject({ key: draftKeySchema, data: z.string().max(maxDraftLength) }),
    output: z.strictObject({ savedAt: z.string() }) },
  'drafts.get': {
    input: z.strictObject({ key: draftKeySchema }),
    output: z.strictObject({ draft: z.strictObject({ data: z.string(), savedAt: z.string() }).nullable() }) },
  'drafts.discard': { input: z.strictObject({ key: draftKeySchema }), output: z.strictObject({ discarded: z.boolean() }) },
  'drafts.list': {
    input: empty,
    output: z.strictObject({ drafts: z.array(z.strictObject({ key: z.string(), savedAt: z.string() })) }) },
  'account.changePassphrase': {
    input: z.strictObject({ current: passphrase, next: passphrase, nextConfirm: passphrase }),
    output: sessionInfoSchema },
  'users.list': { input: empty, output: z.strictObject({ users: z.array(userViewSchema) }) },
  'users.create': { input: z.strictObject({ username, displayName, role: roleSchema }), output: oneTimeOutput },
  'users.setDisabled': { input: z.strictObject({ id: recordIdSchema, disabled: z.boolean() }), output: userViewSchema },
  'users.resetPassphrase': { input: z.strictObject({ id: recordIdSchema }), output: oneTimeOutput },
  'users.remove': { input: z.strictObject({ id: recordIdSchema }), output: z.strictObject({ removed: z.literal(true) }) },
  'records.readers': {
    input: z.strictObject({ kind: z.enum(recordKinds), id: recordIdSchema }),
    output: z.strictObject({
      restricted: z.boolean(),
      readers: z.array(z.strictObject({ userId: z.string(), username: z.string().nullable(), via: z.enum(['author', 'director', 'grant']) })),
    }) },
  'records.grant': {
    input: z.strictObject({ kind: z.enum(recordKinds), id: recordIdSchema, userId: recordIdSchema }),
    output: z.strictObject({ granted: z.literal(true) }) },
  'records.revoke': {
    input: z.strictObject({ kind: z.enum(recordKinds), id: recordIdSchema, userId: recordIdSchema }),
    output: z.strictObject({ revoked: z.literal(true) }) },
  'audit.list': {
    input: z.strictObject({
      /** Entries before this sequence number (newest first); null for the newest page. */
      before: z.number().int().min(1).nullable(),
      limit: z.number().int().min(1).max(500),
      action: z.string().max(64).nullable(),
      actor: recordIdSchema.nullable(),
      subjectId: recordIdSchema.nullable(),
      from: z.iso.date().nullable(),
      to: z.iso.date().nullable(),
    }),
    output: z.strictObject({ items: z.array(auditEntryViewSchema), nextBefore: z.number().int().nullable() }) },
  'audit.verify': { input: empty, output: auditVerifySchema },
  'audit.overview': { input: empty, output: auditOverviewSchema },
  'recovery.status': {
    input: empty,
    output: z.strictObject({ kit: z.strictObject({ kitId: z.string(), threshold: z.number().int(), total: z.number().int(), createdAt: z.string(), fingerprint: z.string() }).nullable() }) },
  'recovery.createKit': {
    input: z.strictObject({ threshold: z.number().int().min(2).max(10), total: z.number().int().min(2).max(16) }),
    output: recoveryKitSchema },
  'attachments.import': {
    // The file is chosen in main's own dialog (a path from the page is never trusted); cancelled -> null.
    input: z.strictObject({ ownerKind: z.enum(attachmentOwnerKinds), ownerId: recordIdSchema }),
    output: z.strictObject({ attachment: attachmentViewSchema.nullable() }),
  },
  'attachments.list': {
    input: z.strictObject({ ownerKind: z.enum(attachmentOwnerKinds), ownerId: recordIdSchema }),
    output: z.strictObject({ items: z.array(attachmentViewSchema) }),
  },
  'attachments.get': { input: z.strictObject({ id: recordIdSchema }), output: attachmentViewSchema },
  'attachments.verify': {
    input: z.strictObject({ id: recordIdSchema }),
    output: z.strictObject({ ok: z.boolean(), attachment: attachmentViewSchema }),
  },
  // The check of every attachment runs in main; the page polls its status (progress) and may cancel it.
  'attachments.verifyAllStart': { input: empty, output: z.strictObject({ jobId: z.string() }) },
  'attachments.verifyAllStatus': { input: z.strictObject({ jobId: recordIdSchema }), output: checkStatusSchema },
  'attachments.verifyAllCancel': { input: z.strictObject({ jobId: recordIdSchema }), output: z.strictObject({ cancelled: z.boolean() }) },
  'maintenance.checkStart': { input: empty, output: z.strictObject({ jobId: z.string() }) },
  'maintenance.checkStatus': { input: z.strictObject({ jobId: recordIdSchema }), output: archiveCheckStatusSchema },
  'maintenance.checkCancel': { input: z.strictObject({ jobId: recordIdSchema }), output: z.strictObject({ cancelled: z.boolean() }) },
  'recording.start': {
    input: z.strictObject({ ownerKind: z.enum(attachmentOwnerKinds), ownerId: recordIdSchema, mimeType: z.string().max(100), device: z.string().max(200).nullable() }),
    output: z.strictObject({ recordingId: z.string() }),
  },
  'recording.chunk': {
    input: z.strictObject({ recordingId: recordIdSchema, seq: z.number().int().min(0).max(10_000_000), data: z.string().max(maxRecordingChunkBase64).regex(/^[A-Za-z0-9+/]*={0,2}$/) }),
    output: z.strictObject({ received: z.number().int() }),
  },
  'recording.finish': { input: z.strictObject({ recordingId: recordIdSchema }), output: attachmentViewSchema },
  'recording.cancel': { input: z.strictObject({ recordingId: recordIdSchema }), output: z.strictObject({ cancelled: z.boolean() }) },
  'segments.list': {
    input: z.strictObject({ attachmentId: recordIdSchema }),
    output: z.strictObject({ segments: z.array(segmentSchema.extend({ id: z.string() })) }),
  },
  'segments.save': {
    input: z.strictObject({ attachmentId: recordIdSchema, segment: segmentSchema }),
    output: segmentSchema.extend({ id: z.string() }),
  },
  'segments.delete': { input: z.strictObject({ attachmentId: recordIdSchema, segmentId: recordIdSchema }), output: z.strictObject({ deleted: z.boolean() }) },
  'recovery.recover': {
    input: z.strictObject({ shares: z.array(z.string().max(maxShareLength)).min(1).max(16), passphrase, passphraseConfirm: passphrase }),
    output: z.strictObject({ username: z.string() }) },
  'recipients.list': { input: empty, output: z.strictObject({ recipients: z.array(recipientViewSchema) }) },
  'recipients.add': {
    input: z.strictObject({ label: z.string().trim().min(1).max(200), kind: z.enum(recipientKinds), recipient: z.string().trim().min(1).max(200) }),
    output: recipientViewSchema,
  },
  'recipients.retire': { input: z.strictObject({ id: recordIdSchema }), output: z.strictObject({ retired: z.literal(true) }) },
  'submissions.archiveKey': { input: empty, output: z.strictObject({ publicKey: z.string(), keyId: z.string() }) },
  'submissions.preview': { input: submissionPreviewInputSchema, output: submissionPreviewSchema },
  // The destination is chosen in main's own dialog; null when it was cancelled. The page polls the status.
  'submissions.exportStart': { input: submissionBuildInputSchema.extend({ recipientIds: z.array(recordIdSchema).min(1).max(50) }), output: z.strictObject({ jobId: z.string().nullable() }) },
  'submissions.exportStatus': { input: z.strictObject({ jobId: handleSchema }), output: exportStatusSchema },
  'submissions.exportCancel': { input: z.strictObject({ jobId: handleSchema }), output: z.strictObject({ cancelled: z.boolean() }) },
  'submissions.log': { input: empty, output: z.strictObject({ submissions: z.array(submissionLogEntrySchema) }) },
  // The bundle folder and the identity file are chosen in main's dialogs; null when one was cancelled.
  'bundles.open': { input: z.strictObject({ withIdentity: z.boolean() }), output: z.strictObject({ opened: openedBundleSchema.nullable() }) },
  'bundles.record': { input: z.strictObject({ handle: handleSchema, ref: z.string().min(1).max(64) }), output: bundleRecordSchema },
  'bundles.close': { input: z.strictObject({ handle: handleSchema }), output: z.strictObject({ closed: z.boolean() }) },
  // The backup folder is chosen in main's dialog; null when it was cancelled. The page polls backups.status.
  'backups.start': { input: empty, output: z.strictObject({ jobId: z.string().nullable() }) },
  'backups.status': { input: z.strictObject({ jobId: handleSchema }), output: backupStatusSchema },
  'backups.cancel': { input: z.strictObject({ jobId: handleSchema }), output: z.strictObject({ cancelled: z.boolean() }) },
  'backups.list': { input: empty, output: z.strictObject({ backups: z.array(backupListEntrySchema) }) },
  'backups.verify': { input: z.strictObject({ id: handleSchema }), output: backupCheckReportSchema },
  // From the locked screen: main's dialogs pick the backup folder and where the new folder goes; null when cancelled.
  'restore.start': { input: empty, output: z.strictObject({ jobId: z.string().nullable() }) },
  'restore.status': { input: z.strictObject({ jobId: handleSchema }), output: restoreStatusSchema },
  'restore.verify': {
    input: z.strictObject({ jobId: handleSchema, username: z.string().min(1).max(limits.usernameMax), passphrase }),
    output: z.strictObject({ ok: z.literal(true), checks: z.array(z.strictObject({ name: z.string(), ok: z.boolean(), detail: z.string() })), counts: z.record(z.string(), z.number()), auditHead: z.string().nullable() }),
  },
  'restore.discard': { input: z.strictObject({ jobId: handleSchema }), output: z.strictObject({ discarded: z.boolean() }) },
} as const satisfies Record<MethodName, MethodSpec>;

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
