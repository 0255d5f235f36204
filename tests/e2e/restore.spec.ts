// Restore through the real UI and engine: a backup restored from the sign-in screen into a new folder, opened with
// the director's passphrase (a wrong one first), then signed in to; from the no-archive screen a tampered backup is
// refused, a restored copy is discarded, and a good one lands on the sign-in of the restored archive.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import { director, tempDir } from '../fixtures/archive';
import { personInput, testimonyInput } from '../fixtures/records';
import { expect, test, type Harness } from './harness';
import { ArchiveApp } from './pages/archive-app';
import { BackupsPage } from './pages/backups';
import { R, RestorePage } from './pages/restore';
import { TestimoniesPage } from './pages/testimonies';
import { callArchive, expectNoAxeViolations } from './support';

const title = 'Rrëfimi nga Suhareka, mars 1999';

/** An archive with one testimony and one complete backup on the "USB drive"; returns the backup's folder. */
async function archiveWithBackup(page: Page, harness: Harness, usb: string): Promise<string> {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const p = await callArchive(page, 'persons.create', { person: personInput() });
  await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { title }) });
  const backups = new BackupsPage(page);
  await backups.open();
  mkdirSync(usb);
  harness.pickerAnswers.push(usb);
  await backups.start();
  await expect(backups.finished()).toBeVisible({ timeout: 30_000 });
  const folder = readdirSync(usb).find((n) => n.startsWith('backup-'));
  if (!folder) throw new Error('no backup folder on the drive');
  await app.lock();
  return join(usb, folder);
}

test('restore from the sign-in screen into a new folder, a wrong passphrase then the right one, and sign in to it', async ({ page, harness }) => {
  test.setTimeout(120_000);
  const dir = tempDir('ta-e2e-restore-');
  try {
    const backup = await archiveWithBackup(page, harness, join(dir.path, 'usb'));
    const parent = join(dir.path, 'restores');
    mkdirSync(parent);
    const restore = new RestorePage(page);
    await restore.open();
    await expect(page.getByText(R.dialogs)).toBeVisible();
    await expectNoAxeViolations(page, 'restore explained');

    // A cancelled dialog: nothing restored.
    harness.pickerAnswers.push(null);
    await restore.start();
    await expect(restore.status(R.noFolder)).toBeVisible();
    // The second dialog cancelled too.
    harness.pickerAnswers.push(backup, null);
    await restore.start();
    await expect(restore.status(R.noFolder)).toBeVisible();
    expect(readdirSync(parent)).toEqual([]);

    // The backup, then where the new folder goes: restored and checked, then the passphrase is asked for.
    harness.pickerAnswers.push(backup, parent);
    await restore.start();
    await expect(restore.verifyForm()).toBeVisible({ timeout: 30_000 });
    await expect(restore.status('The files were restored and match')).toBeVisible();
    await expectNoAxeViolations(page, 'restore waiting for the passphrase');

    // A wrong passphrase: said, the field emptied, and another try is allowed.
    await restore.verify(director.username, 'not the passphrase of anyone here 42');
    await expect(restore.verifyForm().getByRole('alert')).toHaveText(en.errors.AUTH_FAILED, { timeout: 30_000 });
    await expect(restore.verifyForm().getByLabel(R.passphrase, { exact: true })).toHaveValue('');
    await expectNoAxeViolations(page, 'restore, wrong passphrase');
    await restore.verify(director.username, director.passphrase);
    await expect(page.getByRole('heading', { level: 1, name: R.verifiedHeading })).toBeVisible({ timeout: 30_000 });
    await expect(restore.count(R.counts.testimonies)).toHaveText('1');
    await expect(restore.count(R.counts.users)).toHaveText('1');
    await expectNoAxeViolations(page, 'restore verified');

    // The sign-in of the restored archive (a new folder inside the chosen one), and its testimony.
    await page.getByRole('button', { name: R.continue }).click();
    await expect(page.getByRole('heading', { name: en.signIn.heading })).toBeVisible();
    const [restored] = readdirSync(parent);
    expect(restored).toMatch(/^restored-archive-/);
    await expect(page.getByText(en.signIn.folder.replace('{{folder}}', join(parent, restored ?? '')))).toBeVisible();
    const app = new ArchiveApp(page);
    await app.signIn(director.username, director.passphrase);
    await app.expectHome(director.displayName);
    const testimonies = new TestimoniesPage(page);
    await testimonies.openList();
    await expect(page.getByRole('button', { name: new RegExp(title) })).toBeVisible();
    expect(harness.core.sessions.status().folder).toBe(join(parent, restored ?? ''));
  } finally {
    dir.cleanup();
  }
});

