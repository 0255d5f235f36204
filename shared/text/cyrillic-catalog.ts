// Serbian Cyrillic UI catalogs are derived from the Latin ones: values transliterated, {{placeholders}} kept.
import { transliterateSerbianLatinToCyrillic } from './fold';

export function cyrillicCatalog(latin: unknown): unknown {
  if (typeof latin === 'string') return latin.split(/(\{\{\w+\}\})/).map((part, i) => (i % 2 === 1 ? part : transliterateSerbianLatinToCyrillic(part))).join('');
  if (latin === null || typeof latin !== 'object') return latin;
  return Object.fromEntries(Object.entries(latin).map(([k, v]) => [k, cyrillicCatalog(v)]));
}
