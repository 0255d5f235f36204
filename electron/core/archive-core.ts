// Composition root of the engine: builds the vault, passphrase policy and session manager from explicit deps.
import { createAccountsService } from './accounts/accounts-service';
import { defaultKdfCost, type KdfCost } from './crypto/kdf';
import { loadSodium } from './crypto/sodium';
import { importDemoRecords } from './records/demo-records';
import { createRecords } from './records/records-context';
import { loadReferenceData } from './reference/reference-data';
import { createPassphrasePolicy } from './vault/passphrase-policy';
import { createSessionManager, type LockReason } from './vault/session-manager';
import { createVault, defaultUsernameKdfCost } from './vault/vault';
import type { AtomicWriteHooks } from './vault/atomic-file';
import type { RotationStep } from './vault/rotation';

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
  keyringHooks?: AtomicWriteHooks;
  /** Test hook of the master-key rotation at user removal (the crash tests kill the process at a step). */
  onRotationStep?: (step: RotationStep) => void;
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
  const accounts = createAccountsService({ sodium, now, policy, kdfCost, keyringHooks: deps.keyringHooks });
  const sessions = createSessionManager({
    vault,
    accounts,
    now,
    initialFolder: deps.initialFolder,
    pickFolder: deps.pickFolder ?? (() => Promise.resolve(null)),
    ...(deps.onLocked ? { onLocked: deps.onLocked } : {}),
    ...(deps.rememberFolder ? { rememberFolder: deps.rememberFolder } : {}),
    openRecords: (archive) => createRecords({ archive, sodium, now, reference }),
    seedTraining: async (archive) => {
      await importDemoRecords({ resourcesDir: deps.resourcesDir, sodium, now, reference }, archive);
    },
  });
  return { sodium, policy, vault, sessions, reference, accounts };
}

export type ArchiveCore = Awaited<ReturnType<typeof createArchiveCore>>;
