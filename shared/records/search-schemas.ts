// Search and list requests and pages: shapes and bounds shared by the IPC contract, the CLI and core.
import { z } from 'zod';
import { codeSchema, commissionScopes, recordIdSchema } from './schemas';

export const searchKinds = ['testimony', 'person', 'session'] as const;
export type SearchKind = (typeof searchKinds)[number];

/** Longest search text accepted (characters). */
export const maxQueryLength = 500;

export const maxPageSize = 200;
export const defaultPageSize = 50;

const isoDay = z.iso.date();

export const searchFiltersSchema = z
  .strictObject({
    actType: codeSchema.optional(),
    /** ISO days, inclusive; a record matches when its EDTF day range overlaps [dateFrom, dateTo]. */
    dateFrom: isoDay.optional(),
    dateTo: isoDay.optional(),
    placeId: codeSchema.optional(),
    affectedGroup: codeSchema.optional(),
    /** A record status: draft/reviewed/sealed for testimonies, planned/held/cancelled for sessions. */
    status: codeSchema.optional(),
    /** The commission scope recorded in the record's consent, any participant's for a session (as recorded: withdrawal and embargo are not applied here). */
    commissionScope: z.enum(commissionScopes).optional(),
  })
  .refine((f) => f.dateFrom === undefined || f.dateTo === undefined || f.dateFrom <= f.dateTo, { error: 'dateFrom after dateTo' });
export type SearchFilters = z.output<typeof searchFiltersSchema>;

const cursorSchema = z.string().min(1).max(400);
const limitSchema = z.number().int().min(1).max(maxPageSize).default(defaultPageSize);

export const listInputSchema = z.strictObject({
  filters: searchFiltersSchema.default({}),
  limit: limitSchema,
  cursor: cursorSchema.nullish(),
});
export type ListInput = z.input<typeof listInputSchema>;

export const searchInputSchema = z.strictObject({
  /** Any text: it is folded and quoted word by word, never passed to FTS5 as syntax. Empty = list. */
  query: z.string().max(maxQueryLength),
  kinds: z.array(z.enum(searchKinds)).min(1).max(searchKinds.length).optional(),
  filters: searchFiltersSchema.default({}),
  limit: limitSchema,
  cursor: cursorSchema.nullish(),
  /** A short extract around the first match: a normal testimony's narrative, a session's agenda (and minutes and outcomes when normal). */
  snippets: z.boolean().default(true),
});
export type SearchInput = z.input<typeof searchInputSchema>;

export const searchItemSchema = z.strictObject({
  kind: z.enum(searchKinds),
  id: recordIdSchema,
  /** Null for a restricted person (the name is sealed). */
  title: z.string().nullable(),
  /** EDTF: the testimony's or session's date, a person's birth date. */
  date: z.string().nullable(),
  /** draft/reviewed/sealed for a testimony, planned/held/cancelled for a session, null for a person. */
  status: z.string().nullable(),
  snippet: z.string().optional(),
});

export const searchPageSchema = z.strictObject({ items: z.array(searchItemSchema), nextCursor: z.string().nullable() });
