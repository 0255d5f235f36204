// The recovery kit on real encrypted archives: every k-subset of the shares recovers the director's account; too few,
// damaged, duplicate, foreign and replaced shares each fail with their own code, naming the share, and change nothing.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../electron/core/audit/audit-chain';
import { formatShare, parseShare } from '../../electron/core/vault/recovery-share';
import { createRecoveryKit, recoverWithShares, recoveryStatus, sealMasterForRecovery, type RecoveryDeps } from '../../electron/core/vault/recovery';
import { archivePaths } from '../../electron/core/vault/vault';
import { readKeyring, writeKeyring } from '../../electron/core/vault/keyring';
import type { RecoveryKit } from '../../shared/ipc/contract';
import { createInput, director, makeCore, tempDir, testKdf } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { personInput, testimonyInput } from '../fixtures/records';
import { addUser, recorder } from '../fixtures/users';

type Core = Awaited<ReturnType<typeof makeCore>>;
let dir: ReturnType<typeof tempDir>;
let folder: string;
let core: Core;
let kit: RecoveryKit;
let restricted: { testimonyId: string; personId: string; marker: string };

const deps = (): RecoveryDeps => ({ sodium: core.sodium, now: Date.now, policy: core.policy, kdfCost: testKdf.kdfCost });
const keyringPath = () => archivePaths(folder).keyring;
const keyringBytes = () => readFileSync(keyringPath());
const texts = (...indexes: number[]) => indexes.map((i) => kit.shares.find((s) => s.index === i)?.text ?? '');
/** A new passphrase the policy accepts, different per use. */
const newPassphrase = (n: number) => `Shiu i vjeshtës bie mbi Rugovë, herën e ${n} pa pushim`;

/** Recovery as the sign-in screen calls it: the same passphrase typed twice. */
const recover = (shares: string[], passphrase: string, confirm = passphrase) => recoverWithShares(deps(), folder, shares, passphrase, confirm);

/** Every k-element subset of `items`, in order. */
function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  return items.flatMap((first, i) => subsets(items.slice(i + 1), k - 1).map((rest) => [first, ...rest]));
}

