// The consent decision as pure functions: every combination, minors, archive consent, sessions, the export date.
import { describe, expect, test } from 'vitest';
import { decidePerson, decideSession, decideTestimony } from '../../electron/core/submissions/consent-decision';
import type { ConsentInput } from '../../shared/records/schemas';
import { consentInput } from '../fixtures/records';

const exportDate = '2026-11-27';

describe('one person', () => {
  // Independent rule table: every dimension that can exclude, and the two that decide the name.
  const dims = {
    archive: [true, false],
    commission: ['named', 'pseudonymised', 'none'],
    anonymity: ['named', 'initials', 'pseudonym', 'anonymous'],
    withdrawal: [null, 'all', 'commission', 'public', 'media'],
    embargo: [null, '2026-11-26', exportDate, '2026-11-28'],
    minor: [false, true],
    guardian: [null, 'Nëna'],
  } as const;

  test('every combination (2 x 3 x 4 x 5 x 4 x 2 x 2 = 1920)', () => {
    let n = 0;
    for (const archive of dims.archive)
      for (const commission of dims.commission)
        for (const anonymity of dims.anonymity)
          for (const withdrawal of dims.withdrawal)
            for (const embargo of dims.embargo)
              for (const minor of dims.minor)
                for (const guardian of dims.guardian) {
                  n++;
                  const consent: ConsentInput = consentInput({
                    scopes: { ...consentInput().scopes, archive, commission },
                    anonymityLevel: anonymity,
                    withdrawal: withdrawal === null ? null : { date: '2026-01-01', scope: withdrawal, note: '' },
                    embargoUntil: embargo,
                    minor,
                    guardian,
                  });
                  const reasons = [
                    archive ? null : 'no-archive-consent',
                    commission === 'none' ? 'no-commission-consent' : null,
                    withdrawal === 'all' || withdrawal === 'commission' ? 'consent-withdrawn' : null,
                    embargo === '2026-11-28' ? 'embargoed' : null,
                    minor && guardian === null ? 'guardian-missing' : null,
                  ].filter((r) => r !== null);
                  const named = commission === 'named' && anonymity === 'named' && !minor;
                  const expected = reasons.length > 0 ? { ok: false, reasons } : { ok: true, identity: named ? 'named' : 'pseudonymised' };
                  expect(decidePerson(consent, exportDate), JSON.stringify({ archive, commission, anonymity, withdrawal, embargo, minor, guardian })).toEqual(expected);
                }
    expect(n).toBe(1920);
  });

  test('no consent row excludes; the export date is the one passed in, and must be a day', () => {
    expect(decidePerson(null, exportDate)).toEqual({ ok: false, reasons: ['no-consent-recorded'] });
    const embargoed = consentInput({ embargoUntil: '2030-01-01' });
    expect(decidePerson(embargoed, '2029-12-31')).toEqual({ ok: false, reasons: ['embargoed'] });
    expect(decidePerson(embargoed, '2030-01-01')).toEqual({ ok: true, identity: 'named' });
    expect(() => decidePerson(embargoed, '01.01.2030')).toThrow(RangeError);
  });
});

describe('records', () => {
  const named = consentInput();
  const none = consentInput({ scopes: { ...named.scopes, commission: 'none' } });

  test("a testimony follows its deponent; other victims are pseudonymised in the basis; drafts are excluded", () => {
    const d = decideTestimony({ status: 'sealed', sensitivity: 'restricted', deponent: { personId: 'd', consent: named }, victimIds: ['d', 'v', 'v'] }, exportDate);
    expect(d).toMatchObject({ include: true, identity: 'named', restricted: true });
    expect(d.basis.map((b) => [b.personId, b.role, b.identity])).toEqual([
      ['d', 'deponent', 'named'],
      ['v', 'victim', 'pseudonymised'],
    ]);
    expect(decideTestimony({ status: 'draft', sensitivity: 'normal', deponent: { personId: 'd', consent: named }, victimIds: [] }, exportDate)).toMatchObject({ include: false, reasons: ['draft'] });
    expect(decideTestimony({ status: 'reviewed', sensitivity: 'normal', deponent: { personId: 'd', consent: none }, victimIds: [] }, exportDate)).toMatchObject({ include: false, reasons: ['no-commission-consent'] });
  });

  test('a session needs every participant; named only when all are; held only; none without participants', () => {
    const p = (personId: string, consent: ConsentInput | null) => ({ personId, consent });
    const pseudo = consentInput({ scopes: { ...named.scopes, commission: 'pseudonymised' } });
    expect(decideSession({ status: 'held', sensitivity: 'normal', participants: [p('a', named), p('b', named)] }, exportDate)).toMatchObject({ include: true, identity: 'named' });
    expect(decideSession({ status: 'held', sensitivity: 'normal', participants: [p('a', named), p('b', pseudo)] }, exportDate)).toMatchObject({ include: true, identity: 'pseudonymised' });
    expect(decideSession({ status: 'held', sensitivity: 'normal', participants: [p('a', named), p('b', none), p('c', null)] }, exportDate)).toMatchObject({
      include: false,
      reasons: ['no-consent-recorded', 'no-commission-consent'],
    });
    expect(decideSession({ status: 'planned', sensitivity: 'normal', participants: [p('a', named)] }, exportDate)).toMatchObject({ include: false, reasons: ['session-not-held'] });
    expect(decideSession({ status: 'cancelled', sensitivity: 'normal', participants: [] }, exportDate)).toMatchObject({ include: false, reasons: ['session-not-held', 'no-consent-recorded'] });
  });
});
