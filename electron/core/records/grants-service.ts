// Explicit grants of restricted records: who reads a record, sealing a copy to a new reader, and revoking one
// with a re-key (DESIGN.md section 3). Directors only; every grant and revocation is audited.
import type { Kysely } from 'kysely';
import { recordKinds } from '../../../shared/ipc/contract';
import { hasGrant, requireReach } from '../access/reach';
import { appendAudit } from '../audit/audit-chain';
import type { Sodium } from '../crypto/sodium';
import type { ArchiveSchema } from '../db/schema';
import { inTransaction } from '../db/in-transaction';
import { ArchiveError } from '../errors';
import type { Actor, ReadersOf, RecordReader } from './actor';
import { recordAccess, type Directory, type RecordAccess, type RecordKind } from './record-readers';
import { rekeyRecordWithout, sealRecordTo } from './sealed-store';

export type GrantsDeps = { db: Kysely<ArchiveSchema>; sodium: Sodium; now: () => number; readersOf: ReadersOf; directory: Directory };

/** One reader of a record as the director sees it (the `records.readers` output). */
export type ReaderView = { userId: string; username: string | null; via: RecordReader['via'] };

const nounOf: Record<RecordKind, string> = { testimony: 'testimony', person: 'person', session: 'session' };
const viaText: Record<RecordReader['via'], string> = { author: 'as its author', director: 'as a director', grant: 'through a grant' };

export function createGrantsService(deps: GrantsDeps) {
  const { db, sodium } = deps;
  const iso = () => new Date(deps.now()).toISOString();

  async function existing(trx: Kysely<ArchiveSchema>, kind: RecordKind, id: string): Promise<RecordAccess> {
    if (!(recordKinds as readonly string[]).includes(kind)) throw new ArchiveError('IPC_BAD_INPUT', 'Unknown kind of record.');
    const record = await recordAccess(trx, kind, id);
    if (!record) throw new ArchiveError('RECORD_NOT_FOUND', `No such ${nounOf[kind]}.`);
    return record;
  }

  return {
    /**
     * Who reads the record's restricted content: the author, every active director and the active grantees (those a
     * new revision is sealed to). `restricted` false: everyone on staff reads it; the list is who would be sealed to.
     */
    async readers(kind: RecordKind, id: string, actor: Actor): Promise<{ restricted: boolean; readers: ReaderView[] }> {
      await requireReach(db, actor, 'records.readers', { kind, id });
      const record = await existing(db, kind, id);
      const readers = await deps.readersOf(db, { kind, id, authorId: record.authorId });
      const ids = readers.map((r) => r.userId);
      const names = new Map(ids.length ? (await db.selectFrom('users').select(['id', 'username']).where('id', 'in', ids).execute()).map((u) => [u.id, u.username]) : []);
      return { restricted: record.restricted, readers: readers.map((r) => ({ userId: r.userId, username: names.get(r.userId) ?? null, via: r.via })) };
    },

    /**
     * Shares a restricted record with `userId`: the director's data key of every version is sealed to them (so the
     * history opens too), and the grant row makes later revisions seal to them as well. One transaction, audited.
     * Granting again changes nothing but the audit entry.
     */
    async grant(kind: RecordKind, id: string, userId: string, actor: Actor): Promise<{ granted: true }> {
      await requireReach(db, actor, 'records.grant', { kind, id });
      await inTransaction(db, async (trx) => {
        const record = await existing(trx, kind, id);
        if (!record.restricted) throw new ArchiveError('GRANT_NOT_RESTRICTED', `This ${nounOf[kind]} is not restricted: everyone on staff already reads it.`);
        const target = deps.directory().find((u) => u.id === userId);
        const row = await trx.selectFrom('users').select(['id', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
        if (!target || target.disabled || !row || row.disabled_at !== null) throw new ArchiveError('ACCOUNT_NOT_FOUND', 'No active account with this id.');
        const structural = (await deps.readersOf(trx, { kind, id, authorId: record.authorId })).find((r) => r.userId === userId && r.via !== 'grant');
        if (structural) throw new ArchiveError('IPC_BAD_INPUT', `This user already reads the ${nounOf[kind]} ${viaText[structural.via]}; a grant is for anyone else.`);
        const contents = await sealRecordTo(trx, sodium, kind, id, actor, { userId, boxPublicKey: target.boxPublicKey });
        const at = iso();
        await trx
          .insertInto('record_grants')
          .values({ record_kind: kind, record_id: id, user_id: userId, granted_by: actor.userId, granted_at: at })
          .onConflict((oc) => oc.columns(['record_kind', 'record_id', 'user_id']).doNothing())
          .execute();
        await appendAudit(trx, { at, actor: actor.userId, action: 'record.grant', subjectKind: kind, subjectId: id, detail: { userId, contents } });
      });
      return { granted: true };
    },

    /**
     * Takes a grant back: deletes the grant row and the user's copies, and re-keys every version of the record under
     * fresh data keys sealed to the remaining readers, so a data key the user kept opens nothing. Only explicit
     * grants are revoked; the author's and directors' copies are structural. One transaction, audited.
     */
    async revoke(kind: RecordKind, id: string, userId: string, actor: Actor): Promise<{ revoked: true }> {
      await requireReach(db, actor, 'records.revoke', { kind, id });
      await inTransaction(db, async (trx) => {
        const record = await existing(trx, kind, id);
        if (!(await hasGrant(trx, kind, id, userId))) {
          const structural = (await deps.readersOf(trx, { kind, id, authorId: record.authorId })).find((r) => r.userId === userId);
          throw new ArchiveError(
            'IPC_BAD_INPUT',
            structural
              ? `This user reads the ${nounOf[kind]} ${viaText[structural.via]}, not through a grant: only grants can be revoked.`
              : `This user has no grant on this ${nounOf[kind]}.`,
          );
        }
        await trx.deleteFrom('record_grants').where('record_kind', '=', kind).where('record_id', '=', id).where('user_id', '=', userId).execute();
        const keys = new Map(deps.directory().map((u) => [u.id, u.boxPublicKey]));
        const contents = await rekeyRecordWithout(trx, sodium, kind, id, actor, userId, (u) => keys.get(u));
        await appendAudit(trx, { at: iso(), actor: actor.userId, action: 'record.revoke', subjectKind: kind, subjectId: id, detail: { userId, contents } });
      });
      return { revoked: true };
    },
  };
}

export type GrantsService = ReturnType<typeof createGrantsService>;
