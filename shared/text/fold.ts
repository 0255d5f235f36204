// Search folding and Serbian transliteration: the one place that decides when two spellings are "the same".
//
// Albanian and Serbian names reach the archive in many spellings: "Gjakovë" / "Gjakove", "Đakovica" /
// "Djakovica" / "Ђаковица", "Uroševac" / "Urosevac" / "Урошевац". Every indexed field and every query
// goes through `foldForSearch`, so all of these compare equal. Serbian Cyrillic ↔ Latin follows the
// official one-to-one correspondence of the two Serbian alphabets (Vuk's Cyrillic and Gaj's Latin).

/**
 * Serbian Cyrillic lower-case letter → Serbian Latin, keeping diacritics (the standard alphabet mapping).
 * Upper case is derived from it (see `cyrillicToLatinUpper`).
 */
const serbianCyrillicToLatin: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l',
  љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f',
  х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
};

/** Upper-case Serbian Cyrillic → Latin, title-case form for the digraph letters (Љ → Lj). */
const cyrillicToLatinUpper: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(serbianCyrillicToLatin).map(([cyr, lat]) => [cyr.toUpperCase(), lat.charAt(0).toUpperCase() + lat.slice(1)]),
);

/** The three Cyrillic capitals written with two Latin letters: all-caps words need "LJ", "NJ", "DŽ". */
const digraphCapitals = new Set(['Љ', 'Њ', 'Џ']);

const isUpperLetter = (ch: string | undefined): boolean => ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();
const isLetter = (ch: string | undefined): boolean => ch !== undefined && ch.toLowerCase() !== ch.toUpperCase();

/**
 * Serbian Cyrillic → Serbian Latin with diacritics: "Ђаковица" → "Đakovica", "Љубљана" → "Ljubljana",
 * "ЏАКУЛА" → "DŽAKULA". A digraph capital is written all-caps when the next letter is upper case, or
 * when it ends a word whose previous letter is upper case ("КРАЉ" → "KRALJ"). Anything that is not a
 * Serbian Cyrillic letter (Latin, digits, Russian-only letters, emoji) is left as it is.
 *
 * @example transliterateSerbianCyrillicToLatin('Урошевац') // 'Uroševac'
 */
export function transliterateSerbianCyrillicToLatin(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const lower = serbianCyrillicToLatin[ch];
    if (lower !== undefined) {
      out += lower;
      continue;
    }
    const upper = cyrillicToLatinUpper[ch];
    if (upper === undefined) {
      out += ch;
      continue;
    }
    if (digraphCapitals.has(ch)) {
      const next = text.charAt(i + 1) || undefined;
      const prev = i > 0 ? text.charAt(i - 1) : undefined;
      const allCaps = isUpperLetter(next) || (!isLetter(next) && isUpperLetter(prev));
      out += allCaps ? upper.toUpperCase() : upper;
    } else {
      out += upper;
    }
  }
  return out;
}

/** Serbian Latin (NFC) → Cyrillic, single letters. Digraphs are handled before this table is consulted. */
const serbianLatinToCyrillic: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(serbianCyrillicToLatin)
    .filter(([, lat]) => lat.length === 1)
    .flatMap(([cyr, lat]) => [
      [lat, cyr],
      [lat.toUpperCase(), cyr.toUpperCase()],
    ]),
);

/** Latin digraphs that are one Cyrillic letter; the second letter may be in either case ("Lj", "LJ"). */
const latinDigraphs: Readonly<Record<string, string>> = {
  lj: 'љ', nj: 'њ', 'dž': 'џ', Lj: 'Љ', LJ: 'Љ', lJ: 'љ', Nj: 'Њ', NJ: 'Њ', nJ: 'њ', 'Dž': 'Џ', 'DŽ': 'Џ', 'dŽ': 'џ',
};

/** The Unicode digraph letters of Serbo-Croatian Latin (U+01C4–U+01CC), found in some legacy text. */
const latinDigraphLetters: Readonly<Record<string, string>> = {
  'Ǆ': 'Џ', 'ǅ': 'Џ', 'ǆ': 'џ', 'Ǉ': 'Љ', 'ǈ': 'Љ', 'ǉ': 'љ', 'Ǌ': 'Њ', 'ǋ': 'Њ', 'ǌ': 'њ',
};

