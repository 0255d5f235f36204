// The submissions screens' small helpers: a destination's folder name and today's date in the local calendar.
import { expect, test } from 'vitest';
import { lastPathPart, localToday, whenText } from '../../renderer/src/features/submissions/format';

test('the folder name is the last part of a POSIX or Windows path, trailing separators ignored', () => {
  expect(lastPathPart('/media/usb/submission-2026-11-27-9f93012d')).toBe('submission-2026-11-27-9f93012d');
  expect(lastPathPart('E:\\bundles\\submission-2026-11-27-9f93012d\\')).toBe('submission-2026-11-27-9f93012d');
  expect(lastPathPart('submission-1')).toBe('submission-1');
});

test("today is the local calendar's date, zero-padded, not the UTC one", () => {
  expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  expect(localToday(new Date(2026, 11, 31, 0, 1))).toBe('2026-12-31');
});

test('a date that is not one is shown as stored', () => {
  expect(whenText('not a date', 'en')).toBe('not a date');
  expect(whenText('2026-11-27T08:00:00.000Z', 'en')).toMatch(/2026/);
});
