// The vault on real encrypted archives: create, reopen, throttle, Unicode, passphrase policy, key wiping.
import { allowedMethods } from '../../electron/core/access/policy';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { archivePaths, throttlePolicy } from '../../electron/core/vault/vault';
import { keyringFileName, type Keyring } from '../../electron/core/vault/keyring';
import { createInput, director, directorCyrillic, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { keyringOf, listFolder, snapshotFolder } from '../fixtures/files';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A not-yet-existing archive folder inside a fresh temp dir. */
function newFolder(): string {
  const dir = tempDir();
  cleanups.push(() => dir.cleanup());
  return join(dir.path, 'archive');
}

/** The database files of a folder (archive.db and any -wal/-shm), by hash. */
function databaseFiles(folder: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshotFolder(folder)).filter(([name]) => name.startsWith('archive.db')));
}

/** The keyring without its throttle counter: what a failed sign-in must never change. */
function keyringWithoutThrottle(folder: string): Partial<Keyring> {
  const rest: Partial<Keyring> = keyringOf(folder);
  delete rest.throttle;
  return rest;
}

async function createdArchive(now?: () => number, person = director) {
  const folder = newFolder();
  const core = await makeCore(folder, now ? { now } : {});
  const info = await core.sessions.create(createInput(person));
  await core.sessions.lock('manual');
  return { folder, core, info };
}

describe('create, lock, reopen', () => {
  test('data and settings survive closing and a new engine instance', async () => {
    const folder = newFolder();
    const core = await makeCore(folder);
    expect(core.sessions.status().state).toBe('no-archive');
    const created = await core.sessions.create(createInput(director));
    expect(created).toMatchObject({ username: director.username, displayName: director.displayName, role: 'director', idleTimeoutMinutes: 5 });
    expect(await core.sessions.setIdleTimeout(17)).toBe(17);
    expect(await core.sessions.lock('manual')).toBe(true);
    expect(core.sessions.status()).toMatchObject({ state: 'locked', session: null });
    expect(listFolder(folder)).toEqual(['archive.db', keyringFileName]);

    // A restart: a new engine on the same folder.
    const restarted = await makeCore(folder);
    expect(restarted.sessions.status().state).toBe('locked');
    const info = await restarted.sessions.signIn(director.username, director.passphrase);
    expect(info).toEqual({
      userId: created.userId,
      username: director.username,
      displayName: director.displayName,
      role: 'director',
      allowed: allowedMethods('director'),
      idleTimeoutMinutes: 17,
      mustChangePassphrase: false,
    });
    expect(restarted.sessions.status()).toMatchObject({ state: 'unlocked', session: info });
    await restarted.sessions.lock('quit');
  });
});

