// `archive check` on an unlocked archive: the audit chain and its signed checkpoints are part of the health report.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runCheck } from '../../electron/core/maintenance/report';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { personInput } from '../fixtures/records';
import { addUser, recorder } from '../fixtures/users';

let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;
const archive = () => core.sessions.require().archive;
const check = async (name: string) => (await runCheck(archive())).checks.find((c) => c.name === name);

beforeEach(async () => {
  dir = tempDir('ta-check-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

test('a healthy archive passes every check, also after a user was removed (the keyring no longer lists them)', async () => {
  const id = await addUser(core.sodium, archive(), recorder, 'recorder');
  await core.sessions.lock('manual');
  await core.sessions.signIn(director.username, director.passphrase);
  await core.sessions.removeUser(id);
  const report = await runCheck(archive());
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(await check('audit checkpoints')).toMatchObject({ ok: true, detail: '1 of 1 signed checkpoints valid' });
});

test('an audit entry rewritten with the database key fails the check, naming the entry', async () => {
  await core.sessions.require().records.persons.create(personInput(), core.sessions.require().records.actor);
  archive().db.sqlite.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET subject_id = 'someone-else' WHERE seq = 2`);
  expect(await check('audit chain')).toEqual({ name: 'audit chain', ok: false, detail: 'Entry 2 was changed after it was written.' });
  expect((await runCheck(archive())).ok).toBe(false);
});

test('newest entries cut off after a signed checkpoint: the chain still links, the checkpoint check fails', async () => {
  await core.sessions.require().records.persons.create(personInput(), core.sessions.require().records.actor);
  await core.sessions.lock('manual');
  await core.sessions.signIn(director.username, director.passphrase);
  archive().db.sqlite.exec(`DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 3`);
  expect(await check('audit chain')).toMatchObject({ ok: true });
  const cp = await check('audit checkpoints');
  expect(cp?.ok).toBe(false);
  expect(cp?.detail).toMatch(/^Checkpoint 1 covers \d+ entries, but the log now holds only 2: entries were removed after it was signed\.$/);
});
