// Duplicate-person matching, pure part: name keys across scripts, diacritics and Albanian/Serbian spelling; typos; scoring.
import { describe, expect, test } from 'vitest';
import {
  bestNameSimilarity,
  birthMatches,
  birthWindow,
  nameFormWords,
  nameTokenKey,
  nameWords,
  personNameKeys,
  scoreCandidate,
  typoVariants,
  withinOneTypo,
  type NameForms,
} from '../../electron/core/records/person-similarity';

/** Asserts that every spelling of one name word has the same key. */
function expectSameKey(...spellings: string[]): void {
  const [first, ...rest] = spellings.map((s) => [s, nameTokenKey(s)] as const);
  expect(first?.[1].length, String(first?.[0])).toBeGreaterThanOrEqual(2);
  for (const [s, key] of rest) expect(key, `${s} ~ ${first?.[0]}`).toBe(first?.[1]);
}

const sq = (name: string): NameForms => ({ sq: name, srLatn: null, srCyrl: null });

describe('one key for the Albanian, Serbian Latin and Serbian Cyrillic spelling of a name', () => {
  test.each([
    ['gj ~ đ', 'Gjergj', 'Đerđ', 'Ђерђ', 'Djerdj'],
    ['sh ~ š, q ~ ć', 'Shaqir', 'Šaćir', 'Шаћир', 'Sacir'],
    ['xh ~ dž', 'Xhemajl', 'Džemajl', 'Џемајл', 'Dzemajl'],
    ['q ~ ć', 'Qamil', 'Ćamil', 'Ћамил'],
    ['ç ~ č', 'Çeliku', 'Čeliku', 'Челику'],
    ['zh ~ ž', 'Zhuja', 'Žuja', 'Жуја'],
    ['dh ~ d', 'Dhurata', 'Durata', 'Дурата'],
    ['th ~ t, ç ~ č', 'Thaçi', 'Tači', 'Тачи'],
    ['ll ~ l', 'Ballaj', 'Balaj', 'Балај'],
    ['rr ~ r', 'Rrahman', 'Rahman', 'Рахман'],
    ['ë dropped or written e', 'Mërgim', 'Mergim', 'Mrgim', 'Мергим'],
    ['final ë dropped', 'Lumë', 'Lum', 'Lume', 'Лум'],
    ['y ~ i', 'Ylber', 'Ilber', 'Илбер'],
    ['surname with q ~ ć', 'Krasniqi', 'Krasnići', 'Красничи', 'KRASNIQI', 'krasnici'],
    ['xh in a surname', 'Hoxha', 'Hodža', 'Хоџа'],
    ['ngj ~ nđ', 'Engjëll', 'Enđel', 'Енђел'],
    ['Serbian names in both scripts', 'Đorđević', 'Ђорђевић', 'Djordjevic', 'Gjorgjeviq'],
    ['lj and nj', 'Ljiljana', 'Љиљана', 'Ljiljana'],
  ])('%s', (_rule, ...spellings) => expectSameKey(...spellings));

  test('different names keep different keys, and are not one typo apart', () => {
    const pairs: Array<[string, string]> = [
      ['Agim', 'Arben'], ['Agim', 'Ilir'], ['Drita', 'Dragan'], ['Gashi', 'Hoxha'], ['Krasniqi', 'Kryeziu'],
      ['Shaqir', 'Bashkim'], ['Qamil', 'Xhemajl'], ['Milica', 'Mimoza'], ['Jovanović', 'Jashari'],
    ];
    for (const [a, b] of pairs) {
      expect(nameTokenKey(a), `${a} vs ${b}`).not.toBe(nameTokenKey(b));
      expect(withinOneTypo(nameTokenKey(a), nameTokenKey(b)), `${a} vs ${b}`).toBe(false);
    }
  });

  test('a name is split into words; initials and particles too short to compare are left out', () => {
    expect(nameWords('Gashi Agim').map((w) => w.key)).toEqual(['gasi', 'agim']);
    expect(nameWords('A. Krasniqi').map((w) => w.key)).toEqual(['krasnici']);
    expect(nameWords('  ')).toEqual([]);
    expect(nameWords(null)).toEqual([]);
    expect(personNameKeys({ sq: 'Shqipe Krasniqi', srLatn: 'Šćipe Krasnići', srCyrl: 'Шћипе Красничи' })).toEqual({ keys: ['scip', 'krasnici'], fewestWords: 2 });
    expect(personNameKeys({ sq: 'Agim Bajram Gashi', srLatn: 'Agim Gaši', srCyrl: null })).toEqual({ keys: ['agim', 'bajram', 'gasi'], fewestWords: 2 });
    expect(personNameKeys({ sq: 'A.', srLatn: null, srCyrl: null })).toEqual({ keys: [], fewestWords: 0 });
  });

  test('any text is total: marks, emoji, lone surrogates, other scripts', () => {
    for (const s of ['ë\u0308\u0308', '🙂 Agim', 'x\uDC00y', 'Ἀλέξανδρος', '\u0000', 'e'.repeat(200)]) {
      expect(() => nameWords(s), JSON.stringify(s)).not.toThrow();
    }
    expect(nameTokenKey('e'.repeat(200))).toBe('e');
  });
});

