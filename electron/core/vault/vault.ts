// Creates archives and unlocks them: keyring + database, key wrapping, and the sign-in throttle.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { codePointLength, limits, normaliseUsername, usernamePattern } from '../../../shared/domain/limits';
import type { Role } from '../../../shared/domain/roles';
import { deriveKek, newKdfParams, unwrapKey, wrapKey, type KdfCost, type KdfParams } from '../crypto/kdf';
import { decodeSecrets, encodeSecrets, newBoxKeyPair, newKeyId, newMasterKey, newSignKeyPair, wipeSecrets, type UserSecrets } from '../crypto/keys';
import { wipe, type Sodium } from '../crypto/sodium';
import { migrate } from '../db/migrate';
import { mapSqliteError, openDatabase, type ArchiveDb } from '../db/open-database';
import { ArchiveError, isArchiveError } from '../errors';
import { createUsersRepo } from '../accounts/users-repo';
import { sweepAtomicLeftovers } from './atomic-file';
import { beginRotation, finishRotation, rekeyDatabase, removeFromDatabase, sweepRotationLeftovers, type RotationStep } from './rotation';
import { archivePaths, keyringFormat, keyringVersion, readKeyring, wrapAd, writeKeyring, type Keyring, type KeyringUser } from './keyring';
import { readPendingKeyring, resolvePendingKeyring, type KeyringHooks } from './keyring-commit';
import type { PassphrasePolicy } from './passphrase-policy';

export type VaultDeps = {
  sodium: Sodium;
  /** Milliseconds since the epoch. */
  now: () => number;
  policy: PassphrasePolicy;
  /** Argon2id cost for passphrases (DESIGN.md: ops 3, 256 MiB); tests may lower it. */
  kdfCost: KdfCost;
  /** Argon2id cost for the username hash: cheap enough per sign-in, costly enough to slow a list attack. */
  usernameKdfCost: KdfCost;
  nativeBinding?: string | undefined;
  keyringHooks?: KeyringHooks;
  /** Test hook of the master-key rotation (rotation.ts): the crash tests kill the process at a step. */
  onRotationStep?: (step: RotationStep) => void;
};

export type ArchiveUser = { id: string; username: string; displayName: string; role: Role; mustChangePassphrase: boolean };

/** An open archive for one signed-in user. `close()` closes the database and wipes every key. */
export type UnlockedArchive = {
  folder: string;
  archiveId: string;
  user: ArchiveUser;
  secrets: UserSecrets;
  db: ArchiveDb;
  /** Failed sign-ins (any username) since the last success, for the audit log; null when there were none. */
  failedSignIns: FailedSignIns;
  close(): Promise<void>;
};

export type FailedSignIns = { count: number; lastAt: number | null } | null;

export type CreateInput = {
  username: string;
  displayName: string;
  passphrase: string;
  passphraseConfirm: string;
  /** A training archive: marked in the keyring (readable while locked) and loaded with the demo records. */
  training?: boolean | undefined;
};

export type CreateOptions = {
  /**
   * Runs on the new, unlocked archive before `create` returns (e.g. loading the training records). If it fails,
   * the archive is removed again: nothing half-made stays behind.
   */
  afterCreate?: (archive: UnlockedArchive) => Promise<void>;
};

export const defaultUsernameKdfCost: KdfCost = { opsLimit: 2, memLimitBytes: 16 * 1024 * 1024 };

/** Failures allowed before delays start, and the delay schedule (doubling, capped). */
export const throttlePolicy = { freeFailures: 5, firstDelayMs: 30_000, maxDelayMs: 60 * 60_000 } as const;

export function retryAtFor(throttle: Keyring['throttle'], now: number): number | null {
  if (throttle.failures < throttlePolicy.freeFailures || throttle.lastFailureAt === null) return null;
  const exp = Math.min(throttle.failures - throttlePolicy.freeFailures, 20);
  const delay = Math.min(throttlePolicy.firstDelayMs * 2 ** exp, throttlePolicy.maxDelayMs);
  // A failure stamped in the future (the clock was set back since) counts from now, so a wrong clock
  // cannot lock staff out for longer than the longest delay.
  return Math.min(throttle.lastFailureAt, now) + delay;
}

