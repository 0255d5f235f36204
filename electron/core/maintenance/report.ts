// Archive facts of an unlocked archive for `archive info` (the health check is archive-check.ts).
import { createUsersRepo } from '../accounts/users-repo';
import { readSchemaVersion } from '../db/migrate';
import type { UnlockedArchive } from '../vault/vault';
export async function runInfo(archive: UnlockedArchive) {
  const users = await createUsersRepo(archive.db.kysely).list();
  return {
    archiveId: archive.archiveId,
    schemaVersion: await readSchemaVersion(archive.db.kysely),
    counts: { users: users.length },
    users: users.map((u) => ({ username: u.username, displayName: u.display_name, role: u.role, disabled: u.disabled_at !== null })),
  };
}
