// Queries on the users table; no decisions here (the services decide and audit).
import type { Insertable, Kysely } from 'kysely';
import type { ArchiveSchema, UsersTable } from '../db/schema';

export function createUsersRepo(db: Kysely<ArchiveSchema>) {
  return {
    async insert(row: Insertable<UsersTable>): Promise<void> {
      await db.insertInto('users').values(row).execute();
    },
    byId(id: string) {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** Current accounts (a removed account keeps its row for the records and the log, but is not listed). */
    list() {
      return db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'disabled_at']).where('removed_at', 'is', null).orderBy('username').execute();
    },
    async count(): Promise<number> {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return r.n;
    },
  };
}
