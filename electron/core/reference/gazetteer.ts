// Gazetteer lookups: places by id, and a ranked search in which either name, in either script, finds a place.
import type { Place } from '../../../shared/reference/schema';
import { foldForSearch } from '../../../shared/text/fold';

export type Gazetteer = {
  /** Municipalities first, then settlements, in file order. */
  readonly places: readonly Place[];
  byId(id: string): Place | undefined;
  /** The place and every place inside it: a municipality with its settlements, a settlement alone; [] when unknown. */
  within(id: string): string[];
  /**
   * Places whose Albanian, Serbian Latin, Serbian Cyrillic or alternative name matches `query`, best
   * first, at most `limit`. See `createGazetteer` for what matches and how results are ranked.
   */
  find(query: string, limit?: number): Place[];
};

/** Search form of a name or a query: folded (shared/text/fold), punctuation as space ("Fushë-Kosovë" → "fushe kosove"). */
export function placeSearchKey(text: string): string {
  return foldForSearch(text)
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The looser key: "dj" read as "d". Keyboards without "đ" often give "Dakovica" for "Đakovica", whose
 * strict key is "djakovica"; Albanian never writes "dj", so this only widens Serbian matches.
 */
const loosen = (key: string): string => key.replaceAll('dj', 'd');

/**
 * Albanian names are listed in the indefinite form ("Gjakovë", "Krushë e Madhe"), but are as often written
 * in the definite form, where a final "ë" becomes "a" ("Gjakova", "Krusha e Madhe"). Both variants are
 * searchable: every word's final ë → a, and only the last word's.
 */
function albanianDefiniteForms(sq: string): string[] {
  const words = sq.split(' ');
  const definite = (w: string): string => (w.endsWith('ë') ? `${w.slice(0, -1)}a` : w);
  const lastIndex = words.length - 1;
  return [words.map(definite).join(' '), words.map((w, i) => (i === lastIndex ? definite(w) : w)).join(' ')];
}

type IndexedPlace = { place: Place; order: number; sortKey: string; strict: string[]; loose: string[] };

/** How well one of `keys` matches `q`: 0 equal, 1 starts with it, 2 a later word starts with it, 3 contains it. */
function bestTier(keys: readonly string[], q: string): number | undefined {
  let best: number | undefined;
  for (const key of keys) {
    let tier: number | undefined;
    if (key === q) tier = 0;
    else if (key.startsWith(q)) tier = 1;
    else if (key.includes(` ${q}`)) tier = 2;
    else if (key.includes(q)) tier = 3;
    if (tier !== undefined && (best === undefined || tier < best)) best = tier;
    if (best === 0) break;
  }
  return best;
}

const defaultLimit = 20;

/**
 * Builds the lookups over validated places (see shared/reference/schema for the guarantees).
 *
 * What matches: the query and every name are compared by their search keys (fold: case, diacritics and
 * script do not matter; punctuation counts as a space). A place matches when one of its keys equals the
 * query, starts with it, has a word starting with it, or contains it — ranked in that order. So
 * "Gjakove", "gjakovë", "GJAKOVA", "Djakovica", "Đakovica" and "Ђаковица" all find Gjakovë first.
 * Only when no key matches is the looser "dj" = "d" comparison tried, ranked after every strict match:
 * "Dakovica" still finds Gjakovë/Đakovica. Ties: municipalities before settlements, then by Albanian name.
 *
 * @example createGazetteer(places).find('urosevac', 5)[0]?.id // 'ferizaj'
 */
export function createGazetteer(places: readonly Place[]): Gazetteer {
  const ordered = [...places.filter((p) => p.kind === 'municipality'), ...places.filter((p) => p.kind === 'settlement')];
  const byId = new Map(ordered.map((p) => [p.id, p]));
  const index: IndexedPlace[] = ordered.map((place, order) => {
    const names = [place.names.sq, place.names['sr-Latn'], place.names['sr-Cyrl'], ...(place.altNames ?? []), ...albanianDefiniteForms(place.names.sq)];
    const strict = [...new Set(names.map(placeSearchKey).filter((k) => k.length > 0))];
    return { place, order, sortKey: placeSearchKey(place.names.sq), strict, loose: [...new Set(strict.map(loosen))] };
  });

  return {
    places: ordered,
    byId: (id) => byId.get(id),
    within: (id) => {
      const place = byId.get(id);
      if (!place) return [];
      return place.kind === 'municipality' ? [id, ...ordered.filter((p) => p.kind === 'settlement' && p.municipality === id).map((p) => p.id)] : [id];
    },
    find(query, limit = defaultLimit) {
      const q = placeSearchKey(query);
      if (q.length === 0 || limit <= 0) return [];
      const qLoose = loosen(q);
      const hits: { entry: IndexedPlace; tier: number }[] = [];
      for (const entry of index) {
        const strict = bestTier(entry.strict, q);
        const loose = strict === undefined ? bestTier(entry.loose, qLoose) : undefined;
        const tier = strict ?? (loose === undefined ? undefined : loose + 4);
        if (tier !== undefined) hits.push({ entry, tier });
      }
      hits.sort(
        (a, b) =>
          a.tier - b.tier ||
          kindRank(a.entry.place) - kindRank(b.entry.place) ||
          compareKeys(a.entry.sortKey, b.entry.sortKey) ||
          a.entry.order - b.entry.order,
      );
      return hits.slice(0, limit).map((h) => h.entry.place);
    },
  };
}

const kindRank = (p: Place): number => (p.kind === 'municipality' ? 0 : 1);
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
