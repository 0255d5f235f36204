// What the auditor sees: the audit log page by page, the chain and checkpoint verification, and counts (never content).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { contract, type AuditEntryView, type AuditOverview, type AuditVerify, type MethodInput } from '../../../shared/ipc/contract';
import { commissionScopes, testimonyStatuses } from '../../../shared/records/schemas';
import { inTransaction } from '../db/in-transaction';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import type { Keyring } from '../vault/keyring';
import { verifyAuditChain } from './audit-chain';
import { archiveKeyName, checkpointKeys, verifyCheckpoints } from './checkpoints';

export type AuditListInput = MethodInput<'audit.list'>;
export type AuditPage = { items: AuditEntryView[]; nextBefore: number | null };

export type AuditServiceDeps = {
  db: Kysely<ArchiveSchema>;
  /** The archive's keyring as it is now (read per call: accounts and keys change while the archive is open). */
  keyring: () => Keyring;
  /** Milliseconds since the epoch; decides which embargoes are still running. Defaults to the system clock. */
  now?: () => number;
};

const withdrawalScopes = ['all', 'commission', 'public', 'media'] as const;

/** The day after an ISO date, so a `to` day includes all of its entries (their `at` is an ISO instant). */
function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A stored detail as the contract shows it: flat primitives only; anything else (an edited row) is left out. */
function detailOf(text: string): AuditEntryView['detail'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: AuditEntryView['detail'] = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** Counts per value, with every known value present (zero when absent) so the screen shows the whole picture. */
function countsOf(known: readonly string[], rows: ReadonlyArray<{ k: string | null; n: number }>): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(known.map((k) => [k, 0]));
  for (const r of rows) if (r.k !== null) out[r.k] = (out[r.k] ?? 0) + r.n;
  return out;
}

/**
 * The list query, newest first by seq; exported so tests can EXPLAIN the exact SQL. The filter is the parsed input.
 *
 * @example auditListQuery(db, { before: null, limit: 50, action: 'record.', actor: null, subjectId: null, from: null, to: null }).execute()
 */
export function auditListQuery(db: Kysely<ArchiveSchema>, f: AuditListInput) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor')
    .select(['audit_log.seq', 'audit_log.at', 'audit_log.actor', 'audit_log.action', 'audit_log.subject_kind', 'audit_log.subject_id', 'audit_log.detail', 'users.username']);
  if (f.before !== null) q = q.where('audit_log.seq', '<', f.before);
  if (f.action !== null && f.action.endsWith('.')) {
    // substr, not LIKE: an action's '_' or '%' must not act as a wildcard.
    q = q.where(sql<string>`substr(audit_log.action, 1, ${f.action.length})`, '=', f.action);
  } else if (f.action !== null) {
    q = q.where('audit_log.action', '=', f.action);
  }
  if (f.actor !== null) q = q.where('audit_log.actor', '=', f.actor);
  if (f.subjectId !== null) q = q.where('audit_log.subject_id', '=', f.subjectId);
  if (f.from !== null) q = q.where('audit_log.at', '>=', f.from);
  if (f.to !== null) q = q.where('audit_log.at', '<', dayAfter(f.to));
  return q.orderBy('audit_log.seq', 'desc').limit(f.limit);
}

export function createAuditService(deps: AuditServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;

  /** Today as a local calendar day (embargo dates are days, not instants). */
  function today(): string {
    const d = new Date(now());
    return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }

  return {
    /**
     * Entries newest first, `limit` per page; pass the returned `nextBefore` as `before` for the next page.
     * `action` matches exactly, or as a prefix when it ends in '.' ('record.' finds every record action).
     * `from` and `to` are days (inclusive) of the entries' UTC timestamps.
     */
    async list(input: AuditListInput): Promise<AuditPage> {
      const parsed = contract['audit.list'].input.safeParse(input);
      if (!parsed.success) throw new ArchiveError('IPC_BAD_INPUT', 'The audit log filter is not valid.');
      const f = parsed.data;
      if (f.from !== null && f.to !== null && f.from > f.to) throw new ArchiveError('IPC_BAD_INPUT', 'The start day is after the end day.');
      // One row more than asked tells whether another page exists.
      const rows = await auditListQuery(db, { ...f, limit: f.limit + 1 }).execute();
      const page = rows.slice(0, f.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          seq: r.seq,
          at: r.at,
          actor: r.actor,
          actorName: r.username,
          action: r.action,
          subjectKind: r.subject_kind,
          subjectId: r.subject_id,
          detail: detailOf(r.detail),
        })),
        nextBefore: rows.length > f.limit && last ? last.seq : null,
      };
    },

    /** The chain from its first entry, and every signed checkpoint against the keyring's keys, on one state of the log. */
    async verify(): Promise<AuditVerify> {
      const keyring = deps.keyring();
      // One read transaction: an entry appended meanwhile (the CLI beside the app) cannot fall between the two reads.
      return inTransaction(db, async (trx) => {
        const chain = await verifyAuditChain(trx);
        const checkpoints = await verifyCheckpoints(trx, checkpointKeys(keyring), chain, { origin: archiveKeyName(keyring.archiveId) });
        return { entries: chain.entries, head: chain.head, firstBreak: chain.firstBreak, checkpoints };
      });
    },

    /** Counts for auditing consent: records, statuses, consent scopes, withdrawals, minors, embargoes. No content. */
    async overview(): Promise<AuditOverview> {
      const count = async (table: 'testimonies' | 'persons' | 'dialogue_sessions' | 'consents', restricted = false) => {
        let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
        if (restricted) q = table === 'persons' ? q.where('confidentiality', '=', 'restricted') : q.where('sensitivity', '=', 'restricted');
        return (await q.executeTakeFirstOrThrow()).n;
      };
      const [testimonies, persons, sessions, rt, rp, rs, total] = await Promise.all([
        count('testimonies'),
        count('persons'),
        count('dialogue_sessions'),
        count('testimonies', true),
        count('persons', true),
        count('dialogue_sessions', true),
        count('consents'),
      ]);
      const byStatus = await db.selectFrom('testimonies').select((eb) => ['status as k', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      const byCommission = await db.selectFrom('consents').select((eb) => ['scope_commission as k', eb.fn.countAll<number>().as('n')]).groupBy('scope_commission').execute();
      const byWithdrawal = await db
        .selectFrom('consents')
        .select((eb) => ['withdrawal_scope as k', eb.fn.countAll<number>().as('n')])
        .where('withdrawn_on', 'is not', null)
        .groupBy('withdrawal_scope')
        .execute();
      const consentCount = async (where: RawBuilder<boolean>) =>
        (await db.selectFrom('consents').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow()).n;
      const [minors, minorsWithoutGuardian, embargoed] = await Promise.all([
        consentCount(sql<boolean>`minor = 1`),
        consentCount(sql<boolean>`minor = 1 AND (guardian IS NULL OR trim(guardian) = '')`),
        consentCount(sql<boolean>`embargo_until IS NOT NULL AND embargo_until > ${today()}`),
      ]);
      return {
        records: { testimonies, persons, sessions, restricted: rt + rp + rs },
        testimoniesByStatus: countsOf(testimonyStatuses, byStatus),
        consent: {
          total,
          commission: countsOf(commissionScopes, byCommission),
          withdrawn: countsOf(withdrawalScopes, byWithdrawal),
          minors,
          minorsWithoutGuardian,
          embargoed,
        },
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
