// The access policy table: who may do what, with and without a session.
import { describe, expect, test } from 'vitest';
import { actions, roles } from '../../shared/domain/roles';
import { allowedActions, isAllowed } from '../../electron/core/access/policy';

describe('isAllowed', () => {
  test('public needs no session; session needs one; nothing else is allowed without one', () => {
    expect(isAllowed(null, 'public')).toBe(true);
    for (const a of actions.filter((x) => x !== 'public')) expect(isAllowed(null, a), a).toBe(false);
    for (const role of roles) {
      expect(isAllowed(role, 'public')).toBe(true);
      expect(isAllowed(role, 'session')).toBe(true);
    }
  });

  test('only directors change settings', () => {
    expect(Object.fromEntries(roles.map((r) => [r, isAllowed(r, 'settings.write')]))).toEqual({
      director: true,
      recorder: false,
      auditor: false,
    });
  });

  test('every action is decided for every role (no gap in the table)', () => {
    for (const role of roles) for (const a of actions) expect(typeof isAllowed(role, a), `${role} ${a}`).toBe('boolean');
  });
});

describe('allowedActions', () => {
  test('lists exactly the role-specific actions the table grants', () => {
    expect(allowedActions('director')).toEqual(['settings.write', 'records.read', 'records.create', 'records.edit', 'records.review']);
    expect(allowedActions('recorder')).toEqual(['records.read', 'records.create', 'records.edit']);
    expect(allowedActions('auditor')).toEqual([]);
    for (const role of roles) {
      for (const a of allowedActions(role)) expect(isAllowed(role, a)).toBe(true);
    }
  });
});