/**
 * Serbian Latin → Serbian Cyrillic: "Đakovica" → "Ђаковица", "Ljubljana" → "Љубљана", "Džakula" → "Џакула".
 * The input is composed to NFC first, so "č" typed as c + caron works. Letters outside the Serbian
 * alphabet (q, w, x, y, ë, ç) are left as they are.
 *
 * Known limit: "lj", "nj" and "dž" always become one letter. In a few words they are two letters across a
 * prefix boundary ("injekcija" ињекција, "konjunkcija" конјункција, "nadživeti" надживети, "podžupan"
 * поджупан), and ASCII "dj" is kept as д + ј because it is also two letters in words like "nadjačati".
 * Such words need a human; the archive only converts its own, checked vocabulary labels this way.
 *
 * @example transliterateSerbianLatinToCyrillic('Uroševac') // 'Урошевац'
 */
export function transliterateSerbianLatinToCyrillic(text: string): string {
  const s = text.normalize('NFC');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const pair = latinDigraphs[s.slice(i, i + 2)];
    if (pair !== undefined) {
      out += pair;
      i++;
      continue;
    }
    const ch = s.charAt(i);
    out += serbianLatinToCyrillic[ch] ?? latinDigraphLetters[ch] ?? ch;
  }
  return out;
}

/**
 * Lower-case letters (after NFKD, lower-casing and removal of combining marks) that become other ASCII.
 * Serbian Cyrillic follows the alphabet mapping without diacritics (ђ → dj, ћ/ч → c, џ → dz); the other
 * Cyrillic letters are a best-effort romanisation so Russian, Macedonian or Ukrainian text is at least
 * searchable. đ (and ð, its look-alike from mis-encoded text) → dj, as Serbian writes it without diacritics.
 * Only letters that NFKD does not decompose need listing: ё, й, ѓ, ќ, ї, ў arrive here as base letter +
 * combining mark, and ç, ë, č, ć, š, ž as Latin base letter + mark, so stripping marks handles them.
 */
const foldTable: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(serbianCyrillicToLatin).map(([cyr, lat]) => [cyr, lat.normalize('NFKD').replace(/\p{M}/gu, '')])),
  ђ: 'dj',
  ѕ: 'dz', є: 'e', і: 'i', ґ: 'g', щ: 'sc', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'ju', я: 'ja',
  đ: 'dj', ð: 'dj', ı: 'i', ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', þ: 'th', ŧ: 't', ħ: 'h',
};

/** What the folding loop does with each BMP code unit (0: keep it); tables built once, on first use. */
const DROP = 1;
const SPACE = 2;
const MAP = 3;

/** `kind` per BMP code unit; for `MAP`, the replacement's first and second code units (0 = none). */
type FoldTables = { kind: Uint8Array; first: Uint16Array; second: Uint16Array; astralDrop: Map<number, boolean> };

let tables: FoldTables | undefined;
/** Astral characters seen are few (emoji, some CJK); the cache of their verdicts stays small regardless. */
const astralCacheSize = 4096;

const nonAscii = /[\u0080-\uffff]/;
/** In ASCII text, only runs of two or more spaces and the other whitespace characters need rewriting. */
const asciiSpaceToFix = /[\t\n\v\f\r ]{2,}|[\t\n\v\f\r]/g;

/** Combining marks and invisible format characters (soft hyphen, zero-width space and joiners, bidi marks, BOM). */
const markOrFormat = /^[\p{M}\p{Cf}]$/u;

function foldTables(): FoldTables {
  if (tables) return tables;
  const kind = new Uint8Array(0x10000);
  const first = new Uint16Array(0x10000);
  const second = new Uint16Array(0x10000);
  for (let code = 0x80; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCharCode(code);
    if (markOrFormat.test(ch)) kind[code] = DROP;
    else if (/^\s$/.test(ch)) kind[code] = SPACE;
  }
  for (const code of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) kind[code] = SPACE;
  for (const [ch, to] of Object.entries(foldTable)) {
    const code = ch.charCodeAt(0);
    kind[code] = MAP;
    first[code] = to.length > 0 ? to.charCodeAt(0) : 0;
    second[code] = to.length > 1 ? to.charCodeAt(1) : 0;
  }
  tables = { kind, first, second, astralDrop: new Map() };
  return tables;
}