export { archivePaths };

/** The keyring's username hash: Argon2id of the normalised name, so the file does not list who works here. */
export function hashUsername(sodium: Sodium, username: string, params: KdfParams): Uint8Array {
  return deriveKek(sodium, `testimony-archive/username|${normaliseUsername(username)}`, params);
}

/** Wraps a user's secrets with their passphrase (Argon2id KEK, XChaCha20-Poly1305 bound to archive, user and role). */
export function wrapUserSecrets(sodium: Sodium, kdfCost: KdfCost, who: { archiveId: string; userId: string; role: Role }, passphrase: string, secrets: UserSecrets) {
  const kdf = newKdfParams(sodium, kdfCost);
  const kek = deriveKek(sodium, passphrase, kdf);
  const blob = encodeSecrets(secrets);
  try {
    return { kdf, secrets: wrapKey(sodium, kek, blob, wrapAd(who.archiveId, who.userId, who.role)) };
  } finally {
    wipe(kek, blob);
  }
}

/** Unwraps a keyring entry's secrets with a passphrase; AUTH_FAILED when it does not open. */
export function unwrapUserSecrets(sodium: Sodium, keyring: Keyring, entry: KeyringUser, passphrase: string): UserSecrets {
  const kek = deriveKek(sodium, passphrase, entry.kdf);
  try {
    return decodeSecrets(unwrapKey(sodium, kek, entry.secrets, wrapAd(keyring.archiveId, entry.id, entry.role)));
  } finally {
    wipe(kek);
  }
}

/**
 * Puts the entry's current master key into `secrets`: a master key rotated after the wrap was made is sealed to the
 * user's box key (entry.sealedMaster) and replaces the one inside the wrap.
 */
export function applySealedMaster(sodium: Sodium, entry: KeyringUser, secrets: UserSecrets): void {
  if (!entry.sealedMaster) return;
  const publicKey = Buffer.from(entry.boxPublicKey, 'base64');
  let master: Uint8Array;
  try {
    master = sodium.crypto_box_seal_open(Buffer.from(entry.sealedMaster, 'base64'), publicKey, secrets.boxSecretKey);
  } catch {
    throw new ArchiveError('ARCHIVE_DAMAGED', 'The keyring entry of this user is damaged (sealed master key).');
  }
  wipe(secrets.masterKey);
  secrets.masterKey = master;
}

/** Same wrapped secrets and role: the entry a user unlocked with is still theirs. */
function sameWrap(a: KeyringUser, b: KeyringUser): boolean {
  return a.role === b.role && a.secrets.ciphertext === b.secrets.ciphertext && a.secrets.nonce === b.secrets.nonce;
}

