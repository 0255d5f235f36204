// Archive facts and health checks on an unlocked archive: used by `archive info/check` and the app.
import { sql } from 'kysely';
import { createUsersRepo } from '../accounts/users-repo';
import { createAuditService } from '../audit/audit-service';
import { latestSchemaVersion } from '../db/migrations/index';
import { readSchemaVersion } from '../db/migrate';
import { mapSqliteError } from '../db/open-database';
import { isArchiveError } from '../errors';
import { readKeyring } from '../vault/keyring';
import { keyringMatchesDatabase, readPendingKeyring } from '../vault/keyring-commit';
import { archivePaths, type UnlockedArchive } from '../vault/vault';

export async function runInfo(archive: UnlockedArchive) {
  const users = await createUsersRepo(archive.db.kysely).list();
  return {
    archiveId: archive.archiveId,
    schemaVersion: await readSchemaVersion(archive.db.kysely),
    counts: { users: users.length },
    users: users.map((u) => ({ username: u.username, displayName: u.display_name, role: u.role, disabled: u.disabled_at !== null })),
  };
}

export type CheckResult = { name: string; ok: boolean; detail: string };

export async function runCheck(archive: UnlockedArchive): Promise<{ ok: boolean; checks: CheckResult[] }> {
  const checks: CheckResult[] = [];
  try {
    const rows = archive.db.sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
    // SQLite may put several problems in one row, one per line, under a "*** in database main ***" header.
    const problems = rows.flatMap((r) => r.integrity_check.split('\n')).filter((m) => m !== 'ok' && !m.startsWith('*** '));
    checks.push({ name: 'database integrity', ok: problems.length === 0, detail: problems.length ? `${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}` : 'ok' });
  } catch (e) {
    const mapped = mapSqliteError(e);
    checks.push({ name: 'database integrity', ok: false, detail: isArchiveError(mapped) ? mapped.message : 'the check could not run' });
  }
  try {
    const version = await readSchemaVersion(archive.db.kysely);
    checks.push({ name: 'schema version', ok: version === latestSchemaVersion, detail: `${version} (this app: ${latestSchemaVersion})` });
    const keyring = readKeyring(archivePaths(archive.folder).keyring);
    const users = await createUsersRepo(archive.db.kysely).list();
    const byId = new Map(users.map((u) => [u.id, u]));
    const mismatched = keyring.users.filter((k) => {
      const u = byId.get(k.id);
      return u?.role !== k.role || (u.disabled_at !== null) !== k.disabled;
    }).length;
    const missing = users.filter((u) => !keyring.users.some((k) => k.id === u.id)).length;
    // Written by the database's last committed keyring change, with no interrupted change left unsettled.
    const sameCommit = (await keyringMatchesDatabase(archive.db.kysely, keyring)) && readPendingKeyring(archive.folder) === null;
    const ok = keyring.archiveId === archive.archiveId && mismatched === 0 && missing === 0 && sameCommit;
    checks.push({
      name: 'keyring consistency',
      ok,
      detail: ok
        ? `${keyring.users.length} user(s) match the database`
        : `${mismatched} keyring entr(ies) without a matching user, ${missing} user(s) without keys${sameCommit ? '' : ', keyring not from the last committed change'}`,
    });
    const meta = await sql<{ value: string }>`SELECT value FROM archive_meta WHERE key = 'archive_id'`.execute(archive.db.kysely);
    checks.push({ name: 'archive identity', ok: meta.rows[0]?.value === keyring.archiveId, detail: 'database and keyring name the same archive' });
  } catch (e) {
    const mapped = mapSqliteError(e);
    checks.push({ name: 'archive contents', ok: false, detail: isArchiveError(mapped) ? mapped.message : 'could not be read' });
  }
  try {
    const audit = await createAuditService({ db: archive.db.kysely, keyring: () => readKeyring(archivePaths(archive.folder).keyring) }).verify();
    checks.push({
      name: 'audit chain',
      ok: audit.firstBreak === null,
      detail: audit.firstBreak ? audit.firstBreak.message : `${audit.entries} entries, unbroken`,
    });
    const cp = audit.checkpoints;
    checks.push({
      name: 'audit checkpoints',
      ok: cp.firstBad === null,
      detail: cp.firstBad ? cp.firstBad.message : `${cp.valid} of ${cp.total} signed checkpoints valid`,
    });
  } catch (e) {
    const mapped = mapSqliteError(e);
    checks.push({ name: 'audit chain', ok: false, detail: isArchiveError(mapped) ? mapped.message : 'could not be read' });
  }
  return { ok: checks.every((c) => c.ok), checks };
}
