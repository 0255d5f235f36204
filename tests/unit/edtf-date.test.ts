// EDTF parsing into sortable day ranges, and refusal of anything that is not EDTF.
import { expect, test } from 'vitest';
import { overlaps, parseEdtf } from '../../electron/core/records/edtf-date';
import { expectArchiveError } from '../fixtures/errors';

test.each([
  ['1999-04', '1999-04-01', '1999-04-30'],
  ['1999-03~', '1999-03-01', '1999-03-31'],
  ['1998/1999', '1998-01-01', '1999-12-31'],
  ['1999-04-12', '1999-04-12', '1999-04-12'],
  ['1999?', '1999-01-01', '1999-12-31'],
  ['1999-XX', '1999-01-01', '1999-12-31'],
  ['[1998,1999]', '1998-01-01', '1999-12-31'],
  ['1999-21', '1999-01-01', '1999-03-31'],
])('%s covers %s .. %s', (input, lo, hi) => {
  expect(parseEdtf(input)).toMatchObject({ lo, hi });
});

test('open intervals keep one open bound', () => {
  expect(parseEdtf('1999/..')).toMatchObject({ lo: '1999-01-01', hi: null });
  expect(parseEdtf('../1999')).toMatchObject({ lo: null, hi: '1999-12-31' });
});

test.each(['', ' ', 'abc', '1999-04-31', '1999-13', '31.03.1999', '1999-04-12; DROP TABLE x', '1'.repeat(65), '\u0000', '1999\uD800'])(
  'refuses %j with RECORD_INVALID_DATE',
  async (input) => {
    await expectArchiveError(() => parseEdtf(input), 'RECORD_INVALID_DATE');
  },
);

test('a 10 MB string is refused before parsing', async () => {
  await expectArchiveError(() => parseEdtf('1'.repeat(10 * 1024 * 1024)), 'RECORD_INVALID_DATE');
});

test('ranges overlap with open bounds', () => {
  expect(overlaps({ lo: '1999-01-01', hi: '1999-12-31' }, { lo: '1999-06-01', hi: '2000-01-01' })).toBe(true);
  expect(overlaps({ lo: '1998-01-01', hi: '1998-12-31' }, { lo: '1999-01-01', hi: null })).toBe(false);
  expect(overlaps({ lo: null, hi: '1999-01-01' }, { lo: '1999-01-01', hi: '1999-01-01' })).toBe(true);
});
