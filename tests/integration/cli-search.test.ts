// `archive search` as a user runs it: a child process, the passphrase on stdin, "<kind> <id>" lines or
// one JSON document, and a usage error before any passphrase is read. Few runs: each one unlocks.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRecords } from '../../electron/core/records/records-context';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { referenceCheck } from '../fixtures/reference';
import { personInput, testimonyInput } from '../fixtures/records';
import { archive, type Run } from '../fixtures/cli';
import { sessionInput } from '../fixtures/sessions';




const dir = tempDir('ta-cli-search-');
const folder = join(dir.path, 'archive');
const pass = `${director.passphrase}\n`;
const user = ['--user', director.username];
const made: Record<'person' | 'latin' | 'cyrillic' | 'other' | 'session', string> = { person: '', latin: '', cyrillic: '', other: '', session: '' };

beforeAll(async () => {
  // The archive is made in-process; the CLI then unlocks it with the KDF parameters stored in its keyring.
  const core = await makeCore(folder);
  await core.sessions.create(createInput(director));
  const records = createRecords({ archive: core.sessions.require().archive, sodium: core.sodium, now: Date.now, reference: await referenceCheck() });
  const p = await records.persons.create(personInput({ names: { sq: 'Dragan Gjorgjeviq', srLatn: 'Dragan Đorđević', srCyrl: 'Драган Ђорђевић' }, sex: 'male' }), records.actor);
  made.person = p.id;
  const create = async (title: string, narrative: string) => (await records.testimonies.create(testimonyInput(p.id, p.id, { title, narrative }), records.actor)).id;
  made.latin = await create('Izbeglištvo, jun 1999', 'Napustili smo grad Đakovica u junu 1999.');
  made.cyrillic = await create('Нестанак оца', 'Отац је нестао код Ђаковица у мају 1999.');
  made.other = await create('Zjarri në Rahovec', 'Shtëpia u dogj në prill 1999.');
  // A dialogue session prints as "session <id>", like any other kind.
  const session = sessionInput([p.id], { title: 'Okrugli sto: Đakovica posle rata', agenda: 'Sećanje i pomirenje.', minutes: 'Razgovor o nestalima.', outcomes: '', followUps: [] });
  made.session = (await records.sessions.create(session, records.actor)).id;
  await core.sessions.lock('quit');
});
afterAll(() => dir.cleanup());

describe('archive search', () => {
  let text: Run;
  let json: Run;
  let usage: Run;

  beforeAll(async () => {
    [text, json, usage] = await Promise.all([
      archive(['search', folder, ...user, 'Djakovica'], pass),
      // Words of the query may come as separate arguments; a Cyrillic query finds Latin text.
      archive(['search', folder, ...user, '--json', 'Ђорђевић', '1999'], pass),
      archive(['search', folder, ...user], pass),
    ]);
  });

  test('prints "<kind> <id>" per match (sessions too), newest first, whatever the script or diacritics', () => {
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toBe(`session ${made.session}\ntestimony ${made.cyrillic}\ntestimony ${made.latin}\n`);
  });

  test('--json prints one document with kinds and ids only', () => {
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toEqual({
      query: 'Ђорђевић 1999',
      count: 4,
      // The session matches through its participant and the note "... në prill 1999".
      items: [{ kind: 'session', id: made.session }, ...[made.other, made.cyrillic, made.latin].map((id) => ({ kind: 'testimony', id }))],
    });
  });

  test('no query is a usage error (exit 2, one line, no stack trace)', () => {
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toMatch(/^archive: Give the text to search for after the archive folder\. \(archive --help\)\n$/);
  });
});
