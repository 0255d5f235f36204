// Per-submission pseudonyms and the redaction of known names, birth dates and contacts from free text.
//
// A label is HMAC-SHA256(bundle secret, kind + id) in Crockford base32 ("P-7K3Q9"): stable within one bundle,
// unrelated across bundles (each has its own random secret), so two submissions cannot be joined on labels.
// Redaction matches on the search fold (shared/text/fold.ts): case, diacritics and script do not matter, so
// "Drita", "DRITA", "Dritë" and "Дрита" are one name. Matches are whole words; a name word of four letters or
// more also matches with a common Albanian or Serbian case ending ("Dritës", "Dragana"), because free text
// inflects names. Over-redaction (a common word that is also a name) is accepted; a missed name is not.
import { createHmac } from 'node:crypto';
import { foldForSearch } from '../../../shared/text/fold';

/** Crockford's base32 alphabet (https://www.crockford.com/base32.html): no I, L, O, U. */
const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const labelChars = 5;

function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += crockford.charAt((acc >>> (bits - 5)) & 31);
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

export type Pseudonymiser = {
  /** The label of a person ("P-…"), or of another kind of record with its own prefix ("T-…" for a testimony). */
  label(id: string, prefix?: string): string;
};

/**
 * Labels for one bundle. Labels are unique within it: on the (rare) clash of two ids' first five characters
 * the later id gets a longer label, so callers label ids in a fixed order (sorted) to keep labels reproducible.
 */
export function createPseudonymiser(bundleSecret: Uint8Array): Pseudonymiser {
  if (bundleSecret.length < 16) throw new RangeError('The bundle secret must be at least 16 bytes.');
  const secret = Buffer.from(bundleSecret);
  const byId = new Map<string, string>();
  const taken = new Set<string>();
  return {
    label(id, prefix = 'P') {
      const key = `${prefix}|${id}`;
      const known = byId.get(key);
      if (known !== undefined) return known;
      const mac = createHmac('sha256', secret).update(key, 'utf8').digest();
      let chars = labelChars;
      let label = `${prefix}-${base32(mac, chars)}`;
      while (taken.has(label)) label = `${prefix}-${base32(mac, ++chars)}`;
      taken.add(label);
      byId.set(key, label);
      return label;
    },
  };
}

/** Folded case endings a name word may carry in free text (Albanian definite/case forms, Serbian cases). */
const endings = new Set([
  'a', 'e', 'i', 'u', 's', 't', 'es', 'et', 'en', 'it', 'in', 'ja', 'je', 'se', 've', 'ne', 'ut', 'un',
  'om', 'em', 'oj', 'ju', 'ima', 'ama', 'ine',
  // Serbian possessives ("Draganov brat", "Draganovim bratom"), which name the person just as well.
  'ov', 'ova', 'ove', 'ovi', 'ovo', 'ovu', 'ovom', 'ovim', 'ovog', 'ovoj', 'ovih', 'ev', 'eva', 'eve', 'evi', 'evo', 'evu', 'evom', 'evim', 'evog', 'evoj', 'evih',
  'in', 'ina', 'ino', 'inu', 'inom', 'inim', 'inog', 'inoj', 'inih',
]);
const inflectableFrom = 4;
/** Name words shorter than this are not looked for alone (initials, particles); whole names always are. */
const minWord = 3;

const wordChar = /[\p{L}\p{N}]/u;
const space = /^\s$/u;

/**
 * What to look for and what to put in its place; a null replacement keeps the match as written (a named
 * person's full name, protected so that a word of it shared with someone pseudonymised is not cut out of it).
 */
export type Redaction = { needles: readonly string[]; replacement: string | null };

/** Put in place of a needle that two redactions disagree on (two persons' shared name word): names no one. */
export const ambiguousName = '[name withheld]';