export function createVault(deps: VaultDeps) {
  const { sodium } = deps;

  const usernameHash = (username: string, params: KdfParams) => hashUsername(sodium, username, params);

  function findUser(keyring: Keyring, username: string): KeyringUser | undefined {
    const h = usernameHash(username, keyring.usernameKdf);
    try {
      // Compare against every entry, without an early exit, so timing does not tell which entry matched.
      let found: KeyringUser | undefined;
      for (const u of keyring.users) {
        if (sodium.memcmp(h, Buffer.from(u.usernameHash, 'base64'))) found ??= u;
      }
      return found;
    } finally {
      wipe(h);
    }
  }

  function validateUsername(username: string): string {
    const n = normaliseUsername(username);
    const len = codePointLength(n);
    if (len < limits.usernameMin || len > limits.usernameMax || !usernamePattern.test(n)) {
      throw new ArchiveError('IPC_BAD_INPUT', 'The username may hold letters, digits, dot, dash and underscore (3 to 64).');
    }
    return n;
  }

  const wrapSecretsFor = (archiveId: string, userId: string, role: Role, passphrase: string, secrets: UserSecrets) =>
    wrapUserSecrets(sodium, deps.kdfCost, { archiveId, userId, role }, passphrase, secrets);

  async function openAndMigrate(folder: string, masterKey: Uint8Array, create: boolean): Promise<ArchiveDb> {
    const db = openDatabase(archivePaths(folder).database, masterKey, { create, nativeBinding: deps.nativeBinding });
    try {
      await migrate(db.kysely, () => new Date(deps.now()));
      return db;
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  function unlocked(folder: string, archiveId: string, user: ArchiveUser, secrets: UserSecrets, db: ArchiveDb, failedSignIns: FailedSignIns): UnlockedArchive {
    let closed = false;
    return {
      folder,
      archiveId,
      user,
      secrets,
      db,
      failedSignIns,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await db.close();
        } finally {
          wipeSecrets(secrets);
        }
      },
    };
  }

  /** Creates a new archive in `folder` with its first account, the director. */
  async function create(folder: string, input: CreateInput, options: CreateOptions = {}): Promise<UnlockedArchive> {
    const username = validateUsername(input.username);
    const displayName = input.displayName.normalize('NFC').trim();
    if (!displayName || codePointLength(displayName) > limits.displayNameMax) {
      throw new ArchiveError('IPC_BAD_INPUT', 'A display name is required (at most 120 characters).');
    }
    deps.policy.require(input.passphrase, [username, displayName]);
    if (input.passphrase.normalize('NFKC') !== input.passphraseConfirm.normalize('NFKC')) {
      throw new ArchiveError('PASSPHRASE_MISMATCH', 'The two passphrases are not the same.');
    }
    const paths = archivePaths(folder);
    if (existsSync(paths.keyring) || existsSync(paths.database)) {
      throw new ArchiveError('ARCHIVE_EXISTS', 'This folder already holds an archive.');
    }
    let madeFrom: string | undefined;
    try {
      madeFrom = mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch {
      throw new ArchiveError('ARCHIVE_UNWRITABLE', 'The archive folder cannot be created.');
    }

    const archiveId = randomUUID();
    const userId = randomUUID();
    const box = newBoxKeyPair(sodium);
    const sign = newSignKeyPair(sodium);
    const archiveSigning = newSignKeyPair(sodium);
    const secrets: UserSecrets = {
      masterKey: newMasterKey(sodium),
      boxSecretKey: box.privateKey,
      signSecretKey: sign.privateKey,
      archiveSigningSecretKey: archiveSigning.privateKey,
    };
    const usernameKdf = newKdfParams(sodium, deps.usernameKdfCost);
    const createdAt = new Date(deps.now()).toISOString();
    let db: ArchiveDb | undefined;
    let wroteKeyring = false;
    try {
      const wrap = wrapSecretsFor(archiveId, userId, 'director', input.passphrase, secrets);
      const uh = usernameHash(username, usernameKdf);
      const keyring: Keyring = {
        format: keyringFormat,
        version: keyringVersion,
        archiveId,
        createdAt,
        usernameKdf,
        signing: { keyId: newKeyId(sodium), publicKey: Buffer.from(archiveSigning.publicKey).toString('base64') },
        users: [
          {
            id: userId,
            usernameHash: Buffer.from(uh).toString('base64'),
            role: 'director',
            kdf: wrap.kdf,
            secrets: wrap.secrets,
            boxPublicKey: Buffer.from(box.publicKey).toString('base64'),
            signPublicKey: Buffer.from(sign.publicKey).toString('base64'),
            disabled: false,
          },
        ],
        throttle: { failures: 0, lastFailureAt: null },
        ...(input.training ? { training: true as const } : {}),
      };
      wipe(uh);
      db = await openAndMigrate(folder, secrets.masterKey, true);
      await db.kysely.transaction().execute(async (trx) => {
        await createUsersRepo(trx).insert({ id: userId, username, display_name: displayName, role: 'director', created_at: createdAt });
        await trx.insertInto('archive_meta').values([
          { key: 'archive_id', value: archiveId },
          { key: 'created_at', value: createdAt },
        ]).execute();
      });
      // The keyring is written last: its presence is what makes the folder an archive.
      writeKeyring(paths.keyring, keyring, deps.keyringHooks);
      wroteKeyring = true;
      const archive = unlocked(folder, archiveId, { id: userId, username, displayName, role: 'director', mustChangePassphrase: false }, secrets, db, null);
      // Records written as the new director need the keyring (readers of sealed content), so this runs after it.
      if (options.afterCreate) await options.afterCreate(archive);
      return archive;
    } catch (e) {
      await db?.close();
      wipeSecrets(secrets);
      // This call made the folder an archive (ARCHIVE_EXISTS was checked above), so it may unmake it.
      if (wroteKeyring) rmSync(paths.keyring, { force: true });
      // Nothing half-made stays behind: without a keyring the database could never be opened anyway.
      if (!existsSync(paths.keyring)) {
        for (const f of [paths.database, `${paths.database}-wal`, `${paths.database}-shm`]) rmSync(f, { force: true });
        // Folders this call made go too, while empty (a full or read-only disk must not collect empty archive folders).
        if (madeFrom !== undefined) removeEmptyFolders(folder, madeFrom);
      }
      throw isArchiveError(e) ? e : new ArchiveError('ARCHIVE_UNWRITABLE', 'The archive could not be created.');
    }
  }

  function recordFailure(keyringPath: string): void {
    const fresh = readKeyring(keyringPath);
    fresh.throttle = { failures: fresh.throttle.failures + 1, lastFailureAt: deps.now() };
    writeKeyring(keyringPath, fresh, deps.keyringHooks);
  }

  /** When the next sign-in may be tried, or null if now. */
  function throttleState(folder: string): { failures: number; retryAt: number | null } {
    const k = readKeyring(archivePaths(folder).keyring);
    const retryAt = retryAtFor(k.throttle, deps.now());
    return { failures: k.throttle.failures, retryAt: retryAt !== null && retryAt > deps.now() ? retryAt : null };
  }

  /** Opens the database with the user's current master key, or with the rotation's new key if the rekey landed. */
  async function openCurrent(folder: string, keyring: Keyring, entry: KeyringUser, secrets: UserSecrets): Promise<ArchiveDb> {
    try {
      return await openAndMigrate(folder, secrets.masterKey, false);
    } catch (e) {
      const sealed = keyring.rotation?.sealedMasters[entry.id];
      if (!sealed || !isArchiveError(e) || e.code !== 'ARCHIVE_KEY_REJECTED') throw e;
      const next = sodium.crypto_box_seal_open(Buffer.from(sealed, 'base64'), Buffer.from(entry.boxPublicKey, 'base64'), secrets.boxSecretKey);
      const db = await openAndMigrate(folder, next, false);
      wipe(secrets.masterKey);
      secrets.masterKey = next;
      return db;
    }
  }

  /**
   * Finishes a user removal that a crash interrupted (roll forward): whoever signs in next holds both keys.
   * Returns the database open with the new key.
   */
  async function resumeRotation(folder: string, entry: KeyringUser, secrets: UserSecrets, db: ArchiveDb): Promise<ArchiveDb> {
    const keyring = readKeyring(archivePaths(folder).keyring);
    const rotation = keyring.rotation;
    if (!rotation) return db;
    const sealed = rotation.sealedMasters[entry.id];
    if (!sealed) return db;
    const next = sodium.crypto_box_seal_open(Buffer.from(sealed, 'base64'), Buffer.from(entry.boxPublicKey, 'base64'), secrets.boxSecretKey);
    const rotationDeps = { sodium, now: deps.now, nativeBinding: deps.nativeBinding, keyringHooks: deps.keyringHooks, onStep: deps.onRotationStep };
    let opened: ArchiveDb | null = db;
    try {
      // Opened with the old key: the database part may not have run yet (it is idempotent).
      const row = await createUsersRepo(db.kysely).byId(rotation.removeUserId);
      if (row && row.removed_at === null) await removeFromDatabase(db.kysely, rotation.removeUserId, new Date(deps.now()).toISOString(), null);
      await rekeyDatabase(rotationDeps, folder, db, secrets.masterKey, next);
      opened = null;
      finishRotation(rotationDeps, folder);
      opened = await openAndMigrate(folder, next, false);
      wipe(secrets.masterKey);
      secrets.masterKey = next;
      return opened;
    } catch (e) {
      await opened?.close();
      wipe(next);
      throw e;
    }
  }

  /**
   * Unlocks the archive for one user. A wrong username or passphrase writes only the failure counter;
   * an unknown user costs the same work as a known one and gets the same answer.
   */
  async function unlock(folder: string, usernameRaw: string, passphrase: string): Promise<UnlockedArchive> {
    const paths = archivePaths(folder);
    const keyring = readKeyring(paths.keyring);
    const retryAt = retryAtFor(keyring.throttle, deps.now());
    if (retryAt !== null && retryAt > deps.now()) {
      throw new ArchiveError('AUTH_LOCKED_OUT', 'Too many failed sign-ins; wait before trying again.', { retryAt });
    }
    // A keyring change interrupted by a crash (keyring-commit.ts): its entry is tried too, since the database
    // that tells whether it committed opens only after a wrap does.
    const pending = readPendingKeyring(folder);
    const entry = findUser(keyring, usernameRaw);
    const pendingEntry = pending ? findUser(pending, usernameRaw) : undefined;
    const kdf = entry?.kdf ?? keyring.users[0]?.kdf;
    if (!kdf) throw new ArchiveError('ARCHIVE_DAMAGED', 'The keyring holds no users.');
    // A user being removed (rotation interrupted) is refused like a disabled one.
    const usable = (e: KeyringUser | undefined): e is KeyringUser => e !== undefined && !e.disabled && keyring.rotation?.removeUserId !== e.id;
    let secrets: UserSecrets | undefined;
    let used: KeyringUser | undefined;
    try {
      for (const [k, e] of [[keyring, entry], [pending, pendingEntry]] as const) {
        if (secrets || !k || (e && used && sameWrap(e, used))) continue;
        // An unknown user costs the same work as a known one (the first entry's KDF) and gets the same answer.
        const kek = deriveKek(sodium, passphrase, e?.kdf ?? kdf);
        try {
          if (!usable(e)) throw new ArchiveError('AUTH_FAILED', 'Wrong username or passphrase.');
          used = e;
          secrets = decodeSecrets(unwrapKey(sodium, kek, e.secrets, wrapAd(k.archiveId, e.id, e.role)));
        } catch (err) {
          if (!isArchiveError(err) || err.code !== 'AUTH_FAILED') throw err;
        } finally {
          wipe(kek);
        }
      }
      if (!secrets || !used) throw new ArchiveError('AUTH_FAILED', 'Wrong username or passphrase.');
    } catch (e) {
      if (isArchiveError(e) && e.code === 'AUTH_FAILED') recordFailure(paths.keyring);
      throw e;
    }
    const failedBefore = keyring.throttle.failures > 0 ? { count: keyring.throttle.failures, lastAt: keyring.throttle.lastFailureAt } : null;
    let db: ArchiveDb;
    let current: Keyring;
    try {
      applySealedMaster(sodium, used, secrets);
      sweepAtomicLeftovers(paths.keyring);
      if (keyring.throttle.failures > 0) {
        const fresh = readKeyring(paths.keyring);
        fresh.throttle = { failures: 0, lastFailureAt: null };
        writeKeyring(paths.keyring, fresh, deps.keyringHooks);
      }
      db = await openCurrent(folder, keyring, used, secrets);
      current = keyring;
      if (pending) {
        await resolvePendingKeyring(db.kysely, folder);
        current = readKeyring(paths.keyring);
      }
      if (current.rotation) db = await resumeRotation(folder, used, secrets, db);
      else sweepRotationLeftovers(folder);
    } catch (e) {
      // Every way out after the unwrap wipes the keys, including a keyring that cannot be rewritten.
      wipeSecrets(secrets);
      // The key came out of an authenticated wrap, so a rejected key means the file was damaged or replaced.
      if (isArchiveError(e) && (e.code === 'ARCHIVE_KEY_REJECTED' || e.code === 'ARCHIVE_NOT_FOUND')) {
        throw new ArchiveError('ARCHIVE_DAMAGED', 'The archive database is damaged, missing or was replaced.');
      }
      throw mapSqliteError(e);
    }
    const final = current.users.find((u) => u.id === used.id);
    if (!final || !usable(final) || !sameWrap(final, used)) {
      // The wrap that opened came from a change that never committed (or was just undone): it is not this user's.
      await db.close();
      wipeSecrets(secrets);
      recordFailure(paths.keyring);
      throw new ArchiveError('AUTH_FAILED', 'Wrong username or passphrase.');
    }
    try {
      const row = await createUsersRepo(db.kysely).byId(used.id);
      if (!row || row.role !== used.role || row.removed_at !== null) throw new ArchiveError('ARCHIVE_DAMAGED', 'The keyring and the database disagree about this user.');
      const user = { id: row.id, username: row.username, displayName: row.display_name, role: row.role, mustChangePassphrase: row.must_change_passphrase === 1 };
      return unlocked(folder, keyring.archiveId, user, secrets, db, failedBefore);
    } catch (e) {
      await db.close();
      wipeSecrets(secrets);
      // A damaged page under the users table surfaces here as SQLITE_CORRUPT/NOTADB: an archive error, not a crash.
      throw mapSqliteError(e);
    }
  }

  /**
   * Removes a user for good and rotates the master key (DESIGN.md section 3), crash-safe (see rotation.ts).
   * Takes the signed-in director's archive and returns it reopened with the new key; the old handle is spent.
   */
  async function removeUser(archive: UnlockedArchive, userId: string): Promise<UnlockedArchive> {
    const rotationDeps = { sodium, now: deps.now, nativeBinding: deps.nativeBinding, keyringHooks: deps.keyringHooks, onStep: deps.onRotationStep };
    const next = newMasterKey(sodium);
    try {
      beginRotation(rotationDeps, archive.folder, userId, next);
      await removeFromDatabase(archive.db.kysely, userId, new Date(deps.now()).toISOString(), archive.user.id);
      deps.onRotationStep?.('db-updated');
      await rekeyDatabase(rotationDeps, archive.folder, archive.db, archive.secrets.masterKey, next);
      finishRotation(rotationDeps, archive.folder);
    } catch (e) {
      wipe(next);
      throw mapSqliteError(e);
    }
    let db: ArchiveDb;
    try {
      db = await openAndMigrate(archive.folder, next, false);
    } catch (e) {
      // The removal is complete on disk; the session ends (the caller locks) and the new key leaves memory.
      wipe(next);
      throw mapSqliteError(e);
    }
    wipe(archive.secrets.masterKey);
    archive.secrets.masterKey = next;
    return unlocked(archive.folder, archive.archiveId, archive.user, archive.secrets, db, null);
  }

  return { create, unlock, throttleState, removeUser };
}

export type Vault = ReturnType<typeof createVault>;

/** Removes `folder` and its parents up to `top` (the first one mkdir made), stopping at the first that is not empty. */
function removeEmptyFolders(folder: string, top: string): void {
  for (let dir = folder; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === top || dirname(dir) === dir) return;
  }
}
