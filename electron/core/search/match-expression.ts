// Turns what a user typed into a safe FTS5 MATCH expression: folded, split into words, every word quoted.
// FTS5 query syntax: https://sqlite.org/fts5.html#full_text_query_syntax
import { foldForSearch } from '../../../shared/text/fold';

/** Longer queries are refused before any work: nobody types 500 characters into a search box. */
export { maxQueryLength } from '../../../shared/records/search-schemas';
/** Each word is one doclist to intersect; more than this is refused rather than left to run long. */
export const maxQueryTerms = 16;
/**
 * The last word is matched as a prefix (search as you type) once it has this many characters. A shorter
 * prefix expands to most of the vocabulary and costs a merge of thousands of doclists for no useful answer.
 */
export const minPrefixLength = 3;

export type QueryTerm = { token: string; prefix: boolean };

/**
 * A token is a run of letters, digits or private-use characters: unicode61's token characters
 * (categories L*, N*, Co). Everything else separates words, so no FTS5 operator character survives.
 */
const tokenRun = /[\p{L}\p{N}\p{Co}]+/gu;
/** Whether the text ends inside a word (a mark may end a letter typed as base + combining mark). */
const endsInWord = /[\p{L}\p{N}\p{Co}\p{M}]$/u;

/**
 * The words of a query, folded like the indexed text (shared/text/fold.ts), duplicates dropped. The last
 * word is a prefix unless the query ends with a space or punctuation (the word is finished) or it is short.
 *
 * @example queryTerms('Krushë e Madh') // [{ token: 'krushe', prefix: false }, { token: 'e', prefix: false }, { token: 'madh', prefix: true }]
 */
export function queryTerms(query: string): QueryTerm[] {
  const tokens = [...new Set(foldForSearch(query).match(tokenRun) ?? [])];
  const last = tokens.at(-1);
  const prefixLast = last !== undefined && last.length >= minPrefixLength && endsInWord.test(query);
  return tokens.map((token, i) => ({ token, prefix: prefixLast && i === tokens.length - 1 }));
}

/** More indexed words than this under one prefix, and FTS5's own prefix query is used instead of an OR. */
export const maxPrefixExpansion = 64;

/**
 * The MATCH expression for terms: each token a double-quoted FTS5 string (so AND, OR, NOT, NEAR, `*`,
 * `^`, `:` and parentheses are plain text), ANDed. A prefix term becomes an OR of `expansion`, the indexed
 * words it starts, when given; else FTS5's prefix syntax (`"tok"*`). Tokens hold no `"` (it is not a token
 * character); doubling it anyway keeps the function safe on its own.
 *
 * @example matchExpression([{ token: 'recak', prefix: true }]) // '"recak"*'
 * @example matchExpression([{ token: 'masakra', prefix: false }, { token: 'recak', prefix: true }], ['recak', 'recakut']) // '"masakra" AND ("recak" OR "recakut")'
 */
export function matchExpression(terms: readonly QueryTerm[], expansion?: readonly string[]): string {
  const quote = (token: string) => `"${token.replaceAll('"', '""')}"`;
  return terms
    .map((t) => {
      if (!t.prefix) return quote(t.token);
      if (expansion === undefined || expansion.length === 0) return `${quote(t.token)}*`;
      return `(${expansion.map(quote).join(' OR ')})`;
    })
    .join(' AND ');
}
