// Record methods through the real router: bad input of every kind gets its own code and writes nothing.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { ErrorCode, Result } from '../../shared/errors';
import type { PersonView, SessionView, TestimonyView } from '../../shared/ipc/contract';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter, type Router, type Sender } from '../../electron/ipc/router';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { snapshotFolder } from '../fixtures/files';
import { personInput, testimonyInput } from '../fixtures/records';
import { peaceTablePeople, sessionInput } from '../fixtures/sessions';

const appWindow: Sender = { url: 'app://archive/index.html', isMainFrame: true };
let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;
let route: Router;
let folder: string;

beforeEach(async () => {
  dir = tempDir('ta-recrouter-');
  folder = join(dir.path, 'archive');
  core = await makeCore(folder);
  route = createRouter({
    handlers: createHandlers(core),
    currentUser: () => core.sessions.caller(),
    isTrustedSender: (s) => s.isMainFrame && s.url.startsWith('app://archive/'),
  });
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const call = (method: string, input: unknown) => route(appWindow, method, input);
/** The value of a successful call (the router's Result is untyped at this boundary; callers cast). */
function ok(r: Result<unknown>): unknown {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
function code(r: Result<unknown>): ErrorCode | 'ok' {
  return r.ok ? 'ok' : r.error.code;
}

test('without a session every record method answers AUTH_REQUIRED', async () => {
  ok(await call('archive.create', createInput(director)));
  ok(await call('session.lock', {}));
  expect(code(await call('persons.create', { person: personInput() }))).toBe('AUTH_REQUIRED');
  expect(code(await call('testimonies.get', { id: '00000000-0000-4000-8000-000000000000' }))).toBe('AUTH_REQUIRED');
  expect(code(await call('reference.get', {}))).toBe('AUTH_REQUIRED');
});

test('create, read, history through the router; every bad input refused and nothing written', async () => {
  ok(await call('archive.create', createInput(director)));
  const deponent = (ok(await call('persons.create', { person: personInput() })) as PersonView);
  const victim = (ok(await call('persons.create', { person: personInput({ names: { sq: 'Agim Krasniqi', srLatn: null, srCyrl: 'Агим Красничи' }, sex: 'male' }) })) as PersonView);
  const good = testimonyInput(deponent.id, victim.id);
  const t = (ok(await call('testimonies.create', { testimony: good })) as TestimonyView);
  expect(t).toMatchObject({ status: 'draft', revision: 1, narrative: good.narrative });
  ok(await call('testimonies.update', { id: t.id, expectedRevision: 1, testimony: { ...good, title: 'Titull i ri' } }));
  const history = (ok(await call('testimonies.history', { id: t.id })) as { revisions: Array<{ revision: number; changed: string[] }> });
  expect(history.revisions.map((r) => [r.revision, r.changed])).toEqual([[1, Object.keys(good)], [2, ['title']]]);
  const at1 = (ok(await call('testimonies.atRevision', { id: t.id, revision: 1 })) as { state: { title: string } });
  expect(at1.state.title).toBe(good.title);

  const v0 = good.violations[0]!;
  const bad: Array<[string, unknown, ErrorCode]> = [
    ['invalid EDTF', { testimony: { ...good, date: '1999-02-30' } }, 'RECORD_INVALID_DATE'],
    ['unknown act type', { testimony: { ...good, violations: [{ ...v0, actType: 'bombing-of-the-moon' }] } }, 'RECORD_UNKNOWN_CODE'],
    ['unknown place', { testimony: { ...good, placeId: 'no-such-village' } }, 'RECORD_UNKNOWN_PLACE'],
    ['dangling person', { testimony: { ...good, deponentId: '00000000-0000-4000-8000-000000000000' } }, 'RECORD_UNKNOWN_REFERENCE'],
    ['oversize narrative', { testimony: { ...good, narrative: 'ë'.repeat(5 * 1024 * 1024 + 1) } }, 'IPC_BAD_INPUT'],
    ['lone surrogate', { testimony: { ...good, narrative: 'Mejë \uDC00 1999' } }, 'IPC_BAD_INPUT'],
    ['not a uuid', { testimony: { ...good, deponentId: '../../etc/passwd' } }, 'IPC_BAD_INPUT'],
    ['code with SQL', { testimony: { ...good, mode: "audio'; DROP TABLE testimonies;--" } }, 'IPC_BAD_INPUT'],
    ['prototype keys', JSON.parse(`{"testimony": ${JSON.stringify(good)}, "__proto__": {"polluted": 1}}`), 'IPC_BAD_INPUT'],
    ['missing consent', { testimony: { ...good, consent: undefined } }, 'IPC_BAD_INPUT'],
  ];
  const before = snapshotFolder(folder);
  for (const [name, input, expected] of bad) {
    const r = await call('testimonies.create', input);
    expect(code(r), name).toBe(expected);
    if (!r.ok) expect(r.error.message, name).not.toMatch(/SELECT|INSERT|at .*\.ts|ë{10}/);
  }
  expect(code(await call('testimonies.get', { id: '00000000-0000-4000-8000-000000000000' }))).toBe('RECORD_NOT_FOUND');
  expect(code(await call('testimonies.update', { id: t.id, expectedRevision: 1, testimony: good }))).toBe('RECORD_CONFLICT');
  expect(snapshotFolder(folder)).toEqual(before);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

test('reference data and places for the forms: either name finds a place', async () => {
  ok(await call('archive.create', createInput(director)));
  const ref = (ok(await call('reference.get', {})) as { vocabularies: Record<string, Array<{ code: string; esf?: string | null; labels: Record<string, string> }>> });
  const disappearance = ref.vocabularies['actTypes']?.find((e) => e.code === 'enforced-disappearance');
  expect(disappearance).toMatchObject({ esf: '030103', labels: { 'sr-Cyrl': expect.stringMatching(/[\u0400-\u04FF]/) as unknown } });
  for (const q of ['Gjakovë', 'gjakove', 'Đakovica', 'Ђаковица']) {
    const r = (ok(await call('places.find', { query: q, limit: 5 })) as { places: Array<{ id: string }> });
    expect(r.places.map((p) => p.id), q).toContain('gjakove');
  }
  expect(code(await call('places.find', { query: 'x'.repeat(201), limit: 5 }))).toBe('IPC_BAD_INPUT');
});

test('search and lists through the router: either script finds the record; hostile queries are safe', async () => {
  (ok(await call('archive.create', createInput(director))));
  const p = ok(await call('persons.create', { person: personInput() })) as PersonView;
  const latin = ok(await call('testimonies.create', { testimony: testimonyInput(p.id, p.id, { title: 'Ikja nga Gjakova', narrative: 'U larguam nga Gjakova në prill 1999.' }) })) as TestimonyView;
  const cyr = ok(await call('testimonies.create', { testimony: testimonyInput(p.id, p.id, { title: 'Нестанак', narrative: 'Отац је нестао у Ђаковици.' }) })) as TestimonyView;
  type Page = { items: Array<{ kind: string; id: string }>; nextCursor: string | null };
  const ids = (r: Result<unknown>) => (ok(r) as Page).items.map((i) => i.id);
  expect(ids(await call('search.query', { query: 'gjakova', limit: 10 }))).toContain(latin.id);
  expect(ids(await call('search.query', { query: 'Ђаковици', limit: 10 }))).toContain(cyr.id);
  expect(ids(await call('search.query', { query: 'djakovici', limit: 10 }))).toContain(cyr.id);
  for (const q of ['"', 'AND OR NOT', '*', 'NEAR(', "'; DROP TABLE testimonies;--"]) {
    expect(code(await call('search.query', { query: q, limit: 10 })), q).toBe('ok');
  }
  expect(code(await call('search.query', { query: 'x'.repeat(501), limit: 10 }))).toBe('IPC_BAD_INPUT');
  expect(code(await call('search.list', { filters: { dateFrom: '2000-01-01', dateTo: '1999-01-01' }, limit: 10 }))).toBe('IPC_BAD_INPUT');
  const listed = ids(await call('search.list', { filters: { status: 'draft' }, limit: 10 }));
  expect(new Set(listed)).toEqual(new Set([latin.id, cyr.id]));
});

test('a peace table with three participants through the router: create, follow-up status, list, history; bad input refused', async () => {
  ok(await call('archive.create', createInput(director)));
  const ids: string[] = [];
  for (const person of peaceTablePeople) ids.push((ok(await call('persons.create', { person })) as PersonView).id);
  const s1 = ok(await call('sessions.create', { session: sessionInput(ids) })) as SessionView;
  expect(s1).toMatchObject({ kind: 'peace-table', revision: 1, contentVisible: true });
  expect(s1.participants.map((p) => p.role)).toEqual(['affected-family-member', 'official', 'community-representative']);
  const followUp = s1.followUps[0]!;
  const s2 = ok(await call('sessions.setFollowUpStatus', { id: s1.id, followUpId: followUp.id, status: 'done', expectedRevision: 1 })) as SessionView;
  expect(s2).toMatchObject({ revision: 2 });
  expect(s2.followUps[0]).toMatchObject({ id: followUp.id, status: 'done' });
  const page = ok(await call('sessions.list', { kind: 'peace-table', limit: 10 })) as { items: Array<{ id: string }> };
  expect(page.items.map((i) => i.id)).toEqual([s1.id]);
  const history = ok(await call('sessions.history', { id: s1.id })) as { revisions: Array<{ revision: number; changed: string[] }> };
  expect(history.revisions.map((r) => r.revision)).toEqual([1, 2]);
  expect(history.revisions[1]?.changed).toEqual(['followUps']);

  const before = snapshotFolder(folder);
  const good = sessionInput(ids);
  const bad: Array<[string, unknown, ErrorCode]> = [
    ['open-ended date', { session: { ...good, date: '2026-10/..' } }, 'RECORD_INVALID_DATE'],
    ['unknown role', { session: { ...good, participants: good.participants.map((p) => ({ ...p, role: 'referee' })) } }, 'RECORD_UNKNOWN_CODE'],
    ['unknown place', { session: { ...good, placeId: 'atlantis' } }, 'RECORD_UNKNOWN_PLACE'],
    ['dangling person', { session: { ...good, participants: [{ ...good.participants[0]!, personId: '00000000-0000-4000-8000-000000000000' }] } }, 'RECORD_UNKNOWN_REFERENCE'],
    ['person twice', { session: { ...good, participants: [good.participants[0], good.participants[0]] } }, 'IPC_BAD_INPUT'],
    ['bad kind', { session: { ...good, kind: 'tea-party' } }, 'IPC_BAD_INPUT'],
  ];
  for (const [name, input, expected] of bad) expect(code(await call('sessions.create', input)), name).toBe(expected);
  expect(code(await call('sessions.setFollowUpStatus', { id: s1.id, followUpId: followUp.id, status: 'open', expectedRevision: 1 }))).toBe('RECORD_CONFLICT');
  expect(snapshotFolder(folder)).toEqual(before);
});

test('duplicate suggestions and person/session revisions through the router; bad input refused, nothing written', async () => {
  ok(await call('archive.create', createInput(director)));
  const shaqir = ok(await call('persons.create', { person: personInput({ names: { sq: 'Shaqir Krasniqi', srLatn: null, srCyrl: null }, sex: 'male', birthDate: '1961' }) })) as PersonView;
  const renamed = ok(await call('persons.update', { id: shaqir.id, expectedRevision: 1, person: personInput({ names: { sq: 'Shaqir Krasniqi', srLatn: 'Šaćir Krasnići', srCyrl: 'Шаћир Красничи' }, sex: 'male', birthDate: '1961' }) })) as PersonView;
  type Candidates = { candidates: Array<{ id: string; score: number; reasons: string[] }> };
  const similar = (over: Record<string, unknown> = {}) =>
    call('persons.similar', { names: { sq: null, srLatn: null, srCyrl: 'Шаћир Красничи' }, birthDate: '1962', residencePlaceId: 'gjakove', excludeId: null, limit: 5, ...over });
  const found = ok(await similar()) as Candidates;
  expect(found.candidates).toEqual([{ id: shaqir.id, names: { sq: 'Shaqir Krasniqi', srLatn: 'Šaćir Krasnići', srCyrl: 'Шаћир Красничи' }, birthDate: '1961', residencePlaceId: 'gjakove', score: 1, reasons: ['name', 'birth-date', 'residence'] }]);
  // An unknown excludeId is fine; an invalid birth date is ignored (no birth-date reason).
  expect((ok(await similar({ excludeId: '00000000-0000-4000-8000-000000000000' })) as Candidates).candidates.map((c) => c.id)).toEqual([shaqir.id]);
  expect((ok(await similar({ birthDate: '1961-02-30' })) as Candidates).candidates[0]?.reasons).toEqual(['name', 'residence']);
  expect((ok(await similar({ excludeId: shaqir.id })) as Candidates).candidates).toEqual([]);

  const history = ok(await call('persons.history', { id: shaqir.id })) as { revisions: Array<{ revision: number; changed: string[] }> };
  expect(history.revisions.map((r) => [r.revision, r.changed])).toEqual([[1, Object.keys(personInput())], [2, ['names']]]);
  expect((ok(await call('persons.atRevision', { id: shaqir.id, revision: 1 })) as { state: unknown }).state).toEqual(shaqir);
  expect((ok(await call('persons.atRevision', { id: shaqir.id, revision: 2 })) as { state: unknown }).state).toEqual(renamed);

  const ids: string[] = [];
  for (const person of peaceTablePeople) ids.push((ok(await call('persons.create', { person })) as PersonView).id);
  const s1 = ok(await call('sessions.create', { session: sessionInput(ids) })) as SessionView;
  expect((ok(await call('sessions.atRevision', { id: s1.id, revision: 1 })) as { state: unknown }).state).toEqual(s1);

  const before = snapshotFolder(folder);
  const bad: Array<[string, string, unknown, ErrorCode]> = [
    ['oversize name', 'persons.similar', { names: { sq: 'ë'.repeat(201), srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, excludeId: null, limit: 5 }, 'IPC_BAD_INPUT'],
    ['limit 0', 'persons.similar', { names: { sq: 'Agim', srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, excludeId: null, limit: 0 }, 'IPC_BAD_INPUT'],
    ['limit 21', 'persons.similar', { names: { sq: 'Agim', srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, excludeId: null, limit: 21 }, 'IPC_BAD_INPUT'],
    ['limit 2.5', 'persons.similar', { names: { sq: 'Agim', srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, excludeId: null, limit: 2.5 }, 'IPC_BAD_INPUT'],
    ['excludeId not a uuid', 'persons.similar', { names: { sq: 'Agim', srLatn: null, srCyrl: null }, birthDate: null, residencePlaceId: null, excludeId: "x' OR 1=1", limit: 5 }, 'IPC_BAD_INPUT'],
    ['oversize birth date', 'persons.similar', { names: { sq: 'Agim', srLatn: null, srCyrl: null }, birthDate: '1'.repeat(65), residencePlaceId: null, excludeId: null, limit: 5 }, 'IPC_BAD_INPUT'],
    ['names missing', 'persons.similar', { birthDate: null, residencePlaceId: null, excludeId: null, limit: 5 }, 'IPC_BAD_INPUT'],
    ['unknown person history', 'persons.history', { id: '00000000-0000-4000-8000-000000000000' }, 'RECORD_NOT_FOUND'],
    ['revision past the last', 'persons.atRevision', { id: shaqir.id, revision: 3 }, 'RECORD_NOT_FOUND'],
    ['revision 0', 'persons.atRevision', { id: shaqir.id, revision: 0 }, 'IPC_BAD_INPUT'],
    ['unknown session', 'sessions.atRevision', { id: '00000000-0000-4000-8000-000000000000', revision: 1 }, 'RECORD_NOT_FOUND'],
    ['session revision past the last', 'sessions.atRevision', { id: s1.id, revision: 2 }, 'RECORD_NOT_FOUND'],
    ['session id not a uuid', 'sessions.atRevision', { id: '../x', revision: 1 }, 'IPC_BAD_INPUT'],
  ];
  for (const [name, method, input, expected] of bad) {
    const r = await call(method, input);
    expect(code(r), name).toBe(expected);
    if (!r.ok) expect(r.error.message, name).not.toMatch(/SELECT|json_each|at .*\.ts|ë{10}/);
  }
  expect(snapshotFolder(folder)).toEqual(before);
});
