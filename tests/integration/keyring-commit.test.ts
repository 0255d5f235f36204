// Account changes write the keyring and the database as one: a process killed (SIGKILL) at each step of the keyring
// change (keyring-commit.ts) leaves an archive where both agree, the change whole or absent, and the check passing.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkArchiveStructure } from '../../electron/core/maintenance/archive-check';
import { pendingKeyringPath } from '../../electron/core/vault/keyring-commit';
import { archivePaths } from '../../electron/core/vault/keyring';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { injectedKillPoints, runChild, type DrillOp, type InjectedKillPoint } from '../fixtures/crash-drill';
import { expectArchiveError } from '../fixtures/errors';
import { keyringOf } from '../fixtures/files';

let dir: ReturnType<typeof tempDir>;
let template: string;
let recorder: { id: string; username: string; passphrase: string };

beforeAll(async () => {
  dir = tempDir('ta-keyring-commit-');
  template = join(dir.path, 'template');
  const core = await makeCore(template);
  await core.sessions.create(createInput(director));
  const made = await core.accounts.create(core.sessions.require().archive, { username: 'nenad.petrovic', displayName: 'Nenad Petrović', role: 'recorder' });
  recorder = { id: made.user.id, username: made.user.username, passphrase: made.oneTimePassphrase };
  await core.sessions.lock('quit');
});
afterAll(() => dir.cleanup());

/** Signs in, or returns the refusal's code. */
async function trySignIn(core: Awaited<ReturnType<typeof makeCore>>, username: string, passphrase: string): Promise<true | string> {
  try {
    await core.sessions.signIn(username, passphrase);
    await core.sessions.lock('quit');
    return true;
  } catch (e) {
    return e instanceof Error && 'code' in e ? String(e.code) : String(e);
  }
}

const ops = ['user-create', 'user-toggle', 'user-reset', 'passphrase', 'recovery-kit'] as const satisfies readonly DrillOp[];
const cases = ops.flatMap((op) => injectedKillPoints.map((step) => ({ op, step })));

describe('a kill at each step of a keyring change', () => {
  test.concurrent.each(cases)('$op killed at $step: keyring and database agree, the change is whole or absent', async ({ op, step }: { op: DrillOp; step: InjectedKillPoint }) => {
    const folder = join(dir.path, `${op}-${step}`);
    cpSync(template, folder, { recursive: true });
    const run = await runChild(
      { folder, passphrase: director.passphrase, seed: 7, ops: [op], maxWrites: 1, known: { persons: [], testimonies: [], sessions: [], users: [recorder.id] }, killAt: { step } },
      null,
    );
    expect(run.killed, run.stderr).toBe(true);
    const intent = run.lines.find((l) => l.t === 'intent');
    expect(intent).toBeDefined();
    expect(run.lines.some((l) => l.t === 'done')).toBe(false);

    // What the kill left on disk: a pending keyring from the moment it was durable until it was promoted.
    const leftTemp = readdirSync(folder).some((n) => n.startsWith('.keyring.json.next.') && n.endsWith('.tmp'));
    expect(leftTemp).toBe(step === 'temp-written');
    expect(existsSync(pendingKeyringPath(folder))).toBe(step === 'pending-written' || step === 'committed');
    const applied = step === 'committed' || step === 'promoted';

    const core = await makeCore(folder);
    const next = intent?.t === 'intent' ? intent.next : undefined;
    const passphrase = op === 'passphrase' && applied && next ? next : director.passphrase;
    if (op === 'passphrase' && next) {
      // The other passphrase is refused: the one from before if the change committed, the new one if it did not.
      expect(await trySignIn(core, director.username, applied ? director.passphrase : next)).toBe('AUTH_FAILED');
    }
    await core.sessions.signIn(director.username, passphrase);
    const s = core.sessions.require();
    expect(existsSync(pendingKeyringPath(folder))).toBe(false);
    expect(readdirSync(folder).filter((n) => n.startsWith('.keyring.json.'))).toEqual([]);
    expect((await checkArchiveStructure(s.archive)).filter((c) => !c.ok)).toEqual([]);

    const accounts = await core.accounts.list(s.archive);
    const keyring = keyringOf(folder);
    expect(keyring.users.map((u) => u.id).sort()).toEqual(accounts.map((u) => u.id).sort());
    const audit = (await s.archive.db.kysely.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    await core.sessions.lock('quit');

    switch (op) {
      case 'user-create':
        expect(accounts).toHaveLength(applied ? 3 : 2);
        expect(audit.filter((a) => a === 'account.create')).toHaveLength(applied ? 2 : 1);
        break;
      case 'user-toggle':
        expect(accounts.find((u) => u.id === recorder.id)?.disabled).toBe(applied);
        expect(keyring.users.find((u) => u.id === recorder.id)?.disabled).toBe(applied);
        expect(await trySignIn(core, recorder.username, recorder.passphrase)).toBe(applied ? 'AUTH_FAILED' : true);
        break;
      case 'user-reset':
        expect(audit.includes('account.reset')).toBe(applied);
        expect(await trySignIn(core, recorder.username, recorder.passphrase)).toBe(applied ? 'AUTH_FAILED' : true);
        break;
      case 'passphrase':
        expect(audit.includes('account.passphrase-changed')).toBe(applied);
        break;
      case 'recovery-kit':
        expect(keyring.recovery !== undefined).toBe(applied);
        expect(audit.includes('recovery.kit-created')).toBe(applied);
        break;
    }
    // Still a working archive: the next change goes through and the check still passes.
    await core.sessions.signIn(director.username, passphrase);
    await core.accounts.setDisabled(core.sessions.require().archive, recorder.id, false);
    expect((await checkArchiveStructure(core.sessions.require().archive)).filter((c) => !c.ok)).toEqual([]);
    await core.sessions.lock('quit');
  }, 300_000);
});

describe('a change committed but not promoted in a running session', () => {
  test('the next change promotes it first; the keyring then follows the database', async () => {
    const folder = join(dir.path, 'promote-later');
    cpSync(template, folder, { recursive: true });
    let failPromotion = true;
    const core = await makeCore(folder, {
      keyringHooks: {
        onCommitStep: (step) => {
          if (step === 'committed' && failPromotion) throw new Error('simulated failure after COMMIT');
        },
      },
    });
    await core.sessions.signIn(director.username, director.passphrase);
    const archive = core.sessions.require().archive;
    await expect(core.accounts.setDisabled(archive, recorder.id, true)).rejects.toThrow('simulated failure after COMMIT');
    // Committed in the database, waiting beside the keyring.
    expect(existsSync(pendingKeyringPath(folder))).toBe(true);
    expect(keyringOf(folder).users.find((u) => u.id === recorder.id)?.disabled).toBe(false);
    failPromotion = false;
    await core.accounts.create(archive, { username: 'arta.berisha', displayName: 'Arta Berisha', role: 'auditor' });
    expect(existsSync(pendingKeyringPath(folder))).toBe(false);
    expect(keyringOf(folder).users.find((u) => u.id === recorder.id)?.disabled).toBe(true);
    expect((await checkArchiveStructure(archive)).filter((c) => !c.ok)).toEqual([]);
    await core.sessions.lock('quit');
    await expectArchiveError(core.sessions.signIn(recorder.username, recorder.passphrase), 'AUTH_FAILED');
    expect(existsSync(archivePaths(folder).keyring)).toBe(true);
  });
});
