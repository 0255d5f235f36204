// The archive check's report as it crosses IPC and the CLI's --json: check names and detail codes with numbers, never sentences.
import { z } from 'zod';
import { errorCodes } from '../errors';
import { checkStates, damageReasons } from '../ipc/contract-enums';

/** The parts run in order; progress counts one unit per part and one per attachment. */
export const archiveCheckParts = ['database', 'keyring', 'audit', 'attachments'] as const;
export type ArchiveCheckPart = (typeof archiveCheckParts)[number];

/** Every check of the report, by part: its name is a code the UI and the CLI word in their own language. */
export const archiveCheckNames = ['database-integrity', 'schema-version', 'keyring', 'archive-identity', 'audit-chain', 'audit-checkpoints', 'attachments'] as const;
export type ArchiveCheckName = (typeof archiveCheckNames)[number];

/**
 * What a check found, as a code; its numbers are in `params`. `unreadable`: the check could not run because the
 * archive could not be read (the CLI exits 4 for it, 1 for the others that fail).
 */
export const archiveCheckDetails = [
  'integrity-ok',
  'integrity-problems',
  'schema-current',
  'schema-different',
  'keyring-match',
  'keyring-mismatch',
  'keyring-other-archive',
  'keyring-not-committed',
  'identity-same',
  'identity-different',
  'chain-intact',
  'chain-empty',
  'chain-edited',
  'chain-missing',
  'chain-broken-link',
  'chain-entry-unreadable',
  'checkpoints-valid',
  'checkpoints-none',
  'checkpoint-bad-signature',
  'checkpoint-unknown-key',
  'checkpoint-malformed',
  'checkpoint-count-beyond-log',
  'checkpoint-head-mismatch',
  'attachments-sound',
  'attachments-damaged',
  'unreadable',
] as const;
export type ArchiveCheckDetail = (typeof archiveCheckDetails)[number];

/** Why an attachment was left out: the user holds no key of its restricted record, or the record was not shared with them. */
export const attachmentSkipReasons = ['no-key', 'not-shared'] as const;
export type AttachmentSkipReason = (typeof attachmentSkipReasons)[number];

export const archiveCheckSchema = z.strictObject({
  name: z.enum(archiveCheckNames),
  ok: z.boolean(),
  detail: z.enum(archiveCheckDetails),
  /** The numbers the detail speaks of (counts, positions, versions), by name. */
  params: z.record(z.string(), z.number().int()),
  /** The attachments found damaged, by id (empty for the other checks). */
  damaged: z.array(z.strictObject({ id: z.string(), reason: z.enum(damageReasons) })),
});
export type ArchiveCheck = z.output<typeof archiveCheckSchema>;

/** A check of the whole archive running in main: progress (done of total units), the part it is on, the checks so far. */
export const archiveCheckStatusSchema = z.strictObject({
  jobId: z.string(),
  state: z.enum(checkStates),
  part: z.enum(archiveCheckParts).nullable(),
  done: z.number().int(),
  total: z.number().int(),
  checks: z.array(archiveCheckSchema),
  /** Why the check stopped early (state "failed"). */
  error: z.strictObject({ code: z.enum(errorCodes), message: z.string() }).nullable(),
});
export type ArchiveCheckStatus = z.output<typeof archiveCheckStatusSchema>;
