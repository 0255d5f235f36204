// Search and list inputs (shapes and bounds) and their opaque keyset cursors.
// The IPC contract can reuse these schemas as they are; core parses again, since the CLI calls it too.
import { z } from 'zod';
import { codeSchema, commissionScopes, recordIdSchema } from '../../../shared/records/schemas';
import { ArchiveError } from '../errors';
import { maxQueryLength } from './match-expression';
import { searchKinds } from './search-document';

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
    /** A record status: draft/reviewed/sealed for testimonies (sessions bring their own). */
    status: codeSchema.optional(),
    /** The commission scope recorded in the record's consent (as recorded: withdrawal and embargo are not applied here). */
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
  /** A short extract of the narrative around the first match (normal testimonies only). */
  snippets: z.boolean().default(true),
});
export type SearchInput = z.input<typeof searchInputSchema>;

/** Parses `input` or throws IPC_BAD_INPUT naming the first bad field (never echoing its value). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
  if (issue?.path[0] === 'query' && issue.code === 'too_big') {
    throw new ArchiveError('IPC_BAD_INPUT', `The search text is too long (at most ${maxQueryLength} characters).`);
  }
  throw new ArchiveError('IPC_BAD_INPUT', `Invalid search request (${where}).`);
}

/**
 * Keyset positions. A search page continues after the last index entry shown (results are newest indexed
 * first); a list page after the last (updated_at, id) shown. Encoded as base64url JSON: opaque to callers.
 */
const positionSchema = z.discriminatedUnion('k', [
  z.strictObject({ k: z.literal('search'), doc: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  z.strictObject({ k: z.literal('list'), updatedAt: z.string().min(1).max(40), id: recordIdSchema }),
]);
export type Position = z.output<typeof positionSchema>;

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');
}

export function decodeCursor<K extends Position['k']>(cursor: string, kind: K): Extract<Position, { k: K }> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const r = positionSchema.safeParse(json);
  if (!r.success || r.data.k !== kind) throw new ArchiveError('IPC_BAD_INPUT', 'Invalid page cursor: start the search again.');
  return r.data as Extract<Position, { k: K }>;
}
