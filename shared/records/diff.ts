// The field-by-field difference between two states of a record, as a reviewer compares two revisions.

/** Where a difference is: object keys and array positions from the record's root. */
export type DiffPath = ReadonlyArray<string | number>;

/**
 * One difference. `added` and `removed` are a key or array item present on one side only (the missing
 * side is undefined); `changed` is a value that differs, null on either side included.
 */
export type DiffEntry =
  | { kind: 'changed'; path: DiffPath; before: unknown; after: unknown }
  | { kind: 'added'; path: DiffPath; before: undefined; after: unknown }
  | { kind: 'removed'; path: DiffPath; before: unknown; after: undefined };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

/** Deep equality of JSON-like values; object key order does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!sameValue(a[k], b[k])) return false;
    return true;
  }
  return false;
}

function walk(before: unknown, after: unknown, path: Array<string | number>, out: DiffEntry[]): void {
  if (sameValue(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    // Keys in the older state's order, then keys only the newer state has.
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const k of keys) {
      const b = before[k];
      const a = after[k];
      if (b === undefined && a !== undefined) out.push({ kind: 'added', path: [...path, k], before: undefined, after: a });
      else if (a === undefined && b !== undefined) out.push({ kind: 'removed', path: [...path, k], before: b, after: undefined });
      else walk(b, a, [...path, k], out);
    }
    return;
  }
  // A list of codes or names (affected groups, facilitators) reads best as a whole, old list beside new;
  // a list of records (violations, participants) is compared item by item, by position.
  if (Array.isArray(before) && Array.isArray(after) && !(before.every(isScalar) && after.every(isScalar))) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      if (i >= after.length) out.push({ kind: 'removed', path: [...path, i], before: before[i], after: undefined });
      else if (i >= before.length) out.push({ kind: 'added', path: [...path, i], before: undefined, after: after[i] });
      else walk(before[i], after[i], [...path, i], out);
    }
    return;
  }
  out.push({ kind: 'changed', path, before, after });
}

/**
 * The changed leaves between `before` and `after` (JSON-like values, e.g. two revision snapshots): nested
 * objects are followed key by key, arrays of objects item by item; equal states give an empty list.
 *
 * @example diffRecords({ title: 'a', violations: [] }, { title: 'b', violations: [{ actType: 'killing' }] })
 * // [{ kind: 'changed', path: ['title'], before: 'a', after: 'b' },
 * //  { kind: 'added', path: ['violations', 0], before: undefined, after: { actType: 'killing' } }]
 */
export function diffRecords(before: unknown, after: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(before, after, [], out);
  return out;
}