beforeEach(async () => {
  dir = tempDir('ta-recovery-');
  folder = join(dir.path, 'archive');
  core = await makeCore(folder);
  await core.sessions.create(createInput(director));
  const { records, archive } = core.sessions.require();
  const marker = 'MARKER-rikthim-5b2d';
  const person = await records.persons.create(personInput({ confidentiality: 'restricted', contact: `+383 44 ${marker}` }), records.actor);
  const t = await records.testimonies.create(testimonyInput(person.id, person.id, { sensitivity: 'restricted', narrative: `Dëshmi e mbrojtur ${marker}` }), records.actor);
  restricted = { testimonyId: t.id, personId: person.id, marker };
  expect(recoveryStatus(folder)).toEqual({ kit: null });
  kit = await createRecoveryKit(deps(), archive, { threshold: 3, total: 5 });
  await core.sessions.lock('manual');
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

async function expectSignInFails(passphrase: string): Promise<void> {
  await expectArchiveError(core.sessions.signIn(director.username, passphrase), 'AUTH_FAILED');
}

describe('making a kit', () => {
  test('3 of 5 by default shape: five numbered shares of one kit, described by the status, never stored', async () => {
    expect(kit).toMatchObject({ threshold: 3, total: 5, archiveId: readKeyring(keyringPath()).archiveId });
    expect(kit.shares.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(kit.shares.map((s) => s.text)).size).toBe(5);
    expect(kit.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){3}$/);
    expect(recoveryStatus(folder)).toEqual({ kit: { kitId: kit.kitId, threshold: 3, total: 5, createdAt: kit.createdAt, fingerprint: kit.fingerprint } });
    const keyringText = readFileSync(keyringPath(), 'utf8');
    for (const s of kit.shares) expect(keyringText).not.toContain(s.text.slice(4, 24));

    await core.sessions.signIn(director.username, director.passphrase);
    const log = core.sessions.require().archive.db.sqlite.prepare("SELECT actor, subject_id, detail FROM audit_log WHERE action = 'recovery.kit-created'").all();
    expect(log).toEqual([{ actor: core.sessions.require().archive.user.id, subject_id: kit.kitId, detail: JSON.stringify({ kitId: kit.kitId, threshold: 3, total: 5 }) }]);
  });

  test('only a director may make one, with a sensible threshold and total; a refusal writes nothing', async () => {
    await core.sessions.signIn(director.username, director.passphrase);
    const before = keyringBytes();
    for (const [threshold, total] of [[1, 5], [11, 12], [4, 3], [3, 17], [2.5, 5], [3, Number.NaN]] as const) {
      await expectArchiveError(createRecoveryKit(deps(), core.sessions.require().archive, { threshold, total }), 'IPC_BAD_INPUT');
    }
    expect(keyringBytes().equals(before)).toBe(true);
    await addUser(core.sodium, core.sessions.require().archive, recorder, 'recorder');
    const afterAdd = keyringBytes();
    await core.sessions.signIn(recorder.username, recorder.passphrase);
    await expectArchiveError(createRecoveryKit(deps(), core.sessions.require().archive, { threshold: 2, total: 3 }), 'AUTH_FORBIDDEN');
    expect(keyringBytes().equals(afterAdd)).toBe(true);
  });

  test('2 of 2 and 10 of 16 kits work at their limits', async () => {
    await core.sessions.signIn(director.username, director.passphrase);
    const small = await createRecoveryKit(deps(), core.sessions.require().archive, { threshold: 2, total: 2 });
    await core.sessions.lock('manual');
    await expect(recover(small.shares.map((s) => s.text), newPassphrase(1))).resolves.toEqual({ username: director.username });
    await core.sessions.signIn(director.username, newPassphrase(1));
    const large = await createRecoveryKit(deps(), core.sessions.require().archive, { threshold: 10, total: 16 });
    await core.sessions.lock('manual');
    const ten = large.shares.slice(6).map((s) => s.text);
    await expectArchiveError(recover(ten.slice(1), newPassphrase(2)), 'RECOVERY_TOO_FEW_SHARES');
    await expect(recover(ten, newPassphrase(2))).resolves.toEqual({ username: director.username });
    await core.sessions.signIn(director.username, newPassphrase(2));
  });
});

describe('recovering', () => {
  test('every 3 of the 5 shares recovers (all 10 sets, in any order), and so do 4 and all 5', async () => {
    const sets = [...subsets([1, 2, 3, 4, 5], 3), [2, 5, 1, 4], [5, 4, 3, 2, 1]];
    expect(sets).toHaveLength(12);
    for (const [n, set] of sets.entries()) {
      const shares = texts(...(n % 2 === 0 ? set : [...set].reverse()));
      await expect(recover(shares, newPassphrase(n)), set.join(',')).resolves.toEqual({ username: director.username });
      await core.sessions.signIn(director.username, newPassphrase(n));
      await core.sessions.lock('manual');
    }
    await expectSignInFails(director.passphrase);
  });

  test('afterwards the director signs in with the new passphrase, reads restricted content as before, and the audit chain holds', async () => {
    // Recovery also lifts a pending forced change and the sign-in delay, as for a forgotten passphrase.
    await core.sessions.signIn(director.username, director.passphrase);
    const directorId = core.sessions.require().archive.user.id;
    core.sessions.require().archive.db.sqlite.prepare('UPDATE users SET must_change_passphrase = 1 WHERE id = ?').run(directorId);
    await core.sessions.lock('manual');
    const k = readKeyring(keyringPath());
    const entry = k.users.find((u) => u.id === directorId);
    if (!entry) throw new Error('no director entry');
    k.throttle = { failures: 3, lastFailureAt: Date.now() };
    writeKeyring(keyringPath(), k);

    // A disabled account is not re-enabled by shares (that is a director's decision): refused, nothing written.
    writeKeyring(keyringPath(), { ...k, users: k.users.map((u) => (u.id === directorId ? { ...u, disabled: true } : u)) });
    const disabledBytes = readFileSync(keyringPath(), 'utf8');
    const refused = await expectArchiveError(recover(texts(1, 2, 3), newPassphrase(7)), 'RECOVERY_NO_KIT');
    expect(refused.message).toMatch(/disabled/);
    expect(readFileSync(keyringPath(), 'utf8')).toBe(disabledBytes);
    writeKeyring(keyringPath(), k);

    // Typed by hand: lower case, spaces instead of dashes.
    const typed = texts(4, 1, 3).map((t) => t.toLowerCase().replace(/-/g, ' '));
    await expect(recover(typed, newPassphrase(7))).resolves.toEqual({ username: director.username });
    const after = readKeyring(keyringPath());
    expect(after.throttle).toEqual({ failures: 0, lastFailureAt: null });
    expect(after.users.find((u) => u.id === directorId)).toMatchObject({ disabled: false, boxPublicKey: entry.boxPublicKey, signPublicKey: entry.signPublicKey });
    expect(after.recovery?.kitId).toBe(kit.kitId);

    await expectSignInFails(director.passphrase);
    await core.sessions.signIn(director.username, newPassphrase(7));
    const { records, archive } = core.sessions.require();
    const t = await records.testimonies.get(restricted.testimonyId, records.actor);
    expect(t).toMatchObject({ contentVisible: true, narrative: `Dëshmi e mbrojtur ${restricted.marker}` });
    const p = await records.persons.get(restricted.personId, records.actor);
    expect(p).toMatchObject({ identityVisible: true, contact: `+383 44 ${restricted.marker}` });
    expect(archive.db.sqlite.prepare('SELECT must_change_passphrase, disabled_at FROM users WHERE id = ?').get(directorId)).toEqual({ must_change_passphrase: 0, disabled_at: null });

    const log = archive.db.sqlite.prepare("SELECT action, actor, subject_kind, subject_id, detail FROM audit_log WHERE action IN ('recovery.kit-created', 'account.recovered') ORDER BY seq").all();
    expect(log).toEqual([
      { action: 'recovery.kit-created', actor: directorId, subject_kind: 'recovery-kit', subject_id: kit.kitId, detail: JSON.stringify({ kitId: kit.kitId, threshold: 3, total: 5 }) },
      { action: 'account.recovered', actor: null, subject_kind: 'user', subject_id: directorId, detail: JSON.stringify({ kitId: kit.kitId, shares: 3 }) },
    ]);
    expect(JSON.stringify(archive.db.sqlite.prepare('SELECT detail FROM audit_log').all())).not.toMatch(/TA1/i);
    expect((await verifyAuditChain(archive.db.kysely)).firstBreak).toBeNull();
  });

  test('after the master key was rotated and re-sealed to the kit, recovery wraps the new master key', async () => {
    await core.sessions.signIn(director.username, director.passphrase);
    const { archive } = core.sessions.require();
    const newMaster = core.sodium.randombytes_buf(32);
    // What a rotation does, in short: rekey the database, then re-seal the new key to the kit without its shares.
    archive.db.sqlite.pragma('journal_mode = DELETE');
    archive.db.sqlite.rekey(Buffer.from(`x'${Buffer.from(newMaster).toString('hex')}'`));
    archive.db.sqlite.pragma('journal_mode = WAL');
    const k = readKeyring(keyringPath());
    if (!k.recovery) throw new Error('no kit');
    k.recovery.sealedMaster = sealMasterForRecovery(core.sodium, k.recovery, newMaster);
    writeKeyring(keyringPath(), k);
    await core.sessions.lock('manual');
    // The old wrap holds the old key, which no longer opens the database.
    await expectArchiveError(core.sessions.signIn(director.username, director.passphrase), 'ARCHIVE_DAMAGED');

    await recover(texts(2, 3, 5), newPassphrase(3));
    await core.sessions.signIn(director.username, newPassphrase(3));
    expect(core.sessions.require().archive.secrets.masterKey).toEqual(newMaster);
    const { records } = core.sessions.require();
    expect(await records.testimonies.get(restricted.testimonyId, records.actor)).toMatchObject({ contentVisible: true });
  });
});

describe('refusals: each its own code, naming the share, and nothing written', () => {
  let before: Buffer;
  beforeEach(() => {
    before = keyringBytes();
  });
  afterEach(async () => {
    expect(keyringBytes().equals(before)).toBe(true);
    // The old passphrase still works: nothing was reset.
    await core.sessions.signIn(director.username, director.passphrase);
    const n = core.sessions.require().archive.db.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'account.recovered'").get();
    expect(n).toEqual({ n: 0 });
  });

  test('fewer shares than the threshold: says how many are needed', async () => {
    for (const set of [[1, 2], [5], []]) {
      const e = await expectArchiveError(recover(texts(...set), newPassphrase(1)), 'RECOVERY_TOO_FEW_SHARES');
      expect(e.message).toMatch(/^3 different shares/);
      expect(e.details).toEqual({ needed: 3 });
    }
  });

  test('a share with one character changed is damaged, and named by its place', async () => {
    const good = texts(1, 2, 3);
    const original = good[1] ?? '';
    const i = 20;
    const changed = original.slice(0, i) + (original[i] === 'K' ? 'M' : 'K') + original.slice(i + 1);
    const e = await expectArchiveError(recover([good[0] ?? '', changed, good[2] ?? ''], newPassphrase(1)), 'RECOVERY_SHARE_DAMAGED');
    expect(e.message).toMatch(/^Share 2 /);
    expect(e.details).toEqual({ share: 2 });
    const cut = await expectArchiveError(recover([...good, original.slice(0, -6)], newPassphrase(1)), 'RECOVERY_SHARE_DAMAGED');
    expect(cut.message).toMatch(/^Share 4 .*incomplete/);
  });

  test('the same share twice is a duplicate, even typed differently', async () => {
    const [a = '', b = ''] = texts(1, 4);
    const e = await expectArchiveError(recover([a, b, a.toLowerCase()], newPassphrase(1)), 'RECOVERY_SHARE_DUPLICATE');
    expect(e.message).toMatch(/^Shares 1 and 3 /);
    expect(e.details).toEqual({ share: 3 });
  });

  test('a share from another archive', async () => {
    const other = tempDir('ta-recovery-other-');
    try {
      const otherCore = await makeCore(join(other.path, 'archive'));
      await otherCore.sessions.create(createInput(director));
      const otherKit = await createRecoveryKit(deps(), otherCore.sessions.require().archive, { threshold: 3, total: 5 });
      await otherCore.sessions.lock('quit');
      const e = await expectArchiveError(recover([...texts(1, 2), otherKit.shares[2]?.text ?? ''], newPassphrase(1)), 'RECOVERY_SHARE_OTHER_ARCHIVE');
      expect(e.message).toMatch(/^Share 3 /);
      expect(e.details).toEqual({ share: 3 });
    } finally {
      other.cleanup();
    }
  });

  test('shares of a replaced kit, alone or mixed with the new one, do not match', async () => {
    await core.sessions.signIn(director.username, director.passphrase);
    const newKit = await createRecoveryKit(deps(), core.sessions.require().archive, { threshold: 3, total: 5 });
    await core.sessions.lock('manual');
    expect(recoveryStatus(folder).kit?.kitId).toBe(newKit.kitId);
    before = keyringBytes();
    await expectArchiveError(recover(texts(1, 2, 3), newPassphrase(1)), 'RECOVERY_SHARES_MISMATCH');
    const e = await expectArchiveError(recover([newKit.shares[0]?.text ?? '', texts(2)[0] ?? '', newKit.shares[2]?.text ?? ''], newPassphrase(1)), 'RECOVERY_SHARES_MISMATCH');
    expect(e.message).toMatch(/^Share 2 .*earlier recovery kit/);
    expect(e.message).toContain(newKit.fingerprint);
  });

  test('a share altered with a valid checksum combines to a wrong key, which the commitment refuses', async () => {
    const [a = '', b = '', c = ''] = texts(1, 3, 5);
    const p = parseShare(core.sodium, b);
    if (!p.ok) throw new Error(p.problem);
    p.fields.share[0] = (p.fields.share[0] ?? 0) ^ 1;
    const forged = formatShare(core.sodium, p.fields);
    const e = await expectArchiveError(recover([a, forged, c], newPassphrase(1)), 'RECOVERY_SHARES_MISMATCH');
    expect(e.message).toMatch(/do not combine/);
  });

  test('a weak new passphrase or two different ones', async () => {
    await expectArchiveError(recover(texts(1, 2, 3), 'drita1999'), 'PASSPHRASE_TOO_SHORT');
    await expectArchiveError(recover(texts(1, 2, 3), 'drita.krasniqi2024'), 'PASSPHRASE_WEAK');
    await expectArchiveError(recover(texts(1, 2, 3), newPassphrase(1), newPassphrase(2)), 'PASSPHRASE_MISMATCH');
  });

  test('no kit, or a kit whose director is gone', async () => {
    const k = readKeyring(keyringPath());
    const { recovery, ...withoutKit } = k;
    if (!recovery) throw new Error('no kit');
    writeKeyring(keyringPath(), withoutKit);
    expect(recoveryStatus(folder)).toEqual({ kit: null });
    await expectArchiveError(recover(texts(1, 2, 3), newPassphrase(1)), 'RECOVERY_NO_KIT');
    writeKeyring(keyringPath(), { ...withoutKit, recovery: { ...recovery, directorId: randomUUID() } });
    const e = await expectArchiveError(recover(texts(1, 2, 3), newPassphrase(1)), 'RECOVERY_NO_KIT');
    expect(e.message).toMatch(/new kit/);
    writeFileSync(keyringPath(), before);
  });
});
