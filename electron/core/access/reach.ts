// Per-record reach: the services' half of the policy table, deciding `own` and `granted` on one record.
import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/domain/roles';
import type { MethodName } from '../../../shared/ipc/methods';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import { recordAccess, type RecordKind } from '../records/record-readers';
import { reachOf } from './policy';

/** The grant row of (record, user), if any: a primary-key lookup (exported so a test can EXPLAIN it). */
export function grantQuery(db: Kysely<ArchiveSchema>, kind: RecordKind, id: string, userId: string) {
  return db.selectFrom('record_grants').select('user_id').where('record_kind', '=', kind).where('record_id', '=', id).where('user_id', '=', userId);
}

/** Whether a director explicitly granted this record to the user. */
export async function hasGrant(db: Kysely<ArchiveSchema>, kind: RecordKind, id: string, userId: string): Promise<boolean> {
  return (await grantQuery(db, kind, id, userId).executeTakeFirst()) !== undefined;
}

/**
 * Refuses with AUTH_FORBIDDEN unless `actor` reaches this record with `method`: `all` always; `own` when the user
 * created it (or took the statement); `granted` when a record_grants row names them; `none` never. The router
 * already refused `none`; services check again, as they are also called directly (CLI, import, tests).
 *
 * @example await requireReach(db, actor, 'persons.update', { kind: 'person', id })
 */
export async function requireReach(db: Kysely<ArchiveSchema>, actor: { userId: string; role: Role }, method: MethodName, record: { kind: RecordKind; id: string }): Promise<void> {
  const reach = reachOf(actor.role, method);
  if (reach === 'all') return;
  if (reach === 'own' && (await recordAccess(db, record.kind, record.id))?.owners.includes(actor.userId)) return;
  if (reach === 'granted' && (await hasGrant(db, record.kind, record.id, actor.userId))) return;
  const message =
    reach === 'own' ? 'You may do this only on records you created or were assigned.'
    : reach === 'granted' ? 'This record has not been shared with you.'
    : 'Your role does not allow this.';
  throw new ArchiveError('AUTH_FORBIDDEN', message);
}
