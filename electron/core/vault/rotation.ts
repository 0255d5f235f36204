// Master-key rotation when a user is removed: keyring and database change key as one crash-safe operation.
//
// Order (each step durable before the next), so that a crash anywhere leaves an archive that opens:
//  1. keyring: `rotation` entry with the new key sealed to every remaining user (DB still on the old key);
//  2. database (old key): the user's sealed copies, drafts and grants deleted, row marked removed, audit entry;
//  3. VACUUM INTO a copy (still old key), rekey the copy to the new key: a crash here only spoils the copy;
//  4. close the live database (its WAL checkpointed and gone), rename the copy over it (atomic);
//  5. keyring: the new key becomes current for everyone (sealedMaster), the removed entry and `rotation` go.
// Unlock tries the old key, then the new one; with `rotation` still present it finishes the work (roll forward).
import { existsSync, rmSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-chain';
import type { Sodium } from '../crypto/sodium';
import { rekeyFile, type ArchiveDb } from '../db/open-database';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import { fsyncDirOf, renameDurably, type AtomicWriteHooks } from './atomic-file';
import { sealMasterForRecovery } from './recovery';
import { archivePaths, readKeyring, writeKeyring, type Keyring } from './keyring';

export const rotationSteps = ['pending-written', 'db-updated', 'copy-made', 'copy-rekeyed', 'db-closed', 'renamed', 'keyring-final'] as const;
export type RotationStep = (typeof rotationSteps)[number];

export type RotationDeps = {
  sodium: Sodium;
  now: () => number;
  nativeBinding?: string | undefined;
  keyringHooks?: AtomicWriteHooks | undefined;
  /** Test hook: called after each durable step (the crash tests kill the process here). */
  onStep?: ((step: RotationStep) => void) | undefined;
};

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

/** Step 1: records the rotation in the keyring, the new master key sealed to every remaining user (and the kit). */
export function beginRotation(deps: RotationDeps, folder: string, removeUserId: string, newMaster: Uint8Array): Keyring {
  const path = archivePaths(folder).keyring;
  const keyring = readKeyring(path);
  // One rotation at a time: a second would overwrite the first's record and seal its key to a user being removed.
  if (keyring.rotation) throw new ArchiveError('ARCHIVE_BUSY', 'A user removal is still being finished: lock the archive and sign in again first.');
  const sealedMasters: Record<string, string> = {};
  for (const u of keyring.users) {
    if (u.id !== removeUserId) sealedMasters[u.id] = b64(deps.sodium.crypto_box_seal(newMaster, Buffer.from(u.boxPublicKey, 'base64')));
  }
  const recovery = keyring.recovery && keyring.recovery.directorId !== removeUserId ? keyring.recovery : null;
  keyring.rotation = {
    removeUserId,
    startedAt: new Date(deps.now()).toISOString(),
    sealedMasters,
    recoverySealedMaster: recovery ? sealMasterForRecovery(deps.sodium, recovery, newMaster) : null,
  };
  writeKeyring(path, keyring, deps.keyringHooks);
  deps.onStep?.('pending-written');
  return keyring;
}

/** Step 2 (idempotent, so a resumed rotation can run it again): the removed user's access goes from the database. */
export async function removeFromDatabase(db: Kysely<ArchiveSchema>, removeUserId: string, at: string, actor: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('users').select(['id', 'removed_at']).where('id', '=', removeUserId).executeTakeFirst();
    if (!row || row.removed_at !== null) return;
    const copies = await trx.deleteFrom('sealed_keys').where('user_id', '=', removeUserId).executeTakeFirst();
    await trx.deleteFrom('drafts').where('user_id', '=', removeUserId).execute();
    await trx.deleteFrom('record_grants').where('user_id', '=', removeUserId).execute();
    await trx.updateTable('users').set({ removed_at: at, disabled_at: at }).where('id', '=', removeUserId).execute();
    await appendAudit(trx, {
      at,
      actor,
      action: 'account.remove',
      subjectKind: 'user',
      subjectId: removeUserId,
      detail: { sealedCopiesDeleted: Number(copies.numDeletedRows), masterKeyRotated: true },
    });
  });
}

const copyPath = (folder: string) => `${archivePaths(folder).database}.rekey`;

/**
 * Steps 3 and 4: an encrypted copy of the live database, rekeyed, then renamed over it. Closes `db`; the caller
 * opens the result with the new key. Refuses (ARCHIVE_BUSY, old key still in force) if another program keeps the
 * archive open, since its write-ahead log would not match the new file.
 */
export async function rekeyDatabase(deps: RotationDeps, folder: string, db: ArchiveDb, oldMaster: Uint8Array, newMaster: Uint8Array): Promise<void> {
  const paths = archivePaths(folder);
  const copy = copyPath(folder);
  rmSync(copy, { force: true });
  rmSync(`${copy}-journal`, { force: true });
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  // VACUUM INTO writes the copy through the same cipher and key as the live file: it is never plaintext.
  db.sqlite.prepare('VACUUM INTO ?').run(copy);
  deps.onStep?.('copy-made');
  rekeyFile(copy, oldMaster, newMaster, deps.nativeBinding);
  deps.onStep?.('copy-rekeyed');
  await db.close();
  const busy = () => existsSync(`${paths.database}-wal`);
  if (busy()) {
    rmSync(copy, { force: true });
    throw new ArchiveError('ARCHIVE_BUSY', 'Another program has the archive open; close it and sign in again to finish removing the user.');
  }
  // Without a WAL the shared-memory index describes nothing; a stale one must not meet the new file.
  rmSync(`${paths.database}-shm`, { force: true });
  deps.onStep?.('db-closed');
  // Checked again just before the rename: a write-ahead log under the old key must never meet the new file.
  if (busy()) {
    rmSync(copy, { force: true });
    throw new ArchiveError('ARCHIVE_BUSY', 'Another program opened the archive; close it and sign in again to finish removing the user.');
  }
  renameDurably(copy, paths.database);
  fsyncDirOf(paths.database);
  deps.onStep?.('renamed');
}

/** Step 5: the new key is current for every remaining user; the removed entry and the rotation record go. */
export function finishRotation(deps: RotationDeps, folder: string): void {
  const path = archivePaths(folder).keyring;
  const keyring = readKeyring(path);
  const rotation = keyring.rotation;
  if (!rotation) return;
  const removed = keyring.users.find((u) => u.id === rotation.removeUserId);
  if (removed) {
    keyring.retiredSignKeys = [...(keyring.retiredSignKeys ?? []), { userId: removed.id, publicKey: removed.signPublicKey, retiredAt: new Date(deps.now()).toISOString() }];
  }
  keyring.users = keyring.users
    .filter((u) => u.id !== rotation.removeUserId)
    .map((u) => {
      const sealed = rotation.sealedMasters[u.id];
      // A user added during the rotation (not possible today: removal holds the session) keeps their own wrap.
      return sealed ? { ...u, sealedMaster: sealed } : u;
    });
  if (keyring.recovery) {
    if (rotation.recoverySealedMaster === null || keyring.recovery.directorId === rotation.removeUserId) delete keyring.recovery;
    else keyring.recovery = { ...keyring.recovery, sealedMaster: rotation.recoverySealedMaster };
  }
  delete keyring.rotation;
  writeKeyring(path, keyring, deps.keyringHooks);
  deps.onStep?.('keyring-final');
}

/** Removes a copy left by a rotation that crashed before its rename (it is never the live archive). */
export function sweepRotationLeftovers(folder: string): void {
  rmSync(copyPath(folder), { force: true });
  rmSync(`${copyPath(folder)}-journal`, { force: true });
}
