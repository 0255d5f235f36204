// The one current session of the app: which archive folder, who is signed in, and when to lock.
import { appendAudit } from '../audit/audit-chain';
import { sweepAttachmentOrphans } from '../attachments/attachments-service';
import { lockCheckpointSigner, signCheckpoint } from '../audit/checkpoints';
import type { AppStatus, SessionInfo } from '../../../shared/ipc/contract';
import { allowedMethods } from '../access/policy';
import { mapSqliteError } from '../db/open-database';
import { ArchiveError } from '../errors';
import type { Role } from '../../../shared/domain/roles';
import type { AccountsService } from '../accounts/accounts-service';
import type { Records } from '../records/records-context';
import { createSettingsService, type SettingsService } from '../settings/settings-service';
import { archivePaths, type CreateInput, type UnlockedArchive, type Vault } from './vault';
import { isTrainingArchive, keyringExists, readKeyring } from './keyring';

export type LockReason = 'manual' | 'idle' | 'os-lock' | 'suspend' | 'quit' | 'switch-user';

export type SessionManagerDeps = {
  vault: Vault;
  now: () => number;
  /** The folder used until the user picks another (the app's data folder in the app). */
  initialFolder: string;
  /** Native folder picker in the app; null when cancelled. */
  pickFolder: () => Promise<string | null>;
  /** Told after every lock, so main can clear the renderer (back to sign-in). */
  onLocked?: (reason: LockReason) => void;
  /** Awaited at every lock, before the database closes: work of the session kept outside it stops (exports). */
  beforeClose?: () => Promise<void>;
  /** Remembers the folder chosen, so the next start opens it. */
  rememberFolder?: (folder: string) => void;
  accounts: AccountsService;
  /** Builds the record services for a newly unlocked archive. */
  openRecords: (archive: UnlockedArchive) => Records;
  /** Loads the demo records into a new training archive, as its director; throws if they cannot be loaded. */
  seedTraining: (archive: UnlockedArchive) => Promise<void>;
};

export type ActiveSession = {
  archive: UnlockedArchive;
  settings: SettingsService;
  records: Records;
  idleTimeoutMinutes: number;
  /** Wrong current passphrases given to the change form in this session (see changePassphrase). */
  failedPassphraseChecks: number;
};

/** Wrong current passphrases a session may give before it is locked: an open laptop is no guessing machine. */
export const maxPassphraseChecks = 5;

