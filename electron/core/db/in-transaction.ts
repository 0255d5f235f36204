// Runs work in a transaction, or inside the caller's one: services compose into one all-or-nothing import.
import { Transaction, type Kysely } from 'kysely';

/**
 * `db.transaction().execute(fn)`, unless `db` already is a transaction (kysely cannot nest them on
 * SQLite): then `fn` joins it, and the caller's commit or rollback decides for both.
 */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  // instanceof narrows to Transaction<any>; the value is the same object, typed as the caller's schema.
  return db instanceof Transaction ? fn(db as Transaction<DB>) : db.transaction().execute(fn);
}
