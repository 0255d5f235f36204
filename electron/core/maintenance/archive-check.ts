// The archive check: database integrity, schema, keyring, audit chain and checkpoints, attachment hashes, in one run.
import { sql } from 'kysely';
import type { ArchiveCheck, ArchiveCheckDetail, ArchiveCheckName, ArchiveCheckPart } from '../../../shared/maintenance/archive-check';
import type { AuditVerify } from '../../../shared/ipc/contract';
import { createUsersRepo } from '../accounts/users-repo';
import { damagedEntry, type AttachmentsService } from '../attachments/attachments-service';
import { createAuditService } from '../audit/audit-service';
import { latestSchemaVersion } from '../db/migrations/index';
import { readSchemaVersion } from '../db/migrate';
import type { Actor } from '../records/actor';
import { readKeyring } from '../vault/keyring';
import { keyringMatchesDatabase, readPendingKeyring } from '../vault/keyring-commit';
import { archivePaths, type UnlockedArchive } from '../vault/vault';

export type ArchiveCheckDeps = {
  archive: UnlockedArchive;
  /** The attachments service of the same session: its verifier checks each file (and records the check in custody). */
  attachments: Pick<AttachmentsService, 'verifyAll'>;
  /** Who checks: attachments they cannot reach or open are counted as skipped, by reason. */
  actor: Actor;
};

/** Where a check stands: one unit per part before the attachments, then one per attachment. */
export type ArchiveCheckProgress = { part: ArchiveCheckPart; done: number; total: number };

export type ArchiveCheckReport = {
  /** Every check run passed (a cancelled check is never ok: parts were left out). */
  ok: boolean;
  cancelled: boolean;
  checks: ArchiveCheck[];
};

/** Parts before the attachments, each one progress unit. */
const fixedParts = 3;

const check = (name: ArchiveCheckName, ok: boolean, detail: ArchiveCheckDetail, params: Record<string, number> = {}): ArchiveCheck => ({ name, ok, detail, params, damaged: [] });

/** A part that threw could not be read: its check fails as `unreadable`, the other parts still run. */
async function guarded(name: ArchiveCheckName, run: () => Promise<ArchiveCheck[]>): Promise<ArchiveCheck[]> {
  try {
    return await run();
  } catch {
    return [check(name, false, 'unreadable')];
  }
}

function integrity(archive: UnlockedArchive): ArchiveCheck {
  const rows = archive.db.sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
  // SQLite may put several problems in one row, one per line, under a "*** in database main ***" header.
  const problems = rows.flatMap((r) => r.integrity_check.split('\n')).filter((m) => m !== 'ok' && !m.startsWith('*** '));
  return problems.length === 0 ? check('database-integrity', true, 'integrity-ok') : check('database-integrity', false, 'integrity-problems', { count: problems.length });
}

async function keyringChecks(archive: UnlockedArchive): Promise<ArchiveCheck[]> {
  const out: ArchiveCheck[] = [];
  out.push(
    ...(await guarded('schema-version', async () => {
      const version = await readSchemaVersion(archive.db.kysely);
      const params = { version, expected: latestSchemaVersion };
      return [version === latestSchemaVersion ? check('schema-version', true, 'schema-current', params) : check('schema-version', false, 'schema-different', params)];
    })),
  );
  out.push(
    ...(await guarded('keyring', async () => {
      const keyring = readKeyring(archivePaths(archive.folder).keyring);
      if (keyring.archiveId !== archive.archiveId) return [check('keyring', false, 'keyring-other-archive')];
      const users = await createUsersRepo(archive.db.kysely).list();
      const byId = new Map(users.map((u) => [u.id, u]));
      // A keyring entry whose user is gone or has another role or state, and a user without keys: both break sign-in
      // or sealing.
      const mismatched = keyring.users.filter((k) => {
        const u = byId.get(k.id);
        return u?.role !== k.role || (u.disabled_at !== null) !== k.disabled;
      }).length;
      const missing = users.filter((u) => !keyring.users.some((k) => k.id === u.id)).length;
      // Written by the database's last committed keyring change, with no interrupted change left unsettled.
      if (!(await keyringMatchesDatabase(archive.db.kysely, keyring)) || readPendingKeyring(archive.folder) !== null) return [check('keyring', false, 'keyring-not-committed')];
      return [
        mismatched === 0 && missing === 0
          ? check('keyring', true, 'keyring-match', { users: keyring.users.length })
          : check('keyring', false, 'keyring-mismatch', { mismatched, missing }),
      ];
    })),
  );
  out.push(
    ...(await guarded('archive-identity', async () => {
      const keyring = readKeyring(archivePaths(archive.folder).keyring);
      const meta = await sql<{ value: string }>`SELECT value FROM archive_meta WHERE key = 'archive_id'`.execute(archive.db.kysely);
      return [meta.rows[0]?.value === keyring.archiveId ? check('archive-identity', true, 'identity-same') : check('archive-identity', false, 'identity-different')];
    })),
  );
  return out;
}

const breakDetail: Readonly<Record<NonNullable<AuditVerify['firstBreak']>['reason'], ArchiveCheckDetail>> = {
  edited: 'chain-edited',
  'missing-or-reordered': 'chain-missing',
  'broken-link': 'chain-broken-link',
  unreadable: 'chain-entry-unreadable',
};

