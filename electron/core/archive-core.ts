// Composition root of the engine: builds the vault, passphrase policy and session manager from explicit deps.
import { defaultKdfCost, type KdfCost } from './crypto/kdf';
import { loadSodium } from './crypto/sodium';
import { importDemoRecords } from './records/demo-records';
import { createRecords } from './records/records-context';
import { loadReferenceData } from './reference/reference-data';
import { createPassphrasePolicy } from './vault/passphrase-policy';
import { createSessionManager, type LockReason } from './vault/session-manager';
import { createVault, defaultUsernameKdfCost } from './vault/vault';
import type { AtomicWriteHooks } from './vault/atomic-file';

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
};

export async function createArchiveCore(deps: ArchiveCoreDeps) {
  const sodium = await loadSodium();
  const now = deps.now ?? Date.now;
  const policy = createPassphrasePolicy({ resourcesDir: deps.resourcesDir });
  // Shipped vocabularies and gazetteer: loaded and validated once; a broken installation fails here.
  const reference = loadReferenceData(deps.resourcesDir);
  const vault = createVault({
    sodium,
    now,
    policy,
    kdfCost: deps.kdfCost ?? defaultKdfCost,
    usernameKdfCost: deps.usernameKdfCost ?? defaultUsernameKdfCost,
    nativeBinding: deps.nativeBinding,
    ...(deps.keyringHooks ? { keyringHooks: deps.keyringHooks } : {}),
  });
  const sessions = createSessionManager({
    vault,
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
  return { sodium, policy, vault, sessions, reference };
}

export type ArchiveCore = Awaited<ReturnType<typeof createArchiveCore>>;