describe('one typo', () => {
  test('withinOneTypo: deletion, insertion, substitution, adjacent swap; not two', () => {
    expect(withinOneTypo('agim', 'agm')).toBe(true);
    expect(withinOneTypo('agim', 'agimi')).toBe(true);
    expect(withinOneTypo('agim', 'asim')).toBe(true);
    expect(withinOneTypo('agim', 'agmi')).toBe(true);
    expect(withinOneTypo('agim', 'agim')).toBe(true);
    expect(withinOneTypo('agim', 'amgi')).toBe(false);
    expect(withinOneTypo('agim', 'agimit')).toBe(false);
    expect(withinOneTypo('krasnici', 'krasnic')).toBe(true);
  });

  test('typoVariants holds the key of each one-typo spelling, only stored-key shapes, and nothing for short keys', () => {
    const variants = new Set(typoVariants(nameTokenKey('Agim')));
    for (const typo of ['Agm', 'Agmi', 'Agimi', 'Asim', 'Aigm']) expect(variants.has(nameTokenKey(typo)), typo).toBe(nameTokenKey(typo) !== 'agim');
    expect(variants.has('agim')).toBe(false);
    expect([...variants].filter((v) => /(.)\1|.e|[qwxy]/.test(v))).toEqual([]);
    expect(new Set(typoVariants(nameTokenKey('Krasniqi'))).has(nameTokenKey('Krasnqi'))).toBe(true);
    expect(new Set(typoVariants(nameTokenKey('Lira'))).has(nameTokenKey('Elira'))).toBe(true);
    expect(typoVariants('al')).toEqual([]);
    // A three-letter key reaches four-letter keys only ("Ali" is no typo of "Adi").
    expect(typoVariants('ali').every((v) => v.length === 4)).toBe(true);
  });
});

describe('name similarity and score', () => {
  const typed = (name: string) => nameFormWords(sq(name));

  test('word order, script, spelling and one typo', () => {
    const stored: NameForms = { sq: 'Agim Gashi', srLatn: 'Agim Gaši', srCyrl: 'Агим Гаши' };
    expect(bestNameSimilarity(typed('Agim Gashi'), stored)).toBe(1);
    expect(bestNameSimilarity(typed('Gashi Agim'), stored)).toBe(1);
    expect(bestNameSimilarity(nameFormWords({ sq: null, srLatn: null, srCyrl: 'Гаши Агим' }), stored)).toBe(1);
    expect(bestNameSimilarity(typed('Agmi Gashi'), stored)).toBeCloseTo(0.85);
    expect(bestNameSimilarity(typed('Shaqir Krasniqi'), { sq: null, srLatn: 'Šaćir Krasnići', srCyrl: null })).toBeCloseTo(0.9);
    expect(bestNameSimilarity(typed('Arben Gashi'), stored)).toBe(0.5);
    expect(bestNameSimilarity(typed('Arben Berisha'), stored)).toBe(0);
    // A middle name lowers the score without ruling the pair out.
    expect(bestNameSimilarity(typed('Agim Gashi'), sq('Agim Bajram Gashi'))).toBeCloseTo(0.8);
  });

  test('birth window: two years either side of the EDTF range; missing or invalid dates are ignored', () => {
    expect(birthWindow('1961~')).toEqual({ lo: '1959-01-01', hi: '1963-12-31' });
    expect(birthWindow('1961-05-02')).toEqual({ lo: '1959-05-02', hi: '1963-05-02' });
    expect(birthWindow('1960/..')).toEqual({ lo: '1958-01-01', hi: null });
    for (const bad of ['1999-02-30', 'next spring', '', 'x'.repeat(100)]) expect(birthWindow(bad), bad).toBeNull();
    expect(birthWindow(null)).toBeNull();
    const w = birthWindow('1961');
    expect(birthMatches(w, { edtf: '1963-12', lo: '1963-12-01', hi: '1963-12-31' })).toBe(true);
    expect(birthMatches(w, { edtf: '1964-01', lo: '1964-01-01', hi: '1964-01-31' })).toBe(false);
    expect(birthMatches(w, { edtf: null, lo: null, hi: null })).toBe(false);
    expect(birthMatches(null, { edtf: '1961', lo: '1961-01-01', hi: '1961-12-31' })).toBe(false);
  });

  test('score: the name weighs most; birth date and residence add; a far name is no suggestion', () => {
    expect(scoreCandidate(1, true, true)).toEqual({ score: 1, reasons: ['name', 'birth-date', 'residence'] });
    expect(scoreCandidate(1, false, false)).toEqual({ score: 0.6, reasons: ['name'] });
    expect(scoreCandidate(0.9, true, false)).toEqual({ score: 0.79, reasons: ['name', 'birth-date'] });
    expect(scoreCandidate(0.5, true, true)).toBeNull();
  });
});
