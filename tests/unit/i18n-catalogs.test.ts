// The four UI catalogs are complete: same keys, same placeholders, every error code translated.
import { expect, test } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import sq from '../../renderer/src/i18n/locales/sq.json' with { type: 'json' };
import srCyrl from '../../renderer/src/i18n/locales/sr-Cyrl.json' with { type: 'json' };
import srLatn from '../../renderer/src/i18n/locales/sr-Latn.json' with { type: 'json' };
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
const catalogs = { en, sq, 'sr-Latn': srLatn, 'sr-Cyrl': srCyrl } as Record<string, Catalog>;
const english = flatten(en);

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
