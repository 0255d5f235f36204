// The unencrypted twin of an archive database for encrypted/plain ratios: same engine build, same pragmas.
import Database from 'better-sqlite3-multiple-ciphers';
import type { SqliteHandle } from '../../electron/core/db/open-database';

/** A plain database with the pragmas openDatabase asserts on the encrypted one, and the same page cache. */
export function openPlain(file: string, cacheKib: number): SqliteHandle {
  const db = new Database(file);
  for (const p of ['temp_store = MEMORY', 'journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'secure_delete = ON', `cache_size = -${cacheKib}`]) db.pragma(p);
  return db;
}
