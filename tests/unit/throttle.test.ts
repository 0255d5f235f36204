// The sign-in delay schedule: free attempts, doubling delays, a cap, and no lock-out from a wrong clock.
import { expect, test } from 'vitest';
import { retryAtFor, throttlePolicy } from '../../electron/core/vault/vault';

const now = Date.UTC(2026, 10, 26, 12);

test('no delay before the fifth failure, then doubling from 30 s, capped at one hour', () => {
  for (let f = 0; f < throttlePolicy.freeFailures; f++) expect(retryAtFor({ failures: f, lastFailureAt: now }, now)).toBeNull();
  expect(retryAtFor({ failures: 5, lastFailureAt: now }, now)).toBe(now + 30_000);
  expect(retryAtFor({ failures: 6, lastFailureAt: now }, now)).toBe(now + 60_000);
  expect(retryAtFor({ failures: 9, lastFailureAt: now }, now)).toBe(now + 480_000);
  expect(retryAtFor({ failures: 500, lastFailureAt: now }, now)).toBe(now + throttlePolicy.maxDelayMs);
});

test('a failure stamped in the future (clock set back) delays from now, not from the future', () => {
  const future = now + 30 * 24 * 3600_000;
  expect(retryAtFor({ failures: 5, lastFailureAt: future }, now)).toBe(now + 30_000);
});