describe('failed sign-ins', () => {
  test('a wrong passphrase is AUTH_FAILED, counts exactly one failure and leaves the database untouched', async () => {
    const { folder, core } = await createdArchive();
    const dbBefore = databaseFiles(folder);
    const keyringBefore = keyringWithoutThrottle(folder);
    expect(keyringOf(folder).throttle).toEqual({ failures: 0, lastFailureAt: null });

    const wrong = await expectArchiveError(core.sessions.signIn(director.username, `${director.passphrase}!`), 'AUTH_FAILED');
    expect(keyringOf(folder).throttle.failures).toBe(1);
    expect(databaseFiles(folder)).toEqual(dbBefore);
    expect(keyringWithoutThrottle(folder)).toEqual(keyringBefore);
    expect(core.sessions.current()).toBeNull();

    // An unknown user gets the same answer (no account enumeration) and also counts.
    const unknown = await expectArchiveError(core.sessions.signIn('nobody.here', director.passphrase), 'AUTH_FAILED');
    expect(unknown.message).toBe(wrong.message);
    expect(keyringOf(folder).throttle.failures).toBe(2);
    expect(databaseFiles(folder)).toEqual(dbBefore);
    expect(keyringWithoutThrottle(folder)).toEqual(keyringBefore);
    expect(listFolder(folder)).toEqual(['archive.db', keyringFileName]);
  });

  test('after five failures sign-in is refused without running the KDF, across restarts, until the delay passes', async () => {
    let t = Date.parse('2025-03-01T10:00:00Z');
    const clock = () => t;
    const { folder, core } = await createdArchive(clock);

    for (let i = 1; i <= throttlePolicy.freeFailures; i++) {
      t += 1000;
      await expectArchiveError(core.sessions.signIn(director.username, `wrong passphrase ${i}`), 'AUTH_FAILED');
      expect(keyringOf(folder).throttle).toEqual({ failures: i, lastFailureAt: t });
    }
    const lastFailureAt = t;
    const retryAt = lastFailureAt + throttlePolicy.firstDelayMs;
    const keyringBytes = readFileSync(archivePaths(folder).keyring);

    t += 1000;
    const kdf = vi.spyOn(core.sodium, 'crypto_pwhash');
    try {
      const refused = await expectArchiveError(core.sessions.signIn(director.username, 'wrong passphrase 6'), 'AUTH_LOCKED_OUT');
      expect(refused.details.retryAt).toBe(retryAt);
      // Even the right passphrase waits: the throttle is archive-wide and checked before any work.
      await expectArchiveError(core.sessions.signIn(director.username, director.passphrase), 'AUTH_LOCKED_OUT');
      expect(kdf).not.toHaveBeenCalled();
    } finally {
      kdf.mockRestore();
    }
    expect(readFileSync(archivePaths(folder).keyring)).toEqual(keyringBytes);
    expect(keyringOf(folder).throttle).toEqual({ failures: throttlePolicy.freeFailures, lastFailureAt });

    // The delay is stored in the keyring, so a restart does not reset it.
    const restarted = await makeCore(folder, { now: clock });
    t = retryAt - 1;
    expect(restarted.vault.throttleState(folder)).toEqual({ failures: throttlePolicy.freeFailures, retryAt });
    const again = await expectArchiveError(restarted.sessions.signIn(director.username, director.passphrase), 'AUTH_LOCKED_OUT');
    expect(again.details.retryAt).toBe(retryAt);
    expect(keyringOf(folder).throttle.failures).toBe(throttlePolicy.freeFailures);

    t = retryAt;
    expect(restarted.vault.throttleState(folder)).toEqual({ failures: throttlePolicy.freeFailures, retryAt: null });
    const info = await restarted.sessions.signIn(director.username, director.passphrase);
    expect(info.username).toBe(director.username);
    expect(keyringOf(folder).throttle).toEqual({ failures: 0, lastFailureAt: null });
    await restarted.sessions.lock('quit');
  });

  test('the delay doubles for each further failure after the free ones', async () => {
    let t = Date.parse('2025-03-01T10:00:00Z');
    const { folder, core } = await createdArchive(() => t);
    for (let i = 0; i < throttlePolicy.freeFailures; i++) {
      await expectArchiveError(core.sessions.signIn(director.username, 'not the passphrase'), 'AUTH_FAILED');
    }
    t += throttlePolicy.firstDelayMs;
    await expectArchiveError(core.sessions.signIn(director.username, 'still not the passphrase'), 'AUTH_FAILED');
    const refused = await expectArchiveError(core.sessions.signIn(director.username, director.passphrase), 'AUTH_LOCKED_OUT');
    expect(refused.details.retryAt).toBe(t + 2 * throttlePolicy.firstDelayMs);
    expect(keyringOf(folder).throttle.failures).toBe(throttlePolicy.freeFailures + 1);
  });
});

