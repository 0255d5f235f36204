// The archive check on real encrypted archives: every part (database, keyring, audit chain and checkpoints, attachment
// hashes) in one run with progress and cancel, what a damaged part reports, and the background jobs of the app.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { attachmentPath } from '../../electron/core/attachments/file-store';
import { checkArchive, type ArchiveCheckProgress } from '../../electron/core/maintenance/archive-check';
import type { ArchiveCheckName } from '../../shared/maintenance/archive-check';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { flipByte } from '../fixtures/files';
import { personInput, testimonyInput } from '../fixtures/records';
import { addUser, recorder } from '../fixtures/users';

const auditor = { username: 'drita.gashi', displayName: 'Drita Gashi', passphrase: 'Lumi Drini rrjedh qetë nën urën e gurtë' };
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex')]);

let dir: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof makeCore>>;
const session = () => core.sessions.require();
const archive = () => session().archive;
const run = (options: Parameters<typeof checkArchive>[1] = {}) => checkArchive({ archive: archive(), attachments: session().records.attachments, actor: session().records.actor }, options);
const check = async (name: ArchiveCheckName) => (await run()).checks.find((c) => c.name === name);

beforeEach(async () => {
  dir = tempDir('ta-check-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

/** A testimony of the signed-in user with one imported file; returns the attachment id. */
async function attached(sensitivity: 'normal' | 'restricted', name: string): Promise<string> {
  const { records } = session();
  const p = await records.persons.create(personInput(), records.actor);
  const t = await records.testimonies.create(testimonyInput(p.id, p.id, { sensitivity }), records.actor);
  const files = join(dir.path, 'files');
  mkdirSync(files, { recursive: true });
  writeFileSync(join(files, name), png);
  return (await records.attachments.importFile(records.actor, 'testimony', t.id, join(files, name))).id;
}

async function signInAs(person: { username: string; passphrase: string }) {
  await core.sessions.lock('switch-user');
  await core.sessions.signIn(person.username, person.passphrase);
}

describe('one run of every part', () => {
  test('a healthy archive passes every check, attachments of restricted records included; progress ends at its total', async () => {
    await attached('normal', 'skanim.png');
    await attached('restricted', 'deklarata.png');
    const progress: ArchiveCheckProgress[] = [];
    const report = await run({ onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ ok: true, cancelled: false });
    expect(report.checks.map((c) => [c.name, c.ok, c.detail])).toEqual([
      ['database-integrity', true, 'integrity-ok'],
      ['schema-version', true, 'schema-current'],
      ['keyring', true, 'keyring-match'],
      ['archive-identity', true, 'identity-same'],
      ['audit-chain', true, 'chain-intact'],
      ['audit-checkpoints', true, 'checkpoints-none'],
      ['attachments', true, 'attachments-sound'],
    ]);
    // The director reaches and opens every file: none skipped.
    expect(report.checks.at(-1)?.params).toEqual({ checked: 2, total: 2, damaged: 0, skippedNoKey: 0, skippedNotShared: 0 });
    expect(progress.at(-1)).toEqual({ part: 'attachments', done: 5, total: 5 });
    for (const [i, p] of progress.entries()) if (i > 0) expect(p.done).toBeGreaterThanOrEqual(progress[i - 1]?.done ?? 0);
  });

  test('after a user was removed (the keyring no longer lists them) and a checkpoint was signed, every check passes', async () => {
    const id = await addUser(core.sodium, archive(), recorder, 'recorder');
    await signInAs(director);
    await core.sessions.removeUser(id);
    const report = await run();
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(await check('audit-checkpoints')).toMatchObject({ ok: true, detail: 'checkpoints-valid', params: { valid: 1, total: 1 } });
  });

  test('an auditor checks what was shared with them; the rest is counted as skipped, with the reason', async () => {
    await attached('normal', 'skanim.png');
    await attached('restricted', 'deklarata.png');
    await addUser(core.sodium, archive(), auditor, 'auditor');
    await signInAs(auditor);
    const report = await run();
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'attachments')).toMatchObject({ ok: true, params: { checked: 0, total: 2, damaged: 0, skippedNoKey: 0, skippedNotShared: 2 } });
  });

  test('a recorder (from the CLI) skips the files of a restricted record they hold no key for, and says so', async () => {
    await attached('normal', 'skanim.png');
    await attached('restricted', 'deklarata.png');
    await addUser(core.sodium, archive(), recorder, 'recorder');
    await signInAs(recorder);
    const report = await run();
    expect(report.checks.find((c) => c.name === 'attachments')).toMatchObject({ ok: true, params: { checked: 1, total: 2, damaged: 0, skippedNoKey: 1, skippedNotShared: 0 } });
  });

  test('a cancelled run reports the parts it finished and is not ok', async () => {
    await attached('normal', 'skanim.png');
    const abort = new AbortController();
    const report = await run({ signal: abort.signal, onProgress: (p) => p.done === 1 && abort.abort() });
    expect(report.cancelled).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.name)).toEqual(['database-integrity']);
  });
});

