// Search folding: every rule with real Albanian and Serbian place and family names, in both scripts; totality and speed.
import { describe, expect, test } from 'vitest';
import { foldForSearch } from '../../shared/text/fold';

/** Asserts that every spelling folds to `key`. */
function expectFold(key: string, ...spellings: string[]): void {
  for (const s of spellings) expect(foldForSearch(s), JSON.stringify(s)).toBe(key);
}

describe('Serbian: Cyrillic and Latin, with and without diacritics, fold to one key', () => {
  test('đ / ђ → dj, in both cases, and the ASCII spelling "dj"', () => {
    expectFold('djakovica', 'Đakovica', 'Ђаковица', 'djakovica', 'DJAKOVICA', 'ĐAKOVICA', 'ЂАКОВИЦА', 'Djakovica');
    expectFold('djurakovac', 'Đurakovac', 'Ђураковац', 'Djurakovac');
    expectFold('glodjane', 'Glođane', 'Глођане');
    expectFold('djordjevic', 'Đorđević', 'Ђорђевић', 'Djordjevic');
  });

  test('š, ž, č, ć lose their marks; ш, ж, ч, ћ become s, z, c, c', () => {
    expectFold('urosevac', 'Uroševac', 'Урошевац', 'urosevac', 'UROŠEVAC');
    expectFold('zur', 'Žur', 'Жур', 'zur');
    expectFold('vucitrn', 'Vučitrn', 'Вучитрн', 'vucitrn');
    expectFold('cuska', 'Ćuška', 'Ћушка', 'cuska', 'ĆUŠKA');
    expectFold('pec', 'Peć', 'Пећ', 'pec');
    expectFold('jovanovic', 'Jovanović', 'Јовановић', 'JOVANOVIĆ');
  });

  test('љ, њ, џ become lj, nj, dz (as do the Latin digraphs, and the Unicode digraph letters)', () => {
    expectFold('ljubljana', 'Љубљана', 'Ljubljana', 'ljubljana', 'LJUBLJANA', 'ЉУБЉАНА');
    expectFold('gnjilane', 'Gnjilane', 'Гњилане');
    expectFold('dzakula', 'Џакула', 'Džakula', 'dzakula', 'DŽAKULA', 'ǅakula');
    expectFold('stimlje', 'Štimlje', 'Штимље');
  });

  test('ј, and the letters shared with Latin', () => {
    expectFold('junik', 'Junik', 'Јуник');
    expectFold('leposavic', 'Leposavić', 'Лепосавић');
    expectFold('kosovska mitrovica', 'Kosovska Mitrovica', 'Косовска Митровица');
  });
});

describe('Albanian: ë, ç and the digraphs', () => {
  test('ë → e, ç → c, in both cases', () => {
    expectFold('recak', 'Reçak', 'recak', 'REÇAK', 'Recak');
    expectFold('krushe e madhe', 'Krushë e Madhe', 'krushe e madhe', 'KRUSHË E MADHE');
    expectFold('gjakove', 'Gjakovë', 'gjakove', 'GJAKOVË');
    expectFold('xerxe', 'Xërxë', 'xerxe');
    expectFold('caber', 'Çabër', 'caber');
    expectFold('gracanice', 'Graçanicë');
  });

  test('Albanian digraphs are plain ASCII and stay as they are', () => {
    expectFold('qyshk', 'Qyshk', 'QYSHK');
    expectFold('zhur', 'Zhur');
    expectFold('gllogjan', 'Gllogjan');
    expectFold('shterpce', 'Shtërpcë');
  });

  test('Albanian and Serbian names of one place stay different keys (either name finds it through the gazetteer)', () => {
    expect(foldForSearch('Gjakovë')).not.toBe(foldForSearch('Đakovica'));
    expect(foldForSearch('Qyshk')).not.toBe(foldForSearch('Ćuška'));
  });
});

