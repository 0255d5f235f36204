// Duplicate-person suggestions, pure part: phonetic keys of name words and the score of a candidate.
//
// The same person is written "Shaqir Krasniqi", "Šaćir Krasnići" and "Шаћир Красничи". foldForSearch
// (shared/text/fold.ts) already removes case, diacritics and script; the key then brings Albanian and
// Serbian spelling together (Albanian xh/gj/sh/zh/q/ç/dh/th/ll/rr/ë/y against Serbian dž/đ/š/ž/ć/č/d/t/l/r/e/i).
import { foldForSearch } from '../../../shared/text/fold';
import { overlaps, parseEdtf } from './edtf-date';

export type NameForms = { sq: string | null; srLatn: string | null; srCyrl: string | null };

/** Keys shorter than this (initials, particles) are not stored or looked up: they would match most people. */
export const minKeyLength = 2;
/** Two words may differ by one typo only when the longer key has at least this many letters ("Ali" ~ "Adi" is no typo). */
export const minTypoKeyLength = 4;
/** Words of one name taken into account (a name form holds at most 200 characters). */
export const maxNameWords = 8;

/**
 * Albanian digraphs and letters whose Serbian counterpart folds to something else: xh = dž (folds to dz),
 * gj = đ (dj), sh = š (s), zh = ž (z), q = ć (c); dh and th have no Serbian letter (d, t); x = dz, y = i.
 * ç and č, ë and e need nothing here: folding already makes them c and e.
 */
const digraphs: Readonly<Record<string, string>> = { xh: 'dz', gj: 'dj', sh: 's', zh: 'z', dh: 'd', th: 't' };
const letters: Readonly<Record<string, string>> = { q: 'c', x: 'dz', y: 'i', w: 'v' };

const wordRun = /[\p{L}\p{N}]+/gu;

/**
 * The phonetic key of one folded word: Albanian digraphs and letters mapped to the Serbian reading, every
 * "e" after the first letter dropped (Albanian ë is often left out or written e: "Mërgim" ~ "Mergim",
 * "Lumë" ~ "Lum"), then doubled letters made single ("ll" ~ "l", "rr" ~ "r", "Hassan" ~ "Hasan").
 */
function keyOfFolded(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const pair = digraphs[word.slice(i, i + 2)];
    if (pair !== undefined) {
      out += pair;
      i++;
      continue;
    }
    const ch = word.charAt(i);
    if (ch === 'e' && i > 0) continue;
    out += letters[ch] ?? ch;
  }
  let key = '';
  for (const ch of out) if (ch !== key.at(-1)) key += ch;
  return key;
}

/**
 * The key of one name word, in any script or spelling.
 *
 * @example nameTokenKey('Gjergj') === nameTokenKey('Đerđ') // both 'djrdj'
 * @example nameTokenKey('Xhemajl') === nameTokenKey('Џемајл') // both 'dzmajl'
 */
export function nameTokenKey(word: string): string {
  return keyOfFolded((foldForSearch(word).match(wordRun) ?? []).join(''));
}

/** One word of a name: its folded spelling (to tell an exact match) and its key. */
export type NameWord = { spelling: string; key: string };

/** The words of a name that can be compared (keys of at least minKeyLength letters), in order, at most maxNameWords. */
export function nameWords(name: string | null): NameWord[] {
  if (name === null) return [];
  const words: NameWord[] = [];
  for (const spelling of foldForSearch(name).match(wordRun) ?? []) {
    const key = keyOfFolded(spelling);
    if (key.length >= minKeyLength) words.push({ spelling, key });
    if (words.length === maxNameWords) break;
  }
  return words;
}

/**
 * What person_name_keys holds for a normal person: the distinct keys of all three name forms, and the fewest
 * words of any non-empty form (0 when no form has a comparable word: then nothing is stored).
 */
export function personNameKeys(names: NameForms): { keys: string[]; fewestWords: number } {
  const forms = nameFormWords(names);
  return { keys: [...new Set(forms.flat().map((w) => w.key))], fewestWords: forms.length ? Math.min(...forms.map((f) => f.length)) : 0 };
}

/** Letters a key can hold after its first position: no e, q, w, x, y (mapped or dropped); e may start a key. */
const keyLetters = 'abcdfghijklmnoprstuvz';

/** Whether `s` could be a stored key: long enough, no doubled letter, no e after the first letter, no mapped-away letter. */
function isKeyShape(s: string): boolean {
  if (s.length < minKeyLength) return false;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    if (i > 0 && (ch === s.charAt(i - 1) || ch === 'e')) return false;
    if (ch === 'q' || ch === 'w' || ch === 'x' || ch === 'y') return false;
  }
  return true;
}

/**
 * Every key one typo away from `key` (a letter deleted, inserted, replaced, or two neighbours swapped)
 * that a stored key can be, where the longer of the two has at least minTypoKeyLength letters. Looking
 * these up as equal keys finds "Agim" for "Agm" or "Shaqiri" for "Shaqir" without scanning the table.
 *
 * @example typoVariants('agim').includes('agm') // true
 */
