// The director's backup reminder: due with no complete backup, or when the last complete one is a week old or more.
import { expect, test } from 'vitest';
import type { BackupListEntry } from '../../shared/ipc/contract';
import { backupIntervalDays, backupReminder } from '../../renderer/src/features/backups/reminder';

const now = Date.parse('2026-11-27T12:00:00.000Z');
const daysAgo = (d: number, extraMs = 0) => new Date(now - d * 24 * 3600 * 1000 - extraMs).toISOString();

function backup(over: Partial<BackupListEntry> = {}): BackupListEntry {
  const at = over.createdAt ?? daysAgo(1);
  return {
    id: '6f1c1a3e-1c1b-4f0e-9a57-2f9f1b1c2d3e',
    status: 'complete',
    createdAt: at,
    finishedAt: at,
    createdBy: 'drita.krasniqi',
    location: '/media/usb/backup-2026-11-26',
    bytes: 1024,
    files: 4,
    attachmentsCopied: 1,
    attachmentsReused: 0,
    verification: 'unverified',
    verifiedAt: null,
    verificationDetail: null,
    ...over,
  };
}

test('the interval is a week', () => {
  expect(backupIntervalDays).toBe(7);
});

test('no backup at all, or none that completed, is a reminder that there is none', () => {
  expect(backupReminder([], now)).toEqual({ kind: 'none' });
  expect(backupReminder([backup({ status: 'failed' }), backup({ status: 'cancelled' }), backup({ status: 'writing', finishedAt: null })], now)).toEqual({ kind: 'none' });
});

test('a complete backup younger than the interval needs no reminder', () => {
  expect(backupReminder([backup({ createdAt: daysAgo(0) })], now)).toBeNull();
  expect(backupReminder([backup({ createdAt: daysAgo(6, 23 * 3600 * 1000) })], now)).toBeNull();
});

test('the newest complete backup counts: seven days old or more is due, with its date and age', () => {
  const old = daysAgo(9);
  const older = daysAgo(30);
  expect(backupReminder([backup({ createdAt: older }), backup({ createdAt: old }), backup({ status: 'failed', createdAt: daysAgo(1) })], now)).toEqual({ kind: 'old', lastAt: old, days: 9 });
  expect(backupReminder([backup({ createdAt: daysAgo(7) })], now)).toEqual({ kind: 'old', lastAt: daysAgo(7), days: 7 });
  expect(backupReminder([backup({ createdAt: daysAgo(9), finishedAt: daysAgo(2) })], now)).toBeNull();
});

test('the interval can be given', () => {
  expect(backupReminder([backup({ createdAt: daysAgo(3) })], now, 2)).toEqual({ kind: 'old', lastAt: daysAgo(3), days: 3 });
});
