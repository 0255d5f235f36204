// The Kosovo gazetteer: 38 municipalities, settlements in them, and every place found by each of its names in any script or spelling.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Place } from '../../shared/reference/schema';
import { foldForSearch, transliterateSerbianCyrillicToLatin, transliterateSerbianLatinToCyrillic } from '../../shared/text/fold';
import { loadReferenceData } from '../../electron/core/reference/reference-data';
import { createGazetteer } from '../../electron/core/reference/gazetteer';

const { gazetteer } = loadReferenceData(join(import.meta.dirname, '../../resources'));
const places = gazetteer.places;
const municipalities = places.filter((p) => p.kind === 'municipality');
const settlements = places.flatMap((p) => (p.kind === 'settlement' ? [p] : []));
const ids = (found: readonly Place[]): string[] => found.map((p) => p.id);

describe('contents', () => {
  test('all 38 municipalities, including the northern and the newer ones', () => {
    expect(municipalities).toHaveLength(38);
    expect(ids(municipalities).sort()).toEqual(
      [
        'decan',
        'dragash',
        'drenas',
        'ferizaj',
        'fushe-kosove',
        'gjakove',
        'gjilan',
        'gracanice',
        'hani-i-elezit',
        'istog',
        'junik',
        'kacanik',
        'kamenice',
        'kline',
        'kllokot',
        'leposaviq',
        'lipjan',
        'malisheve',
        'mamushe',
        'mitrovice-e-jugut',
        'mitrovice-e-veriut',
        'novoberde',
        'obiliq',
        'partesh',
        'peje',
        'podujeve',
        'prishtine',
        'prizren',
        'rahovec',
        'ranillug',
        'shterpce',
        'shtime',
        'skenderaj',
        'suhareke',
        'viti',
        'vushtrri',
        'zubin-potok',
        'zvecan',
      ].sort(),
    );
  });

  test('names as the issue gives them', () => {
    const names = (id: string) => gazetteer.byId(id)?.names;
    expect(names('gjakove')).toEqual({ sq: 'Gjakovë', 'sr-Latn': 'Đakovica', 'sr-Cyrl': 'Ђаковица' });
    expect(names('ferizaj')).toEqual({ sq: 'Ferizaj', 'sr-Latn': 'Uroševac', 'sr-Cyrl': 'Урошевац' });
    expect(names('mamushe')).toMatchObject({ sq: 'Mamushë', 'sr-Latn': 'Mamuša' });
    expect(gazetteer.byId('mamushe')?.altNames).toContain('Mamuşa');
    expect(names('hani-i-elezit')).toMatchObject({ sq: 'Hani i Elezit', 'sr-Latn': 'Elez Han' });
    expect(names('mitrovice-e-veriut')).toMatchObject({ sq: 'Mitrovicë e Veriut', 'sr-Latn': 'Severna Mitrovica' });
    expect(names('leposaviq')).toMatchObject({ sq: 'Leposaviq', 'sr-Latn': 'Leposavić' });
  });

  test('ids are unique kebab-case ASCII and every settlement lies in a listed municipality', () => {
    expect(new Set(ids(places)).size).toBe(places.length);
    for (const p of places) expect(p.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    const municipalityIds = new Set(ids(municipalities));
    for (const s of settlements) expect(municipalityIds.has(s.municipality), s.id).toBe(true);
  });

  test('every municipality has its seat, and there are about eighty further villages and towns', () => {
    for (const m of municipalities) expect(gazetteer.byId(`${m.id}-town`), m.id).toMatchObject({ kind: 'settlement', municipality: m.id, names: m.names });
    expect(settlements.length - municipalities.length).toBeGreaterThanOrEqual(80);
  });

  test('well-known villages are in the right municipality', () => {
    const municipalityOf = (id: string) => {
      const p = gazetteer.byId(id);
      return p?.kind === 'settlement' ? p.municipality : undefined;
    };
    expect(municipalityOf('recak')).toBe('shtime');
    expect(municipalityOf('krushe-e-madhe')).toBe('rahovec');
    expect(municipalityOf('krushe-e-vogel')).toBe('prizren');
    expect(municipalityOf('meje')).toBe('gjakove');
    expect(municipalityOf('izbice')).toBe('skenderaj');
    expect(municipalityOf('qyshk')).toBe('peje');
    expect(municipalityOf('bellacerke')).toBe('rahovec');
    expect(municipalityOf('abri-e-eperme')).toBe('drenas');
  });
});

describe('find', () => {
  test('Albanian, Serbian Latin and Cyrillic spellings, with or without diacritics, all find Gjakovë first', () => {
    for (const q of ['Gjakovë', 'Gjakove', 'gjakovë', 'GJAKOVE', 'Gjakova', 'Đakovica', 'Djakovica', 'djakovica', 'Ђаковица', 'ђаковица', ' Ðakovica ']) {
      expect(ids(gazetteer.find(q, 2)), q).toEqual(['gjakove', 'gjakove-town']);
    }
  });

  test('"Dakovica" (no đ on the keyboard) is read as "Djakovica", ranked after any strict match', () => {
    expect(ids(gazetteer.find('Dakovica', 2))).toEqual(['gjakove', 'gjakove-town']);
    const local = createGazetteer([
      { id: 'djakovica-like', kind: 'municipality', names: { sq: 'Gjakovë', 'sr-Latn': 'Đakovica', 'sr-Cyrl': 'Ђаковица' } },
      { id: 'dakovica-like', kind: 'municipality', names: { sq: 'Dakovicë', 'sr-Latn': 'Dakovica', 'sr-Cyrl': 'Даковица' } },
    ]);
    // The strict match ranks first either way; the loose one follows.
    expect(ids(local.find('dakovica'))).toEqual(['dakovica-like', 'djakovica-like']);
    expect(ids(local.find('djakovica'))).toEqual(['djakovica-like', 'dakovica-like']);
  });

  test('Ferizaj by its Serbian name in both scripts, and villages by either name', () => {
    for (const q of ['Uroševac', 'Urosevac', 'Урошевац', 'ferizaj']) expect(gazetteer.find(q, 1)[0]?.id, q).toBe('ferizaj');
    for (const q of ['Reçak', 'recak', 'Račak', 'Рачак', 'racak']) expect(gazetteer.find(q, 1)[0]?.id, q).toBe('recak');
    for (const q of ['Krushë e Madhe', 'krushe e madhe', 'Krusha e Madhe', 'Velika Kruša', 'Велика Круша', 'velika krusa']) {
      expect(gazetteer.find(q, 1)[0]?.id, q).toBe('krushe-e-madhe');
    }
    for (const q of ['Qyshk', 'Ćuška', 'Ћушка', 'cuska']) expect(gazetteer.find(q, 1)[0]?.id, q).toBe('qyshk');
  });

  test('punctuation is a space, and alternative names are searchable', () => {
    expect(gazetteer.find('Fushë-Kosovë', 1)[0]?.id).toBe('fushe-kosove');
    expect(gazetteer.find('Gllogoc', 1)[0]?.id).toBe('drenas');
    expect(gazetteer.find('Ђенерал Јанковић', 1)[0]?.id).toBe('hani-i-elezit');
    expect(gazetteer.find('Mamuşa', 1)[0]?.id).toBe('mamushe');
  });

  test('ranking: equal, then starts with, then a word starts with, then contains; municipalities before settlements', () => {
    expect(ids(gazetteer.find('prizren', 2))).toEqual(['prizren', 'prizren-town']);
    const local = createGazetteer([
      { id: 'contains', kind: 'municipality', names: { sq: 'Bllaca', 'sr-Latn': 'Blaca', 'sr-Cyrl': 'Блаца' } },
      { id: 'word-start', kind: 'municipality', names: { sq: 'Fshat Laca', 'sr-Latn': 'Selo Laca', 'sr-Cyrl': 'Село Лаца' } },
      { id: 'starts', kind: 'municipality', names: { sq: 'Lacana', 'sr-Latn': 'Lacana', 'sr-Cyrl': 'Лацана' } },
      { id: 'equal-settlement', kind: 'settlement', municipality: 'starts', names: { sq: 'Laca', 'sr-Latn': 'Laca', 'sr-Cyrl': 'Лаца' } },
      { id: 'equal', kind: 'municipality', names: { sq: 'Laca', 'sr-Latn': 'Laca', 'sr-Cyrl': 'Лаца' } },
    ]);
    expect(ids(local.find('laca'))).toEqual(['equal', 'equal-settlement', 'starts', 'word-start', 'contains']);
    expect(ids(local.find('laca', 2))).toEqual(['equal', 'equal-settlement']);
  });

  test('empty, blank or unknown queries and a zero limit find nothing', () => {
    expect(gazetteer.find('')).toEqual([]);
    expect(gazetteer.find('  \t')).toEqual([]);
    expect(gazetteer.find('---')).toEqual([]);
    expect(gazetteer.find('Atlantis')).toEqual([]);
    expect(gazetteer.find('gjakove', 0)).toEqual([]);
    expect(gazetteer.find('\uD800')).toEqual([]);
  });

  test('every place is found by each of its names, in any case, script and diacritics form', () => {
    const variants = (name: string): string[] => [
      name,
      name.toUpperCase(),
      name.toLowerCase(),
      name.normalize('NFD'),
      foldForSearch(name),
      transliterateSerbianCyrillicToLatin(name),
      transliterateSerbianLatinToCyrillic(name),
    ];
    for (const p of places) {
      const names = [p.names.sq, p.names['sr-Latn'], p.names['sr-Cyrl'], ...(p.altNames ?? [])];
      for (const name of names) {
        for (const q of variants(name)) {
          // Exact matches rank first; a municipality and its seat share names, so look at the first few.
          expect(ids(gazetteer.find(q, 3)), `${p.id} by ${JSON.stringify(q)}`).toContain(p.id);
        }
      }
    }
  });
});
