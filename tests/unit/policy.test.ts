// The access policy table: every method decided for every role, and the defaults the issue asks for.
import { describe, expect, test } from 'vitest';
import { roles } from '../../shared/domain/roles';
import { methodNames, type MethodName } from '../../shared/ipc/methods';
import { allowedMethods, beforePassphraseChange, isAllowed, policyTable, reachOf } from '../../electron/core/access/policy';

const reachTable = (role: (typeof roles)[number]) => Object.fromEntries(methodNames.map((m) => [m, reachOf(role, m)]));

describe('policy table', () => {
  test('covers exactly the IPC methods, and nothing but public methods without a session', () => {
    expect(Object.keys(policyTable).sort()).toEqual([...methodNames].sort());
    for (const m of methodNames) expect(isAllowed(null, m), m).toBe(policyTable[m] === 'public');
  });

  test('recorder: creates records, edits only own, reads normal metadata, never exports, users or audit', () => {
    const r = reachTable('recorder');
    for (const m of ['testimonies.create', 'sessions.create', 'persons.create'] as const) expect(r[m]).toBe('all');
    for (const m of ['testimonies.update', 'sessions.update', 'sessions.setFollowUpStatus', 'persons.update'] as const) expect(r[m]).toBe('own');
    for (const m of methodNames.filter((x) => x.startsWith('users.') || x.startsWith('audit.') || x.startsWith('recovery.create') || x.startsWith('records.'))) expect(r[m], m).toBe('none');
    for (const m of ['testimonies.review', 'testimonies.seal', 'testimonies.revise', 'settings.setIdleTimeout'] as const) expect(r[m]).toBe('none');
  });

  test('director: everything', () => {
    for (const m of methodNames) expect(reachOf('director', m), m).toBe('all');
  });

  test('auditor: the audit log and counts; record content only where a director granted it; never writes records', () => {
    const a = reachTable('auditor');
    for (const m of ['audit.list', 'audit.verify', 'audit.overview'] as const) expect(a[m]).toBe('all');
    for (const m of methodNames.filter((x) => /^(testimonies|persons|sessions)\.(get|history|atRevision)$/.test(x))) expect(a[m], m).toBe('granted');
    const writes = methodNames.filter((x) => /\.(create|update|review|seal|revise|setFollowUpStatus|grant|revoke|remove|setDisabled|resetPassphrase|createKit|setIdleTimeout)$/.test(x) && x !== 'archive.create');
    for (const m of writes) expect(a[m], m).toBe('none');
    for (const m of ['search.query', 'search.list', 'sessions.list', 'users.list'] as const) expect(a[m]).toBe('none');
  });

  test('the session lists exactly the callable methods', () => {
    for (const role of roles) {
      expect(allowedMethods(role).sort()).toEqual(methodNames.filter((m) => reachOf(role, m) !== 'none').sort());
    }
  });

  test('with a one-time passphrase only the change, the session and locking remain', () => {
    const allowed: MethodName[] = [...beforePassphraseChange];
    expect(allowed).toContain('account.changePassphrase');
    expect(allowed).toContain('session.lock');
    for (const m of allowed) expect(policyTable[m] === 'public' || policyTable[m] === 'session', m).toBe(true);
  });
});
