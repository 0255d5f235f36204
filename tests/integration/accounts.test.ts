// Accounts on real encrypted archives: one-time passphrases, first sign-in change, disable, reset, own change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit-chain';
import { archivePaths, readKeyring } from '../../electron/core/vault/keyring';
import { createRecoveryKit } from '../../electron/core/vault/recovery';
import { maxPassphraseChecks } from '../../electron/core/vault/session-manager';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { personInput } from '../fixtures/records';

type Core = Awaited<ReturnType<typeof makeCore>>;
let dir: ReturnType<typeof tempDir>;
let folder: string;
let core: Core;

const archive = () => core.sessions.require().archive;
const keyringBytes = () => readFileSync(archivePaths(folder).keyring, 'utf8');
const newPassphrase = 'Ura e vjetër mbi Lumbardh mban ende';

beforeEach(async () => {
  dir = tempDir('ta-accounts-');
  folder = join(dir.path, 'archive');
  core = await makeCore(folder);
  await core.sessions.create(createInput(director));
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

async function auditActions(): Promise<string[]> {
  const rows = await archive().db.kysely.selectFrom('audit_log').select('action').orderBy('seq').execute();
  return rows.map((r) => r.action);
}

describe('adding users', () => {
  test('a new recorder signs in with the one-time passphrase, may do nothing but change it, then works', async () => {
    const { user, oneTimePassphrase } = await core.accounts.create(archive(), { username: 'Nenad.Petrovic', displayName: 'Nenad Petrović', role: 'recorder' });
    expect(user).toMatchObject({ username: 'nenad.petrovic', role: 'recorder', disabled: false, mustChangePassphrase: true });
    expect(oneTimePassphrase).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    expect(keyringBytes()).not.toContain(oneTimePassphrase);

    const info = await core.sessions.signIn('nenad.petrovic', oneTimePassphrase);
    expect(info).toMatchObject({ role: 'recorder', mustChangePassphrase: true });
    expect(core.sessions.caller()).toEqual({ role: 'recorder', mustChangePassphrase: true });

    await expectArchiveError(core.sessions.changePassphrase('wrong one-time passphrase', newPassphrase, newPassphrase), 'AUTH_FAILED');
    await expectArchiveError(core.sessions.changePassphrase(oneTimePassphrase, newPassphrase, `${newPassphrase}!`), 'PASSPHRASE_MISMATCH');
    await expectArchiveError(core.sessions.changePassphrase(oneTimePassphrase, 'password1234', 'password1234'), 'PASSPHRASE_COMMON');
    await expectArchiveError(core.sessions.changePassphrase(oneTimePassphrase, oneTimePassphrase, oneTimePassphrase), 'PASSPHRASE_UNCHANGED');
    const changed = await core.sessions.changePassphrase(oneTimePassphrase, newPassphrase, newPassphrase);
    expect(changed.mustChangePassphrase).toBe(false);

    await core.sessions.lock('manual');
    await expectArchiveError(core.sessions.signIn('nenad.petrovic', oneTimePassphrase), 'AUTH_FAILED');
    const again = await core.sessions.signIn('nenad.petrovic', newPassphrase);
    expect(again.mustChangePassphrase).toBe(false);
    // Works: records and the same master key.
    const p = await core.sessions.require().records.persons.create(personInput(), core.sessions.require().records.actor);
    expect(p.revision).toBe(1);
    expect(await auditActions()).toEqual(expect.arrayContaining(['account.create', 'account.passphrase-changed', 'session.sign-in-failed']));
    expect((await verifyAuditChain(archive().db.kysely)).firstBreak).toBeNull();
  });

  test('another director receives the archive signing key and every restricted content written before; an auditor neither', async () => {
    const records = () => core.sessions.require().records;
    const secret = await records().persons.create(personInput({ confidentiality: 'restricted', contact: '+383 44 987 654' }), records().actor);
    const d = await core.accounts.create(archive(), { username: 'milica.jovanovic', displayName: 'Milica Jovanović', role: 'director' });
    const a = await core.accounts.create(archive(), { username: 'auditor.one', displayName: 'Arta Berisha', role: 'auditor' });
    await core.sessions.signIn('milica.jovanovic', d.oneTimePassphrase);
    await core.sessions.changePassphrase(d.oneTimePassphrase, newPassphrase, newPassphrase);
    expect(archive().secrets.archiveSigningSecretKey).not.toBeNull();
    expect((await records().persons.get(secret.id, records().actor)).contact).toBe('+383 44 987 654');
    await core.sessions.signIn('auditor.one', a.oneTimePassphrase);
    expect(archive().secrets.archiveSigningSecretKey).toBeNull();
  });

  test('a taken username (any case or form), a bad name or a non-director is refused and nothing is written', async () => {
    await core.accounts.create(archive(), { username: 'nenad.petrovic', displayName: 'Nenad', role: 'recorder' });
    const before = keyringBytes();
    await expectArchiveError(core.accounts.create(archive(), { username: 'NENAD.PETROVIC', displayName: 'Other', role: 'auditor' }), 'ACCOUNT_EXISTS');
    await expectArchiveError(core.accounts.create(archive(), { username: director.username, displayName: 'Other', role: 'auditor' }), 'ACCOUNT_EXISTS');
    await expectArchiveError(core.accounts.create(archive(), { username: 'a b', displayName: 'Other', role: 'auditor' }), 'IPC_BAD_INPUT');
    await expectArchiveError(core.accounts.create(archive(), { username: 'valid.name', displayName: '   ', role: 'auditor' }), 'IPC_BAD_INPUT');
    expect(keyringBytes()).toBe(before);
    expect((await core.accounts.list(archive())).map((u) => u.username)).toEqual([director.username, 'nenad.petrovic']);

    const r = await core.accounts.create(archive(), { username: 'arben.gashi', displayName: 'Arben Gashi', role: 'recorder' });
    await core.sessions.signIn('arben.gashi', r.oneTimePassphrase);
    await core.sessions.changePassphrase(r.oneTimePassphrase, newPassphrase, newPassphrase);
    await expectArchiveError(core.accounts.create(archive(), { username: 'x.y.z', displayName: 'X', role: 'director' }), 'AUTH_FORBIDDEN');
    await expectArchiveError(core.accounts.list(archive()), 'AUTH_FORBIDDEN');
  });
});

describe('disable, reset, own passphrase', () => {
  test('a disabled user cannot sign in; enabling restores access; a director cannot disable themselves or the last director', async () => {
    const { user, oneTimePassphrase } = await core.accounts.create(archive(), { username: 'nenad.petrovic', displayName: 'Nenad', role: 'recorder' });
    expect((await core.accounts.setDisabled(archive(), user.id, true)).disabled).toBe(true);
    await expectArchiveError(core.accounts.setDisabled(archive(), archive().user.id, true), 'ACCOUNT_SELF');
    await core.sessions.lock('manual');
    await expectArchiveError(core.sessions.signIn('nenad.petrovic', oneTimePassphrase), 'AUTH_FAILED');
    await core.sessions.signIn(director.username, director.passphrase);
    await core.accounts.setDisabled(archive(), user.id, false);
    await core.sessions.signIn('nenad.petrovic', oneTimePassphrase);
    await core.sessions.signIn(director.username, director.passphrase);

    const d2 = await core.accounts.create(archive(), { username: 'milica.jovanovic', displayName: 'Milica', role: 'director' });
    await core.sessions.signIn('milica.jovanovic', d2.oneTimePassphrase);
    await core.sessions.changePassphrase(d2.oneTimePassphrase, newPassphrase, newPassphrase);
    const first = (await core.accounts.list(archive())).find((u) => u.username === director.username);
    await core.accounts.setDisabled(archive(), first?.id ?? '', true);
    // Milica is now the only active director: nobody may disable her (she cannot herself, and no one else can).
    await expectArchiveError(core.accounts.setDisabled(archive(), archive().user.id, true), 'ACCOUNT_SELF');
    await expectArchiveError(core.accounts.setDisabled(archive(), '00000000-0000-4000-8000-000000000000', true), 'ACCOUNT_NOT_FOUND');
    expect(await auditActions()).toEqual(expect.arrayContaining(['account.disable', 'account.enable']));
  });

  test('reset: the forgotten passphrase stops working, restricted content shared with the user stays readable, drafts go', async () => {
    const { user, oneTimePassphrase } = await core.accounts.create(archive(), { username: 'nenad.petrovic', displayName: 'Nenad', role: 'recorder' });
    await core.sessions.signIn('nenad.petrovic', oneTimePassphrase);
    await core.sessions.changePassphrase(oneTimePassphrase, newPassphrase, newPassphrase);
    const records = () => core.sessions.require().records;
    const secret = await records().persons.create(personInput({ confidentiality: 'restricted', contact: '+383 44 123 456' }), records().actor);
    await records().drafts.save(records().actor, 'person:new', '{"draft":true}');
    await core.sessions.signIn(director.username, director.passphrase);

    const reset = await core.accounts.resetPassphrase(archive(), user.id);
    expect(reset.user.mustChangePassphrase).toBe(true);
    await expectArchiveError(core.accounts.resetPassphrase(archive(), archive().user.id), 'ACCOUNT_SELF');
    await core.sessions.lock('manual');
    await expectArchiveError(core.sessions.signIn('nenad.petrovic', newPassphrase), 'AUTH_FAILED');
    await core.sessions.signIn('nenad.petrovic', reset.oneTimePassphrase);
    await core.sessions.changePassphrase(reset.oneTimePassphrase, `${newPassphrase} sot`, `${newPassphrase} sot`);
    const seen = await records().persons.get(secret.id, records().actor);
    expect(seen).toMatchObject({ identityVisible: true, contact: '+383 44 123 456' });
    expect(await records().drafts.list(records().actor)).toEqual([]);
    expect(readKeyring(archivePaths(folder).keyring).retiredSignKeys?.map((k) => k.userId)).toEqual([user.id]);
  });

  test('enabling again seals to the user what was written while they were disabled', async () => {
    const { user, oneTimePassphrase } = await core.accounts.create(archive(), { username: 'nenad.petrovic', displayName: 'Nenad', role: 'recorder' });
    await core.sessions.signIn('nenad.petrovic', oneTimePassphrase);
    await core.sessions.changePassphrase(oneTimePassphrase, newPassphrase, newPassphrase);
    const records = () => core.sessions.require().records;
    const own = await records().persons.create(personInput({ confidentiality: 'restricted', contact: '+383 44 111 000' }), records().actor);
    await core.sessions.signIn(director.username, director.passphrase);
    await core.accounts.setDisabled(archive(), user.id, true);
    await records().persons.update(own.id, personInput({ confidentiality: 'restricted', contact: '+383 44 222 000' }), 1, records().actor);
    const enabled = await core.accounts.setDisabled(archive(), user.id, false);
    expect(enabled.disabled).toBe(false);
    await core.sessions.signIn('nenad.petrovic', newPassphrase);
    expect(await records().persons.get(own.id, records().actor)).toMatchObject({ identityVisible: true, contact: '+383 44 222 000' });
    const detail = await archive().db.kysely.selectFrom('audit_log').select('detail').where('action', '=', 'account.enable').executeTakeFirstOrThrow();
    expect(JSON.parse(detail.detail)).toEqual({ resealed: 1 });
  });

  test("resetting the kit's director drops the kit (it wraps the old keys) and says so in the log", async () => {
    const firstId = archive().user.id;
    await createRecoveryKit({ sodium: core.sodium, now: Date.now }, archive(), { threshold: 2, total: 3 });
    const d2 = await core.accounts.create(archive(), { username: 'milica.jovanovic', displayName: 'Milica', role: 'director' });
    await core.sessions.signIn('milica.jovanovic', d2.oneTimePassphrase);
    await core.sessions.changePassphrase(d2.oneTimePassphrase, newPassphrase, newPassphrase);
    expect(readKeyring(archivePaths(folder).keyring).recovery?.directorId).toBe(firstId);
    await core.accounts.resetPassphrase(archive(), firstId);
    expect(readKeyring(archivePaths(folder).keyring).recovery).toBeUndefined();
    expect(await auditActions()).toContain('recovery.kit-dropped');
  });

  test('five wrong current passphrases in one session lock the archive (an open laptop is no guessing machine)', async () => {
    for (let i = 1; i < maxPassphraseChecks; i++) await expectArchiveError(core.sessions.changePassphrase(`guess ${i}`, newPassphrase, newPassphrase), 'AUTH_FAILED');
    await expectArchiveError(core.sessions.changePassphrase('last guess', newPassphrase, newPassphrase), 'AUTH_REQUIRED');
    expect(core.sessions.current()).toBeNull();
    await core.sessions.signIn(director.username, director.passphrase);
    expect(await auditActions()).toContain('account.passphrase-guessing');
    // The real passphrase still works and the counter starts again.
    await core.sessions.changePassphrase(director.passphrase, newPassphrase, newPassphrase);
  });

  test("changing one's own passphrase rewraps only: the master key stays the same", async () => {
    const masterBefore = Buffer.from(archive().secrets.masterKey);
    await core.sessions.changePassphrase(director.passphrase, newPassphrase, newPassphrase);
    await core.sessions.lock('manual');
    await expectArchiveError(core.sessions.signIn(director.username, director.passphrase), 'AUTH_FAILED');
    await core.sessions.signIn(director.username, newPassphrase);
    // Same master key under a new wrap: nothing was re-encrypted.
    expect(Buffer.from(archive().secrets.masterKey)).toEqual(masterBefore);
    expect(await auditActions()).toContain('account.passphrase-changed');
  });
});