export function typoVariants(key: string): string[] {
  if (key.length < minTypoKeyLength - 1) return [];
  const out = new Set<string>();
  // A key may start with e ("Elira"), so the first position also tries it.
  const lettersAt = (i: number) => (i === 0 ? `e${keyLetters}` : keyLetters);
  for (let i = 0; i < key.length; i++) {
    out.add(key.slice(0, i) + key.slice(i + 1));
    if (i + 1 < key.length) out.add(key.slice(0, i) + key.charAt(i + 1) + key.charAt(i) + key.slice(i + 2));
    for (const ch of lettersAt(i)) out.add(key.slice(0, i) + ch + key.slice(i + 1));
  }
  for (let i = 0; i <= key.length; i++) for (const ch of lettersAt(i)) out.add(key.slice(0, i) + ch + key.slice(i));
  out.delete(key);
  return [...out].filter((v) => isKeyShape(v) && Math.max(v.length, key.length) >= minTypoKeyLength);
}

/** True when a and b are at most one typo apart (Damerau: deletion, insertion, substitution or adjacent swap). */
export function withinOneTypo(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a.charAt(i) === b.charAt(i)) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The most a word matched by equal keys, or by a typo in the key, adds to nameSimilarity's sum (the SQL prefilter's bound). */
export const keyMatchWeight = 1;
export const typoMatchWeight = 0.7;

/** How alike a typed word is to a stored word: same spelling 1, same key 0.9, one typo in the key 0.7. */
export function wordSimilarity(typed: NameWord, stored: NameWord): number {
  if (typed.spelling === stored.spelling) return keyMatchWeight;
  if (typed.key === stored.key) return 0.9;
  if (Math.max(typed.key.length, stored.key.length) >= minTypoKeyLength && withinOneTypo(typed.key, stored.key)) return typoMatchWeight;
  return 0;
}

/**
 * How alike two names are, 0..1, in any word order ("Gashi Agim" ~ "Agim Gashi"): each typed word is paired
 * with its most alike unused stored word, and the sum is divided by the mean word count, so a missing or
 * extra word (a middle name) lowers the score without ruling the pair out.
 */
export function nameSimilarity(typed: readonly NameWord[], stored: readonly NameWord[]): number {
  if (typed.length === 0 || stored.length === 0) return 0;
  const pairs: Array<{ t: number; s: number; sim: number }> = [];
  typed.forEach((tw, t) => stored.forEach((sw, s) => pairs.push({ t, s, sim: wordSimilarity(tw, sw) })));
  pairs.sort((x, y) => y.sim - x.sim);
  const usedT = new Set<number>();
  const usedS = new Set<number>();
  let sum = 0;
  for (const p of pairs) {
    if (p.sim === 0) break;
    if (usedT.has(p.t) || usedS.has(p.s)) continue;
    usedT.add(p.t);
    usedS.add(p.s);
    sum += p.sim;
  }
  return Math.min(1, sum / ((typed.length + stored.length) / 2));
}

/** The words of each non-empty name form. */
export function nameFormWords(n: NameForms): NameWord[][] {
  return [n.sq, n.srLatn, n.srCyrl].map(nameWords).filter((w) => w.length > 0);
}

/** The best similarity between any typed name form (its words, from nameFormWords) and any stored one. */
export function bestNameSimilarity(typed: readonly NameWord[][], stored: NameForms): number {
  let best = 0;
  for (const s of nameFormWords(stored)) for (const t of typed) best = Math.max(best, nameSimilarity(t, s));
  return best;
}

/** Birth dates this far apart still count as the same person's (ages are often remembered roughly). */
export const birthToleranceYears = 2;

/** The days a typed EDTF birth date may match, widened by birthToleranceYears each way; null when missing or invalid (ignored). */
export function birthWindow(edtf: string | null): { lo: string | null; hi: string | null } | null {
  if (edtf === null) return null;
  let range: { lo: string | null; hi: string | null };
  try {
    range = parseEdtf(edtf);
  } catch {
    return null;
  }
  // Only the year moves: the bounds are compared as strings, so "2001-02-29" bounds the search as well as a real day would.
  const shift = (day: string | null, years: number) => {
    if (day === null || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
    const year = Number(day.slice(0, 4)) + years;
    return year < 0 || year > 9999 ? day : `${String(year).padStart(4, '0')}${day.slice(4)}`;
  };
  return { lo: shift(range.lo, -birthToleranceYears), hi: shift(range.hi, birthToleranceYears) };
}

/** Whether a stored birth range falls in the window (a person without a birth date never does). */
export function birthMatches(window: { lo: string | null; hi: string | null } | null, stored: { edtf: string | null; lo: string | null; hi: string | null }): boolean {
  return window !== null && stored.edtf !== null && overlaps(window, stored);
}

export type SimilarityReason = 'name' | 'birth-date' | 'residence';

/** Below this name similarity a person is no suggestion, whatever else matches ("Agim Gashi" is not "Agim Krasniqi"). */
export const minNameSimilarity = 0.6;

/**
 * A candidate's score: the name weighs most; a birth date within two years and the same place of residence
 * add to it. Null when the names are too far apart to suggest.
 */
export function scoreCandidate(name: number, birth: boolean, residence: boolean): { score: number; reasons: SimilarityReason[] } | null {
  if (name < minNameSimilarity) return null;
  const reasons: SimilarityReason[] = ['name'];
  if (birth) reasons.push('birth-date');
  if (residence) reasons.push('residence');
  const score = 0.6 * name + (birth ? 0.25 : 0) + (residence ? 0.15 : 0);
  return { score: Math.round(Math.min(1, score) * 1000) / 1000, reasons };
}
