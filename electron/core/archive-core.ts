// Composition root of the engine: builds the vault, passphrase policy and session manager from explicit deps.
import { createAccountsService } from './accounts/accounts-service';
import { checkBackup, restoreBackup, verifyRestored, type RestoredBackup } from './backup/backup-verifier';
import { createBackupsService } from './backup/backups-service';
import { createRestoreJobs } from './backup/restore-jobs';
import { mediaOpener } from './attachments/attachments-service';
import { createAuditService } from './audit/audit-service';
import { createCheckJobs } from './maintenance/check-jobs';
import { createSubmissionsService } from './submissions/submissions-service';
import { archivePaths, readKeyring } from './vault/keyring';
import { createRecoveryKit, recoverWithShares, recoveryStatus, type RecoveryKitOptions } from './vault/recovery';
import type { UnlockedArchive } from './vault/vault';
import { defaultKdfCost, type KdfCost } from './crypto/kdf';
import { loadSodium } from './crypto/sodium';
import { importDemoRecords } from './records/demo-records';
import { createRecords } from './records/records-context';
import { loadReferenceData } from './reference/reference-data';
import { createPassphrasePolicy } from './vault/passphrase-policy';
import { createSessionManager, type LockReason } from './vault/session-manager';
import { createVault, defaultUsernameKdfCost } from './vault/vault';
import type { KeyringHooks } from './vault/keyring-commit';
import type { RotationStep } from './vault/rotation';
import type { WriteProbe } from './files/write-errors';

export type ArchiveCoreDeps = {
  /** Folder holding common-passwords.txt, the vocabularies, the gazetteer and the demo records. */
  resourcesDir: string;
  initialFolder: string;
  pickFolder?: () => Promise<string | null>;
  now?: () => number;
  kdfCost?: KdfCost;
  usernameKdfCost?: KdfCost;
  nativeBinding?: string | undefined;
  onLocked?: (reason: LockReason) => void;
  rememberFolder?: (folder: string) => void;
  keyringHooks?: KeyringHooks;
  /** Native file picker for attachments (main's own dialog; the page never names a path); null when cancelled. */
  pickFile?: () => Promise<string | null>;
  /** The URL an attachment is played from: app-media://<id> in the app, the page's own origin in e2e. */
  mediaUrl?: (id: string) => string;
  /** Main's folder dialog for where a new submission bundle goes (a new folder is made inside); defaults to pickFolder. */
  pickSaveFolder?: () => Promise<string | null>;
  /** Main's folder dialog for a bundle to open; defaults to pickFolder. */
  pickBundleFolder?: () => Promise<string | null>;
  /** Main's file dialog for an age identity file; defaults to pickFile. */
  pickIdentityFile?: () => Promise<string | null>;
  /** Main's folder dialog for the backup root (a USB drive or a folder on it); defaults to pickFolder. */
  pickBackupFolder?: () => Promise<string | null>;
  /** Main's folder dialog for a backup to restore (<root>/backup-...); defaults to pickFolder. */
  pickRestoreSource?: () => Promise<string | null>;
  /** Main's folder dialog for where a restored archive goes (a new folder is made inside); defaults to pickFolder. */
  pickRestoreTarget?: () => Promise<string | null>;
  /** Test hook of the master-key rotation at user removal (the crash tests kill the process at a step). */
  onRotationStep?: (step: RotationStep) => void;
  /** Test seam: runs before each write of an attachment or bundle file (keyring writes: keyringHooks.beforeWrite). */
  writeProbe?: WriteProbe;
};

