// The four UI catalogs are complete: same keys, same placeholders, every error code translated;
// feature areas (locales/<area>/<lang>.json) never collide; Serbian Cyrillic is generated from Latin.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cyrillicCatalog } from '../../shared/text/cyrillic-catalog';
import { errorCodes } from '../../shared/errors';
import { passphraseProblems } from '../../shared/ipc/contract';
import { roles } from '../../shared/domain/roles';

type Catalog = { [key: string]: string | Catalog };

function flatten(c: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(c)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const localesDir = join(import.meta.dirname, '../../renderer/src/i18n/locales');
const areaDirs = readdirSync(localesDir)
  .map((d) => join(localesDir, d))
  .filter((d) => statSync(d).isDirectory());
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Catalog;

/** One language's catalog as the app sees it: the app-wide file plus every area's file. */
function merged(lang: string): Catalog {
  const out: Catalog = { ...read(join(localesDir, `${lang}.json`)) };
  for (const dir of areaDirs) Object.assign(out, read(join(dir, `${lang}.json`)));
  return out;
}

const languageCodes = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'];
const catalogs = Object.fromEntries(languageCodes.map((l) => [l, merged(l)]));
const srCyrl = catalogs['sr-Cyrl']!;
const srLatn = catalogs['sr-Latn']!;
const english = flatten(catalogs.en!);

test('feature areas use their own top-level keys and have a file per language', () => {
  const seen = new Set(Object.keys(read(join(localesDir, 'en.json'))));
  for (const dir of areaDirs) {
    for (const lang of languageCodes) expect(statSync(join(dir, `${lang}.json`)).isFile(), `${dir}/${lang}`).toBe(true);
    for (const key of Object.keys(read(join(dir, 'en.json')))) {
      expect(seen.has(key), `${dir}: ${key} is already used`).toBe(false);
      seen.add(key);
    }
  }
});

test('every Serbian Cyrillic catalog is the transliteration of its Latin twin (run scripts/gen-sr-cyrl.ts)', () => {
  for (const dir of [localesDir, ...areaDirs]) expect(read(join(dir, 'sr-Cyrl.json')), dir).toEqual(cyrillicCatalog(read(join(dir, 'sr-Latn.json'))));
});

test.each(Object.keys(catalogs))('%s has exactly the English keys, non-empty, same placeholders', (lang) => {
  const c = flatten(catalogs[lang]!);
  expect([...c.keys()].sort()).toEqual([...english.keys()].sort());
  for (const [k, v] of c) {
    expect(v.trim(), `${lang}:${k}`).not.toBe('');
    expect(placeholders(v), `${lang}:${k}`).toEqual(placeholders(english.get(k)!));
  }
});

test('every error code, role and passphrase problem has a message', () => {
  for (const code of errorCodes) expect(english.has(`errors.${code}`), code).toBe(true);
  for (const role of roles) expect(english.has(`roles.${role}`), role).toBe(true);
  for (const p of passphraseProblems) expect(english.has(`strength.${p}`), p).toBe(true);
});

test('Serbian Cyrillic has no Latin letters outside placeholders, and differs from Latin', () => {
  const cyr = flatten(srCyrl);
  const lat = flatten(srLatn);
  for (const [k, v] of cyr) {
    expect(v.replace(/\{\{\w+\}\}/g, ''), k).not.toMatch(/[A-Za-zčćđšžČĆĐŠŽ]/);
    expect(v === lat.get(k) && /[A-Za-z]/.test(v), k).toBe(false);
  }
});
