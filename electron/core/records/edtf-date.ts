// Uncertain dates (EDTF, ISO 8601-2: '1999-04', '1999-03~', '1998/1999') parsed with the `edtf` library into
// a sortable range. Spec: https://www.loc.gov/standards/datetime/ ; library: https://github.com/inukshuk/edtf.js
import edtf from 'edtf';
import { ArchiveError } from '../errors';

/** An EDTF value and the calendar days it may fall on (ISO yyyy-mm-dd, inclusive); null bound = open. */
export type EdtfRange = { edtf: string; lo: string | null; hi: string | null };

/** Longer inputs are refused before parsing: the grammar is not meant for megabytes. */
export const maxEdtfLength = 64;

const isoDay = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : null);

/**
 * Parses and normalises an EDTF string; throws RECORD_INVALID_DATE with the offending text's shape, never
 * the parser's internals.
 *
 * @example parseEdtf('1999-03~') // { edtf: '1999-03~', lo: '1999-03-01', hi: '1999-03-31' }
 */
export function parseEdtf(input: string): EdtfRange {
  const text = input.trim();
  if (text.length === 0 || text.length > maxEdtfLength || !/^[0-9XSEYu?~%./,[\]{}\-+:TZ ]+$/.test(text)) {
    throw new ArchiveError('RECORD_INVALID_DATE', 'The date is not a valid EDTF date (e.g. 1999-04, 1999-03~, 1998/1999).');
  }
  let value: ReturnType<typeof edtf>;
  try {
    value = edtf(text);
  } catch {
    throw new ArchiveError('RECORD_INVALID_DATE', 'The date is not a valid EDTF date (e.g. 1999-04, 1999-03~, 1998/1999).');
  }
  const lo = isoDay(value.min);
  const hi = isoDay(value.max);
  if (lo === null && hi === null) {
    throw new ArchiveError('RECORD_INVALID_DATE', 'The date range is open at both ends.');
  }
  return { edtf: value.edtf, lo, hi };
}

/** True when the two inclusive day ranges overlap (null bounds are open). */
export function overlaps(a: { lo: string | null; hi: string | null }, b: { lo: string | null; hi: string | null }): boolean {
  return (a.lo === null || b.hi === null || a.lo <= b.hi) && (b.lo === null || a.hi === null || b.lo <= a.hi);
}