describe('Unicode details', () => {
  test('decomposed input (letter + combining mark) folds like the composed letter', () => {
    expectFold('krushe', 'Krushe\u0308', 'Krushë');
    expectFold('cacak', 'C\u030Ca\u010Dak', 'Čačak', 'Чачак');
    expectFold('recak', 'Rec\u0327ak');
  });

  test('compatibility forms: ligatures, full-width letters', () => {
    expectFold('gjakove', 'ＧＪＡＫＯＶË');
    expectFold('fier', 'ﬁer');
  });

  test('lower-casing does not depend on a locale (Turkish İ, dotless ı; Greek)', () => {
    expectFold('istog', 'İstog', 'ISTOG', 'ıstog');
    expectFold('mamusa', 'Mamuşa', 'MAMUŞA');
    expect(foldForSearch('ΑΘΗΝΑ')).toBe('αθηνα');
  });

  test('Ð (eth, the usual look-alike of Đ in mis-encoded text) folds like Đ', () => {
    expectFold('djakovica', 'Ðakovica', 'ðakovica');
  });

  test('whitespace is collapsed to single spaces and trimmed; invisible format characters are removed', () => {
    expectFold('hani i elezit', '  Hani   i\tElezit\n', 'Hani\u00A0i\u2003Elezit', 'Hani\r\ni Elezit ');
    expectFold('gjakove', 'Gja\u00ADkovë', 'Gja\u200Bkovë', '\uFEFFGjakovë', 'Gjakovë\u200E');
    expectFold('', '', '   ', '\t\n', '\u00AD');
  });

  test('other Cyrillic is romanised well enough to be searchable', () => {
    expectFold('moskva', 'Москва');
    expectFold('juznyi', 'Южный');
    expectFold('ohrid', 'Охрид');
  });

  test('digits, punctuation and emoji are kept', () => {
    expectFold('recak, 15 janar 1999 🕯', 'Reçak, 15 janar 1999 🕯');
  });

  test('folding is idempotent', () => {
    for (const s of ['Đakovica', 'Ђаковица', 'Krushë e Madhe', 'ǅakula', 'Hani\u00A0i Elezit', '😀 \uD800 x']) {
      expect(foldForSearch(foldForSearch(s))).toBe(foldForSearch(s));
    }
  });
});

describe('totality and speed', () => {
  test('lone surrogates, emoji and empty strings never throw', () => {
    expect(foldForSearch('\uD800')).toBe('\uD800');
    expect(foldForSearch('\uDC00x')).toBe('\uDC00x');
    expect(foldForSearch('a\uD83D')).toBe('a\uD83D');
    expect(foldForSearch('\uDE00\uD83D')).toBe('\uDE00\uD83D');
    expect(foldForSearch('ЂА\uD800КО')).toBe('dja\uD800ko');
    expect(foldForSearch('👩‍👩‍👧 Đ')).toBe('👩👩👧 dj');
    expect(foldForSearch('')).toBe('');
  });

  test('random code units (any mix of surrogates, marks, Cyrillic) fold without throwing', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const pools = [0x10000, 0x0500, 0x0100, 0xe000];
    for (let i = 0; i < 3000; i++) {
      const pool = pools[i % pools.length]!;
      const units = Array.from({ length: next() % 40 }, () => next() % pool);
      const s = String.fromCharCode(...units);
      expect(() => foldForSearch(s)).not.toThrow();
      expect(foldForSearch(foldForSearch(s))).toBe(foldForSearch(s));
    }
  });

  const tenMegabytes = 10 * 1024 * 1024;
  const big = (unit: string): string => unit.repeat(Math.ceil(tenMegabytes / unit.length));

  test.each([
    ['Serbian Cyrillic', 'Ђаковица Урошевац Љубљана Џакула ', 'djakovica urosevac ljubljana dzakula'],
    ['Albanian', 'Gjakovë Krushë e Madhe Reçak ', 'gjakove krushe e madhe recak'],
    ['ASCII', 'plain text of a testimony ', 'plain text of a testimony'],
    ['mixed with emoji and lone surrogates', 'Đakovica 🕯 \uD800 ', 'djakovica 🕯 \uD800'],
  ])('a 10 MB %s string folds completely (speed belongs to the bench, not to a timed test)', (_name, unit, foldedUnit) => {
    const input = big(unit);
    const out = foldForSearch(input);
    expect(out.startsWith(`${foldedUnit} ${foldedUnit} `)).toBe(true);
    expect(out.endsWith(foldedUnit)).toBe(true);
  });
});
