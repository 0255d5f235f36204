// Opens the encrypted SQLite file with a raw 32-byte key and asserts the pragmas the design depends on.
// Cipher and raw-key syntax: SQLite3MultipleCiphers, https://utelle.github.io/SQLite3MultipleCiphers/docs/configuration/config_sql_pragmas/
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { ArchiveError } from '../errors';
import type { ArchiveSchema } from './schema';

export type SqliteHandle = InstanceType<typeof Database>;

export type ArchiveDb = {
  readonly sqlite: SqliteHandle;
  readonly kysely: Kysely<ArchiveSchema>;
  close(): Promise<void>;
};

export type OpenOptions = {
  /** Create the file if missing (archive creation only); otherwise a missing file is ARCHIVE_NOT_FOUND. */
  create?: boolean;
  /** Path of a better_sqlite3.node built for the running ABI (Electron uses its own copy). */
  nativeBinding?: string | undefined;
  /** Page cache in KiB; 128 MiB keeps warm reads as fast as on a plain database (DESIGN.md section 2). */
  cacheKib?: number;
};

/** Pragmas asserted after keying: each must read back exactly, or the archive is not opened. */
const requiredPragmas: ReadonlyArray<[set: string, name: string, expected: string | number]> = [
  // MEMORY: otherwise sorts and temp tables spill plaintext pages to a temp file.
  ['temp_store = MEMORY', 'temp_store', 2],
  ['journal_mode = WAL', 'journal_mode', 'wal'],
  ['synchronous = FULL', 'synchronous', 2],
  ['foreign_keys = ON', 'foreign_keys', 1],
  ['secure_delete = ON', 'secure_delete', 1],
];

export function isSqliteCode(e: unknown, ...codes: string[]): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && codes.includes(String(e.code));
}

/** Maps SQLite failures that mean "this file is not what we expect" to archive errors; others rethrow. */
export function mapSqliteError(e: unknown): unknown {
  if (isSqliteCode(e, 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ')) {
    return new ArchiveError('ARCHIVE_DAMAGED', 'The archive database is damaged or was altered.');
  }
  if (isSqliteCode(e, 'SQLITE_FULL')) {
    return new ArchiveError('DISK_FULL', 'The disk of the archive folder is full; the change was not saved.');
  }
  if (isSqliteCode(e, 'SQLITE_READONLY', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR_WRITE', 'SQLITE_PERM')) {
    return new ArchiveError('ARCHIVE_UNWRITABLE', 'The archive folder cannot be written (read-only, full or missing).');
  }
  if (isSqliteCode(e, 'SQLITE_BUSY', 'SQLITE_LOCKED')) {
    return new ArchiveError('ARCHIVE_BUSY', 'The archive is in use by another program.');
  }
  return e;
}

/**
 * SQLite rolls a transaction back by itself after SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM or SQLITE_BUSY; kysely's
 * own ROLLBACK then fails ("no transaction is active") and that error replaces the real one, so a full disk would
 * read as an internal error. This driver rolls back only a transaction that is still open.
 */
class ArchiveSqliteDriver extends SqliteDriver {
  constructor(private readonly sqlite: SqliteHandle) {
    super({ database: sqlite });
  }
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackTransaction(connection);
  }
}

class ArchiveSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SqliteHandle) {
    super({ database: sqlite });
  }
  override createDriver(): Driver {
    return new ArchiveSqliteDriver(this.sqlite);
  }
}

/**
 * Opens `file` keyed with `key` (32 bytes). The key's hex form is built in a Buffer and zeroed right
 * after keying; the caller keeps (and later wipes) `key` itself.
 *
 * @example const db = openDatabase(join(dir, 'archive.db'), masterKey, { create: true });
 */
export function openDatabase(file: string, key: Uint8Array, options: OpenOptions = {}): ArchiveDb {
  if (key.length !== 32) throw new ArchiveError('INTERNAL', 'The database key must be 32 bytes.');
  let sqlite: SqliteHandle;
  try {
    sqlite = new Database(file, { fileMustExist: !options.create, nativeBinding: options.nativeBinding });
  } catch (e) {
    if (isSqliteCode(e, 'SQLITE_CANTOPEN')) {
      // When creating, the folder exists (the vault made it): a file that cannot be made means it cannot be written.
      throw options.create
        ? new ArchiveError('ARCHIVE_UNWRITABLE', 'The archive database cannot be created in this folder (read-only or not permitted).')
        : new ArchiveError('ARCHIVE_NOT_FOUND', 'No archive database in this folder.');
    }
    throw mapSqliteError(e);
  }
  const hexKey = Buffer.alloc(3 + 64 + 1);
  try {
    sqlite.pragma(`cipher = 'chacha20'`);
    hexKey.write("x'", 0, 'latin1');
    hexKey.write(Buffer.from(key.buffer, key.byteOffset, key.length).toString('hex'), 2, 'latin1');
    hexKey.write("'", 66, 'latin1');
    sqlite.key(hexKey.subarray(0, 67));
    try {
      sqlite.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (e) {
      if (isSqliteCode(e, 'SQLITE_NOTADB')) {
        throw new ArchiveError('ARCHIVE_KEY_REJECTED', 'The database key does not open this archive, or the file is damaged.');
      }
      throw mapSqliteError(e);
    }
    for (const [set, name, expected] of requiredPragmas) {
      sqlite.pragma(set);
      const actual: unknown = sqlite.pragma(name, { simple: true });
      if (actual !== expected) {
        throw new ArchiveError('INTERNAL', `Pragma ${name} is ${String(actual)}, expected ${String(expected)}.`);
      }
    }
    sqlite.pragma(`cache_size = -${options.cacheKib ?? 131072}`);
  } catch (e) {
    sqlite.close();
    throw e;
  } finally {
    hexKey.fill(0);
  }
  const kysely = new Kysely<ArchiveSchema>({ dialect: new ArchiveSqliteDialect(sqlite) });
  let closed = false;
  return {
    sqlite,
    kysely,
    async close() {
      if (closed) return;
      closed = true;
      // Kysely's destroy closes the underlying better-sqlite3 handle.
      await kysely.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * Re-encrypts a closed database file (not the live archive: a copy of it) from `oldKey` to `newKey` with
 * SQLite3MultipleCiphers' rekey, in rollback-journal mode. A crash midway damages only this copy.
 */
export function rekeyFile(file: string, oldKey: Uint8Array, newKey: Uint8Array, nativeBinding?: string): void {
  const hex = (k: Uint8Array) => Buffer.from(`x'${Buffer.from(k.buffer, k.byteOffset, k.length).toString('hex')}'`, 'latin1');
  const oldHex = hex(oldKey);
  const newHex = hex(newKey);
  const sqlite = new Database(file, { fileMustExist: true, nativeBinding });
  try {
    sqlite.pragma(`cipher = 'chacha20'`);
    sqlite.key(oldHex);
    sqlite.prepare('SELECT count(*) FROM sqlite_schema').get();
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma('synchronous = FULL');
    sqlite.rekey(newHex);
  } catch (e) {
    throw mapSqliteError(e);
  } finally {
    sqlite.close();
    oldHex.fill(0);
    newHex.fill(0);
  }
}
