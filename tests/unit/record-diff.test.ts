// The revision comparison: changed leaves only, nested objects and arrays of records followed, null is a value.
import { describe, expect, test } from 'vitest';
import { diffRecords, sameValue } from '../../shared/records/diff';
import { consentInput, testimonyInput } from '../fixtures/records';

const deponent = '7c1e9a52-3f7b-4c38-9d8e-2d1f0f6b9a01';
const victim = '0d5b4c1a-8e2f-4a7b-b1c3-5e6f7a8b9c02';

describe('diffRecords', () => {
  test('equal states, even with keys in another order, give no difference', () => {
    const t = testimonyInput(deponent, victim);
    const reordered = Object.fromEntries(Object.entries(structuredClone(t)).reverse());
    expect(diffRecords(t, reordered)).toEqual([]);
    expect(diffRecords({}, {})).toEqual([]);
    expect(sameValue([1, { a: null }], [1, { a: null }])).toBe(true);
  });

  test('a changed top-level field and a changed leaf deep in nested objects', () => {
    const before = testimonyInput(deponent, victim);
    const after = { ...before, title: 'Zhdukja e vëllait në Mejë', consent: consentInput({ scopes: { ...before.consent.scopes, media: true } }) };
    expect(diffRecords(before, after)).toEqual([
      { kind: 'changed', path: ['title'], before: 'Zhdukja e vëllait në Mejë, prill 1999', after: 'Zhdukja e vëllait në Mejë' },
      { kind: 'changed', path: ['consent', 'scopes', 'media'], before: false, after: true },
    ]);
  });

  test('null to a value and back are changes, not additions', () => {
    expect(diffRecords({ interpreter: null, date: '1999-04' }, { interpreter: 'Ana Marković', date: null })).toEqual([
      { kind: 'changed', path: ['interpreter'], before: null, after: 'Ana Marković' },
      { kind: 'changed', path: ['date'], before: '1999-04', after: null },
    ]);
    expect(diffRecords({ withdrawal: null }, { withdrawal: { date: '2026-01-02', scope: 'media', note: '' } })).toEqual([
      { kind: 'changed', path: ['withdrawal'], before: null, after: { date: '2026-01-02', scope: 'media', note: '' } },
    ]);
  });

  test('arrays of records are compared item by item; extra items are added or removed', () => {
    const before = testimonyInput(deponent, victim);
    const [first, second] = before.violations;
    if (!first || !second) throw new Error('fixture has two violations');
    const third = { ...first, actType: 'torture', notes: null };
    const longer = { ...before, violations: [{ ...first, placeId: 'gjakove' }, second, third] };
    expect(diffRecords(before, longer)).toEqual([
      { kind: 'changed', path: ['violations', 0, 'placeId'], before: 'meje', after: 'gjakove' },
      { kind: 'added', path: ['violations', 2], before: undefined, after: third },
    ]);
    // And the other way: the third item removed, the first one's place restored.
    expect(diffRecords(longer, before)).toEqual([
      { kind: 'changed', path: ['violations', 0, 'placeId'], before: 'gjakove', after: 'meje' },
      { kind: 'removed', path: ['violations', 2], before: third, after: undefined },
    ]);
    expect(diffRecords({ violations: [first] }, { violations: [] })).toEqual([{ kind: 'removed', path: ['violations', 0], before: first, after: undefined }]);
  });

  test('a list of codes is shown whole, old list beside new', () => {
    expect(diffRecords({ affectedGroups: ['families-of-missing'] }, { affectedGroups: ['families-of-missing', 'returnees'] })).toEqual([
      { kind: 'changed', path: ['affectedGroups'], before: ['families-of-missing'], after: ['families-of-missing', 'returnees'] },
    ]);
  });

  test('keys present on one side only are added or removed', () => {
    expect(diffRecords({ a: 1, gone: 'x' }, { a: 1, fresh: { b: 2 } })).toEqual([
      { kind: 'removed', path: ['gone'], before: 'x', after: undefined },
      { kind: 'added', path: ['fresh'], before: undefined, after: { b: 2 } },
    ]);
  });

  test('a value that changes type is one change', () => {
    expect(diffRecords({ v: [1] }, { v: { 0: 1 } })).toEqual([{ kind: 'changed', path: ['v'], before: [1], after: { 0: 1 } }]);
    expect(diffRecords('a', 'b')).toEqual([{ kind: 'changed', path: [], before: 'a', after: 'b' }]);
  });
});
