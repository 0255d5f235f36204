// Record inputs (IPC and records.json): people, consent, coded violations and testimonies (DESIGN.md section 4).
// Shapes and bounds only; vocabulary codes, places, EDTF and references are checked in core against the archive.
import { z } from 'zod';
import { maxLongText, text } from './text';

export const sensitivities = ['normal', 'restricted'] as const;
export const testimonyStatuses = ['draft', 'reviewed', 'sealed'] as const;
export const commissionScopes = ['named', 'pseudonymised', 'none'] as const;

export const recordIdSchema = z.uuid();
/** A vocabulary code or gazetteer id: stable kebab-case ASCII. */
export const codeSchema = z.string().min(1).max(64).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
/** EDTF text; parsed and validated in core with the edtf library. */
export const edtfSchema = z.string().min(1).max(64);

export const personInputSchema = z.strictObject({
  names: z
    .strictObject({
      sq: text(200).nullable(),
      srLatn: text(200).nullable(),
      srCyrl: text(200).nullable(),
    })
    .refine((n) => Boolean(n.sq || n.srLatn || n.srCyrl), { error: 'at least one name form' }),
  sex: codeSchema,
  birthDate: edtfSchema.nullable(),
  ethnicity: codeSchema.nullable(),
  /** What became of the person, from the victimOutcomes vocabulary (survived, killed, still missing, found); null = not recorded. */
  status: codeSchema.nullable().default(null),
  residencePlaceId: codeSchema.nullable(),
  contact: text(2000).nullable(),
  /** Restricted: names, birth date, residence and contact are sealed to readers (see core/crypto/sealed-content). */
  confidentiality: z.enum(sensitivities),
});
export type PersonInput = z.output<typeof personInputSchema>;

/**
 * A duplicate-person lookup while a person is being entered: whatever of the form is filled in so far.
 * Names are not checked like a person's (any text folds); a birth date that is not valid EDTF is ignored.
 */
export const similarPersonsInputSchema = z.strictObject({
  names: z.strictObject({ sq: z.string().max(200).nullable(), srLatn: z.string().max(200).nullable(), srCyrl: z.string().max(200).nullable() }),
  birthDate: z.string().max(64).nullable(),
  residencePlaceId: z.string().max(64).nullable(),
  /** The person being edited, left out of the suggestions. */
  excludeId: recordIdSchema.nullable(),
  limit: z.number().int().min(1).max(20),
});
export type SimilarPersonsInput = z.output<typeof similarPersonsInputSchema>;

export const consentInputSchema = z.strictObject({
  explainedBy: text(200, 1),
  language: codeSchema,
  formVersion: text(40, 1),
  medium: z.enum(['written', 'recorded']),
  scopes: z.strictObject({
    archive: z.boolean(),
    statistics: z.boolean(),
    commission: z.enum(commissionScopes),
    publicHearing: z.boolean(),
    prosecution: z.boolean(),
    media: z.boolean(),
    recontact: z.boolean(),
  }),
  anonymityLevel: codeSchema,
  embargoUntil: z.iso.date().nullable(),
  minor: z.boolean(),
  guardian: text(200).nullable(),
  withdrawal: z
    .strictObject({ date: z.iso.date(), scope: z.enum(['all', 'commission', 'public', 'media']), note: text(2000) })
    .nullable(),
});
export type ConsentInput = z.output<typeof consentInputSchema>;

export const violationInputSchema = z.strictObject({
  /** An existing violation of the testimony keeps its id across edits (segments link to it); a new one has none. */
  id: recordIdSchema.optional(),
  victimId: recordIdSchema,
  actType: codeSchema,
  date: edtfSchema.nullable(),
  placeId: codeSchema.nullable(),
  perpetratorType: codeSchema.nullable(),
  victimOutcome: codeSchema.nullable(),
  notes: text(20_000).nullable(),
});
export type ViolationInput = z.output<typeof violationInputSchema>;

export const testimonyInputSchema = z.strictObject({
  deponentId: recordIdSchema,
  interpreter: text(200).nullable(),
  language: codeSchema,
  mode: codeSchema,
  date: edtfSchema.nullable(),
  placeId: codeSchema.nullable(),
  affectedGroups: z.array(codeSchema).max(20),
  title: text(300, 1),
  narrative: text(maxLongText),
  sensitivity: z.enum(sensitivities),
  violations: z.array(violationInputSchema).max(500),
  consent: consentInputSchema,
});
export type TestimonyInput = z.output<typeof testimonyInputSchema>;