export async function createArchiveCore(deps: ArchiveCoreDeps) {
  const sodium = await loadSodium();
  const now = deps.now ?? Date.now;
  const policy = createPassphrasePolicy({ resourcesDir: deps.resourcesDir });
  // Shipped vocabularies and gazetteer: loaded and validated once; a broken installation fails here.
  const reference = loadReferenceData(deps.resourcesDir);
  const kdfCost = deps.kdfCost ?? defaultKdfCost;
  const vault = createVault({
    sodium,
    now,
    policy,
    kdfCost,
    usernameKdfCost: deps.usernameKdfCost ?? defaultUsernameKdfCost,
    nativeBinding: deps.nativeBinding,
    ...(deps.keyringHooks ? { keyringHooks: deps.keyringHooks } : {}),
    ...(deps.onRotationStep ? { onRotationStep: deps.onRotationStep } : {}),
  });
  const recoveryDeps = { sodium, now, policy, kdfCost, nativeBinding: deps.nativeBinding, keyringHooks: deps.keyringHooks };
  const recovery = {
    status: recoveryStatus,
    createKit: (archive: UnlockedArchive, options: RecoveryKitOptions) => createRecoveryKit(recoveryDeps, archive, options),
    recover: (folder: string, shares: readonly string[], passphrase: string, confirm: string) => recoverWithShares(recoveryDeps, folder, shares, passphrase, confirm),
  };
  const accounts = createAccountsService({ sodium, now, policy, kdfCost, keyringHooks: deps.keyringHooks });
  const sessions = createSessionManager({
    vault,
    accounts,
    now,
    initialFolder: deps.initialFolder,
    pickFolder: deps.pickFolder ?? (() => Promise.resolve(null)),
    ...(deps.onLocked ? { onLocked: deps.onLocked } : {}),
    // A running archive check or backup stops; a running export is cancelled (its folder removed, its row marked)
    // and opened bundles are forgotten.
    beforeClose: async () => {
      await Promise.all([archiveChecks.stopAll(), submissions.stopAll(), backups.stopAll()]);
    },
    ...(deps.rememberFolder ? { rememberFolder: deps.rememberFolder } : {}),
    openRecords: (archive) => createRecords({ archive, sodium, now, reference, ...(deps.mediaUrl ? { mediaUrl: deps.mediaUrl } : {}), ...(deps.writeProbe ? { writeProbe: deps.writeProbe } : {}) }),
    seedTraining: async (archive) => {
      await importDemoRecords({ resourcesDir: deps.resourcesDir, sodium, now, reference }, archive);
    },
  });
  /** The auditor's view of the signed-in archive: list, verify (chain + signed checkpoints), counts. */
  const audit = (archive: UnlockedArchive) => createAuditService({ db: archive.db.kysely, keyring: () => readKeyring(archivePaths(archive.folder).keyring), now });
  const pickFile = deps.pickFile ?? (() => Promise.resolve(null));
  /** The media protocol's open(id) for whoever is signed in (AUTH_REQUIRED when locked). */
  const openMedia = mediaOpener(sessions);
  const pickFolder = deps.pickFolder ?? (() => Promise.resolve(null));
  /** Recipients, preview, export jobs, the submissions log and bundles opened by auditors (for whoever is signed in). */
  const submissions = createSubmissionsService({
    session: () => sessions.require(),
    reference,
    now,
    pickSaveFolder: deps.pickSaveFolder ?? pickFolder,
    pickBundleFolder: deps.pickBundleFolder ?? pickFolder,
    pickIdentityFile: deps.pickIdentityFile ?? pickFile,
    ...(deps.writeProbe ? { writeProbe: deps.writeProbe } : {}),
  });
  /** Checks of the whole archive run in the background for whoever is signed in (stopped at lock). */
  const archiveChecks = createCheckJobs({ session: () => sessions.require() });
  /** Backups of the signed-in archive (director): background jobs, the log, re-verification. */
  const backups = createBackupsService({ session: () => sessions.require(), now, pickBackupFolder: deps.pickBackupFolder ?? pickFolder, nativeBinding: deps.nativeBinding });
  /**
   * Restore, usable with no archive open (the "no archive / locked" screen): restoreBackup copies and checks the files
   * into a new folder; verifyRestored opens it with a user's passphrase and checks it against the manifest.
   */
  const restore = {
    check: checkBackup,
    restoreBackup,
    verifyRestored: (restored: RestoredBackup, username: string, passphrase: string) => verifyRestored({ unlock: vault.unlock, now }, restored, username, passphrase),
    /** The same as background jobs for the app's locked screen (restore.* IPC methods). */
    jobs: createRestoreJobs({
      unlock: vault.unlock,
      now,
      pickBackup: deps.pickRestoreSource ?? pickFolder,
      pickTargetParent: deps.pickRestoreTarget ?? pickFolder,
      whileLocked: (work) => sessions.whileLocked(() => work()),
      isLocked: () => sessions.current() === null,
      useFolder: (folder) => sessions.useFolder(folder),
    }),
  };
  return { sodium, policy, vault, sessions, reference, accounts, recovery, audit, pickFile, openMedia, submissions, archiveChecks, backups, restore };
}

export type ArchiveCore = Awaited<ReturnType<typeof createArchiveCore>>;
