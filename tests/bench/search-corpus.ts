// Deterministic synthetic records for the search bench: Albanian and Serbian (Latin and Cyrillic) narratives
// of about 2 KB with Zipf-distributed words, names and places, coded acts, groups, consent and dates.
import { randomUUID } from 'node:crypto';
import type { ReferenceData } from '../../electron/core/reference/reference-data';
import { transliterateSerbianLatinToCyrillic } from '../../shared/text/fold';

/** xorshift32: the same seed gives the same archive on every machine. */
export function prng(seed: number) {
  let s = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

/** Draws indexes 0..n-1 with probability ~ 1/(rank+1)^s: a few words are everywhere, most are rare. */
function zipf(n: number, s: number) {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / (i + 1) ** s;
  return (rng: Rng) => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const albanian = (
  'dhe në e të u një për nga me që ishte nuk ai ajo ne ata më kur pas deri atëherë shtëpia shtëpinë familja familjen babai nëna vëllai motra djali vajza ' +
  'burri gruaja fqinjët fshati fshatit qyteti qytetin rruga rrugës mali malit pylli ushtarët policia policët paramilitarët forcat kontrollit pikën ' +
  'ndalën morën arrestuan rrahën vranë dogjën plaçkitën dëbuan ikëm ikën u kthyem kthimi zhdukja zhdukur humbur kërkuam gjetën eshtrat varrezat ' +
  'kufirit shqipërisë maqedonisë kampin refugjatët traktori kamioni makinat dokumentet letërnjoftimet paratë arin bagëtinë të shtënat granatat ' +
  'dëshmitarë dëshmia dëshmoj kujtoj mbaj mend nuk harroj drejtësi drejtësia gjykata komisioni pajtimi e vërteta kujtesa dhimbja frika plagët ' +
  'mëngjes mbrëmje natën ditën javë muaj vit janar shkurt mars prill maj qershor korrik gusht shtator tetor nëntor dhjetor burgun hetimin spitali ' +
  'mjeku gratë fëmijët pleqtë të rinjtë civilë të armatosur maskuar uniforma zinj gjelbër autobusi xhamia shkolla ara oborri bodrumi'
).split(' ');

const serbianLatin = (
  'i u je se na da od za sa smo su bio bila bili nije kada posle do tada kuća kuću porodica porodicu otac majka brat sestra sin ćerka muž žena ' +
  'komšije selo selu grad gradu put putu planina šuma vojnici policija policajci paravojska snage kontrolni punkt zaustavili uzeli uhapsili ' +
  'tukli ubili zapalili opljačkali proterali pobegli vratili povratak nestanak nestao nestala tražili pronašli posmrtni ostaci groblje granica ' +
  'izbeglice kamp traktor kamion automobili dokumenta lične karte novac zlato stoka pucnji granate svedoci svedočenje sećam pamtim pravda ' +
  'sud komisija pomirenje istina sećanje bol strah rane jutro veče noć dan nedelja mesec godina januar februar mart april maj jun jul avgust ' +
  'septembar oktobar novembar decembar zatvor istraga bolnica lekar žene deca starci mladi civili naoružani maskirani uniforme crkva škola njiva dvorište podrum'
).split(' ');
const serbianCyrillic = serbianLatin.map((w) => transliterateSerbianLatinToCyrillic(w));

const givenSq = ['Agim', 'Arben', 'Besa', 'Blerim', 'Bekim', 'Drita', 'Fatmire', 'Fadil', 'Hysen', 'Ilir', 'Lumnije', 'Mimoza', 'Nexhmije', 'Shqipe', 'Valon', 'Vjosa', 'Xhevdet', 'Zana', 'Remzi', 'Sabrije'];
const familySq = ['Krasniqi', 'Berisha', 'Gashi', 'Hoxha', 'Morina', 'Shala', 'Kryeziu', 'Bytyqi', 'Rexhepi', 'Hajdari', 'Thaçi', 'Zeqiri', 'Ahmeti', 'Bajrami', 'Çitaku', 'Dërmaku', 'Elshani', 'Gjinovci', 'Haxhiu', 'Jashari'];
const givenSr = ['Dragan', 'Milica', 'Jovana', 'Nenad', 'Zoran', 'Snežana', 'Dragana', 'Miloš', 'Stefan', 'Vesna', 'Đorđe', 'Živko', 'Ljiljana', 'Nikola', 'Radmila', 'Slobodan', 'Tanja', 'Vladimir', 'Zorica', 'Goran'];
const familySr = ['Jovanović', 'Petrović', 'Nikolić', 'Đorđević', 'Stojanović', 'Marković', 'Ilić', 'Stanković', 'Kostić', 'Savić', 'Živković', 'Lazić', 'Mitić', 'Perić', 'Ristić', 'Tasić', 'Vasić', 'Čolić', 'Šarić', 'Đukić'];

export type Language = 'albanian' | 'serbian-latin' | 'serbian-cyrillic';

export type PersonSeed = {
  id: string;
  restricted: boolean;
  names: { sq: string; srLatn: string; srCyrl: string };
  sex: 'female' | 'male';
  ethnicity: 'albanian' | 'serb';
  birth: string;
  residence: string;
};

export type TestimonySeed = {
  id: string;
  deponent: number;
  victims: number[];
  language: Language;
  title: string;
  narrative: string;
  restricted: boolean;
  date: string;
  placeId: string;
  status: 'draft' | 'reviewed' | 'sealed';
  groups: string[];
  acts: Array<{ actType: string; date: string; placeId: string; notes: string | null }>;
  commission: 'named' | 'pseudonymised' | 'none';
  updatedAt: string;
};

export type Corpus = ReturnType<typeof makeCorpus>;

/**
 * The generator: persons up front, testimonies batch by batch (so 100k narratives never sit in memory at
 * once). Testimony `i` is the same on every run and in both databases of a run.
 */
export function makeCorpus(reference: ReferenceData, options: { testimonies: number; persons: number; narrativeBytes: number }) {
  const places = reference.gazetteer.places;
  const placeIds = places.map((p) => p.id);
  const placeName = (id: string, lang: Language) => {
    const p = reference.gazetteer.byId(id)!;
    return lang === 'albanian' ? p.names.sq : lang === 'serbian-latin' ? p.names['sr-Latn'] : p.names['sr-Cyrl'];
  };
  const actTypes = reference.vocab.actTypes.entries.map((e) => e.code);
  const groups = reference.vocab.affectedGroups.entries.map((e) => e.code);
  const words: Record<Language, string[]> = { albanian, 'serbian-latin': serbianLatin, 'serbian-cyrillic': serbianCyrillic };
  const drawWord = { albanian: zipf(albanian.length, 1.05), 'serbian-latin': zipf(serbianLatin.length, 1.05), 'serbian-cyrillic': zipf(serbianCyrillic.length, 1.05) };
  const drawPlace = zipf(placeIds.length, 0.9);
  const drawAct = zipf(actTypes.length, 1.1);
  const drawGroup = zipf(groups.length, 1.0);
  const monthsSq = ['janar', 'shkurt', 'mars', 'prill', 'maj', 'qershor', 'korrik', 'gusht', 'shtator', 'tetor', 'nëntor', 'dhjetor'];
  const monthsSr = ['januara', 'februara', 'marta', 'aprila', 'maja', 'juna', 'jula', 'avgusta', 'septembra', 'oktobra', 'novembra', 'decembra'];

  const persons: PersonSeed[] = [];
  {
    const rng = prng(0x5eed_0001);
    for (let i = 0; i < options.persons; i++) {
      const serb = rng.next() < 0.3;
      const given = serb ? rng.pick(givenSr) : rng.pick(givenSq);
      const family = serb ? rng.pick(familySr) : rng.pick(familySq);
      const latin = `${given} ${family}`;
      persons.push({
        id: randomUUID(),
        restricted: rng.next() < 0.05,
        // The Albanian form of a Serbian name and the other way round, as staff write them.
        names: { sq: serb ? latin.replace(/đ/g, 'gj').replace(/Đ/g, 'Gj').replace(/ć/g, 'q') : latin, srLatn: latin, srCyrl: transliterateSerbianLatinToCyrillic(latin) },
        sex: rng.next() < 0.5 ? 'female' : 'male',
        ethnicity: serb ? 'serb' : 'albanian',
        birth: `${1925 + rng.int(70)}${rng.next() < 0.3 ? '~' : ''}`,
        residence: placeIds[drawPlace(rng)]!,
      });
    }
  }

  function narrative(rng: Rng, lang: Language, bytes: number): string {
    const vocab = words[lang];
    const draw = drawWord[lang];
    const perChar = lang === 'serbian-cyrillic' ? 1.9 : 1.05; // UTF-8 bytes per character, roughly
    const target = bytes / perChar;
    const parts: string[] = [];
    let length = 0;
    while (length < target) {
      const n = 8 + rng.int(10);
      const sentence: string[] = [];
      for (let w = 0; w < n; w++) {
        const r = rng.next();
        if (r < 0.03) sentence.push(placeName(placeIds[drawPlace(rng)]!, lang));
        else if (r < 0.05) {
          const p = persons[rng.int(persons.length)]!;
          sentence.push(lang === 'albanian' ? p.names.sq : lang === 'serbian-latin' ? p.names.srLatn : p.names.srCyrl);
        } else if (r < 0.06) {
          const month = rng.int(12);
          sentence.push(lang === 'albanian' ? `${1 + rng.int(28)} ${monthsSq[month]!} 1999` : `${1 + rng.int(28)}. ${lang === 'serbian-latin' ? monthsSr[month]! : transliterateSerbianLatinToCyrillic(monthsSr[month]!)} 1999.`);
        } else sentence.push(vocab[draw(rng)]!);
      }
      const text = sentence.join(' ');
      const s = `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
      parts.push(s);
      length += s.length + 1;
    }
    return parts.join(' ');
  }

  /** A day, month, approximate month or year between 2019 and 2026, with its EDTF form. */
  function edtfDate(rng: Rng, fromYear: number, years: number): string {
    const y = fromYear + rng.int(years);
    const m = String(1 + rng.int(12)).padStart(2, '0');
    const d = String(1 + rng.int(28)).padStart(2, '0');
    const r = rng.next();
    return r < 0.6 ? `${y}-${m}-${d}` : r < 0.8 ? `${y}-${m}` : r < 0.9 ? `${y}-${m}~` : `${y}`;
  }

  const baseTime = Date.parse('2019-01-01T08:00:00Z');
  const titleWordsSq = ['Dëshmia për', 'Zhdukja në', 'Vrasjet në', 'Dëbimi nga', 'Djegia e shtëpive në', 'Arrestimi në'];
  const titleWordsSr = ['Svedočenje o', 'Nestanak u', 'Ubistva u', 'Proterivanje iz', 'Paljenje kuća u', 'Hapšenje u'];

  function testimony(i: number): TestimonySeed {
    const rng = prng(0x7e57_0000 + i * 2654435761);
    const r = rng.next();
    const language: Language = r < 0.6 ? 'albanian' : r < 0.85 ? 'serbian-latin' : 'serbian-cyrillic';
    const placeId = placeIds[drawPlace(rng)]!;
    const titleHead = language === 'albanian' ? rng.pick(titleWordsSq) : rng.pick(titleWordsSr);
    const title = `${language === 'serbian-cyrillic' ? transliterateSerbianLatinToCyrillic(titleHead) : titleHead} ${placeName(placeId, language)}, 1999`;
    const victims = Array.from({ length: 1 + rng.int(3) }, () => rng.int(persons.length));
    const s = rng.next();
    const c = rng.next();
    return {
      id: randomUUID(),
      deponent: rng.int(persons.length),
      victims,
      language,
      title,
      narrative: narrative(rng, language, options.narrativeBytes),
      restricted: rng.next() < 0.05,
      date: edtfDate(rng, 2019, 8),
      placeId,
      status: s < 0.5 ? 'draft' : s < 0.8 ? 'reviewed' : 'sealed',
      groups: [...new Set([groups[drawGroup(rng)]!, ...(rng.next() < 0.4 ? [groups[drawGroup(rng)]!] : [])])],
      acts: victims.map(() => ({
        actType: actTypes[drawAct(rng)]!,
        date: edtfDate(rng, 1998, 2),
        placeId: rng.next() < 0.7 ? placeId : placeIds[drawPlace(rng)]!,
        notes: rng.next() < 0.3 ? narrative(rng, language, 120) : null,
      })),
      commission: c < 0.6 ? 'named' : c < 0.85 ? 'pseudonymised' : 'none',
      // Distinct and increasing: testimony i was last changed after testimony i - 1.
      updatedAt: new Date(baseTime + i * 60_000 + rng.int(59_000)).toISOString(),
    };
  }

  return { persons, testimony };
}
