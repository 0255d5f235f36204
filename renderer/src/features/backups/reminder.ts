// When a director is reminded to make a backup: none yet, or the last complete one older than the interval.
import type { BackupListEntry } from '../../../../shared/ipc/contract';

/** Days between backups before the reminder shows. Fixed: the archive has no setting for it yet. */
export const backupIntervalDays = 7;

const dayMs = 24 * 60 * 60 * 1000;

export type BackupReminder = { kind: 'none' } | { kind: 'old'; lastAt: string; days: number } | null;

/** When a backup ended (its start while the log has no end), as what the reminder counts from. */
const endOf = (b: BackupListEntry): string => b.finishedAt ?? b.createdAt;

/**
 * The reminder due at `nowMs`, or null when the last complete backup is recent enough. Failed, cancelled and
 * unfinished backups do not count: only a complete one can be restored.
 * @example backupReminder([], Date.now()) // { kind: 'none' }
 */
export function backupReminder(backups: readonly BackupListEntry[], nowMs: number, intervalDays = backupIntervalDays): BackupReminder {
  let last: string | null = null;
  for (const b of backups) {
    if (b.status !== 'complete') continue;
    const at = endOf(b);
    if (Number.isNaN(Date.parse(at))) continue;
    if (last === null || Date.parse(at) > Date.parse(last)) last = at;
  }
  if (last === null) return { kind: 'none' };
  const days = Math.floor((nowMs - Date.parse(last)) / dayMs);
  return days >= intervalDays ? { kind: 'old', lastAt: last, days } : null;
}
