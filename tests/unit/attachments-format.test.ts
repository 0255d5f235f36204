// The attachments panel's formatting: time codes both ways, human sizes, and base64 of recording chunks.
import { expect, test } from 'vitest';
import { clock, humanSize, parseClock, shortHash, toBase64 } from '../../renderer/src/features/attachments/format';

test('time codes are written as m:ss (h:mm:ss past an hour) and read back', () => {
  expect([0, 999, 1000, 65_000, 600_000, 3_599_999, 3_600_000, 3_725_000].map(clock)).toEqual(['0:00', '0:00', '0:01', '1:05', '10:00', '59:59', '1:00:00', '1:02:05']);
  for (const ms of [0, 1000, 65_000, 3_725_000]) expect(parseClock(clock(ms))).toBe(ms);
  expect(parseClock(' 90 ')).toBe(90_000);
  expect(parseClock('1:05.5')).toBe(65_500);
});

test('what is not a time code is refused', () => {
  for (const bad of ['', 'abc', '1:60', '1::05', '-1', '1:5:7:9', '1,5', '1:05:']) expect(parseClock(bad), bad).toBeNull();
});

test('sizes are human-readable in the UI language', () => {
  expect(humanSize(0, 'en')).toBe('0 B');
  expect(humanSize(1023, 'en')).toBe('1,023 B');
  expect(humanSize(1536, 'en')).toBe('1.5 KB');
  expect(humanSize(5 * 1024 * 1024 * 1024, 'en')).toBe('5 GB');
  expect(humanSize(1536, 'sq')).toBe('1,5 KB');
});

test('chunks of any size become the same base64 as Node writes, slice boundaries included', () => {
  for (const n of [0, 1, 2, 3, 0x8000 - 1, 0x8000, 0x8000 + 1, 3 * 0x8000 + 7]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) % 256);
    expect(toBase64(bytes), `${n} bytes`).toBe(Buffer.from(bytes).toString('base64'));
  }
  expect(shortHash('a'.repeat(64))).toBe('a'.repeat(12));
});
