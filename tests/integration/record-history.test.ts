// Person and session histories on a real encrypted archive: every earlier state reconstructed exactly, sealed
// identity only for a holder of a sealed copy, and clear errors for unknown records and revisions.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newBoxKeyPair } from '../../electron/core/crypto/keys';
import type { Actor } from '../../electron/core/records/actor';
import type { PersonState } from '../../electron/core/records/persons-service';
import { createRecords } from '../../electron/core/records/records-context';
import type { SessionState } from '../../electron/core/records/sessions-service';
import type { SessionInput } from '../../shared/records/session-schemas';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { referenceCheck } from '../fixtures/reference';
import { personInput } from '../fixtures/records';
import { peaceTablePeople, sessionInput } from '../fixtures/sessions';

let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;
let records: ReturnType<typeof createRecords>;
let clock: number;

beforeEach(async () => {
  dir = tempDir('ta-history-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  clock = Date.parse('2026-11-02T08:00:00.000Z');
  records = createRecords({ archive: core.sessions.require().archive, sodium: core.sodium, now: () => (clock += 60_000), reference: await referenceCheck() });
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const unknownId = '00000000-0000-4000-8000-000000000000';

/** Someone who holds the database key (calls core directly) but was never given a sealed copy. */
function outsider(): Actor {
  return { userId: records.actor.userId, role: 'director', box: newBoxKeyPair(core.sodium) };
}

function sessionInputOf(s: SessionState): SessionInput {
  const { id, createdBy, revision, contentVisible, ...input } = s;
  return input;
}

describe('person history', () => {
  test('create and two updates: atRevision(1..3) is each saved state exactly; history says who, when and what changed', async () => {
    const { persons, actor } = records;
    const saved: PersonState[] = [];
    saved.push(await persons.create(personInput({ names: { sq: 'Shaqir Krasniqi', srLatn: null, srCyrl: null }, sex: 'male', birthDate: '1961~', contact: 'Rruga e Dëshmorëve 4, Gjakovë' }), actor));
    saved.push(await persons.update(saved[0]!.id, personInput({ names: { sq: 'Shaqir Krasniqi', srLatn: 'Šaćir Krasnići', srCyrl: 'Шаћир Красничи' }, sex: 'male', birthDate: '1961~', contact: 'Rruga e Dëshmorëve 4, Gjakovë' }), 1, actor));
    saved.push(await persons.update(saved[0]!.id, personInput({ names: { sq: 'Shaqir Krasniqi', srLatn: 'Šaćir Krasnići', srCyrl: 'Шаћир Красничи' }, sex: 'male', birthDate: '1962-03', residencePlaceId: 'meje', contact: null }), 2, actor));
    const id = saved[0]!.id;
    for (const [i, state] of saved.entries()) expect(await persons.atRevision(id, i + 1, actor), `revision ${i + 1}`).toEqual(state);
    // The three states differ, so a wrong revision could not pass the comparison above.
    expect(new Set(saved.map((s) => JSON.stringify(s))).size).toBe(3);

    const history = await persons.history(id, actor);
    expect(history.map((h) => [h.revision, h.action, h.by, h.changed])).toEqual([
      [1, 'create', actor.userId, ['names', 'sex', 'birthDate', 'ethnicity', 'status', 'residencePlaceId', 'contact', 'confidentiality']],
      [2, 'update', actor.userId, ['names']],
      [3, 'update', actor.userId, ['birthDate', 'residencePlaceId', 'contact']],
    ]);
    expect(history.map((h) => h.at)).toEqual([...history.map((h) => h.at)].sort());
  });

  test('a restricted revision: the identity comes back only to a holder of a sealed copy', async () => {
    const { persons, actor } = records;
    const identity = { names: { sq: 'Vjollca Berisha', srLatn: 'Vjolca Beriša', srCyrl: 'Вјолца Бериша' }, contact: '+383 44 000 111' };
    const v1 = await persons.create(personInput({ ...identity }), actor);
    const v2 = await persons.update(v1.id, personInput({ ...identity, confidentiality: 'restricted' }), 1, actor);
    expect(await persons.atRevision(v1.id, 2, actor)).toEqual(v2);
    expect(await persons.atRevision(v1.id, 1, actor)).toEqual(v1);

    const o = outsider();
    await expectArchiveError(persons.atRevision(v1.id, 2, o), 'CONTENT_NO_ACCESS');
    // The normal revision before it was never sealed, but restricting the person hides its past as well:
    // only a reader of the current sealed identity sees revision 1.
    await expectArchiveError(persons.atRevision(v1.id, 1, o), 'CONTENT_NO_ACCESS');
    // The restricted revision's plaintext snapshot holds only the statistical fields.
    const revision2 = (await persons.history(v1.id, actor))[1];
    expect(revision2?.snapshot).toEqual({ sex: 'female', ethnicity: 'albanian', status: 'survived', confidentiality: 'restricted' });
    expect(revision2?.sealedSnapshotId).not.toBeNull();
  });

  test('unknown person, revision past the last, and revision 0 are refused clearly', async () => {
    const p = await records.persons.create(personInput(), records.actor);
    await expectArchiveError(records.persons.history(unknownId, records.actor), 'RECORD_NOT_FOUND');
    const unknown = await expectArchiveError(records.persons.atRevision(unknownId, 1, records.actor), 'RECORD_NOT_FOUND');
    expect(unknown.message).toBe('No such person.');
    const past = await expectArchiveError(records.persons.atRevision(p.id, 2, records.actor), 'RECORD_NOT_FOUND');
    expect(past.message).toBe('This person has no revision 2: its revisions are 1 to 1.');
    await expectArchiveError(records.persons.atRevision(p.id, 0, records.actor), 'RECORD_NOT_FOUND');
  });
});

describe('session history', () => {
  async function people(): Promise<string[]> {
    const ids: string[] = [];
    for (const p of peaceTablePeople) ids.push((await records.persons.create(p, records.actor)).id);
    return ids;
  }

  test('create and two updates: atRevision(1..3) is each saved state exactly, restricted content included for its reader', async () => {
    const { sessions, actor } = records;
    const ids = await people();
    const saved: SessionState[] = [];
    saved.push(await sessions.create(sessionInput(ids), actor));
    saved.push(await sessions.update(saved[0]!.id, { ...sessionInputOf(saved[0]!), minutes: `${saved[0]!.minutes}\nZapisnik je usvojen.`, status: 'held' }, 1, actor));
    saved.push(await sessions.update(saved[0]!.id, { ...sessionInputOf(saved[1]!), sensitivity: 'restricted', participants: saved[1]!.participants.slice(0, 2), outcomes: 'Marrëveshje e mbyllur.' }, 2, actor));
    const id = saved[0]!.id;
    for (const [i, state] of saved.entries()) expect(await sessions.atRevision(id, i + 1, actor), `revision ${i + 1}`).toEqual(state);
    expect(new Set(saved.map((s) => JSON.stringify(s))).size).toBe(3);
    expect((await sessions.history(id, actor)).map((h) => h.changed)).toEqual([expect.any(Array), ['minutes'], ['participants', 'outcomes', 'sensitivity']]);

    // Restricted now: every revision, also the normal ones before, is for readers of the sealed minutes only.
    for (const r of [1, 2, 3]) await expectArchiveError(sessions.atRevision(id, r, outsider()), 'CONTENT_NO_ACCESS');
  });

  test('unknown session and revision past the last are refused clearly', async () => {
    const s = await records.sessions.create(sessionInput(await people()), records.actor);
    await expectArchiveError(records.sessions.history(unknownId, records.actor), 'RECORD_NOT_FOUND');
    expect((await expectArchiveError(records.sessions.atRevision(unknownId, 1, records.actor), 'RECORD_NOT_FOUND')).message).toBe('No such session.');
    expect((await expectArchiveError(records.sessions.atRevision(s.id, 4, records.actor), 'RECORD_NOT_FOUND')).message).toBe('This session has no revision 4: its revisions are 1 to 1.');
    // A person's id is no session: the kinds' histories do not mix.
    await expectArchiveError(records.sessions.history(s.participants[0]!.personId, records.actor), 'RECORD_NOT_FOUND');
  });
});