/**
 * The search key of a text: NFKD, lower case (locale-independent), combining marks and invisible format
 * characters removed, Cyrillic → Latin, đ → dj, then every remaining diacritic dropped, whitespace
 * collapsed to single spaces and trimmed. "Đakovica", "Ђаковица", "DJAKOVICA" → "djakovica";
 * "Krushë e Madhe" → "krushe e madhe"; "Ćuška" / "Ћушка" → "cuska".
 *
 * Total: any string, including lone surrogates (kept as they are), emoji or 10 MB of text, folds without
 * throwing. One pass after the native NFKD and lower-casing, because it runs on every indexed field.
 *
 * @example foldForSearch('  Reçak ') // 'recak'
 */
export function foldForSearch(text: string): string {
  const { kind, first, second, astralDrop } = foldTables();
  const s = text.normalize('NFKD').toLowerCase();
  if (!nonAscii.test(s)) return s.replace(asciiSpaceToFix, ' ').trim();
  const len = s.length;
  // Each code unit yields at most two (the longest replacement), plus one space before it; grown on demand.
  let buf = new Uint16Array(len + 64);
  let n = 0;
  let pendingSpace = false;
  let loneSurrogate = false;
  for (let i = 0; i < len; i++) {
    if (n + 3 > buf.length) {
      const bigger = new Uint16Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    }
    const code = s.charCodeAt(i);
    const k = kind[code];
    if (k === SPACE) {
      pendingSpace = n > 0;
      continue;
    }
    let a = code;
    let b = 0;
    if (k === DROP) continue;
    if (k === MAP) {
      a = first[code] ?? 0;
      b = second[code] ?? 0;
      if (a === 0) continue; // a letter that folds to nothing (ъ, ь)
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < len) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        // Astral characters are kept (emoji, CJK extensions) unless they are marks or format characters.
        i++;
        const cp = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        let drop = astralDrop.get(cp);
        if (drop === undefined) {
          drop = markOrFormat.test(String.fromCodePoint(cp));
          if (astralDrop.size < astralCacheSize) astralDrop.set(cp, drop);
        }
        if (drop) continue;
        b = low;
      } else {
        loneSurrogate = true; // kept as it is
      }
    } else if (code >= 0xd800 && code <= 0xdfff) {
      loneSurrogate = true; // a lone low surrogate, or a high one at the very end: kept as it is
    }
    if (pendingSpace) {
      buf[n++] = 0x20;
      pendingSpace = false;
    }
    buf[n++] = a;
    if (b !== 0) buf[n++] = b;
  }
  return decodeUtf16(buf.subarray(0, n), loneSurrogate);
}

type Utf16Decoder = { decode(input: Uint16Array): string };
/**
 * The platform's UTF-16 decoder (Node, Chromium) when there is one: about four times faster than
 * `fromCharCode` on large texts. shared/ has no DOM or Node types, hence the structural lookup.
 */
const nativeDecoder: Utf16Decoder | undefined = (() => {
  const Ctor = (globalThis as { TextDecoder?: new (label: string) => Utf16Decoder }).TextDecoder;
  try {
    return Ctor ? new Ctor('utf-16le') : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * Turns code units into a string. A decoder would replace lone surrogates with U+FFFD, so text that has
 * them goes through `fromCharCode`, in chunks small enough for its argument list.
 */
function decodeUtf16(units: Uint16Array, hasLoneSurrogate: boolean): string {
  if (nativeDecoder && !hasLoneSurrogate) return nativeDecoder.decode(units);
  const n = units.length;
  const buf = units;
  const chunk = 0x2000;
  const parts: string[] = [];
  for (let at = 0; at < n; at += chunk) {
    // `apply` takes the typed array as it is; spreading it would go through the iterator (much slower).
    parts.push(String.fromCharCode.apply(null, buf.subarray(at, Math.min(n, at + chunk)) as unknown as number[]));
  }
  return parts.join('');
}
