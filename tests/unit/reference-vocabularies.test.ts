// The shipped vocabularies: four labels per entry in the right alphabets, unique codes, the required terms, pinned ESF codes, neutral wording.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { uiLanguages, vocabularyNames, type VocabularyName } from '../../shared/reference/schema';
import { foldForSearch } from '../../shared/text/fold';
import { loadReferenceData } from '../../electron/core/reference/reference-data';

const reference = loadReferenceData(join(import.meta.dirname, '../../resources'));
const codesOf = (name: VocabularyName): string[] => reference.vocab[name].entries.map((e) => e.code);

describe.each(vocabularyNames)('vocabulary %s', (name) => {
  const entries = reference.vocab[name].entries;

  test('has entries with unique kebab-case codes', () => {
    expect(entries.length).toBeGreaterThan(1);
    const codes = entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  test('every entry has four non-empty labels; Cyrillic has no Latin letters and the Latin ones no Cyrillic', () => {
    for (const e of entries) {
      for (const lang of uiLanguages) expect(e.labels[lang].trim(), `${e.code} ${lang}`).not.toBe('');
      expect(e.labels['sr-Cyrl'], e.code).not.toMatch(/\p{Script=Latin}/u);
      for (const lang of ['en', 'sq', 'sr-Latn'] as const) expect(e.labels[lang], `${e.code} ${lang}`).not.toMatch(/\p{Script=Cyrillic}/u);
    }
  });

  test('no two entries look alike in any language (the UI offers them side by side)', () => {
    for (const lang of uiLanguages) {
      const keys = entries.map((e) => foldForSearch(e.labels[lang]));
      expect(new Set(keys).size, lang).toBe(keys.length);
    }
  });
});

describe('act types', () => {
  test('the acts the issue requires are all present', () => {
    expect(codesOf('actTypes')).toEqual(
      expect.arrayContaining([
        'killing',
        'massacre',
        'death-in-custody',
        'enforced-disappearance',
        'abduction',
        'arbitrary-arrest',
        'arbitrary-detention',
        'torture-ill-treatment',
        'death-threats',
        'rape',
        'other-sexual-violence',
        'expulsion-forced-displacement',
        'denial-of-return',
        'destruction-of-property',
        'looting',
        'confiscation-of-documents',
        'forced-labour',
        'collective-punishment',
      ]),
    );
  });

  test('ESF codes are pinned to the Micro-thesaurus 4 "Types of Acts" terms they were checked against', () => {
    // Source: HURIDOCS Micro-thesauri (2001), list 4, as shipped in huridocs/OpenEvSys schema/mysql-dbpopulate-mt.sql.
    const expected: Record<string, string | null> = {
      killing: '0101', // Direct actions which violate the right to life
      'attempted-killing': '010109', // Attempted killings
      massacre: '010104', // Death in a massacre or mass killing
      'death-in-custody': '01010601', // Death in detention or police custody
      'enforced-disappearance': '030103', // Disappearance
      abduction: '030104', // Abduction; kidnapping
      'arbitrary-arrest': '030101', // Arrest
      'arbitrary-detention': '030102', // Detention, imprisonment
      'torture-ill-treatment': '02011111', // Torture
      'physical-assault': '020101', // Physical assaults, including domestic violence
      'death-threats': '02010302', // Death threats
      'other-threats': '02010301', // Threats (not including death threats)
      rape: '02011101', // Rape
      'attempted-rape': '02011102', // Attempted rape
      'other-sexual-violence': '02011103', // Sexual assault/molestation
      'expulsion-forced-displacement': '050104', // Displacement
      'denial-of-return': '050107', // Denial of right of return
      'destruction-of-property': '130103', // Destruction
      looting: '130101', // Looting; theft
      'confiscation-of-property': '130107', // Confiscation of property
      'confiscation-of-documents': null, // 130106 covers only land deeds and property documents
      extortion: '130104', // Extortion
      'unlawful-search-raid': '040101', // Illegal search / raid
      'forced-labour': null, // no act of that name in Micro-thesaurus 4
      'collective-punishment': '020121', // Collective punishments other than mass roundup or curfew
      other: null,
    };
    const actual = Object.fromEntries(reference.vocab.actTypes.entries.map((e) => [e.code, e.esf]));
    expect(actual).toEqual(expected);
  });

  test('labels read as expected in the four languages', () => {
    expect(reference.labelOf('actTypes', 'enforced-disappearance', 'en')).toBe('Enforced disappearance');
    expect(reference.labelOf('actTypes', 'enforced-disappearance', 'sq')).toBe('Zhdukje me dhunë');
    expect(reference.labelOf('actTypes', 'enforced-disappearance', 'sr-Latn')).toBe('Prisilni nestanak');
    expect(reference.labelOf('actTypes', 'enforced-disappearance', 'sr-Cyrl')).toBe('Присилни нестанак');
  });
});

describe('the other controlled lists', () => {
  test('victim outcomes cover survived, killed, still missing and found', () => {
    expect(codesOf('victimOutcomes')).toEqual(expect.arrayContaining(['survived', 'killed', 'still-missing', 'found-alive', 'remains-found']));
  });

  test('affected groups include the groups the issue names', () => {
    expect(codesOf('affectedGroups')).toEqual(
      expect.arrayContaining(['war-widows', 'sexual-violence-survivors', 'families-of-missing', 'former-detainees', 'displaced-persons', 'minority-communities']),
    );
  });

  test('ethnicities are the local list, in order', () => {
    expect(codesOf('ethnicities')).toEqual([
      'albanian',
      'serb',
      'bosniak',
      'turkish',
      'roma',
      'ashkali',
      'egyptian',
      'gorani',
      'montenegrin',
      'croat',
      'other',
      'unknown',
    ]);
  });

  test('participant roles, testimony modes, sexes and anonymity levels', () => {
    expect(codesOf('participantRoles')).toEqual(expect.arrayContaining(['affected-family-member', 'official', 'community-representative', 'facilitator', 'observer']));
    expect(codesOf('testimonyModes')).toEqual(expect.arrayContaining(['in-person', 'audio', 'written']));
    expect(codesOf('sexes')).toEqual(['female', 'male', 'unknown']);
    expect(codesOf('anonymityLevels')).toEqual(['named', 'initials', 'pseudonym', 'anonymous']);
  });

  test('perpetrator types are categories, never a side: no party, army or people is named', () => {
    expect(codesOf('perpetratorTypes')).toEqual(expect.arrayContaining(['state-armed-forces', 'police-security-forces', 'paramilitary-irregular-group', 'non-state-armed-group', 'unknown']));
    const sides = /\b(serb|srb|alban|shqip|kosov|yugoslav|jugosl|kla|uck|oslobodilack|clirimtare|vj|mup|jna|nato|kfor|fsk|kps)/;
    for (const e of reference.vocab.perpetratorTypes.entries) {
      for (const lang of uiLanguages) expect(foldForSearch(e.labels[lang]), `${e.code} ${lang}`).not.toMatch(sides);
    }
  });

  test('only act types carry an ESF code', () => {
    for (const name of vocabularyNames.filter((n) => n !== 'actTypes')) {
      for (const e of reference.vocab[name].entries) expect(Object.keys(e).sort(), `${name} ${e.code}`).toEqual(['code', 'labels']);
    }
  });
});
