// Applies pending migrations, each in its own transaction with the schema version, and refuses newer archives.
import { sql, type Kysely } from 'kysely';
import { ArchiveError } from '../errors';
import type { FrozenDb, Migration } from './migrations/frozen-db';
import { migrations as shippedMigrations } from './migrations/index';
import type { ArchiveSchema } from './schema';

/** The schema version stored in the database header (PRAGMA user_version). */
export async function readSchemaVersion(db: Kysely<ArchiveSchema>): Promise<number> {
  const r = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
  return r.rows[0]?.user_version ?? 0;
}

/**
 * Brings the schema to the latest version. An archive written by a newer version of the app is refused
 * (ARCHIVE_TOO_NEW) before anything is written, so an old app can never damage it.
 */
export async function migrate(
  db: Kysely<ArchiveSchema>,
  now: () => Date,
  migrations: readonly Migration[] = shippedMigrations,
): Promise<{ from: number; to: number }> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list out of order at ${m.name}`);
  });
  const from = await readSchemaVersion(db);
  if (from > migrations.length) {
    throw new ArchiveError(
      'ARCHIVE_TOO_NEW',
      `This archive was written by a newer version of Testimony Archive (schema ${from}, this app knows ${migrations.length}). Update the app to open it.`,
    );
  }
  for (const m of migrations.slice(from)) {
    await db.transaction().execute(async (trx) => {
      const frozen = trx as unknown as FrozenDb;
      if (m.version === 1) {
        await sql`CREATE TABLE schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at TEXT NOT NULL
        ) STRICT`.execute(frozen);
      }
      await m.up(frozen);
      await sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, ${m.name}, ${now().toISOString()})`.execute(frozen);
      // user_version lives in page 1, so it commits or rolls back with the migration.
      await sql.raw(`PRAGMA user_version = ${m.version}`).execute(frozen);
    });
  }
  return { from, to: migrations.length };
}
