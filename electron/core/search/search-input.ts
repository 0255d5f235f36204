// Search and list inputs (shapes and bounds) and their opaque keyset cursors.
// The IPC contract can reuse these schemas as they are; core parses again, since the CLI calls it too.
import { z } from 'zod';
import { recordIdSchema } from '../../../shared/records/schemas';
import { maxQueryLength } from '../../../shared/records/search-schemas';
import { ArchiveError } from '../errors';

// The request schemas are shared with the IPC contract (shared/records/search-schemas.ts).
export { defaultPageSize, listInputSchema, maxPageSize, searchFiltersSchema, searchInputSchema, type ListInput, type SearchFilters, type SearchInput } from '../../../shared/records/search-schemas';

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
