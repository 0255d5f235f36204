// Keyring changes that commit with a database transaction: the pending keyring file and the commit id in both files.
//
// Account changes (create, disable, reset, passphrase, recovery kit) change the users table and the keyring together.
// Two files cannot be replaced atomically, so the database's COMMIT decides, and the keyring follows it:
//  1. BEGIN; pending changes resolved (below); the database part of the change runs;
//  2. a new random commit id goes into archive_meta (`keyring_commit`) and into the new keyring (`commit`);
//  3. the new keyring is written durably to keyring.json.next (temp file, fsync, rename, fsync of the folder);
//  4. COMMIT;
//  5. keyring.json.next is renamed over keyring.json (durably).
// Whoever opens the database next (unlock, recovery, the next change) resolves a keyring.json.next left behind:
//  - its commit id equals the database's: the COMMIT happened (crash between 4 and 5), so it is promoted;
//  - otherwise the transaction never committed (crash between 3 and 4, or a failed COMMIT): it is deleted.
// Crash points: before 3 nothing is visible (a temp file is swept at unlock); 3-4 leaves a pending file that is
// deleted; 4-5 leaves one that is promoted; after 5 both files agree. keyring.json itself only ever changes by rename.
// Unlock cannot read the database before a wrap opens, so it tries the user's entry in both files (vault.ts), then
// accepts only the entry that survives the resolution: a passphrase changed by a commit that never happened fails.
// Recovery with shares finds the kit in keyring.json before it can open the database, so a kit whose creation was cut
// between 4 and 5 is usable once someone has signed in (which promotes it).
// Keyring-only writes (sign-in throttle, master-key rotation steps) rewrite keyring.json and keep its commit id; a
// promotion carries over the throttle counter of the file it replaces, so failed sign-ins are not forgotten.
// Archives made before this scheme have no id in either file: absent on both sides counts as equal.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import { mapSqliteError } from '../db/open-database';
import { fsyncDirOf, renameDurably, type AtomicWriteHooks } from './atomic-file';
import { archivePaths, keyringFileName, readKeyring, writeKeyring, type Keyring } from './keyring';

export const pendingKeyringFileName = `${keyringFileName}.next`;
const commitMetaKey = 'keyring_commit';

export const keyringCommitSteps = ['pending-written', 'committed', 'promoted'] as const;
export type KeyringCommitStep = (typeof keyringCommitSteps)[number];

/** Test hooks of keyring writes: the atomic write's, and the steps above (the crash tests kill the process there). */
export type KeyringHooks = AtomicWriteHooks & { onCommitStep?: (step: KeyringCommitStep) => void };

export function pendingKeyringPath(folder: string): string {
  return join(folder, pendingKeyringFileName);
}

/** The pending keyring of an interrupted change, or null when there is none. */
export function readPendingKeyring(folder: string): Keyring | null {
  const path = pendingKeyringPath(folder);
  return existsSync(path) ? readKeyring(path) : null;
}

/** The commit id the database holds (null for archives made before the scheme). */
export async function databaseKeyringCommit(db: Kysely<ArchiveSchema>): Promise<string | null> {
  const row = await db.selectFrom('archive_meta').select('value').where('key', '=', commitMetaKey).executeTakeFirst();
  return row?.value ?? null;
}

/** True when the keyring belongs to the database's last committed keyring change. */
export async function keyringMatchesDatabase(db: Kysely<ArchiveSchema>, keyring: Keyring): Promise<boolean> {
  return (keyring.commit ?? null) === (await databaseKeyringCommit(db));
}

/**
 * Promotes or deletes a keyring.json.next left by an interrupted change (see the top of this file).
 * Returns what it did, for tests and the check report.
 */
export async function resolvePendingKeyring(db: Kysely<ArchiveSchema>, folder: string): Promise<'none' | 'promoted' | 'discarded'> {
  const next = pendingKeyringPath(folder);
  if (!existsSync(next)) return 'none';
  const pending = readKeyring(next);
  if (!(await keyringMatchesDatabase(db, pending))) {
    rmSync(next, { force: true });
    fsyncDirOf(next);
    return 'discarded';
  }
  const target = archivePaths(folder).keyring;
  const current = readKeyring(target);
  if (current.throttle.failures !== pending.throttle.failures || current.throttle.lastFailureAt !== pending.throttle.lastFailureAt) {
    // Failed sign-ins counted since the change: kept (a rewrite of the pending file, which is still not current).
    writeKeyring(next, { ...pending, throttle: current.throttle });
  }
  renameDurably(next, target);
  return 'promoted';
}

/**
 * Runs `work` in a transaction on `db`; the keyring it changes becomes current exactly when the transaction commits.
 * `work` gets the current keyring to change in place; a failure anywhere rolls back both.
 */
export async function transactWithKeyring<T>(
  db: Kysely<ArchiveSchema>,
  folder: string,
  hooks: KeyringHooks | undefined,
  work: (trx: Kysely<ArchiveSchema>, keyring: Keyring) => Promise<T>,
): Promise<T> {
  const next = pendingKeyringPath(folder);
  const pendingFile = { written: false };
  let result: T;
  try {
    result = await db.transaction().execute(async (trx) => {
      // A change interrupted earlier is settled first, so this one starts from the keyring the database agrees with.
      await resolvePendingKeyring(trx, folder);
      const keyring = readKeyring(archivePaths(folder).keyring);
      const out = await work(trx, keyring);
      const commit = randomUUID();
      await trx
        .insertInto('archive_meta')
        .values({ key: commitMetaKey, value: commit })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: commit }))
        .execute();
      pendingFile.written = true;
      writeKeyring(next, { ...keyring, commit }, hooks);
      hooks?.onCommitStep?.('pending-written');
      return out;
    });
  } catch (e) {
    // Not committed: the pending file (if it was written) describes nothing and must not be promoted later.
    if (pendingFile.written) rmSync(next, { force: true });
    // A full disk at COMMIT is DISK_FULL, like the keyring write's own failure.
    throw mapSqliteError(e);
  }
  hooks?.onCommitStep?.('committed');
  try {
    renameDurably(next, archivePaths(folder).keyring);
  } catch {
    // Committed but not promoted: the next unlock or change promotes it (its commit id matches the database's).
    throw new ArchiveError('ARCHIVE_UNWRITABLE', 'The keyring could not be written (folder read-only or disk full).');
  }
  hooks?.onCommitStep?.('promoted');
  return result;
}
