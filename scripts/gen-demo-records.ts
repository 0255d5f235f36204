// Generates resources/demo/records.json, the fictional training dataset: `npx tsx scripts/gen-demo-records.ts`.
// Deterministic (seeded PRNG), so the committed file can be checked against this script by a test.
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordsFileFormat, recordsFileVersion, type RecordsFileInput } from '../shared/records/records-file';
import type { ConsentInput } from '../shared/records/schemas';
import { transliterateSerbianLatinToCyrillic } from '../shared/text/fold';

const root = join(import.meta.dirname, '..');
export const demoRecordsPath = join(root, 'resources/demo/records.json');
export const demoSeed = 19990327;

type PersonRecordIn = RecordsFileInput['persons'][number];
type TestimonyRecordIn = RecordsFileInput['testimonies'][number];
type SessionRecordIn = NonNullable<RecordsFileInput['sessions']>[number];
type ViolationIn = TestimonyRecordIn['violations'][number];

// ---------------------------------------------------------------- randomness

/** mulberry32: a tiny, well-distributed 32-bit PRNG; the same seed always yields the same dataset. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[int(0, xs.length - 1)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  };
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  return { next, int, pick, shuffle, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------- reference data

type Labels = Record<'en' | 'sq' | 'sr-Latn' | 'sr-Cyrl', string>;
type Place = { id: string; kind: 'municipality' | 'settlement'; municipality?: string; names: Record<'sq' | 'sr-Latn' | 'sr-Cyrl', string> };

function vocabulary(file: string): Array<{ code: string; labels: Labels }> {
  return (JSON.parse(readFileSync(join(root, 'resources/vocabularies', file), 'utf8')) as { entries: Array<{ code: string; labels: Labels }> }).entries;
}

function loadReference() {
  const places = (JSON.parse(readFileSync(join(root, 'resources/gazetteer/kosovo.json'), 'utf8')) as { places: Place[] }).places;
  const byId = new Map(places.map((p) => [p.id, p]));
  const place = (id: string): Place => {
    const p = byId.get(id);
    if (!p) throw new Error(`gazetteer has no place ${id}`);
    return p;
  };
  const labels = (file: string) => new Map(vocabulary(file).map((e) => [e.code, e.labels]));
  return {
    place,
    /** Settlements of the same municipality as `id` (or `id` itself), where nearby events are placed. */
    near: (id: string) => {
      const p = place(id);
      const municipality = p.kind === 'municipality' ? p.id : (p.municipality ?? p.id);
      return places.filter((q) => q.kind === 'settlement' && q.municipality === municipality).map((q) => q.id);
    },
    acts: labels('act-types.json'),
    outcomes: labels('victim-outcomes.json'),
    codes: (file: string) => vocabulary(file).map((e) => e.code),
  };
}
type Reference = ReturnType<typeof loadReference>;

// ---------------------------------------------------------------- people

/** Written on every person: nobody may mistake the demo data for a real record. */
export const fictionalNote = 'Fictional person for training. / Person fiktiv për trajnim. / Izmišljena osoba za obuku. / Измишљена особа за обуку.';

const albanian = {
  female: ['Shqipe', 'Fatmire', 'Valbona', 'Mimoza', 'Hajrije', 'Shpresa', 'Vjosa', 'Nexhmije', 'Lumnije', 'Afërdita', 'Sevdije', 'Bukurije', 'Mirvete', 'Xhevahire'],
  male: ['Agim', 'Besim', 'Arben', 'Lulzim', 'Fatos', 'Xhevdet', 'Bekim', 'Ilir', 'Gëzim', 'Rexhep', 'Bujar', 'Ramadan', 'Sokol', 'Fehmi', 'Avni'],
  surnames: ['Krasniqi', 'Gashi', 'Berisha', 'Morina', 'Hoxha', 'Shala', 'Bytyqi', 'Kelmendi', 'Hyseni', 'Rexhepi', 'Ahmeti', 'Osmani', 'Sylaj', 'Zeka', 'Hasani', 'Maloku', 'Dervishi'],
  /** Names given around 2009, for the two minors. */
  young: { female: ['Erza', 'Rina', 'Dua'], male: ['Dion', 'Jon', 'Alb'] },
  places: ['gjakove-town', 'meje', 'korenice', 'peje-town', 'vitomirice', 'loxhe', 'decan-town', 'isniq', 'drenas-town', 'likoshan', 'skenderaj-town', 'izbice', 'rahovec-town', 'krushe-e-madhe', 'celine', 'suhareke-town', 'mushtisht', 'podujeve-town', 'lluzhan', 'ferizaj-town', 'kacanik-town', 'gjilan-town', 'vushtrri-town', 'mitrovice-e-jugut-town', 'prishtine-town', 'malisheve-town', 'kline-town', 'istog-town', 'shtime-town', 'junik-town'],
};
const serbian = {
  female: ['Milica', 'Jelena', 'Snežana', 'Vesna', 'Slavica', 'Ljiljana', 'Danica', 'Ružica', 'Gordana', 'Nataša', 'Dragana', 'Biljana'],
  male: ['Dragan', 'Dejan', 'Zoran', 'Goran', 'Miloš', 'Radomir', 'Bojan', 'Živorad', 'Đorđe', 'Stojan', 'Vukašin', 'Momčilo'],
  surnames: ['Jovanović', 'Nikolić', 'Stojanović', 'Đorđević', 'Marković', 'Ilić', 'Popović', 'Simić', 'Trajković', 'Denić', 'Kostić', 'Milenković', 'Stanković', 'Lazić', 'Todorović'],
  places: ['gracanice-town', 'llapllaselle', 'preoc', 'shterpce-town', 'brezovice', 'sevce', 'zvecan-town', 'banjske', 'leposaviq-town', 'socanice', 'zubin-potok-town', 'gazivode', 'mitrovice-e-veriut-town', 'partesh-town', 'pasjan', 'ranillug-town', 'kllokot-town', 'gorazhdec', 'hoce-e-madhe', 'plemetin', 'babimoc', 'novoberde-town', 'bostan', 'obiliq-town'],
};

/** How Albanian writes a Serbian name (Jovanović → Jovanoviq), as in Kosovo's Albanian-language documents. */
function albanianSpelling(latin: string): string {
  const map: Record<string, string> = { Dž: 'Xh', dž: 'xh', Đ: 'Gj', đ: 'gj', Č: 'Ç', č: 'ç', Ć: 'Q', ć: 'q', Š: 'Sh', š: 'sh', Ž: 'Zh', ž: 'zh' };
  return latin.replace(/Dž|dž|[ĐđČčĆćŠšŽž]/g, (m) => map[m] ?? m);
}

