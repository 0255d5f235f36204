// records.json: the versioned exchange format of records (import, and the submission payload later).
// Records refer to each other by file-local `ref`s; an import gives every record a new archive id.
// Its JSON Schema (records.schema.json beside this file) is generated from these zod schemas.
import { z } from 'zod';
import { personInputSchema, testimonyInputSchema, violationInputSchema } from './schemas';
import { followUpInputSchema, participantInputSchema, sessionInputSchema } from './session-schemas';

export const recordsFileFormat = 'testimony-archive/records';
export const recordsFileVersion = 1;

/** A file-local reference ("p1", "deponent-12"): never an archive id, so files can be written by hand or from spreadsheets. */
export const recordRefSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/);

export const personRecordSchema = personInputSchema.extend({ ref: recordRefSchema });

// Archive ids never come from a file: an imported violation gets a new id like every other imported record.
export const violationRecordSchema = violationInputSchema.omit({ id: true, victimId: true }).extend({ victimRef: recordRefSchema });

export const testimonyRecordSchema = testimonyInputSchema
  .omit({ deponentId: true, violations: true })
  .extend({ ref: recordRefSchema, deponentRef: recordRefSchema, violations: z.array(violationRecordSchema).max(500) });

/** A session participant: the person by file-local ref, with role, notes and consent. */
export const participantRecordSchema = participantInputSchema.omit({ personId: true }).extend({ personRef: recordRefSchema });

/** A follow-up action without an id: every imported action is new (the archive gives it one). */
export const followUpRecordSchema = followUpInputSchema.omit({ id: true });

/** A dialogue session (round table or peace table). */
export const sessionRecordSchema = sessionInputSchema.extend({
  ref: recordRefSchema,
  participants: z
    .array(participantRecordSchema)
    .max(500)
    .refine((ps) => new Set(ps.map((p) => p.personRef)).size === ps.length, { error: 'each person takes part once' }),
  followUps: z.array(followUpRecordSchema).max(200),
});

/**
 * An attachment of a submitted record (submission payloads only; an import ignores them, having no bytes): the file
 * is in the payload at `path`, and `sha256` is the hash taken when the archive received it.
 */
export const attachmentRecordSchema = z.strictObject({
  ref: recordRefSchema,
  recordRef: recordRefSchema,
  path: z.string().regex(/^attachments\/[0-9a-f-]{36}\.[a-z0-9]{1,8}$/),
  mediaType: z.string().min(1).max(100),
  bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.enum(['import', 'recording']),
  createdAt: z.iso.datetime(),
});

export const recordsFileSchema = z.strictObject({
  format: z.literal(recordsFileFormat),
  version: z.literal(recordsFileVersion),
  persons: z.array(z.unknown()).max(1_000_000),
  testimonies: z.array(z.unknown()).max(1_000_000),
  /** Optional, so files written before sessions were part of the format stay valid version 1 files. */
  sessions: z.array(z.unknown()).max(1_000_000).optional(),
  /** Optional: only submission payloads carry attachments. */
  attachments: z.array(z.unknown()).max(1_000_000).optional(),
});

/** The full file with every record typed: what the JSON Schema describes (the importer parses records one by one to name the bad ones). */
export const recordsFileStrictSchema = recordsFileSchema.extend({
  persons: z.array(personRecordSchema).max(1_000_000),
  testimonies: z.array(testimonyRecordSchema).max(1_000_000),
  sessions: z.array(sessionRecordSchema).max(1_000_000).optional(),
  attachments: z.array(attachmentRecordSchema).max(1_000_000).optional(),
});

export type PersonRecord = z.output<typeof personRecordSchema>;
export type TestimonyRecord = z.output<typeof testimonyRecordSchema>;
export type SessionRecord = z.output<typeof sessionRecordSchema>;
export type AttachmentRecord = z.output<typeof attachmentRecordSchema>;
/** records.json as written by hand or by a generator (before zod's defaults and transforms). */
export type RecordsFileInput = z.input<typeof recordsFileStrictSchema>;

/** The JSON Schema of records.json, generated from the zod schemas (checked against the shipped file by a test). */
export function recordsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(recordsFileStrictSchema, { io: 'input', unrepresentable: 'any' }),
    $id: `https://testimony-archive.invalid/schemas/records-v${recordsFileVersion}.json`,
    title: `Testimony Archive records, version ${recordsFileVersion}`,
  };
}
