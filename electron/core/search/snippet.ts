// A short extract of a record's original text around the first word a query matched, in its own script.
import { foldForSearch } from '../../../shared/text/fold';
import type { QueryTerm } from './match-expression';

/** Only the start of a very long narrative is scanned: a snippet is a hint, not a concordance. */
export const snippetScanLimit = 64 * 1024;
const snippetWidth = 160;
const contextBefore = 50;

const tokenRun = /[\p{L}\p{N}\p{Co}]+/gu;

/**
 * Which UTF-16 code units belong to a word of the original text: letters, digits, private use and marks
 * (so "e" + combining diaeresis stays one word); surrogates too, so an astral letter never splits a word.
 * Built once, on first use; a table lookup per character keeps the scan of a 2 KB narrative in microseconds.
 */
let wordUnits: Uint8Array | undefined;
function wordUnitTable(): Uint8Array {
  if (wordUnits) return wordUnits;
  const table = new Uint8Array(0x10000);
  const wordChar = /^[\p{L}\p{N}\p{Co}\p{M}]$/u;
  for (let code = 0; code < 0x10000; code++) {
    table[code] = (code >= 0xd800 && code <= 0xdfff) || wordChar.test(String.fromCharCode(code)) ? 1 : 0;
  }
  return (wordUnits = table);
}

const matches = (token: string, terms: readonly QueryTerm[]) => terms.some((t) => (t.prefix ? token.startsWith(t.token) : token === t.token));

/**
 * About 160 characters of `text` around the first word whose folded form matches a term, with "…" where
 * it was cut; undefined when no word matches (the record matched by its title or names).
 *
 * Runs for every result on a page, so it folds as little as it can: a word is folded only when its first
 * character folds to the first letter of a term (a folded word starts with its first character's fold).
 *
 * @example snippetOf('... u ndal në pikën e kontrollit në Mejë ...', [{ token: 'meje', prefix: false }])
 */
export function snippetOf(text: string, terms: readonly QueryTerm[]): string | undefined {
  if (terms.length === 0 || text.length === 0) return undefined;
  const isWord = wordUnitTable();
  const initials = new Set(terms.map((t) => t.token.charCodeAt(0)));
  // First code unit → first code unit of its fold (NaN when it folds to nothing: then fold the whole word).
  const initialOf = new Map<number, number>();
  const end = Math.min(text.length, snippetScanLimit);
  let i = 0;
  while (i < end) {
    if (!isWord[text.charCodeAt(i)]) {
      i++;
      continue;
    }
    const start = i;
    while (i < end && isWord[text.charCodeAt(i)]) i++;
    const first = text.charCodeAt(start);
    let initial = initialOf.get(first);
    if (initial === undefined) initialOf.set(first, (initial = foldForSearch(String.fromCharCode(first)).charCodeAt(0)));
    if (!Number.isNaN(initial) && !initials.has(initial)) continue;
    const tokens = foldForSearch(text.slice(start, i)).match(tokenRun) ?? [];
    if (tokens.some((token) => matches(token, terms))) return cut(text, start, i);
  }
  return undefined;
}

/** The window around [from, to), widened to whole words, whitespace collapsed. */
function cut(text: string, from: number, to: number): string {
  let start = Math.max(0, from - contextBefore);
  let end = Math.min(text.length, Math.max(to, start + snippetWidth));
  if (start > 0) {
    const space = text.slice(start, from).search(/\s/);
    start = space === -1 ? from : start + space + 1;
  }
  if (end < text.length) {
    const space = text.slice(to, end).search(/\s\S*$/);
    end = space === -1 ? end : to + space;
  }
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '… ' : ''}${body}${end < text.length ? ' …' : ''}`;
}
