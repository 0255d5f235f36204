// Serbian Cyrillic ↔ Latin transliteration: letters, digraph capitals, known limits, and a round trip of every shipped Serbian label and name.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { foldForSearch, transliterateSerbianCyrillicToLatin as toLatin, transliterateSerbianLatinToCyrillic as toCyrillic } from '../../shared/text/fold';

const resources = join(import.meta.dirname, '../../resources');

type SerbianPair = { where: string; latin: string; cyrillic: string };

/** Every Serbian Latin / Cyrillic pair shipped in resources/ (vocabulary labels, place names). */
function shippedSerbianPairs(): SerbianPair[] {
  const pairs: SerbianPair[] = [];
  for (const file of readdirSync(join(resources, 'vocabularies'))) {
    const data = JSON.parse(readFileSync(join(resources, 'vocabularies', file), 'utf8')) as { entries: { code: string; labels: Record<string, string> }[] };
    for (const e of data.entries) pairs.push({ where: `${file} ${e.code}`, latin: e.labels['sr-Latn']!, cyrillic: e.labels['sr-Cyrl']! });
  }
  const gazetteer = JSON.parse(readFileSync(join(resources, 'gazetteer/kosovo.json'), 'utf8')) as { places: { id: string; names: Record<string, string> }[] };
  for (const p of gazetteer.places) pairs.push({ where: `kosovo.json ${p.id}`, latin: p.names['sr-Latn']!, cyrillic: p.names['sr-Cyrl']! });
  return pairs;
}

describe('Cyrillic → Latin', () => {
  test('the thirty letters of the Serbian alphabet, in order', () => {
    expect(toLatin('абвгдђежзијклљмнњопрстћуфхцчџш')).toBe('abvgdđežzijklljmnnjoprstćufhcčdžš');
    expect(toLatin('АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ')).toBe('ABVGDĐEŽZIJKLLJMNNJOPRSTĆUFHCČDŽŠ');
  });

  test('place and family names keep their diacritics', () => {
    expect(toLatin('Ђаковица')).toBe('Đakovica');
    expect(toLatin('Урошевац')).toBe('Uroševac');
    expect(toLatin('Вучитрн')).toBe('Vučitrn');
    expect(toLatin('Ћушка')).toBe('Ćuška');
    expect(toLatin('Жур')).toBe('Žur');
    expect(toLatin('Јовановић')).toBe('Jovanović');
  });

  test('Љ, Њ, Џ are title case before lower case and all caps in all-caps words', () => {
    expect(toLatin('Љубљана')).toBe('Ljubljana');
    expect(toLatin('ЉУБЉАНА')).toBe('LJUBLJANA');
    expect(toLatin('Његош')).toBe('Njegoš');
    expect(toLatin('ЊЕГОШ')).toBe('NJEGOŠ');
    expect(toLatin('Џакула')).toBe('Džakula');
    expect(toLatin('ЏАКУЛА')).toBe('DŽAKULA');
    expect(toLatin('КРАЉ')).toBe('KRALJ');
    expect(toLatin('КРАЉ МИЛАН')).toBe('KRALJ MILAN');
    expect(toLatin('Џ')).toBe('Dž');
  });

  test('anything that is not a Serbian Cyrillic letter is kept', () => {
    expect(toLatin('Ђаковица, 1999 🕯 Gjakovë')).toBe('Đakovica, 1999 🕯 Gjakovë');
    expect(toLatin('Щука')).toBe('Щuka');
    expect(toLatin('\uD800Ђ')).toBe('\uD800Đ');
    expect(toLatin('')).toBe('');
  });
});

describe('Latin → Cyrillic', () => {
  test('letters and digraphs, in every case combination', () => {
    expect(toCyrillic('abvgdđežzijklljmnnjoprstćufhcčdžš')).toBe('абвгдђежзијклљмнњопрстћуфхцчџш');
    expect(toCyrillic('Đakovica')).toBe('Ђаковица');
    expect(toCyrillic('Ljubljana')).toBe('Љубљана');
    expect(toCyrillic('LJUBLJANA')).toBe('ЉУБЉАНА');
    expect(toCyrillic('Njegoš')).toBe('Његош');
    expect(toCyrillic('Džakula')).toBe('Џакула');
    expect(toCyrillic('DŽAKULA')).toBe('ЏАКУЛА');
    expect(toCyrillic('Gnjilane')).toBe('Гњилане');
  });

  test('decomposed diacritics and the Unicode digraph letters', () => {
    expect(toCyrillic('C\u030Cac\u030Cak')).toBe('Чачак');
    expect(toCyrillic('Us\u030Ce')).toBe('Уше');
    expect(toCyrillic('ǅakula ǈubljana ǋegoš')).toBe('Џакула Љубљана Његош');
  });

  test('letters outside the Serbian alphabet are kept (Albanian ë, ç; q, w, x, y): it is not for Albanian text', () => {
    expect(toCyrillic('Reçak')).toBe('Реçак');
    expect(toCyrillic('Qyshk')).toBe('Qyсхк');
    expect(toCyrillic('1999 🕯')).toBe('1999 🕯');
  });

  test('known limit: digraphs across a prefix boundary become one letter; ASCII "dj" stays two', () => {
    // Correct would be инјекција, конјункција, надживети; the function documents that it cannot know.
    expect(toCyrillic('injekcija')).toBe('ињекција');
    expect(toCyrillic('konjunkcija')).toBe('коњункција');
    expect(toCyrillic('nadživeti')).toBe('наџивети');
    expect(toCyrillic('Djakovica')).toBe('Дјаковица');
  });
});

describe('every Serbian label and place name shipped in resources/', () => {
  const pairs = shippedSerbianPairs();

  test('there are labels and names to check', () => {
    expect(pairs.length).toBeGreaterThan(200);
  });

  test('the Cyrillic is exactly the transliteration of the Latin, and back', () => {
    for (const { where, latin, cyrillic } of pairs) {
      expect(toCyrillic(latin), where).toBe(cyrillic);
      expect(toLatin(cyrillic), where).toBe(latin);
    }
  });

  test('both alphabets fold to the same search key', () => {
    for (const { where, latin, cyrillic } of pairs) expect(foldForSearch(cyrillic), where).toBe(foldForSearch(latin));
  });
});