const problemDetail: Readonly<Record<NonNullable<AuditVerify['checkpoints']['firstBad']>['problem'], ArchiveCheckDetail>> = {
  'bad-signature': 'checkpoint-bad-signature',
  'unknown-key': 'checkpoint-unknown-key',
  malformed: 'checkpoint-malformed',
  'count-beyond-log': 'checkpoint-count-beyond-log',
  'head-mismatch': 'checkpoint-head-mismatch',
};

async function auditChecks(archive: UnlockedArchive): Promise<ArchiveCheck[]> {
  const audit = await createAuditService({ db: archive.db.kysely, keyring: () => readKeyring(archivePaths(archive.folder).keyring) }).verify();
  const b = audit.firstBreak;
  const chain = b
    ? check('audit-chain', false, breakDetail[b.reason], { position: b.position })
    : audit.entries === 0
      ? check('audit-chain', true, 'chain-empty')
      : check('audit-chain', true, 'chain-intact', { entries: audit.entries });
  const cp = audit.checkpoints;
  const bad = cp.firstBad;
  const checkpoints = bad
    ? check('audit-checkpoints', false, problemDetail[bad.problem], { checkpoint: bad.id, ...(bad.count !== null ? { count: bad.count } : {}), entries: audit.entries })
    : cp.total === 0
      ? check('audit-checkpoints', true, 'checkpoints-none')
      : check('audit-checkpoints', true, 'checkpoints-valid', { valid: cp.valid, total: cp.total });
  return [chain, checkpoints];
}

function fixedPartsOf(archive: UnlockedArchive): Array<[ArchiveCheckPart, () => Promise<ArchiveCheck[]>]> {
  return [
    ['database', () => guarded('database-integrity', async () => [integrity(archive)])],
    ['keyring', () => keyringChecks(archive)],
    ['audit', () => guarded('audit-chain', () => auditChecks(archive))],
  ];
}

/** The parts that need no session (database, keyring, audit): for an archive opened on its own, e.g. a restored copy. */
export async function checkArchiveStructure(archive: UnlockedArchive): Promise<ArchiveCheck[]> {
  const checks: ArchiveCheck[] = [];
  for (const [, run] of fixedPartsOf(archive)) checks.push(...(await run()));
  return checks;
}

/**
 * Runs every part in order and reports a list of checks (codes and numbers: the UI and CLI word them). A part that
 * cannot be read fails as `unreadable` and the rest still run. `signal` stops the run between parts and between
 * attachments; the checks finished so far are reported with `cancelled`. `onCheck` hears each check as it ends.
 *
 * @example const report = await checkArchive({ archive, attachments, actor }, { onProgress: (p) => bar(p.done / p.total) })
 */
export async function checkArchive(deps: ArchiveCheckDeps, options: { onProgress?: (p: ArchiveCheckProgress) => void; onCheck?: (c: ArchiveCheck) => void; signal?: AbortSignal } = {}): Promise<ArchiveCheckReport> {
  const { archive } = deps;
  const stopped = () => options.signal?.aborted === true;
  let attachmentCount = 0;
  try {
    attachmentCount = (await archive.db.kysely.selectFrom('attachments').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  } catch {
    // An unreadable table fails in the attachment part; the bar just counts the fixed parts meanwhile.
  }
  let total = fixedParts + attachmentCount;
  let done = 0;
  const progress = (part: ArchiveCheckPart) => options.onProgress?.({ part, done, total });
  const checks: ArchiveCheck[] = [];
  const report = (found: ArchiveCheck[]) => {
    checks.push(...found);
    for (const c of found) options.onCheck?.(c);
  };
  for (const [part, run] of fixedPartsOf(archive)) {
    if (stopped()) return { ok: false, cancelled: true, checks };
    progress(part);
    report(await run());
    done++;
    progress(part);
  }
  if (stopped()) return { ok: false, cancelled: true, checks };
  const tally = { checked: 0, total: attachmentCount, 'no-key': 0, 'not-shared': 0 };
  const damaged: ArchiveCheck['damaged'] = [];
  let looked = 0;
  try {
    await deps.attachments.verifyAll(
      deps.actor,
      (p) => {
        looked = p.done;
        if (p.skipped) tally[p.skipped]++;
        else tally.checked++;
        if (p.ok === false && p.attachment) damaged.push({ id: p.id, reason: damagedEntry(p.attachment).reason });
        done = fixedParts + p.done;
        progress('attachments');
      },
      {
        stop: stopped,
        onStart: (n) => {
          tally.total = n;
          total = fixedParts + n;
          progress('attachments');
        },
      },
    );
  } catch {
    report([check('attachments', false, 'unreadable')]);
    return { ok: false, cancelled: false, checks };
  }
  if (stopped() && looked < tally.total) return { ok: false, cancelled: true, checks };
  const params = { checked: tally.checked, total: tally.total, damaged: damaged.length, skippedNoKey: tally['no-key'], skippedNotShared: tally['not-shared'] };
  report([{ ...check('attachments', damaged.length === 0, damaged.length === 0 ? 'attachments-sound' : 'attachments-damaged', params), damaged }]);
  return { ok: checks.every((c) => c.ok), cancelled: false, checks };
}
