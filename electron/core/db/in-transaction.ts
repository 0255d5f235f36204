// Runs work in a transaction, or inside the caller's one: services compose into one all-or-nothing import.
import { Transaction, type Kysely } from 'kysely';
import { mapSqliteError } from './open-database';

/**
 * `db.transaction().execute(fn)`, unless `db` already is a transaction (kysely cannot nest them on
 * SQLite): then `fn` joins it, and the caller's commit or rollback decides for both. A full disk or a
 * read-only file (SQLITE_FULL, SQLITE_READONLY) becomes its ArchiveError, so the user learns why nothing was saved.
 */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  // instanceof narrows to Transaction<any>; the value is the same object, typed as the caller's schema.
  if (db instanceof Transaction) return fn(db as Transaction<DB>);
  return db.transaction().execute(fn).catch((e: unknown) => {
    throw mapSqliteError(e);
  });
}