export function createSessionManager(deps: SessionManagerDeps) {
  let folder = deps.initialFolder;
  let active: ActiveSession | null = null;
  // Sign-in, create and lock run one at a time: a double click must not open the database twice.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  function info(s: ActiveSession): SessionInfo {
    const u = s.archive.user;
    return {
      userId: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      allowed: allowedMethods(u.role),
      idleTimeoutMinutes: s.idleTimeoutMinutes,
      mustChangePassphrase: u.mustChangePassphrase,
    };
  }

  async function activate(archive: UnlockedArchive): Promise<SessionInfo> {
    const settings = createSettingsService({ db: archive.db.kysely, now: deps.now });
    let idleTimeoutMinutes: number;
    try {
      idleTimeoutMinutes = await settings.idleTimeoutMinutes();
      // Failed attempts are counted in the keyring (the database cannot be opened without a passphrase);
      // the next successful sign-in carries them into the log.
      if (archive.failedSignIns) {
        const { count, lastAt } = archive.failedSignIns;
        await appendAudit(archive.db.kysely, {
          at: new Date(deps.now()).toISOString(),
          actor: null,
          action: 'session.sign-in-failed',
          subjectKind: null,
          subjectId: null,
          detail: { count, lastAt: lastAt === null ? null : new Date(lastAt).toISOString() },
        });
      }
      await appendAudit(archive.db.kysely, { at: new Date(deps.now()).toISOString(), actor: archive.user.id, action: 'session.sign-in', subjectKind: null, subjectId: null, detail: {} });
    } catch (e) {
      // Not yet the active session, so nothing else would ever close it and wipe its keys.
      await archive.close();
      throw mapSqliteError(e);
    }
    // Files of imports a crash cut short (temp files, files without a row) go before this session can start new ones.
    await sweepAttachmentOrphans(archive).catch(() => undefined);
    active = { archive, settings, records: deps.openRecords(archive), idleTimeoutMinutes, failedPassphraseChecks: 0 };
    return info(active);
  }

  async function lockNow(reason: LockReason): Promise<boolean> {
    const s = active;
    if (!s) return false;
    active = null;
    // Recordings in progress end with the session: their temp files are removed, nothing half-made is committed.
    await s.records.attachments.cancelAllRecordings().catch(() => undefined);
    // A running integrity check stops after its current file, before the database closes under it.
    await s.records.attachments.cancelAllChecks().catch(() => undefined);
    await deps.beforeClose?.().catch(() => undefined);
    try {
      await appendAudit(s.archive.db.kysely, { at: new Date(deps.now()).toISOString(), actor: s.archive.user.id, action: 'session.lock', subjectKind: null, subjectId: null, detail: { reason } });
    } catch {
      // Locking never fails: a damaged or read-only archive is closed all the same (the gap shows in the log).
    }
    try {
      // A signed checkpoint of the log as left at this lock: the archive key for directors, the user's own otherwise.
      const signer = lockCheckpointSigner(readKeyring(archivePaths(s.archive.folder).keyring), s.archive);
      if (signer) await signCheckpoint(s.archive.db.kysely, { archiveId: s.archive.archiveId, at: new Date(deps.now()).toISOString(), reason: 'lock', signer });
    } catch {
      // Non-fatal like the lock entry: a missing checkpoint shows as a longer stretch of log after the last one.
    }
    await s.archive.close();
    deps.onLocked?.(reason);
    return true;
  }

  function requireActive(): ActiveSession {
    if (!active) throw new ArchiveError('AUTH_REQUIRED', 'Sign in first.');
    return active;
  }

  return {
    status(): AppStatus {
      const exists = keyringExists(archivePaths(folder).keyring);
      return {
        state: active ? 'unlocked' : exists ? 'locked' : 'no-archive',
        folder,
        session: active ? info(active) : null,
        // From the keyring, so the UI can mark a training archive even on the sign-in screen.
        training: exists && isTrainingArchive(archivePaths(folder).keyring),
      };
    },

    chooseFolder: () =>
      serial(async () => {
        if (active) throw new ArchiveError('ARCHIVE_BUSY', 'Lock the archive before choosing another folder.');
        const picked = await deps.pickFolder();
        if (picked) {
          folder = picked;
          deps.rememberFolder?.(picked);
        }
        return { folder, containsArchive: keyringExists(archivePaths(folder).keyring), cancelled: picked === null };
      }),

    create: (input: CreateInput) =>
      serial(async () => {
        if (active) throw new ArchiveError('ARCHIVE_BUSY', 'An archive is already open.');
        return activate(await deps.vault.create(folder, input, input.training ? { afterCreate: deps.seedTraining } : {}));
      }),

    signIn: (username: string, passphrase: string) =>
      serial(async () => {
        await lockNow('switch-user');
        return activate(await deps.vault.unlock(folder, username, passphrase));
      }),

    lock: (reason: LockReason) => serial(() => lockNow(reason)),

    /** Makes `picked` the current folder without a dialog (a restored and verified archive); refused while signed in. */
    useFolder: (picked: string) =>
      serial(async () => {
        if (active) throw new ArchiveError('ARCHIVE_BUSY', 'Lock the archive before choosing another folder.');
        folder = picked;
        deps.rememberFolder?.(picked);
      }),

    /** Runs `work` on the current folder while no one is signed in (recovery rewrites the keyring). */
    whileLocked: <T>(work: (folder: string) => Promise<T>): Promise<T> =>
      serial(async () => {
        if (active) throw new ArchiveError('ARCHIVE_BUSY', 'Lock the archive first.');
        return work(folder);
      }),

    /** The signed-in session, or AUTH_REQUIRED. */
    require: requireActive,

    current(): ActiveSession | null {
      return active;
    },

    info: (): SessionInfo => info(requireActive()),

    /** Who is calling, for the router's policy check: role and whether a one-time passphrase must be changed. */
    caller(): { role: Role; mustChangePassphrase: boolean } | null {
      return active ? { role: active.archive.user.role, mustChangePassphrase: active.archive.user.mustChangePassphrase } : null;
    },

    changePassphrase: (current: string, next: string, nextConfirm: string) =>
      serial(async () => {
        const s = requireActive();
        try {
          await deps.accounts.changeOwnPassphrase(s.archive, current, next, nextConfirm);
        } catch (e) {
          if (e instanceof ArchiveError && e.code === 'AUTH_FAILED' && ++s.failedPassphraseChecks >= maxPassphraseChecks) {
            await appendAudit(s.archive.db.kysely, { at: new Date(deps.now()).toISOString(), actor: s.archive.user.id, action: 'account.passphrase-guessing', subjectKind: 'user', subjectId: s.archive.user.id, detail: { attempts: s.failedPassphraseChecks } }).catch(() => undefined);
            await lockNow('manual');
            throw new ArchiveError('AUTH_REQUIRED', 'Too many wrong passphrases: the archive was locked. Sign in again.');
          }
          throw e;
        }
        s.failedPassphraseChecks = 0;
        return info(s);
      }),

    /**
     * Removes a user and rotates the master key: the database is closed, rekeyed and reopened under this session.
     * If it fails, the session ends (locked): the next sign-in finishes the removal; nothing runs on a spent handle.
     */
    removeUser: (userId: string) =>
      serial(async () => {
        const s = requireActive();
        await deps.accounts.checkRemovable(s.archive, userId);
        let archive: UnlockedArchive;
        try {
          archive = await deps.vault.removeUser(s.archive, userId);
        } catch (e) {
          // Whatever failed, a rotation may now be pending: the session ends, and the next sign-in finishes the
          // removal (roll forward) before anything else can change the keyring.
          await lockNow('manual');
          throw e;
        }
        s.archive = archive;
        s.settings = createSettingsService({ db: archive.db.kysely, now: deps.now });
        // The old services are dropped with the old handle: a recording they were writing is cancelled, not orphaned.
        await s.records.attachments.cancelAllRecordings().catch(() => undefined);
        await s.records.attachments.cancelAllChecks().catch(() => undefined);
        s.records = deps.openRecords(archive);
      }),

    async setIdleTimeout(minutes: number): Promise<number> {
      const s = requireActive();
      s.idleTimeoutMinutes = await s.settings.setIdleTimeoutMinutes(minutes, s.archive.user.id);
      return s.idleTimeoutMinutes;
    },

    /** Locks when the user has been idle (no input anywhere, as the OS reports it) for the timeout. */
    async lockIfIdle(idleSeconds: number): Promise<boolean> {
      const s = active;
      if (!s || idleSeconds < s.idleTimeoutMinutes * 60) return false;
      return serial(() => lockNow('idle'));
    },
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