describe('Unicode', () => {
  test('a passphrase typed with a decomposed diacritic unlocks one created composed (NFKC)', async () => {
    const { core } = await createdArchive();
    const decomposed = director.passphrase.normalize('NFD');
    expect(director.passphrase).toContain('ë');
    expect(decomposed).toContain('e\u0308');
    expect(decomposed).not.toBe(director.passphrase);
    const info = await core.sessions.signIn(director.username, decomposed);
    expect(info.username).toBe(director.username);
    await core.sessions.lock('manual');
  });

  test('usernames compare after NFKC, case folding and trimming', async () => {
    const { core } = await createdArchive();
    for (const typed of ['DRITA.KRASNIQI', '  Drita.Krasniqi ', 'ｄｒｉｔａ．ｋｒａｓｎｉｑｉ']) {
      const info = await core.sessions.signIn(typed, director.passphrase);
      expect(info.username).toBe(director.username);
    }
    await core.sessions.lock('manual');

    const besa = { username: 'BESË.gashi', displayName: 'Besë Gashi', passphrase: 'Bjeshkët e Nemuna në mjegull 1912' };
    const other = await createdArchive(undefined, besa);
    const info = await other.core.sessions.signIn('bese\u0308.GASHI', besa.passphrase);
    expect(info).toMatchObject({ username: 'besë.gashi', displayName: 'Besë Gashi' });
    await other.core.sessions.lock('manual');
  });

  test('a Cyrillic director signs in, also with the username in capitals', async () => {
    const { core, folder } = await createdArchive(undefined, directorCyrillic);
    const info = await core.sessions.signIn('МИЛИЦА.ЈОВАНОВИЋ', directorCyrillic.passphrase);
    expect(info).toMatchObject({ username: directorCyrillic.username, displayName: directorCyrillic.displayName, role: 'director' });
    await core.sessions.lock('manual');
    await expectArchiveError(core.sessions.signIn('милица.јовановиц', directorCyrillic.passphrase), 'AUTH_FAILED');
    expect(keyringOf(folder).throttle.failures).toBe(1);
  });
});

describe('passphrase policy at create', () => {
  const cases = [
    { why: 'too short', passphrase: 'kratko mal', confirm: null, code: 'PASSPHRASE_TOO_SHORT' },
    { why: 'on the common list', passphrase: 'passwordpassword', confirm: null, code: 'PASSPHRASE_COMMON' },
    { why: 'on the common list in capitals and full width', passphrase: 'ＰａｓｓｗｏｒｄＰａｓｓｗｏｒｄ', confirm: null, code: 'PASSPHRASE_COMMON' },
    // Long enough and not on the list, but zxcvbn scores it 0: refused as weak.
    { why: 'long but weak', passphrase: 'aaaaaaaaaaaaaaaa', confirm: null, code: 'PASSPHRASE_WEAK' },
    { why: 'built from the username', passphrase: 'drita.krasniqi2024', confirm: null, code: 'PASSPHRASE_WEAK' },
    { why: 'not confirmed', passphrase: director.passphrase, confirm: `${director.passphrase} `, code: 'PASSPHRASE_MISMATCH' },
  ] as const;

  test.each(cases)('$why: $code, and no archive files are left', async ({ passphrase, confirm, code }) => {
    const folder = newFolder();
    const core = await makeCore(folder);
    await expectArchiveError(
      core.sessions.create({ username: director.username, displayName: director.displayName, passphrase, passphraseConfirm: confirm ?? passphrase }),
      code,
    );
    expect(listFolder(folder)).toEqual([]);
    expect(core.sessions.current()).toBeNull();
  });

  test('a folder that already holds an archive is refused with ARCHIVE_EXISTS and left as it was', async () => {
    const { folder } = await createdArchive();
    const before = snapshotFolder(folder);
    const core = await makeCore(folder);
    await expectArchiveError(core.sessions.create(createInput(directorCyrillic)), 'ARCHIVE_EXISTS');
    expect(snapshotFolder(folder)).toEqual(before);
  });

  test('a stray database without a keyring is not overwritten either', async () => {
    const folder = newFolder();
    const stray = await makeCore(folder);
    await stray.sessions.create(createInput(director));
    await stray.sessions.lock('manual');
    // Only the database is left, e.g. a half-restored backup.
    writeFileSync(join(folder, 'keep-me.txt'), 'x');
    const db = readFileSync(archivePaths(folder).database);
    rmSync(archivePaths(folder).keyring);
    const before = snapshotFolder(folder);
    const core = await makeCore(folder);
    expect(core.sessions.status().state).toBe('no-archive');
    await expectArchiveError(core.sessions.create(createInput(directorCyrillic)), 'ARCHIVE_EXISTS');
    expect(snapshotFolder(folder)).toEqual(before);
    expect(readFileSync(archivePaths(folder).database)).toEqual(db);
  });
});

