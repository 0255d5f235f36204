// Per-bundle pseudonyms and fold-insensitive name redaction (Albanian, Serbian Latin and Cyrillic).
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { birthDateNeedles, contactNeedles, createPseudonymiser, createRedactor, nameNeedles, redactAll, redactText } from '../../electron/core/submissions/pseudonymise';

const label = 'P-7K3Q9';
const drita = ['Drita Krasniqi', 'Drita Krasnići', 'Дрита Красничи'];

describe('pseudonyms', () => {
  test('stable within a bundle, Crockford base32, different across bundles', () => {
    const secret = randomBytes(32);
    const a = createPseudonymiser(secret);
    const again = createPseudonymiser(secret);
    const other = createPseudonymiser(randomBytes(32));
    const id = '0b8e2c1e-6d59-4a57-9b55-2c6f0a3d1e77';
    expect(a.label(id)).toMatch(/^P-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{5}$/);
    expect(a.label(id)).toBe(a.label(id));
    expect(again.label(id)).toBe(a.label(id));
    expect(other.label(id)).not.toBe(a.label(id));
    expect(a.label(id, 'T')).toMatch(/^T-/);
  });

  test('labels are unique within a bundle even for many ids', () => {
    const p = createPseudonymiser(randomBytes(32));
    const labels = new Set(Array.from({ length: 20_000 }, (_, i) => p.label(`person-${i}`)));
    expect(labels.size).toBe(20_000);
  });

  test('a short secret is refused', () => {
    expect(() => createPseudonymiser(new Uint8Array(8))).toThrow(RangeError);
  });
});

describe('redaction of names', () => {
  test('every script and case of the name is replaced', () => {
    const text = 'Drita said; DRITA KRASNIQI later. Дрита Красничи, and drita krasnići, too.';
    const out = redactText(text, drita, label);
    expect(out).toBe(`${label} said; ${label} later. ${label}, and ${label}, too.`);
  });

  test('diacritics do not matter either way (ë, ç, č, ć, đ, š, ž)', () => {
    const names = ['Gëzim Çeku', 'Đorđe Šćekić', 'Živko Čolić'];
    const text = 'Gezim Ceku, GËZIM ÇEKU, Djordje Scekic, Ђорђе Шћекић, ZIVKO COLIC, Живко Чолић.';
    expect(redactText(text, names, label)).toBe(`${label}, ${label}, ${label}, ${label}, ${label}, ${label}.`);
  });

  test('names inside punctuation and quotes are replaced; the punctuation stays', () => {
    const out = redactText('("Drita"), [Krasniqi]; «Дрита»—Krasniqi!', drita, label);
    expect(out).toBe(`("${label}"), [${label}]; «${label}»—${label}!`);
  });

  test('partial words are not replaced: a name inside a longer unrelated word stays', () => {
    const out = redactText('Dritan and Dritaro, Krasniqiland, Adrita', drita, label);
    expect(out).toBe('Dritan and Dritaro, Krasniqiland, Adrita');
  });

  test('inflected forms of longer names are replaced (Albanian and Serbian case endings)', () => {
    expect(redactText('E pashë Dritën dhe vëllain e Dritës.', drita, label)).toBe(`E pashë ${label} dhe vëllain e ${label}.`);
    expect(redactText('Razgovarali smo sa Draganom i Draganovim bratom.', ['Dragan Jovanović'], label)).toBe(`Razgovarali smo sa ${label} i ${label} bratom.`);
    expect(redactText('Pyetën Gashin dhe Agimin e Gashit.', ['Agim Gashi'], label)).toBe(`Pyetën ${label} dhe ${label} e ${label}.`);
    expect(redactText('Milicu i Milicom, Милице', ['Milica Stojanović'], label)).toBe(`${label} i ${label}, ${label}`);
  });

  test('decomposed input (e + combining diaeresis) and line breaks inside a name', () => {
    const text = 'Ge\u0308zim\nÇeku came.';
    expect(redactText(text, ['Gëzim Çeku'], label)).toBe(`${label} came.`);
  });

  test('several persons in one pass; a label is never redacted again', () => {
    const out = redactAll('Drita met Dragan Jovanović and Драган.', [
      { needles: nameNeedles(drita), replacement: 'P-AAAAA' },
      { needles: nameNeedles(['Dragan Jovanović', 'Драган Јовановић']), replacement: 'P-BBBBB' },
    ]);
    expect(out).toBe('P-AAAAA met P-BBBBB and P-BBBBB.');
  });

  test("a named person's full name is kept whole; a name word shared by two persons names neither", () => {
    const out = redactAll('Drita Krasniqi spoke of Arben Krasniqi. Krasniqi was taken.', [
      { needles: ['Drita Krasniqi'], replacement: null },
      { needles: nameNeedles(['Arben Krasniqi']), replacement: 'P-AAAAA' },
      { needles: nameNeedles(['Besim Krasniqi']), replacement: 'P-BBBBB' },
    ]);
    expect(out).toBe('Drita Krasniqi spoke of P-AAAAA. [name withheld] was taken.');
  });

  test('texts without names, and empty needles, are returned unchanged', () => {
    expect(redactText('Nothing here.', drita, label)).toBe('Nothing here.');
    expect(redactText('Drita', [], label)).toBe('Drita');
    expect(redactText('', drita, label)).toBe('');
  });

  test('name words of one or two letters are not looked for alone', () => {
    expect(nameNeedles(['Ali B. Hoxha'])).toEqual(['Ali B. Hoxha', 'Ali', 'Hoxha']);
  });
});

describe('scale', () => {
  test('thousands of names over a long text: each word costs lookups, not a scan of every name', () => {
    const redactions = Array.from({ length: 3000 }, (_, i) => ({ needles: nameNeedles([`Emri${i} Mbiemri${i}`, `Име${i} Презиме${i}`]), replacement: `P-${i}` }));
    const redact = createRedactor(redactions);
    const text = 'Dëshmitari foli për Emri42 Mbiemri42 dhe për Име7 Презиме7 në fshat. '.repeat(3000);
    const started = performance.now();
    const out = redact(text);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(out).not.toMatch(/Emri42|Mbiemri42|Име7|Презиме7/);
    expect(out.split('P-42').length - 1).toBe(3000);
  });
});

describe('birth dates and contacts', () => {
  test('a full birth date is removed in its usual spellings', () => {
    const needles = birthDateNeedles('1975-03-12');
    const out = redactAll('Born 1975-03-12 (12.03.1975, 12.3.1975), in 1975.', [{ needles, replacement: '[date]' }]);
    expect(out).toBe('Born [date] ([date], [date]), in 1975.');
    expect(birthDateNeedles('1961~')).toEqual([]);
  });

  test('a contact and its parts are removed', () => {
    const needles = contactNeedles('+383 44 123 456, drita@example.org');
    const out = redactAll('Call +383 44 123 456 or write to DRITA@example.org.', [{ needles, replacement: '[contact]' }]);
    expect(out).toBe('Call [contact] or write to [contact].');
  });
});