describe('damage is named', () => {
  test('a flipped byte in an attachment file fails the attachment check, naming the file id', async () => {
    const sound = await attached('normal', 'skanim.png');
    const broken = await attached('restricted', 'deklarata.png');
    const file = attachmentPath(archive().folder, broken);
    flipByte(file, statSync(file).size - 5);
    const report = await run();
    expect(report.ok).toBe(false);
    const c = report.checks.find((x) => x.name === 'attachments');
    expect(c).toMatchObject({ ok: false, detail: 'attachments-damaged', params: { checked: 2, total: 2, damaged: 1 } });
    expect(c?.damaged).toEqual([{ id: broken, reason: 'decryption-failed' }]);
    expect(c?.damaged.map((d) => d.id)).not.toContain(sound);
    // The other parts still pass: the damage is the file's alone.
    expect(report.checks.filter((x) => !x.ok).map((x) => x.name)).toEqual(['attachments']);
  });

  test('an audit entry rewritten with the database key fails the chain, naming the entry', async () => {
    await session().records.persons.create(personInput(), session().records.actor);
    archive().db.sqlite.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET subject_id = 'someone-else' WHERE seq = 2`);
    expect(await check('audit-chain')).toEqual({ name: 'audit-chain', ok: false, detail: 'chain-edited', params: { position: 2 }, damaged: [] });
    expect((await run()).ok).toBe(false);
  });

  test('newest entries cut off after a signed checkpoint: the chain still links, the checkpoint check fails', async () => {
    await session().records.persons.create(personInput(), session().records.actor);
    await signInAs(director);
    archive().db.sqlite.exec(`DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 3`);
    expect(await check('audit-chain')).toMatchObject({ ok: true });
    const cp = await check('audit-checkpoints');
    expect(cp).toMatchObject({ ok: false, detail: 'checkpoint-count-beyond-log', params: { checkpoint: 1, entries: 2 } });
    expect(cp?.params['count']).toBeGreaterThan(2);
  });

  test('a user whose role in the database differs from the keyring fails the keyring check', async () => {
    const id = await addUser(core.sodium, archive(), recorder, 'recorder');
    archive().db.sqlite.prepare(`UPDATE users SET role = 'auditor' WHERE id = ?`).run(id);
    expect(await check('keyring')).toEqual({ name: 'keyring', ok: false, detail: 'keyring-mismatch', params: { mismatched: 1, missing: 0 }, damaged: [] });
  });
});

describe('background checks of the app', () => {
  const until = async <T>(get: () => T, done: (v: T) => boolean): Promise<T> => {
    for (;;) {
      const v = get();
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  test('start, status until finished; a second start while running returns the same job; another user cannot see it', async () => {
    await attached('normal', 'skanim.png');
    const { jobId } = core.archiveChecks.start();
    expect(core.archiveChecks.start().jobId).toBe(jobId);
    const status = await until(() => core.archiveChecks.status(jobId), (s) => s.state !== 'running');
    expect(status).toMatchObject({ jobId, state: 'finished', part: null, done: 4, total: 4, error: null });
    expect(status.checks.every((c) => c.ok)).toBe(true);
    expect(core.archiveChecks.cancel(jobId)).toEqual({ cancelled: false });
    await addUser(core.sodium, archive(), auditor, 'auditor');
    await signInAs(auditor);
    await expectArchiveError(() => core.archiveChecks.status(jobId), 'CHECK_NOT_FOUND');
  });

  test('cancel stops a running check; locking stops one too, before the database closes', async () => {
    for (let i = 0; i < 6; i++) await attached('normal', `skanim-${i}.png`);
    const first = core.archiveChecks.start().jobId;
    expect(core.archiveChecks.cancel(first)).toEqual({ cancelled: true });
    const cancelled = await until(() => core.archiveChecks.status(first), (s) => s.state !== 'running');
    expect(cancelled.state).toBe('cancelled');
    // Stopped before the attachments were done: their check is not in the list.
    expect(cancelled.checks.map((c) => c.name)).not.toContain('attachments');

    const second = core.archiveChecks.start().jobId;
    expect(core.archiveChecks.status(second).state).toBe('running');
    await core.sessions.lock('manual');
    await core.sessions.signIn(director.username, director.passphrase);
    await expectArchiveError(() => core.archiveChecks.status(second), 'CHECK_NOT_FOUND');
    // Nothing was left half-written: the archive checks sound afterwards.
    expect((await run()).ok).toBe(true);
  });
});