describe('the keyring file', () => {
  test('never holds a username, display name or passphrase in any plain encoding', async () => {
    for (const person of [director, directorCyrillic]) {
      const { folder } = await createdArchive(undefined, person);
      const text = readFileSync(archivePaths(folder).keyring, 'utf8').toLowerCase();
      const utf8 = Buffer.from(person.username, 'utf8');
      const forbidden = [
        person.username,
        person.displayName,
        ...person.displayName.split(' '),
        person.passphrase,
        utf8.toString('base64'),
        utf8.toString('base64url'),
        utf8.toString('hex'),
        Buffer.from(person.username, 'utf16le').toString('base64'),
        Buffer.from(person.passphrase, 'utf8').toString('base64'),
        JSON.stringify(person.username).slice(1, -1),
      ];
      for (const f of forbidden) expect(text, `keyring contains ${f}`).not.toContain(f.toLowerCase());
      // The username is stored only as an Argon2id hash.
      expect(keyringOf(folder).users.map((u) => Object.keys(u).sort())).toEqual([
        ['boxPublicKey', 'disabled', 'id', 'kdf', 'role', 'secrets', 'signPublicKey', 'usernameHash'],
      ]);
    }
  });
});

describe('lock', () => {
  test('lock zeroes every key buffer and closes the SQLite handle', async () => {
    const locked: string[] = [];
    const folder = newFolder();
    const core = await makeCore(folder, { onLocked: (r) => locked.push(r) });
    await core.sessions.create(createInput(director));
    const session = core.sessions.require();
    const { secrets } = session.archive;
    const { sqlite } = session.archive.db;
    const buffers = [secrets.masterKey, secrets.boxSecretKey, secrets.signSecretKey, secrets.archiveSigningSecretKey];
    expect(buffers.map((b) => b?.length)).toEqual([32, 32, 64, 64]);
    for (const b of buffers) expect(b?.some((x) => x !== 0)).toBe(true);
    expect(sqlite.open).toBe(true);

    expect(await core.sessions.lock('manual')).toBe(true);
    for (const b of buffers) expect(b?.every((x) => x === 0)).toBe(true);
    expect(sqlite.open).toBe(false);
    expect(locked).toEqual(['manual']);
    expect(core.sessions.current()).toBeNull();
    await expectArchiveError(() => core.sessions.info(), 'AUTH_REQUIRED');
    expect(await core.sessions.lock('manual')).toBe(false);
  });

  test('the idle timeout locks, and wipes, only once the user has been idle long enough', async () => {
    const { core } = await createdArchive();
    await core.sessions.signIn(director.username, director.passphrase);
    await core.sessions.setIdleTimeout(2);
    const { secrets } = core.sessions.require().archive;
    expect(await core.sessions.lockIfIdle(119)).toBe(false);
    expect(secrets.masterKey.some((x) => x !== 0)).toBe(true);
    expect(await core.sessions.lockIfIdle(120)).toBe(true);
    expect(secrets.masterKey.every((x) => x === 0)).toBe(true);
    expect(core.sessions.current()).toBeNull();
  });
});

describe('pragmas', () => {
  test('after unlock the connection has the pragmas the design depends on', async () => {
    const { core } = await createdArchive();
    await core.sessions.signIn(director.username, director.passphrase);
    const { sqlite } = core.sessions.require().archive.db;
    const read = (name: string): unknown => sqlite.pragma(name, { simple: true });
    expect({
      temp_store: read('temp_store'),
      journal_mode: read('journal_mode'),
      synchronous: read('synchronous'),
      foreign_keys: read('foreign_keys'),
      secure_delete: read('secure_delete'),
      cipher: read('cipher'),
      cache_size: read('cache_size'),
    }).toEqual({ temp_store: 2, journal_mode: 'wal', synchronous: 2, foreign_keys: 1, secure_delete: 1, cipher: 'chacha20', cache_size: -131072 });
    await core.sessions.lock('manual');
  });
});
