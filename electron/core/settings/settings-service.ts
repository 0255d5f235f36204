// Archive-wide settings kept in the encrypted database (idle timeout so far).
import type { Kysely } from 'kysely';
import { limits } from '../../../shared/domain/limits';
import { appendAudit } from '../audit/audit-chain';
import { inTransaction } from '../db/in-transaction';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';

export const defaultIdleTimeoutMinutes = 5;

export function createSettingsService(deps: { db: Kysely<ArchiveSchema>; now: () => number }) {
  const { db } = deps;
  return {
    async idleTimeoutMinutes(): Promise<number> {
      const row = await db.selectFrom('settings').select('value').where('key', '=', 'idle_timeout_minutes').executeTakeFirst();
      const n = row ? Number(row.value) : NaN;
      return Number.isInteger(n) && n >= limits.idleMinutesMin && n <= limits.idleMinutesMax ? n : defaultIdleTimeoutMinutes;
    },
    async setIdleTimeoutMinutes(minutes: number, byUserId: string): Promise<number> {
      if (!Number.isInteger(minutes) || minutes < limits.idleMinutesMin || minutes > limits.idleMinutesMax) {
        throw new ArchiveError('IPC_BAD_INPUT', `The idle timeout must be between ${limits.idleMinutesMin} and ${limits.idleMinutesMax} minutes.`);
      }
      const at = new Date(deps.now()).toISOString();
      await inTransaction(db, async (trx) => {
        await trx
          .insertInto('settings')
          .values({ key: 'idle_timeout_minutes', value: String(minutes), updated_at: at, updated_by: byUserId })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(minutes), updated_at: at, updated_by: byUserId }))
          .execute();
        // Settings are not content: the new value goes into the log.
        await appendAudit(trx, { at, actor: byUserId, action: 'settings.change', subjectKind: 'setting', subjectId: 'idle_timeout_minutes', detail: { value: minutes } });
      });
      return minutes;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
