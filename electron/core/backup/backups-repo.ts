// Queries on the backups log (migration 14): list for the UI, one row by id, the verification result.
import type { Kysely } from 'kysely';
import type { ArchiveSchema, BackupsTable } from '../db/schema';

export type BackupRow = BackupsTable & { created_by_username: string | null };

export function createBackupsRepo(db: Kysely<ArchiveSchema>) {
  /** The list query (exposed for its EXPLAIN test): newest first, through backups_created. */
  const listQuery = (limit: number) =>
    db
      .selectFrom('backups')
      .leftJoin('users', 'users.id', 'backups.created_by')
      .selectAll('backups')
      .select('users.username as created_by_username')
      .orderBy('backups.created_at', 'desc')
      .limit(limit);
  return {
    listQuery,
    list(limit = 200): Promise<BackupRow[]> {
      return listQuery(limit).execute();
    },
    byId(id: string): Promise<BackupsTable | undefined> {
      return db.selectFrom('backups').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async setVerification(id: string, verification: 'ok' | 'failed', at: string, detail: string): Promise<void> {
      await db.updateTable('backups').set({ verification, verified_at: at, verification_detail: detail }).where('id', '=', id).execute();
    },
  };
}
