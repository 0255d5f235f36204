// How `npm run scan:electron` judges Electronegativity's findings: only informational ones or accepted
// ones (by check, file and flagged line) pass, and an acceptance that matches nothing fails the scan.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { judge, readAccepted, type AcceptedFinding, type Finding } from '../../scripts/electronegativity';
import { repoRoot } from '../fixtures/archive';

const finding = (over: Partial<Finding>): Finding => ({
  id: 'AUXCLICK_JS_CHECK',
  severity: 'MEDIUM',
  confidence: 'FIRM',
  file: 'electron/main/security.ts',
  line: 50,
  column: 9,
  source: 'return new BrowserWindow({',
  description: 'Limit navigation flows to untrusted origins.',
  ...over,
});

const acceptance = (over: Partial<AcceptedFinding>): AcceptedFinding => ({
  id: 'AUXCLICK_JS_CHECK',
  file: 'electron/main/security.ts',
  source: 'return new BrowserWindow({',
  reason: 'Middle-click opens nothing: the window-open handler denies every URL.',
  proof: 'tests/unit/main-security.test.ts',
  ...over,
});

describe('judge', () => {
  test('informational findings pass without an acceptance', () => {
    const v = judge([finding({ id: 'ELECTRON_VERSION_JSON_CHECK', severity: 'INFORMATIONAL' })], []);
    expect(v.informational).toHaveLength(1);
    expect(v.rejected).toEqual([]);
  });

  test('a finding above informational fails unless accepted, whatever its line number', () => {
    expect(judge([finding({})], []).rejected).toHaveLength(1);
    const v = judge([finding({ line: 120 })], [acceptance({})]);
    expect(v.rejected).toEqual([]);
    expect(v.accepted.map((a) => a.finding.line)).toEqual([120]);
  });

  test('an acceptance covers its own line only: another window, file or check is not covered', () => {
    const accepted = [acceptance({})];
    expect(judge([finding({ source: 'const popup = new BrowserWindow({' })], accepted).rejected).toHaveLength(1);
    expect(judge([finding({ file: 'electron/main/index.ts' })], accepted).rejected).toHaveLength(1);
    expect(judge([finding({ id: 'SANDBOX_JS_CHECK' })], accepted).rejected).toHaveLength(1);
  });

  test('detail narrows an acceptance to one of several findings on the same line', () => {
    const csp = (description: string) => finding({ id: 'CSP_GLOBAL_CHECK', severity: 'LOW', source: 'export const contentSecurityPolicy = [', description });
    const accepted = [acceptance({ id: 'CSP_GLOBAL_CHECK', source: 'export const contentSecurityPolicy', detail: "script-src 'self'" })];
    const v = judge([csp("possibly weak CSP: script-src 'self': ..."), csp('weak CSP: object-src: missing')], accepted);
    expect(v.accepted).toHaveLength(1);
    expect(v.rejected.map((f) => f.description)).toEqual(['weak CSP: object-src: missing']);
  });

  test('an acceptance that matches no finding is reported stale', () => {
    expect(judge([], [acceptance({})]).stale).toHaveLength(1);
  });
});

test('the accepted list is valid: each entry has a check id, a line, a reason and a proof', () => {
  const accepted = readAccepted(join(repoRoot, 'security/electronegativity-accepted.json'));
  expect(accepted.length).toBeGreaterThan(0);
  for (const a of accepted) {
    expect(a.proof, a.id).toMatch(/tests\/unit\/[\w-]+\.test\.ts/);
  }
});
