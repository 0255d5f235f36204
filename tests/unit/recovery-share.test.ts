// The printed recovery share: round trip, tolerance of how people type it, and detection of every slip on its own.
import { beforeAll, describe, expect, test } from 'vitest';
import { loadSodium, type Sodium } from '../../electron/core/crypto/sodium';
import { formatShare, parseShare, shareChars, shortId, type ShareFields } from '../../electron/core/vault/recovery-share';
import { maxShareLength } from '../../shared/ipc/contract';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

/** Fixed bytes, so every run checks the same texts. */
function fields(over: Partial<ShareFields> = {}): ShareFields {
  return {
    archive: shortId('5f0c2a4e-8b1d-4c7a-9e33-0d6f1b2a9c44'),
    kit: shortId('a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'),
    threshold: 3,
    total: 5,
    index: 2,
    fingerprint: Uint8Array.of(0x3f, 0x2a, 0x91, 0xc0),
    share: Uint8Array.from({ length: 33 }, (_, i) => (i * 37 + 11) & 0xff),
    ...over,
  };
}

function parsed(text: string): ShareFields {
  const p = parseShare(sodium, text);
  if (!p.ok) throw new Error(`expected a share, got: ${p.problem}`);
  return p.fields;
}

function problem(text: string): string {
  const p = parseShare(sodium, text);
  if (p.ok) throw new Error(`expected a refusal of ${text}`);
  return p.problem;
}

describe('recovery share text', () => {
  test('is TA1- and Crockford base32 in groups of four, short enough to type and for the contract', () => {
    const text = formatShare(sodium, fields());
    expect(text).toMatch(/^TA1(-[0-9A-HJKMNP-TV-Z]{4}){24}$/);
    expect(text.replace(/^TA1|-/g, '')).toHaveLength(shareChars);
    expect(text.length).toBeLessThanOrEqual(maxShareLength);
    expect(parsed(text)).toEqual(fields());
  });

  test('case, dashes, spaces, line breaks, Unicode dashes and the look-alikes O/0 and I/L/1 do not matter', () => {
    const text = formatShare(sodium, fields());
    const body = text.slice(4);
    const variants = [
      text.toLowerCase(),
      text.replace(/-/g, ''),
      text.replace(/-/g, ' '),
      `  ${text.replace(/-/g, '\n')}\n`,
      text.replace(/-/g, ' - '),
      text.replace(/-/g, '\u2013'),
      `ta1 ${body.toLowerCase().replace(/-/g, '\t')}`,
      `TAI-${body}`,
      `TA1-${body.replace(/0/g, 'O').replace(/1/g, 'I')}`,
      `TA1-${body.replace(/1/g, 'l')}`,
    ];
    for (const v of variants) expect(parsed(v), v).toEqual(fields());
  });

  test('every single mistyped character is caught on its own', () => {
    const text = formatShare(sodium, fields());
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let tried = 0;
    for (let i = 4; i < text.length; i++) {
      if (text[i] === '-') continue;
      for (const c of alphabet) {
        if (c === text[i]) continue;
        const typo = text.slice(0, i) + c + text.slice(i + 1);
        expect(parseShare(sodium, typo).ok, typo).toBe(false);
        tried++;
      }
    }
    expect(tried).toBe(shareChars * 31);
  });

  test('swapped neighbours, a missing or extra group and foreign characters are refused with a reason', () => {
    const text = formatShare(sodium, fields());
    const body = text.slice(4);
    expect(body[0]).not.toBe(body[1]);
    expect(problem(`TA1-${body[1] ?? ''}${body[0] ?? ''}${body.slice(2)}`)).toMatch(/checksum/);
    expect(problem(text.slice(0, -5))).toMatch(/incomplete: 92 of 96/);
    expect(problem(`${text}-ABCD`)).toMatch(/too long/);
    expect(problem(`${text.slice(0, -1)}U`)).toMatch(/"U"/);
    expect(problem(`${text.slice(0, -1)}*`)).toMatch(/"\*"/);
    expect(problem(text.replace(/^TA1/, 'TA2'))).toMatch(/another version/);
    expect(problem(text.slice(4))).toMatch(/does not start with TA1/);
    expect(problem('   ')).toMatch(/empty/);
  });

  test('a share whose numbers are impossible is refused even with a right checksum', () => {
    for (const over of [{ index: 0 }, { index: 6 }, { threshold: 1 }, { total: 2 }, { total: 17, threshold: 3 }]) {
      expect(problem(formatShare(sodium, fields(over))), JSON.stringify(over)).toMatch(/impossible/);
    }
  });
});
