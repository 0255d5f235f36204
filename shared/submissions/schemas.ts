// Submission filters (issue 6): which records a director asks to put into a commission submission.
// Shapes and bounds only; codes, places and the EDTF period are checked in core (electron/core/submissions).
import { z } from 'zod';
import { codeSchema, edtfSchema, testimonyStatuses } from '../records/schemas';
import { sessionStatuses } from '../records/session-schemas';

export const submissionRecordKinds = ['testimony', 'session'] as const;
export type SubmissionRecordKind = (typeof submissionRecordKinds)[number];

const codes = (max: number) => z.array(codeSchema).max(max);

/**
 * Every given filter narrows the selection; an empty list or a null period means "no filter on that".
 * Act types and affected groups exist only on testimonies: when either is given, sessions never match.
 */
export const submissionFiltersSchema = z.strictObject({
  kinds: z.array(z.enum(submissionRecordKinds)).min(1).max(2),
  /** Testimonies with at least one violation of one of these act types. */
  actTypes: codes(100),
  /** EDTF ('1999', '1999-03/1999-06'): a record matches when its date (or one of its violations' dates) overlaps it. */
  period: edtfSchema.nullable(),
  /** Gazetteer ids: the record's place or one of its violations' places. */
  placeIds: codes(500),
  /** Testimonies with at least one of these affected groups. */
  affectedGroups: codes(50),
  /** Testimony statuses to consider; drafts that match are listed as excluded ('draft'), never included. */
  testimonyStatuses: z.array(z.enum(testimonyStatuses)).max(3),
  /** Session statuses to consider; only held sessions can be included. */
  sessionStatuses: z.array(z.enum(sessionStatuses)).max(3),
});
export type SubmissionFilters = z.output<typeof submissionFiltersSchema>;

/** The preview request: the filters and the export date consent (embargoes) is judged against. */
export const submissionPreviewInputSchema = z.strictObject({ filters: submissionFiltersSchema, exportDate: z.iso.date() });
export type SubmissionPreviewInput = z.output<typeof submissionPreviewInputSchema>;

/** The build request: as the preview, plus the director's confirmation that restricted records may leave. */
export const submissionBuildInputSchema = submissionPreviewInputSchema.extend({ confirmRestricted: z.boolean() });
export type SubmissionBuildInput = z.output<typeof submissionBuildInputSchema>;