test('from the no-archive screen: a tampered backup is refused, a restored copy is discarded, a good one opens', async ({ page, harness }) => {
  test.setTimeout(120_000);
  const dir = tempDir('ta-e2e-restore-');
  try {
    const backup = await archiveWithBackup(page, harness, join(dir.path, 'usb'));
    // A copy of the backup with one byte of the encrypted database changed: same size, another hash.
    const tampered = join(dir.path, 'tampered', 'backup-copy');
    cpSync(backup, tampered, { recursive: true });
    const db = join(tampered, 'archive.db');
    const bytes = readFileSync(db);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(db, bytes);
    const parent = join(dir.path, 'restores');
    mkdirSync(parent);

    // A new laptop: an empty folder, so the first screen is "create an archive".
    const empty = join(dir.path, 'new-laptop');
    mkdirSync(empty);
    harness.pickerAnswers.push(empty);
    await page.getByRole('button', { name: en.signIn.otherFolder }).click();
    await expect(page.getByRole('heading', { name: en.create.heading })).toBeVisible();
    const restore = new RestorePage(page);
    await restore.open();

    // The tampered backup: refused with the reason, nothing left in the chosen folder.
    harness.pickerAnswers.push(tampered, parent);
    await restore.start();
    await expect(page.getByRole('alert')).toHaveText(en.errors.BACKUP_TAMPERED, { timeout: 30_000 });
    await expect(restore.status(R.failed)).toBeVisible();
    await expect(restore.verifyForm()).toHaveCount(0);
    expect(readdirSync(parent)).toEqual([]);
    await expectNoAxeViolations(page, 'restore refused');

    // A good backup the user gives up on: discarded after asking, its folder removed.
    harness.pickerAnswers.push(backup, parent);
    await restore.start();
    await expect(restore.verifyForm()).toBeVisible({ timeout: 30_000 });
    expect(readdirSync(parent)).toHaveLength(1);
    await restore.verifyForm().getByRole('button', { name: R.discard }).click();
    const dialog = page.getByRole('dialog', { name: R.discardTitle });
    await expect(dialog).toBeVisible();
    await expectNoAxeViolations(page, 'discard asked');
    await dialog.getByRole('button', { name: R.discardKeep }).click();
    await expect(restore.verifyForm()).toBeVisible();
    await restore.verifyForm().getByRole('button', { name: R.discard }).click();
    await page.getByRole('dialog', { name: R.discardTitle }).getByRole('button', { name: R.discardConfirm }).click();
    await expect(restore.status(R.discarded)).toBeVisible();
    expect(readdirSync(parent)).toEqual([]);

    // Once more, checked with the passphrase: the restored archive's sign-in follows.
    harness.pickerAnswers.push(backup, parent);
    await restore.start();
    await expect(restore.verifyForm()).toBeVisible({ timeout: 30_000 });
    await restore.verify(director.username, director.passphrase);
    await expect(page.getByRole('heading', { level: 1, name: R.verifiedHeading })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: R.continue }).click();
    await expect(page.getByRole('heading', { name: en.signIn.heading })).toBeVisible();
    const app = new ArchiveApp(page);
    await app.signIn(director.username, director.passphrase);
    await app.expectHome(director.displayName);
  } finally {
    dir.cleanup();
  }
});
