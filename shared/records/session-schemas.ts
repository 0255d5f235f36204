// Dialogue session inputs (round tables and peace tables, DESIGN.md section 4): participants with role and
// consent, follow-up actions, and the list query. Shapes and bounds only; codes, places, EDTF and people are checked in core.
import { z } from 'zod';
import { codeSchema, consentInputSchema, edtfSchema, recordIdSchema, sensitivities } from './schemas';
import { maxLongText, text } from './text';

export const sessionKinds = ['round-table', 'peace-table'] as const;
export type SessionKind = (typeof sessionKinds)[number];
/** Where the session stands: planned (agenda only), held (minutes expected), cancelled. */
export const sessionStatuses = ['planned', 'held', 'cancelled'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];
export const followUpStatuses = ['open', 'in-progress', 'done', 'dropped'] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];

export const participantInputSchema = z.strictObject({
  personId: recordIdSchema,
  /** A code of the participantRoles vocabulary (affected family member, official, community representative, ...). */
  role: codeSchema,
  /** Sealed with the minutes when the session is restricted. */
  notes: text(20_000).nullable(),
  consent: consentInputSchema,
});
export type ParticipantInput = z.output<typeof participantInputSchema>;

export const followUpInputSchema = z.strictObject({
  /** Null for a new action; an existing action keeps its id across revisions. */
  id: recordIdSchema.nullable(),
  text: text(2000, 1),
  /** Who is responsible: a person, office or institution, as named in the session. */
  owner: text(200, 1),
  dueDate: z.iso.date().nullable(),
  status: z.enum(followUpStatuses),
});
export type FollowUpInput = z.output<typeof followUpInputSchema>;

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

export const sessionInputSchema = z.strictObject({
  kind: z.enum(sessionKinds),
  status: z.enum(sessionStatuses),
  title: text(300, 1),
  date: edtfSchema,
  placeId: codeSchema.nullable(),
  facilitators: z.array(text(200, 1)).max(20),
  participants: z
    .array(participantInputSchema)
    .max(500)
    .refine((ps) => distinct(ps.map((p) => p.personId)), { error: 'each person takes part once' }),
  agenda: text(20_000),
  minutes: text(maxLongText),
  /** Outcomes and agreements reached. */
  outcomes: text(maxLongText),
  followUps: z
    .array(followUpInputSchema)
    .max(200)
    .refine((fs) => distinct(fs.flatMap((f) => (f.id === null ? [] : [f.id]))), { error: 'duplicate follow-up id' }),
  /** Restricted: minutes, outcomes and participants' notes are sealed to readers (see core/crypto/sealed-content). */
  sensitivity: z.enum(sensitivities),
});
export type SessionInput = z.output<typeof sessionInputSchema>;

/** Newest first; `cursor` is the `nextCursor` of the previous page. Date bounds are ISO days, matched by overlap. */
export const sessionListInputSchema = z.strictObject({
  kind: z.enum(sessionKinds).optional(),
  status: z.enum(sessionStatuses).optional(),
  dateFrom: z.iso.date().optional(),
  dateTo: z.iso.date().optional(),
  limit: z.int().min(1).max(200),
  cursor: z.string().max(200).optional(),
});
export type SessionListInput = z.output<typeof sessionListInputSchema>;