/** The needles of a person's names: each full name form, and each of its words of three letters or more. */
export function nameNeedles(names: readonly (string | null)[]): string[] {
  const out = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    out.add(name);
    for (const word of name.split(/[\s\-‐'’.,]+/u)) if (foldForSearch(word).length >= minWord) out.add(word);
  }
  return [...out];
}

/** The text folded per code point, with the span of the original each folded character came from. */
type Folded = { text: string; from: number[]; to: number[] };

const foldCache = new Map<string, string>();
function foldChar(ch: string): string {
  let f = foldCache.get(ch);
  if (f === undefined) {
    f = space.test(ch) ? ' ' : foldForSearch(ch);
    if (foldCache.size < 10_000) foldCache.set(ch, f);
  }
  return f;
}

function foldWithMap(text: string): Folded {
  // Parts joined once at the end: appending to one string and asking it `endsWith` flattens it each time.
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let lastSpace = false;
  let i = 0;
  for (const ch of text) {
    const start = i;
    i += ch.length;
    const f = foldChar(ch);
    if (f === '' || (f === ' ' && lastSpace)) {
      // A combining mark or invisible character belongs to what precedes it; so does a run of spaces.
      if (to.length > 0) to[to.length - 1] = i;
      continue;
    }
    lastSpace = f === ' ';
    parts.push(f);
    for (let k = 0; k < f.length; k++) {
      from.push(start);
      to.push(i);
    }
  }
  return { text: parts.join(''), from, to };
}

/** `stem`: a name ending in a vowel loses it before an ending ("Drita" -> "Dritën", "Dritës", "Dritom"). */
type Needle = { folded: string; inflectable: boolean; stem: string | null; replacement: string | null };

/**
 * Replaces every occurrence of every needle (whole words, fold-insensitive, longest first where two start at
 * the same place) in one pass, so a replacement is never searched again.
 *
 * @example redactAll('Drita and DRITË met Дрита', [{ needles: ['Drita'], replacement: 'P-7K3Q9' }]) // 'P-7K3Q9 and P-7K3Q9 met P-7K3Q9'
 */
export function redactAll(text: string, redactions: readonly Redaction[]): string {
  return createRedactor(redactions)(text);
}

/** The leading run of word characters of a folded needle ('' when it starts with punctuation, like '+383'). */
const firstWord = (folded: string) => /^[\p{L}\p{N}]*/u.exec(folded)?.[0] ?? '';

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

/**
 * `redactAll` with the needles prepared once, for many texts (a whole bundle). Needles are indexed by their
 * first word (and a name's stem), so each word of the text costs a few map lookups whatever the number of names.
 */
export function createRedactor(redactions: readonly Redaction[]): (text: string) => string {
  // One needle per folded text; when two redactions want different replacements, nobody is named.
  const wanted = new Map<string, string | null>();
  for (const r of redactions) {
    for (const n of r.needles) {
      const folded = foldForSearch(n);
      if (folded.length === 0) continue;
      wanted.set(folded, wanted.has(folded) && wanted.get(folded) !== r.replacement ? ambiguousName : r.replacement);
    }
  }
  const byWord = new Map<string, Needle[]>();
  const bySymbol = new Map<string, Needle[]>();
  for (const [folded, replacement] of wanted) {
    const inflectable = folded.length >= inflectableFrom && !/[^\p{L}\p{N}]/u.test(folded);
    const stem = inflectable && /[aeo]$/.test(folded) ? folded.slice(0, -1) : null;
    const needle = { folded, inflectable, stem, replacement };
    const word = firstWord(folded);
    if (word === '') push(bySymbol, folded.charAt(0), needle);
    else push(byWord, word, needle);
    if (stem !== null) push(byWord, stem, needle);
  }
  if (wanted.size === 0) return (text) => text;
  return (text) => (text.length === 0 ? text : redactWith(text, byWord, bySymbol));
}

function redactWith(text: string, byWord: Map<string, Needle[]>, bySymbol: Map<string, Needle[]>): string {
  const f = foldWithMap(text);
  const s = f.text;
  const isWord = (at: number) => at >= 0 && at < s.length && wordChar.test(s.charAt(at));
  /** The end of the word a stem plus a known ending makes at `from`; -1 when it is another word. */
  const endingEnd = (from: number, after: string) => {
    let wordEnd = from;
    while (isWord(wordEnd)) wordEnd++;
    const ending = s.slice(from, wordEnd);
    // Albanian "Gashi" -> "Gashin": a bare -n only after -i, -u or -o ("Dritan" is another name, not "Drita").
    const known = endings.has(ending) || (ending === 'n' && /[iuo]$/.test(after));
    return wordEnd > from && known ? wordEnd : -1;
  };
  /** Where needle `n` found at `at` ends (whole word, or inflected), or -1. */
  const matchEnd = (n: Needle, at: number): number => {
    if (s.startsWith(n.folded, at)) {
      const stop = at + n.folded.length;
      if (!isWord(stop) || !wordChar.test(n.folded.charAt(n.folded.length - 1))) return stop;
      if (n.inflectable) {
        const inflected = endingEnd(stop, n.folded);
        if (inflected >= 0) return inflected;
      }
    }
    return n.stem !== null && s.startsWith(n.stem, at) ? endingEnd(at + n.stem.length, n.stem) : -1;
  };
  /** The needles that may start at `at`: by the word there (each of its prefixes), or by the symbol there. */
  const candidatesAt = (at: number): Needle[] => {
    if (!isWord(at)) return bySymbol.get(s.charAt(at)) ?? [];
    if (isWord(at - 1)) return [];
    let wordEnd = at;
    while (isWord(wordEnd)) wordEnd++;
    const out: Needle[] = [];
    for (let end = wordEnd; end > at; end--) out.push(...(byWord.get(s.slice(at, end)) ?? []));
    return out;
  };
  let out = '';
  let copiedTo = 0;
  for (let at = 0; at < s.length; ) {
    // The longest match wins; on a tie, the longer needle (a full name before one of its words).
    let end = -1;
    let best: Needle | null = null;
    for (const n of candidatesAt(at)) {
      const stop = matchEnd(n, at);
      if (stop > end || (stop === end && best !== null && n.folded.length > best.folded.length)) {
        end = stop;
        best = n;
      }
    }
    if (best === null || end < 0) {
      at++;
      continue;
    }
    const origStart = f.from[at] ?? text.length;
    const origEnd = f.to[end - 1] ?? text.length;
    out += text.slice(copiedTo, origStart) + (best.replacement ?? text.slice(origStart, origEnd));
    copiedTo = origEnd;
    at = end;
  }
  return out + text.slice(copiedTo);
}

/** Replaces every variant of a person's names in `text` with `label` (see `redactAll`). */
export function redactText(text: string, names: readonly string[], label: string): string {
  return redactAll(text, [{ needles: nameNeedles(names), replacement: label }]);
}

/**
 * The ways a birth date may be written in text, when it names a month or day (a bare year is not removed from
 * text: it would also erase the events of that year). '1975-03-12' -> also '12.03.1975', '12.3.1975', '12/03/1975'.
 */
export function birthDateNeedles(edtf: string | null): string[] {
  if (edtf === null) return [];
  const plain = edtf.replace(/[~?%]/g, '');
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(plain);
  if (!m) return [];
  const [, y, mo, d] = m;
  if (y === undefined || mo === undefined) return [];
  const out = [edtf, plain];
  const mon = String(Number(mo));
  if (d === undefined) return [...out, `${mo}.${y}`, `${mo}/${y}`, `${mon}.${y}`];
  const day = String(Number(d));
  return [...out, `${d}.${mo}.${y}`, `${day}.${mon}.${y}`, `${d}/${mo}/${y}`, `${day}/${mon}/${y}`, `${d}-${mo}-${y}`];
}

/**
 * A contact and its identifying parts: phone numbers, e-mail addresses and street lines (parts of five characters
 * or more with a digit or an '@'). A bare town name in an address is left in text: it names no one.
 */
export function contactNeedles(contact: string | null): string[] {
  if (!contact?.trim()) return [];
  const parts = contact.split(/[,;\n]+/).map((p) => p.trim()).filter((p) => p.length >= 5 && /[\d@]/.test(p));
  return [contact.trim(), ...parts];
}