type Group = 'albanian' | 'serb' | 'other';
type Sex = 'female' | 'male';
/** A person of the dataset and what the generator needs to know about them beyond the record. */
type Person = {
  record: PersonRecordIn;
  group: Group;
  sex: Sex;
  kind: 'adult' | 'victim' | 'minor';
  /** The language the person gives testimony and consent in (a code of the languages vocabulary). */
  language: string;
};

function birthDate(rng: Rng, from: number, to: number): string {
  const y = rng.int(from, to);
  const m = String(rng.int(1, 12)).padStart(2, '0');
  const d = String(rng.int(1, 28)).padStart(2, '0');
  return rng.pick([`${y}`, `${y}~`, `${y}-${m}`, `${y}-${m}-${d}`, `${y}?`, `${y}-${m}-${d}`]);
}

function makePeople(rng: Rng): Person[] {
  const people: Person[] = [];
  const used = new Set<string>();
  const add = (p: Omit<Person, 'record'> & { names: PersonRecordIn['names']; birthDate: string; residence: string; ethnicity: string; restricted?: boolean }) => {
    const ref = `p${String(people.length + 1).padStart(2, '0')}`;
    people.push({
      group: p.group,
      sex: p.sex,
      kind: p.kind,
      language: p.language,
      record: {
        ref,
        names: p.names,
        sex: p.sex,
        birthDate: p.birthDate,
        ethnicity: p.ethnicity,
        residencePlaceId: p.residence,
        contact: fictionalNote,
        confidentiality: p.restricted ? 'restricted' : 'normal',
      },
    });
  };
  // First names are drawn without replacement (each list is long enough), surnames with: families share them.
  const firstNames = new Map<readonly string[], string[]>();
  const uniqueName = (first: readonly string[], last: readonly string[], surname?: string) => {
    const left = firstNames.get(first) ?? rng.shuffle(first);
    firstNames.set(first, left);
    const given = left.pop();
    if (given === undefined) throw new Error('first names ran out');
    for (;;) {
      const n = `${given} ${surname ?? rng.pick(last)}`;
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };
  // Albanian: 12 adults who give testimony or take part, 6 people who were killed or went missing, 2 minors.
  const albanianKinds: Array<Person['kind']> = [...Array<Person['kind']>(12).fill('adult'), ...Array<Person['kind']>(6).fill('victim'), 'minor', 'minor'];
  albanianKinds.forEach((kind, i) => {
    const sex: Sex = kind === 'victim' ? (i % 3 === 0 ? 'female' : 'male') : i % 2 === 0 ? 'female' : 'male';
    const firsts = kind === 'minor' ? albanian.young : albanian;
    const name = uniqueName(firsts[sex === 'female' ? 'female' : 'male'], albanian.surnames);
    add({
      group: 'albanian',
      sex,
      kind,
      language: 'albanian',
      names: { sq: name, srLatn: null, srCyrl: null },
      birthDate: kind === 'minor' ? birthDate(rng, 2009, 2010) : kind === 'victim' ? birthDate(rng, 1935, 1982) : birthDate(rng, 1942, 1986),
      residence: rng.pick(albanian.places),
      ethnicity: 'albanian',
    });
  });
  // Serbian: 9 adults, 5 killed or missing. Half also carry the Albanian spelling of their name.
  const serbianKinds: Array<Person['kind']> = [...Array<Person['kind']>(9).fill('adult'), ...Array<Person['kind']>(5).fill('victim')];
  serbianKinds.forEach((kind, i) => {
    const sex: Sex = kind === 'victim' ? (i % 4 === 0 ? 'female' : 'male') : i % 2 === 0 ? 'female' : 'male';
    // One family is always Đorđević: Đ is the letter most often mangled (Dj, Ð, Ђ), so training shows it.
    const latin = uniqueName(serbian[sex === 'female' ? 'female' : 'male'], serbian.surnames, i === 9 ? 'Đorđević' : undefined);
    add({
      group: 'serb',
      sex,
      kind,
      language: 'serbian',
      names: { sq: i % 2 === 0 ? albanianSpelling(latin) : null, srLatn: latin, srCyrl: transliterateSerbianLatinToCyrillic(latin) },
      birthDate: kind === 'victim' ? birthDate(rng, 1935, 1980) : birthDate(rng, 1945, 1985),
      residence: rng.pick(serbian.places),
      ethnicity: 'serb',
    });
  });
  // Other communities of Kosovo, each testifying in their own language.
  const others: Array<{ latin: string; sq: string | null; cyrillic: boolean; sex: Sex; ethnicity: string; language: string; residence: string }> = [
    { latin: 'Emina Hadžić', sq: 'Emina Haxhiq', cyrillic: true, sex: 'female', ethnicity: 'bosniak', language: 'bosnian', residence: 'peje-town' },
    { latin: 'Nurten Kasap', sq: 'Nurten Kasap', cyrillic: true, sex: 'female', ethnicity: 'turkish', language: 'turkish', residence: 'mamushe-town' },
    { latin: 'Bajram Mustafa', sq: 'Bajram Mustafa', cyrillic: true, sex: 'male', ethnicity: 'roma', language: 'romani', residence: 'plemetin' },
    { latin: 'Ana Palić', sq: 'Ana Paliq', cyrillic: true, sex: 'female', ethnicity: 'croat', language: 'croatian', residence: 'janjeve' },
    { latin: 'Sabit Redžepi', sq: 'Sabit Rexhepi', cyrillic: true, sex: 'male', ethnicity: 'gorani', language: 'other', residence: 'restelice' },
    { latin: 'Hatixhe Berisha', sq: 'Hatixhe Berisha', cyrillic: false, sex: 'female', ethnicity: 'ashkali', language: 'albanian', residence: 'fushe-kosove-town' },
  ];
  for (const o of others) {
    add({
      group: 'other',
      sex: o.sex,
      kind: 'adult',
      language: o.language,
      names: o.cyrillic ? { sq: o.sq, srLatn: o.latin, srCyrl: transliterateSerbianLatinToCyrillic(o.latin) } : { sq: o.sq, srLatn: null, srCyrl: null },
      birthDate: birthDate(rng, 1950, 1980),
      residence: o.residence,
      ethnicity: o.ethnicity,
    });
  }
  return people;
}

// ---------------------------------------------------------------- consent

/** Staff who explain consent and facilitate sessions (fictional). */
const staff = ['Teuta Berisha', 'Marija Kostić', 'Arta Hoxha', 'Nikola Ilić', 'Blerina Shala'];

type Scopes = ConsentInput['scopes'];
const all = (v: boolean, commission: Scopes['commission']): Scopes => ({ archive: v, statistics: v, commission, publicHearing: v, prosecution: v, media: v, recontact: v });

/**
 * The consent profiles of the dataset, chosen so that together they cover every value of every consent
 * dimension: each commission scope, each boolean scope true and false, every anonymity level, written and
 * recorded, a minor with a guardian, embargo set and unset, withdrawal of every scope and none.
 */
export const consentProfiles: ReadonlyArray<{ name: string; consent: Omit<ConsentInput, 'explainedBy' | 'language' | 'formVersion'> }> = [
  { name: 'named, everything', consent: { medium: 'written', scopes: all(true, 'named'), anonymityLevel: 'named', embargoUntil: null, minor: false, guardian: null, withdrawal: null } },
  { name: 'named, no media', consent: { medium: 'recorded', scopes: { ...all(true, 'named'), media: false }, anonymityLevel: 'named', embargoUntil: null, minor: false, guardian: null, withdrawal: null } },
  {
    name: 'pseudonymised',
    consent: { medium: 'recorded', scopes: { ...all(true, 'pseudonymised'), publicHearing: false, media: false }, anonymityLevel: 'pseudonym', embargoUntil: null, minor: false, guardian: null, withdrawal: null },
  },
  {
    name: 'initials, under embargo',
    consent: { medium: 'written', scopes: { ...all(true, 'pseudonymised'), publicHearing: false, media: false, recontact: false }, anonymityLevel: 'initials', embargoUntil: '2030-12-31', minor: false, guardian: null, withdrawal: null },
  },
  {
    name: 'anonymous statistics only',
    consent: { medium: 'written', scopes: { ...all(false, 'none'), archive: true, statistics: true }, anonymityLevel: 'anonymous', embargoUntil: null, minor: false, guardian: null, withdrawal: null },
  },
  {
    name: 'archive only, under embargo',
    consent: { medium: 'recorded', scopes: { ...all(false, 'none'), archive: true }, anonymityLevel: 'anonymous', embargoUntil: '2028-06-30', minor: false, guardian: null, withdrawal: null },
  },
  {
    name: 'not for the archive, recontact allowed',
    consent: { medium: 'written', scopes: { ...all(false, 'none'), statistics: true, recontact: true }, anonymityLevel: 'anonymous', embargoUntil: null, minor: false, guardian: null, withdrawal: null },
  },
  {
    name: 'withdrawn entirely',
    consent: {
      medium: 'recorded',
      scopes: all(true, 'named'),
      anonymityLevel: 'named',
      embargoUntil: null,
      minor: false,
      guardian: null,
      withdrawal: { date: '2026-08-03', scope: 'all', note: 'Fictional: withdrew after a family discussion. / Fiktive: u tërhoq pas një bisede në familje.' },
    },
  },
  {
    name: 'withdrawn from the commission',
    consent: {
      medium: 'written',
      scopes: { ...all(true, 'named'), media: false },
      anonymityLevel: 'initials',
      embargoUntil: null,
      minor: false,
      guardian: null,
      withdrawal: { date: '2026-07-15', scope: 'commission', note: 'Fictional: does not want the statement sent to the commission yet.' },
    },
  },
  {
    name: 'withdrawn from public hearings',
    consent: {
      medium: 'recorded',
      scopes: all(true, 'pseudonymised'),
      anonymityLevel: 'pseudonym',
      embargoUntil: null,
      minor: false,
      guardian: null,
      withdrawal: { date: '2026-09-01', scope: 'public', note: 'Fictional: no public hearing after all. / Izmišljeno: ipak bez javnog saslušanja.' },
    },
  },
  {
    name: 'withdrawn from the media',
    consent: {
      medium: 'written',
      scopes: all(true, 'named'),
      anonymityLevel: 'named',
      embargoUntil: '2027-03-31',
      minor: false,
      guardian: null,
      withdrawal: { date: '2026-06-20', scope: 'media', note: '' },
    },
  },
];

/** The profile of minors: always with a guardian who co-signed. */
const minorProfile: Omit<ConsentInput, 'explainedBy' | 'language' | 'formVersion'> = {
  medium: 'written',
  scopes: { ...all(false, 'pseudonymised'), archive: true, statistics: true, recontact: true },
  anonymityLevel: 'pseudonym',
  embargoUntil: null,
  minor: true,
  guardian: null,
  withdrawal: null,
};

/**
 * Hands out profiles. Each profile lands at least once among the first `spread` calls (the statements, all taken
 * before any withdrawal date); later calls (session participants) get the profiles without a withdrawal.
 */
function profileDealer(rng: Rng, spread: number) {
  const plain = consentProfiles.flatMap((p, i) => (p.consent.withdrawal === null ? [i] : []));
  const common = [0, 0, 1, 1, 2, 2, 3, 4];
  const first = rng.shuffle([...consentProfiles.map((_, i) => i), ...Array.from({ length: spread - consentProfiles.length }, () => rng.pick(common))]);
  let calls = 0;
  return (language: string, formVersion: string): ConsentInput => {
    const index = calls < first.length ? first[calls] : rng.pick([...common, ...plain]);
    calls++;
    const profile = consentProfiles[index ?? 0];
    if (!profile) throw new Error('no consent profile');
    return { explainedBy: rng.pick(staff), language, formVersion, ...structuredClone(profile.consent) };
  };
}

// ---------------------------------------------------------------- dates and words

const months = {
  sq: ['janar', 'shkurt', 'mars', 'prill', 'maj', 'qershor', 'korrik', 'gusht', 'shtator', 'tetor', 'nëntor', 'dhjetor'],
  sr: ['januar', 'februar', 'mart', 'april', 'maj', 'jun', 'jul', 'avgust', 'septembar', 'oktobar', 'novembar', 'decembar'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
type Words = 'sq' | 'sr' | 'en';

/** An EDTF date in words: '1999-03~' → 'about March 1999', '1998/1999' → '1998–1999'. */
function inWords(date: string, lang: Words): string {
  if (date.includes('/')) return date.split('/').map((d) => inWords(d, lang)).join('–');
  const approximate = /[~?%]$/.test(date);
  const [y, m, d] = date.replace(/[~?%]$/, '').split('-');
  const month = m === undefined ? undefined : months[lang][Number(m) - 1];
  const core = d !== undefined && month ? (lang === 'sr' ? `${Number(d)}. ${month} ${y}` : `${Number(d)} ${month} ${y}`) : month ? `${month} ${y}` : `${y}`;
  if (!approximate) return core;
  // The case-free way to say "about": Serbian would decline the month after "oko".
  return { sq: `${core} (përafërsisht)`, sr: `${core} (približno)`, en: `about ${core}` }[lang];
}

/** Narrative sentences: `missing` ones only where someone was taken, killed or disappeared. */
const sentences = {
  sq: {
    general: [
      'Atë mëngjes fshati u rrethua dhe burrat u ndanë nga gratë e fëmijët.',
      'Familja u largua me traktor drejt kufirit dhe u kthye vetëm në korrik.',
      'Kur familja u kthye, shtëpia ishte djegur dhe bagëtia mungonte.',
      'Dëshmitari kujton zërat e makinave dhe heshtjen që pasoi.',
    ],
    missing: ['Për muaj të tërë familja kërkoi informata në çdo zyrë që mundi.', 'Fqinjët e panë për herë të fundit pranë rrugës kryesore.'],
  },
  sr: {
    general: [
      'Tog jutra su naoružani ljudi došli do kuće i naredili svima da izađu.',
      'Kuća je zapaljena dok je porodica bila u izbeglištvu.',
      'Svedok se seća zvuka vozila i tišine koja je usledila.',
    ],
    missing: ['Porodica je mesecima tražila informacije od svih institucija.', 'Komšije su žrtvu poslednji put videle na putu prema gradu.', 'Od tada porodica ne zna ništa o sudbini svojih najbližih.'],
  },
  bs: {
    general: ['Kuća je zapaljena dok je porodica bila u izbjeglištvu.', 'Svjedokinja se sjeća zvuka vozila i tišine koja je uslijedila.'],
    missing: ['Porodica je mjesecima tražila informacije od svih institucija.'],
  },
  hr: {
    general: ['Kuća je zapaljena dok je obitelj bila u izbjeglištvu.', 'Svjedokinja se sjeća zvuka vozila i tišine koja je uslijedila.'],
    missing: ['Obitelj je mjesecima tražila informacije od svih institucija.'],
  },
  en: {
    general: [
      'That morning the village was surrounded and the men were separated from the women and children.',
      'When the family returned, the house had been burned and the livestock was gone.',
      'The witness remembers the sound of the vehicles and the silence that followed.',
    ],
    missing: ['For months the family asked every office they could reach for information.', 'Neighbours last saw the victim near the main road.', 'Since then the family has heard nothing about the fate of their relatives.'],
  },
};
type Pool = { general: readonly string[]; missing: readonly string[] };

const closing = {
  sq: 'Dëshmi fiktive për trajnim: personat dhe ngjarjet janë të trilluara.',
  sr: 'Izmišljeni iskaz za obuku: osobe i događaji su izmišljeni.',
  bs: 'Fiktivna izjava za obuku: osobe i događaji su izmišljeni.',
  hr: 'Fiktivna izjava za obuku: osobe i događaji su izmišljeni.',
  en: 'Fictional testimony for training: the people and events are invented.',
};

// ---------------------------------------------------------------- testimonies

/** Acts whose victim is usually someone else than the deponent: a relative killed, missing or taken. */
const actsOnRelatives = new Set(['killing', 'massacre', 'death-in-custody', 'enforced-disappearance', 'abduction']);
const sexualViolence = new Set(['rape', 'attempted-rape', 'other-sexual-violence']);
/** Acts that are usually reported next to the main one. */
const secondaryActs = ['destruction-of-property', 'looting', 'expulsion-forced-displacement', 'physical-assault', 'death-threats', 'confiscation-of-documents', 'unlawful-search-raid', 'extortion', 'other-threats'];

const periods: Record<Group, readonly string[]> = {
  albanian: ['1998-03', '1998-05~', '1998-08', '1998-09-26', '1999-03~', '1999-04', '1999-04-27', '1999-05?', '1999-03-24/1999-06-10', '1998/1999'],
  serb: ['1999-06~', '1999-07', '1999-08-01', '1999-06/1999-12', '1999/2000', '2000-02~', '2001-05', '2004-03-17', '2004-03'],
  other: ['1999-04', '1999-05~', '1999-07', '1998/1999', '1999-06-20', '2004-03~'],
};

/** What became of the victim, by act: the disappeared and abducted take turns through their possible fates. */
function outcomes(rng: Rng) {
  const turns = { disappeared: ['still-missing', 'remains-found', 'still-missing'], abducted: ['still-missing', 'found-alive', 'unknown'] };
  let d = 0;
  let a = 0;
  return (act: string): string | null => {
    switch (act) {
      case 'killing':
      case 'massacre':
      case 'death-in-custody':
        return 'killed';
      case 'enforced-disappearance':
        return turns.disappeared[d++ % turns.disappeared.length] ?? null;
      case 'abduction':
        return turns.abducted[a++ % turns.abducted.length] ?? null;
      case 'attempted-killing':
        return 'survived';
      default:
        // The victim of these acts is mostly the deponent, who survived; sometimes the statement does not say.
        return rng.pick(['survived', 'survived', null]);
    }
  };
}

function groupsFor(acts: readonly string[], deponent: Person): string[] {
  const g = new Set<string>();
  for (const a of acts) {
    if (a === 'killing' || a === 'massacre' || a === 'death-in-custody') g.add('families-of-killed');
    if (a === 'enforced-disappearance' || a === 'abduction') g.add('families-of-missing');
    if (sexualViolence.has(a)) g.add('sexual-violence-survivors');
    if (a === 'torture-ill-treatment') g.add('torture-survivors');
    if (a === 'arbitrary-arrest' || a === 'arbitrary-detention' || a === 'forced-labour') g.add('former-detainees');
    if (a === 'expulsion-forced-displacement') g.add('displaced-persons');
    if (a === 'denial-of-return') g.add('returnees');
    if (a === 'attempted-killing' || a === 'physical-assault') g.add('civilian-war-invalids');
  }
  if (deponent.group !== 'albanian') g.add('minority-communities');
  // Nearly every Kosovo Albanian family was displaced in spring 1999: the group when no act implies another.
  if (g.size === 0) g.add('displaced-persons');
  return [...g];
}

type Built = { persons: Person[]; testimonies: TestimonyRecordIn[]; sessions: SessionRecordIn[] };

function makeTestimonies(rng: Rng, ref: Reference, people: Person[], consent: ReturnType<typeof profileDealer>): TestimonyRecordIn[] {
  const adults = people.filter((p) => p.kind === 'adult');
  const victims = people.filter((p) => p.kind === 'victim');
  const byRef = new Map(people.map((p) => [p.record.ref, p]));

  // Thirty statements: every adult once, three Albanian adults twice (a second event they witnessed).
  const deponents = [...adults, ...adults.filter((p) => p.group === 'albanian').slice(0, 3)];
  // The main act of each statement: every act type once, then four more; sexual violence goes to women.
  const actTypes = ref.codes('act-types.json');
  const acts = rng.shuffle([...actTypes, ...Array.from({ length: deponents.length - actTypes.length }, () => rng.pick(['killing', 'enforced-disappearance', 'expulsion-forced-displacement', 'destruction-of-property']))]);
  for (let i = 0; i < acts.length; i++) {
    if (!sexualViolence.has(acts[i] ?? '') || deponents[i]?.sex === 'female') continue;
    const j = acts.findIndex((a, k) => !sexualViolence.has(a) && deponents[k]?.sex === 'female');
    if (j < 0) throw new Error('no woman left to give a sexual-violence statement');
    [acts[i], acts[j]] = [acts[j] ?? '', acts[i] ?? ''];
  }
  const perpetrators = ref.codes('perpetrator-types.json');
  const outcomeFor = outcomes(rng);
  const modes = ref.codes('testimony-modes.json');
  const modeOrder = rng.shuffle(deponents.map((_, i) => modes[i % modes.length] ?? 'in-person'));
  const victimsLeft = rng.shuffle(victims);
  const takeVictim = (group: Group): Person | undefined => {
    const i = victimsLeft.findIndex((v) => v.group === group || group === 'other');
    return i < 0 ? undefined : victimsLeft.splice(i, 1)[0];
  };

  // First pass: what each statement reports (acts, victims, places, dates).
  const drafts = deponents.map((deponent, i) => {
    const residence = deponent.record.residencePlaceId ?? 'prishtine-town';
    const here = ref.near(residence);
    const mainAct = acts[i] ?? 'other';
    // Return was denied after the war, not during it.
    const period = mainAct === 'denial-of-return' ? rng.pick(['1999-07', '1999/2000', '2000-04~']) : rng.pick(periods[deponent.group]);
    const violations: ViolationIn[] = [];
    const violation = (act: string, victim: Person, date: string): ViolationIn => ({
      victimRef: victim.record.ref,
      actType: act,
      date,
      placeId: here.length ? rng.pick(here) : residence,
      perpetratorType: violations.length === 0 ? (perpetrators[i % perpetrators.length] ?? 'unknown') : rng.pick(perpetrators),
      victimOutcome: outcomeFor(act),
      notes: rng.chance(0.3) ? rng.pick(['Dëshmitarë: dy fqinjë. / Svedoci: dvoje komšija.', 'Witnesses: two neighbours.', 'Fictional note: the family keeps a photograph.']) : null,
    });
    violations.push(violation(mainAct, actsOnRelatives.has(mainAct) ? (takeVictim(deponent.group) ?? deponent) : deponent, period));
    for (let k = rng.int(0, 1); k > 0; k--) violations.push(violation(rng.pick(secondaryActs), deponent, rng.pick(periods[deponent.group])));
    return { deponent, residence, period, mainAct, violations, violation };
  });
  // The killed and missing no statement has named yet are named by a statement of their community.
  for (const victim of [...victimsLeft]) {
    const d = rng.shuffle(drafts).find((x) => x.violations.length < 3 && (x.deponent.group === victim.group || victim.group === 'other'));
    if (!d) throw new Error(`no statement can name ${victim.record.ref}`);
    d.violations.push(d.violation(rng.pick(['killing', 'enforced-disappearance', 'abduction']), victim, d.period));
  }

  // Every victim outcome appears at least once: an uncovered one replaces a repeated one where the act allows it.
  const fits: Record<string, (v: ViolationIn, deponentRef: string) => boolean> = {
    unknown: (v, deponentRef) => v.victimRef !== deponentRef && ['abduction', 'enforced-disappearance', 'arbitrary-arrest', 'arbitrary-detention'].includes(v.actType),
    'found-alive': (v) => ['abduction', 'enforced-disappearance', 'arbitrary-detention'].includes(v.actType),
    'remains-found': (v) => ['enforced-disappearance', 'killing', 'massacre'].includes(v.actType),
    'still-missing': (v) => ['enforced-disappearance', 'abduction'].includes(v.actType),
    killed: (v) => ['killing', 'massacre', 'death-in-custody'].includes(v.actType),
    survived: (v, deponentRef) => v.victimRef === deponentRef,
  };
  for (const outcome of ref.codes('victim-outcomes.json')) {
    const all = drafts.flatMap((d) => d.violations.map((v) => ({ v, deponentRef: d.deponent.record.ref })));
    if (all.some(({ v }) => v.victimOutcome === outcome)) continue;
    const count = (o: string | null) => all.filter(({ v }) => v.victimOutcome === o).length;
    const spare = all.find(({ v, deponentRef }) => (fits[outcome] ?? (() => false))(v, deponentRef) && count(v.victimOutcome ?? null) > 1);
    if (!spare) throw new Error(`no violation can take the outcome ${outcome}`);
    spare.v.victimOutcome = outcome;
  }
  // Second pass: language, mode, title, narrative, sensitivity and consent.
  const englishIndex = drafts.length - 1;
  const out = drafts.map((d, i): TestimonyRecordIn => {
    const { deponent, residence, period, mainAct, violations } = d;
    const language = i === englishIndex ? 'english' : deponent.language;
    const mode = language === 'english' ? 'video' : (modeOrder[i] ?? 'in-person');
    const actsHere = violations.map((v) => v.actType);
    const sensitive = actsHere.some((a) => sexualViolence.has(a) || a === 'torture-ill-treatment');
    const restricted = sensitive || rng.chance(0.1);
    // Survivors of sexual violence and torture are kept restricted as people too: their identity is sealed.
    if (sensitive) deponent.record.confidentiality = 'restricted';
    const place = ref.place(residence);
    // Statements were taken from January 2025 to May 2026, before the first withdrawal of consent.
    const month = rng.int(1, 17);
    const taken = `${month > 12 ? 2026 : 2025}-${String(month > 12 ? month - 12 : month).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const label: Labels | undefined =
      mainAct === 'other' ? { en: 'Statement on other events', sq: 'Dëshmi për ngjarje të tjera', 'sr-Latn': 'Iskaz o drugim događajima', 'sr-Cyrl': 'Исказ о другим догађајима' } : ref.acts.get(mainAct);
    if (!label) throw new Error(`no labels for ${mainAct}`);
    // A title is plaintext and shown in lists: a restricted statement's title does not name what happened.
    const act: Labels = restricted ? { en: 'Restricted statement', sq: 'Dëshmi e kufizuar', 'sr-Latn': 'Poverljiv iskaz', 'sr-Cyrl': 'Поверљив исказ' } : label;

    /** The narrative: where and when it was taken, two sentences, one coded line per act, and the fiction notice. */
    const narrate = (w: Words, script: 'sq' | 'latn' | 'cyrl', intro: string, pool: Pool, end: string) => {
      const tr = (s: string) => (script === 'cyrl' ? transliterateSerbianLatinToCyrillic(s) : s);
      const pickLabel = (l: Labels | undefined, code: string) => (script === 'cyrl' ? l?.['sr-Cyrl'] : w === 'sq' ? l?.sq : w === 'en' ? l?.en : l?.['sr-Latn']) ?? code;
      const placeName = (id: string) => {
        const p = ref.place(id);
        return script === 'cyrl' ? p.names['sr-Cyrl'] : w === 'sr' ? p.names['sr-Latn'] : p.names.sq;
      };
      const personName = (p: Person | undefined) =>
        (p === undefined ? null : script === 'cyrl' ? (p.record.names.srCyrl ?? p.record.names.sq) : w === 'sr' ? (p.record.names.srLatn ?? p.record.names.sq) : (p.record.names.sq ?? p.record.names.srLatn)) ?? '?';
      const coded = violations.map((v) => {
        const fate = v.victimOutcome ? pickLabel(ref.outcomes.get(v.victimOutcome), v.victimOutcome) : null;
        return `${pickLabel(ref.acts.get(v.actType), v.actType)}: ${personName(byRef.get(v.victimRef))}, ${placeName(v.placeId ?? residence)}, ${tr(inWords(v.date ?? period, w))}${fate ? ` (${fate})` : ''}.`;
      });
      const someoneTaken = violations.some((v) => actsOnRelatives.has(v.actType));
      const told = someoneTaken ? [rng.pick(pool.general), rng.pick(pool.missing)] : rng.shuffle(pool.general).slice(0, 2);
      return [tr(intro.replace('{place}', placeName(residence)).replace('{date}', inWords(taken, w))), ...told.map(tr), ...coded, tr(end)].join('\n');
    };
    let title: string;
    let narrative: string;
    let interpreter: string | null = null;
    const sqTitle = `${act.sq} — ${place.names.sq}, ${inWords(period, 'sq')}`;
    switch (language) {
      case 'albanian':
        title = sqTitle;
        narrative = narrate('sq', 'sq', 'Dëshmi e marrë në {place}, {date}.', sentences.sq, closing.sq);
        break;
      case 'serbian': {
        const cyrillic = i % 2 === 0;
        title = cyrillic
          ? `${act['sr-Cyrl']} — ${place.names['sr-Cyrl']}, ${transliterateSerbianLatinToCyrillic(inWords(period, 'sr'))}`
          : `${act['sr-Latn']} — ${place.names['sr-Latn']}, ${inWords(period, 'sr')}`;
        narrative = narrate('sr', cyrillic ? 'cyrl' : 'latn', 'Iskaz je uzet u mestu {place}, {date}.', sentences.sr, closing.sr);
        break;
      }
      case 'bosnian':
      case 'croatian': {
        const w = language === 'bosnian' ? 'bs' : 'hr';
        title = `${restricted ? 'Povjerljiva izjava' : act['sr-Latn']} — ${place.names['sr-Latn']}, ${inWords(period, 'sr')}`;
        narrative = narrate('sr', 'latn', 'Izjava je uzeta u mjestu {place}, {date}.', sentences[w], closing[w]);
        break;
      }
      case 'english':
        title = `${act.en} — ${place.names.sq} / ${place.names['sr-Latn']}, ${inWords(period, 'en')}`;
        narrative = narrate('en', 'sq', 'Statement taken by video call from abroad, {date}; the family lived in {place}.', sentences.en, closing.en);
        break;
      default: {
        // Turkish, Romani and Gorani statements are summarised in English by the interpreter.
        const spoken = { turkish: ['Turkish', 'turke'], romani: ['Romani', 'rome'], other: ['Gorani (naš jezik)', 'e goranëve'] }[language] ?? ['another language', 'tjetër'];
        title = `${sqTitle}; dëshmi në gjuhën ${spoken[1] ?? ''}`;
        interpreter = `${rng.pick(['Arta Hoxha', 'Marija Kostić'])} (fictional interpreter, ${spoken[0] ?? ''})`;
        narrative = `Summary translated from ${spoken[0] ?? ''} by the interpreter.\n${narrate('en', 'sq', 'Statement taken in {place} on {date}.', sentences.en, closing.en)}`;
      }
    }
    return {
      ref: `t${String(i + 1).padStart(2, '0')}`,
      deponentRef: deponent.record.ref,
      interpreter,
      language,
      mode,
      date: taken,
      placeId: residence,
      affectedGroups: groupsFor(actsHere, deponent),
      title,
      narrative,
      sensitivity: restricted ? 'restricted' : 'normal',
      violations,
      consent: consent(language, '2025-1'),
    };
  });
  // Every affected group appears at least once: the groups no act implied go to statements with room.
  const covered = new Set(out.flatMap((t) => t.affectedGroups));
  const extra: Record<string, (t: TestimonyRecordIn) => boolean> = {
    'war-widows': (t) => t.violations.some((v) => v.actType === 'killing' && v.victimRef !== t.deponentRef),
    'former-combatants': (t) => t.language === 'albanian',
    'young-people': (t) => t.language === 'albanian',
    other: (t) => t.language !== 'albanian',
  };
  for (const group of ref.codes('affected-groups.json')) {
    if (covered.has(group)) continue;
    const fits = out.filter((t) => (extra[group] ?? (() => true))(t));
    const target = fits.length ? rng.pick(fits) : rng.pick(out);
    target.affectedGroups = [...target.affectedGroups, group];
    covered.add(group);
  }
  return out;
}

// ---------------------------------------------------------------- sessions

type SessionSpec = Omit<SessionRecordIn, 'participants' | 'followUps'> & {
  people: number;
  pool: (p: Person) => boolean;
  minors?: number;
  followUps: Array<{ text: string; owner: string; dueDate: string | null; status: 'open' | 'in-progress' | 'done' | 'dropped' }>;
};

const participantNotes = {
  sq: ['Kërkon informata për të afërmin e zhdukur.', 'Foli për kthimin në fshat pas luftës.', 'Propozoi një memorial të përbashkët.', 'Shënim fiktiv për trajnim.'],
  sr: ['Traži informacije o nestalom članu porodice.', 'Govorio je o povratku u selo posle rata.', 'Predložila je zajedničko obeležje.', 'Izmišljena beleška za obuku.'],
};

function sessionSpecs(): SessionSpec[] {
  const anyAdult = (p: Person) => p.kind === 'adult';
  return [
    {
      ref: 's1',
      kind: 'peace-table',
      status: 'held',
      title: 'Tryezë paqeje: familjet e të zhdukurve / Sto mira: porodice nestalih',
      date: '2025-05-17',
      placeId: 'gjakove-town',
      facilitators: ['Teuta Berisha', 'Marija Kostić'],
      agenda: '1. Hyrje dhe rregullat e dialogut / Uvod i pravila dijaloga\n2. Përvojat e familjeve / Iskustva porodica\n3. Kërkesat ndaj institucioneve / Zahtevi institucijama',
      minutes: 'Familjet ndanë përvojat e tyre dhe kërkuan hapjen e arkivave. Porodice su podelile svoja iskustva i zatražile otvaranje arhiva. (Procesverbal fiktiv për trajnim.)',
      outcomes: 'Marrëveshje për një letër të përbashkët drejtuar Komisionit për Persona të Zhdukur. / Dogovor o zajedničkom pismu Komisiji za nestala lica.',
      sensitivity: 'normal',
      people: 6,
      pool: anyAdult,
      followUps: [
        { text: 'Letër e përbashkët drejtuar Komisionit për Persona të Zhdukur / Zajedničko pismo Komisiji za nestala lica', owner: 'Teuta Berisha', dueDate: '2025-06-30', status: 'done' },
        { text: 'Takim me Institutin e Mjekësisë Ligjore / Sastanak sa Institutom za sudsku medicinu', owner: 'Komisioni për Persona të Zhdukur / Komisija za nestala lica', dueDate: '2025-10-15', status: 'in-progress' },
        { text: 'Tryezë e dytë me familjet nga Rahoveci / Drugi sto sa porodicama iz Orahovca', owner: 'Marija Kostić', dueDate: '2026-11-30', status: 'open' },
      ],
    },
    {
      ref: 's2',
      kind: 'round-table',
      status: 'held',
      title: 'Tryezë e rrumbullakët: e drejta për të vërtetën / Okrugli sto: pravo na istinu',
      date: '2025-09-20',
      placeId: 'gracanice-town',
      facilitators: ['Nikola Ilić', 'Arta Hoxha'],
      agenda: '1. Çfarë pret komuniteti nga komisioni / Šta zajednica očekuje od komisije\n2. Dokumentimi dhe pëlqimi / Dokumentovanje i pristanak',
      minutes: 'Učesnici su razgovarali o tome kako se prikupljaju iskazi i ko ima pristup. Pjesëmarrësit diskutuan për qasjen në dëshmi. (Zapisnik izmišljen za obuku.)',
      outcomes: 'Dogovoreno je da se obrazac pristanka prevede i na srpski ćirilicom. / U ra dakord që formulari i pëlqimit të përkthehet edhe në cirilik.',
      sensitivity: 'normal',
      people: 5,
      pool: (p) => anyAdult(p) && p.group !== 'albanian',
      followUps: [
        { text: 'Prevod obrasca pristanka na ćirilicu / Përkthimi i formularit në cirilik', owner: 'Nikola Ilić', dueDate: '2025-10-31', status: 'done' },
        { text: 'Poseta svim selima opštine / Vizitë në të gjitha fshatrat e komunës', owner: 'Opština Gračanica / Komuna e Graçanicës', dueDate: '2026-03-31', status: 'dropped' },
      ],
    },
    {
      ref: 's3',
      kind: 'peace-table',
      status: 'held',
      title: 'Tryezë paqeje e mbyllur: mbijetueset / Zatvoreni sto mira: preživele',
      date: '2025-11-08',
      placeId: 'mitrovice-e-jugut-town',
      facilitators: ['Blerina Shala'],
      agenda: '1. Mbështetja psikosociale / Psihosocijalna podrška\n2. Pëlqimi dhe anonimiteti / Pristanak i anonimnost',
      minutes: 'Procesverbal i mbyllur: vetëm për lehtësuesen dhe drejtoreshën. Zatvoren zapisnik. (Fiktiv për trajnim.)',
      outcomes: 'Mbështetje e vazhdueshme psikosociale për pjesëmarrëset. / Stalna psihosocijalna podrška učesnicama.',
      sensitivity: 'restricted',
      people: 4,
      pool: (p) => anyAdult(p) && p.sex === 'female',
      followUps: [{ text: 'Kontakt me qendrën e rehabilitimit / Kontakt sa centrom za rehabilitaciju', owner: 'Blerina Shala', dueDate: '2026-01-31', status: 'in-progress' }],
    },
    {
      ref: 's4',
      kind: 'round-table',
      status: 'held',
      title: 'Tryezë e rrumbullakët: komunitetet e Prizrenit dhe kujtesa / Okrugli sto: zajednice Prizrena i sećanje',
      date: '2026-02-14',
      placeId: 'prizren-town',
      facilitators: ['Arta Hoxha', 'Nikola Ilić'],
      agenda: '1. Kujtesa e përbashkët / Zajedničko sećanje\n2. Gjuhët e komuniteteve / Jezici zajednica\n3. Hapat e ardhshëm / Sledeći koraci',
      minutes: 'Përfaqësues të komuniteteve shqiptare, serbe, boshnjake, turke, rome dhe gorane folën për kujtesën. Predstavnici svih zajednica govorili su o sećanju. (Fiktiv.)',
      outcomes: 'Një ekspozitë e përbashkët fotografish në vitin 2026. / Zajednička izložba fotografija 2026.',
      sensitivity: 'normal',
      people: 8,
      pool: anyAdult,
      followUps: [
        { text: 'Ekspozita e fotografive / Izložba fotografija', owner: 'Komuna e Prizrenit / Opština Prizren', dueDate: '2026-09-30', status: 'open' },
        { text: 'Përkthimi i procesverbalit në turqisht / Prevod zapisnika na turski', owner: 'Arta Hoxha', dueDate: '2026-03-15', status: 'done' },
      ],
    },
    {
      ref: 's5',
      kind: 'round-table',
      status: 'held',
      title: 'Tryezë e rrumbullakët me të rinjtë / Okrugli sto sa mladima',
      date: '2026-04',
      placeId: 'peje-town',
      facilitators: ['Teuta Berisha', 'Marija Kostić'],
      agenda: '1. Çfarë dimë për luftën / Šta znamo o ratu\n2. Si flasim me prindërit / Kako razgovaramo sa roditeljima',
      minutes: 'Të rinjtë folën për atë që u kanë treguar familjet. Mladi su govorili o onome što su im porodice ispričale. (Fiktiv për trajnim.)',
      outcomes: 'Një klub leximi i përbashkët. / Zajednički čitalački klub.',
      sensitivity: 'normal',
      people: 7,
      minors: 2,
      pool: anyAdult,
      followUps: [
        { text: 'Klubi i leximit, takimi i parë / Čitalački klub, prvi sastanak', owner: 'Teuta Berisha', dueDate: '2026-05-30', status: 'in-progress' },
        { text: 'Vizitë në arkivin e qytetit / Poseta gradskom arhivu', owner: 'Marija Kostić', dueDate: null, status: 'open' },
      ],
    },
    {
      ref: 's6',
      kind: 'peace-table',
      status: 'cancelled',
      title: 'Sto mira: povratak raseljenih / Tryezë paqeje: kthimi i të zhvendosurve',
      date: '2025-12-06',
      placeId: 'shterpce-town',
      facilitators: ['Nikola Ilić'],
      agenda: '1. Uslovi za povratak / Kushtet për kthim\n2. Imovinska pitanja / Çështjet pronësore',
      minutes: 'Otkazano zbog snežne oluje; učesnici su obavešteni telefonom. U anulua për shkak të stuhisë së borës.',
      outcomes: '',
      sensitivity: 'normal',
      people: 3,
      pool: (p) => anyAdult(p) && p.group === 'serb',
      followUps: [{ text: 'Novi termin posle zime / Datë e re pas dimrit', owner: 'Nikola Ilić', dueDate: '2026-04-30', status: 'dropped' }],
    },
    {
      ref: 's7',
      kind: 'peace-table',
      status: 'planned',
      title: 'Sto mira: nestali iz Novog Brda / Tryezë paqeje: të zhdukurit e Novobërdës',
      date: '2026-11-21',
      placeId: 'novoberde-town',
      facilitators: ['Marija Kostić', 'Teuta Berisha'],
      agenda: '1. Upoznavanje / Njohja\n2. Priče porodica / Rrëfimet e familjeve\n3. Zajednički zahtevi / Kërkesat e përbashkëta',
      minutes: '',
      outcomes: '',
      sensitivity: 'normal',
      people: 4,
      pool: anyAdult,
      followUps: [{ text: 'Rezervacija sale i prevodioca / Rezervimi i sallës dhe i përkthyesit', owner: 'Marija Kostić', dueDate: '2026-11-01', status: 'open' }],
    },
    {
      ref: 's8',
      kind: 'round-table',
      status: 'planned',
      title: 'Tryezë e rrumbullakët: rekomandime për komisionin / Okrugli sto: preporuke za komisiju',
      date: '2027-01',
      placeId: 'prishtine-town',
      facilitators: ['Arta Hoxha', 'Nikola Ilić'],
      agenda: '1. Rekomandimet e familjeve / Preporuke porodica\n2. Mbrojtja e dëshmitarëve / Zaštita svedoka',
      minutes: '',
      outcomes: '',
      sensitivity: 'normal',
      people: 5,
      pool: anyAdult,
      followUps: [],
    },
  ];
}

function makeSessions(rng: Rng, ref: Reference, people: Person[], consent: ReturnType<typeof profileDealer>): SessionRecordIn[] {
  const roles = rng.shuffle(ref.codes('participant-roles.json'));
  let nextRole = 0;
  const minors = people.filter((p) => p.kind === 'minor');
  return sessionSpecs().map((spec) => {
    const { people: count, pool, minors: minorCount = 0, followUps, ...session } = spec;
    const chosen = [...rng.shuffle(people.filter(pool)).slice(0, count - minorCount), ...minors.slice(0, minorCount)];
    if (chosen.length !== count) throw new Error(`session ${spec.ref}: not enough people`);
    return {
      ...session,
      participants: chosen.map((p) => {
        const isMinor = p.kind === 'minor';
        const role = isMinor ? 'directly-affected-person' : (roles[nextRole++ % roles.length] ?? 'other');
        const words = p.group === 'serb' ? 'sr' : 'sq';
        return {
          personRef: p.record.ref,
          role,
          notes: rng.chance(0.5) ? rng.pick(participantNotes[words]) : null,
          consent: isMinor
            ? { explainedBy: rng.pick(staff), language: p.language, formVersion: '2025-1', ...structuredClone(minorProfile), guardian: 'Fictional guardian: parent who co-signed / Prind që bashkënënshkroi' }
            : consent(p.language, '2025-1'),
        };
      }),
      followUps,
    };
  });
}

// ---------------------------------------------------------------- the file

/** The whole dataset, the same on every run. */
export function buildDemoRecords(): RecordsFileInput {
  const rng = prng(demoSeed);
  const ref = loadReference();
  const built: Built = { persons: makePeople(rng), testimonies: [], sessions: [] };
  const consent = profileDealer(rng, 30);
  built.testimonies = makeTestimonies(rng, ref, built.persons, consent);
  built.sessions = makeSessions(rng, ref, built.persons, consent);
  // A person's status follows what the testimonies say became of them (the last coded act); null when no act names them.
  for (const t of built.testimonies) for (const v of t.violations) {
    const victim = built.persons.find((p) => p.record.ref === v.victimRef);
    if (victim && v.victimOutcome) victim.record.status = v.victimOutcome;
  }
  return { format: recordsFileFormat, version: recordsFileVersion, persons: built.persons.map((p) => p.record), testimonies: built.testimonies, sessions: built.sessions };
}

/** The file's exact text. */
export function demoRecordsJson(): string {
  return `${JSON.stringify(buildDemoRecords(), null, 2)}\n`;
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  mkdirSync(dirname(demoRecordsPath), { recursive: true });
  writeFileSync(demoRecordsPath, demoRecordsJson());
}
