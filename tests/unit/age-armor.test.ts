// age ASCII armor: round trips, the strict PEM rules, and AGE_ARMOR_MALFORMED for every deviation.
import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { decryptBytes, encryptBytes } from '../../electron/core/submissions/age/age';
import { generateIdentity, parseIdentity } from '../../electron/core/submissions/age/age-keys';
import { failure } from '../fixtures/errors';

const me = generateIdentity();
const ids = [parseIdentity(me.identity)];

test('armored files round-trip and follow strict PEM layout', async () => {
  for (const n of [0, 1, 47, 48, 100_000, 200_000]) {
    const plain = randomBytes(n);
    const text = (await encryptBytes([me.recipient], plain, { armor: true })).toString('latin1');
    const lines = text.split('\n');
    expect(lines[0]).toBe('-----BEGIN AGE ENCRYPTED FILE-----');
    expect(lines.at(-2)).toBe('-----END AGE ENCRYPTED FILE-----');
    expect(lines.at(-1)).toBe('');
    const data = lines.slice(1, -2);
    expect(data.slice(0, -1).every((l) => l.length === 64)).toBe(true);
    expect((data.at(-1) ?? '').length).toBeGreaterThan(0);
    expect((data.at(-1) ?? '').length).toBeLessThanOrEqual(64);
    expect((await decryptBytes(ids, Buffer.from(text, 'latin1'))).equals(plain), `${n} bytes`).toBe(true);
  }
});

async function armored(n = 1000): Promise<{ plain: Buffer; lines: string[] }> {
  const plain = randomBytes(n);
  const text = (await encryptBytes([me.recipient], plain, { armor: true })).toString('latin1');
  return { plain, lines: text.split('\n').slice(0, -1) };
}
const join = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'latin1');

test('CRLF line endings and whitespace around the block are accepted', async () => {
  const { plain, lines } = await armored();
  expect((await decryptBytes(ids, Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'))).equals(plain)).toBe(true);
  expect((await decryptBytes(ids, Buffer.from(`\n\n  \t${lines.join('\n')}\n \n\t\n`, 'latin1'))).equals(plain)).toBe(true);
  // The END line without a line ending at the end of the file.
  expect((await decryptBytes(ids, Buffer.from(lines.join('\n'), 'latin1'))).equals(plain)).toBe(true);
});

test('every deviation from strict armor is AGE_ARMOR_MALFORMED naming the line', async () => {
  const { lines } = await armored(1001); // 1201 bytes of age file: BEGIN, 26 lines, the last one padded with "=="
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const n = lines.length;
  const last = lines[n - 2] ?? '';
  const mid = lines[3] ?? '';
  expect(last.endsWith('==')).toBe(true);
  // The character before "==" carries 2 bits; setting one of its 4 unused low bits is a non-canonical spelling.
  const lowBit = b64[b64.indexOf(last.at(-3) ?? 'A') | 1] ?? '';
  const put = (i: number, v: string) => lines.map((l, j) => (j === i ? v : l));
  const cases: [Buffer, RegExp][] = [
    [join(put(0, '-----BEGIN AGE ENCRYPTED DATA-----')), /line 1: expected "-----BEGIN AGE ENCRYPTED FILE-----"/],
    [join(put(0, '-----begin age encrypted file-----')), /AGE_HEADER_MALFORMED|line 1/],
    [join(put(3, `${mid}A`)), /line 4 is longer than 64 columns/],
    [join(put(3, mid.slice(0, 60))), /line 5: expected the END line after the short \(or padded\) line 4/],
    [join([...lines.slice(0, 3), '', ...lines.slice(3)]), /line 4: empty line inside the armor/],
    [join(put(3, `${mid.slice(0, 63)} `)), /line 4: not canonical padded base64/],
    [join(put(3, `${mid.slice(0, 10)}*${mid.slice(11)}`)), /line 4: not canonical padded base64/],
    [join(put(3, ` ${mid.slice(1)}`)), /line 4: not canonical padded base64/],
    [join(put(n - 2, last.replace(/=+$/, ''))), /not canonical padded base64/],
    [join(put(n - 2, `${last.slice(0, -3)}${lowBit}==`)), /line 27: not canonical padded base64/],
    [Buffer.concat([join(lines), Buffer.from('garbage\n')]), /data follows the END line/],
    [Buffer.concat([Buffer.from('garbage\n'), join(lines)]), /^AGE_HEADER_MALFORMED/],
    [join(lines.slice(0, -1)), /without its END line/],
    [join([lines[0] ?? '', lines[n - 1] ?? '']), /line 2: the armor holds no data/],
    [join([lines[0] ?? '', ...lines.slice(1, -2), lines[n - 1] ?? '']).subarray(0, -40), /ends inside a line|without its END line/],
    [Buffer.from(`${lines[0] ?? ''}\n${'A'.repeat(5000)}`), /line 2 is longer than 64 columns/],
  ];
  for (const [bad, reason] of cases) {
    const got = await failure(decryptBytes(ids, bad));
    expect(got, reason.source).toMatch(reason.source.startsWith('^AGE_HEADER') || reason.source.startsWith('AGE_HEADER') ? /^AGE_/ : /^AGE_ARMOR_MALFORMED: /);
    expect(got, reason.source).toMatch(reason);
  }
});

test('padding only at the very end: a padded line followed by more data is refused', async () => {
  const { lines } = await armored(40);
  const padded = Buffer.from('ab').toString('base64'); // "YWI="
  expect(await failure(decryptBytes(ids, join([lines[0] ?? '', padded, ...lines.slice(1)])))).toMatch(/^AGE_ARMOR_MALFORMED: line 3: expected the END line/);
});

test('an armor of whitespace only or a cut BEGIN line is refused', async () => {
  expect(await failure(decryptBytes(ids, Buffer.from('   \n\t\n')))).toMatch(/^AGE_(ARMOR|HEADER)_MALFORMED/);
  expect(await failure(decryptBytes(ids, Buffer.from('-----BEGIN AGE')))).toMatch(/^AGE_ARMOR_MALFORMED: line 1/);
});
