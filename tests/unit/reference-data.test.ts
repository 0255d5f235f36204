// Loading the reference data: lookups over the shipped files, and refusal of a damaged copy with an error naming the file.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadReferenceData } from '../../electron/core/reference/reference-data';
import { expectArchiveError } from '../fixtures/errors';

const resourcesDir = join(import.meta.dirname, '../../resources');

describe('the shipped reference data', () => {
  const reference = loadReferenceData(resourcesDir);

  test('codes are checked exactly, per vocabulary', () => {
    expect(reference.vocab.actTypes.has('enforced-disappearance')).toBe(true);
    expect(reference.vocab.actTypes.has('Enforced-Disappearance')).toBe(false);
    expect(reference.vocab.actTypes.has('rape')).toBe(true);
    expect(reference.isCode('actTypes', 'rape')).toBe(true);
    expect(reference.isCode('ethnicities', 'rape')).toBe(false);
    expect(reference.isCode('ethnicities', 'gorani')).toBe(true);
    expect(reference.isCode('languages', 'albanian')).toBe(true);
    expect(reference.vocab.actTypes.get('massacre')?.esf).toBe('010104');
  });

  test('labels in the four UI languages; unknown codes have none', () => {
    expect(reference.labelOf('victimOutcomes', 'still-missing', 'en')).toBe('Still missing');
    expect(reference.labelOf('ethnicities', 'ashkali', 'sr-Cyrl')).toBe('Ашкалија');
    expect(reference.labelOf('testimonyModes', 'in-person', 'sq')).toBe('Ballë për ballë');
    expect(reference.labelOf('sexes', 'female', 'sr-Latn')).toBe('Ženski');
    expect(reference.labelOf('actTypes', 'no-such-act', 'en')).toBeUndefined();
  });

  test('places by id', () => {
    expect(reference.isPlace('gjakove')).toBe(true);
    expect(reference.isPlace('recak')).toBe(true);
    expect(reference.isPlace('atlantis')).toBe(false);
    expect(reference.gazetteer.byId('recak')).toMatchObject({ kind: 'settlement', municipality: 'shtime', names: { sq: 'Reçak', 'sr-Cyrl': 'Рачак' } });
  });
});

describe('a damaged copy is refused with an error naming the file', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ta-reference-'));
    cpSync(join(resourcesDir, 'vocabularies'), join(dir, 'vocabularies'), { recursive: true });
    cpSync(join(resourcesDir, 'gazetteer'), join(dir, 'gazetteer'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (relPath: string, change: (data: Record<string, unknown>) => void): void => {
    const path = join(dir, relPath);
    const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    change(data);
    writeFileSync(path, JSON.stringify(data));
  };
  type Entries = { entries: Record<string, unknown>[] };
  type Places = { places: Record<string, unknown>[] };

  test('the untouched copy loads', () => {
    expect(loadReferenceData(dir).vocab.actTypes.entries.length).toBeGreaterThan(10);
  });

  test('a truncated file (not JSON)', async () => {
    const path = join(dir, 'vocabularies/act-types.json');
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 200));
    const err = await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL');
    expect(err.message).toContain('vocabularies/act-types.json');
    expect(err.message).toContain('not valid JSON');
  });

  test('a missing file', async () => {
    unlinkSync(join(dir, 'vocabularies/languages.json'));
    const err = await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL');
    expect(err.message).toContain('vocabularies/languages.json');
  });

  test('a duplicate code', async () => {
    edit('vocabularies/sexes.json', (d) => {
      const entries = (d as Entries).entries;
      entries.push({ ...entries[0]! });
    });
    const err = await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL');
    expect(err.message).toMatch(/vocabularies\/sexes\.json.*duplicate code "female"/);
  });

  test('a missing label, a Latin letter in a Cyrillic label, an unknown field', async () => {
    edit('vocabularies/ethnicities.json', (d) => {
      delete ((d as Entries).entries[0]!.labels as Record<string, string>)['sq'];
    });
    expect((await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL')).message).toContain('vocabularies/ethnicities.json');

    cpSync(join(resourcesDir, 'vocabularies'), join(dir, 'vocabularies'), { recursive: true });
    edit('vocabularies/affected-groups.json', (d) => {
      ((d as Entries).entries[0]!.labels as Record<string, string>)['sr-Cyrl'] = 'Ratne удовице';
    });
    const mixed = await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL');
    expect(mixed.message).toMatch(/vocabularies\/affected-groups\.json.*must not contain Latin letters/);

    cpSync(join(resourcesDir, 'vocabularies'), join(dir, 'vocabularies'), { recursive: true });
    edit('vocabularies/perpetrator-types.json', (d) => {
      (d as Entries).entries[0]!['esf'] = '0101';
    });
    expect((await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL')).message).toContain('vocabularies/perpetrator-types.json');
  });

  test('a malformed ESF code or an unknown format version', async () => {
    edit('vocabularies/act-types.json', (d) => {
      (d as Entries).entries[0]!['esf'] = '1.1';
    });
    expect((await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL')).message).toContain('vocabularies/act-types.json');

    cpSync(join(resourcesDir, 'vocabularies'), join(dir, 'vocabularies'), { recursive: true });
    edit('vocabularies/act-types.json', (d) => {
      d['version'] = 2;
    });
    expect((await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL')).message).toContain('vocabularies/act-types.json');
  });

  test('a settlement in an unknown municipality, or a duplicate place id', async () => {
    edit('gazetteer/kosovo.json', (d) => {
      const places = (d as Places).places;
      const recak = places.find((p) => p['id'] === 'recak')!;
      recak['municipality'] = 'atlantis';
    });
    const unknown = await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL');
    expect(unknown.message).toMatch(/gazetteer\/kosovo\.json.*unknown municipality "atlantis"/);

    cpSync(join(resourcesDir, 'gazetteer'), join(dir, 'gazetteer'), { recursive: true });
    edit('gazetteer/kosovo.json', (d) => {
      const places = (d as Places).places;
      places.push({ ...places[0]! });
    });
    const duplicate = await expectArchiveError(() => loadReferenceData(dir), 'INTERNAL');
    expect(duplicate.message).toMatch(/gazetteer\/kosovo\.json.*duplicate place id "prishtine"/);
  });
});
