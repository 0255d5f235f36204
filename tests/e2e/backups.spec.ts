// Backups through the real UI and engine: the director is reminded there is none, makes one to a "USB drive" folder
// with progress, sees it listed and verified, makes a second one that reuses the attachment, and the reminder is
// gone; a recorder and an auditor never see the area.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import backupsSq from '../../renderer/src/i18n/locales/backups/sq.json' with { type: 'json' };
import { director, tempDir } from '../fixtures/archive';
import { personInput, testimonyInput } from '../fixtures/records';
import { expect, test, type Harness } from './harness';
import { AccountsPage } from './pages/accounts';
import { ArchiveApp } from './pages/archive-app';
import { B, BackupsPage } from './pages/backups';
import { fillIn } from './pages/submissions';
import { callArchive, expectNoAxeViolations } from './support';

/** A 1×1 PNG: the attachment the backups carry. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A testimony with one photo attached, so a backup has an attachment to copy, then to reuse. */
async function seed(page: Page, harness: Harness, dir: string): Promise<void> {
  const p = await callArchive(page, 'persons.create', { person: personInput() });
  const t = await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { title: 'Rrëfimi nga Gjakova, maj 1999' }) });
  const photo = join(dir, 'fotografia.png');
  writeFileSync(photo, png);
  harness.fileAnswers.push(photo);
  await callArchive(page, 'attachments.import', { ownerKind: 'testimony', ownerId: t.id });
}

test('a director is reminded, backs up with progress, verifies, backs up again reusing attachments; the reminder goes', async ({ page, harness }) => {
  const dir = tempDir('ta-e2e-backup-');
  try {
    const usb = join(dir.path, 'usb');
    const app = new ArchiveApp(page);
    await app.open();
    await app.createArchive(director);
    await app.expectHome(director.displayName);
    await seed(page, harness, dir.path);

    // Home: no backup yet, said with a way to the area.
    const backups = new BackupsPage(page);
    await page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: en.nav.settings }).click();
    await page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: en.nav.home }).click();
    await expect(backups.reminder()).toContainText(B.reminder.none);
    await expectNoAxeViolations(page, 'home with backup reminder');
    await backups.reminder().getByRole('button', { name: B.reminder.go }).click();
    await expect(page.getByRole('heading', { level: 1, name: B.heading })).toBeVisible();
    await expect(page.getByText(B.list.none)).toBeVisible();
    await expect(page.getByText(B.make.where)).toBeVisible();
    await expectNoAxeViolations(page, 'backups, none yet');

    // The dialog cancelled: nothing started, nothing written.
    harness.pickerAnswers.push(null);
    await backups.start();
    await expect(page.getByRole('status').filter({ hasText: B.make.noFolder })).toBeVisible();

    // The first backup: progress, then the result with the attachment copied.
    mkdirSync(usb);
    harness.pickerAnswers.push(usb);
    await backups.start();
    await expect(backups.progress()).toBeVisible();
    await expect(backups.finished()).toBeVisible({ timeout: 30_000 });
    await expect(backups.progress()).toHaveAttribute('aria-valuenow', '100');
    await expect(backups.result(B.make.copied)).toHaveText('1');
    await expect(backups.result(B.make.reused)).toHaveText('0');
    await expect(backups.result(B.make.folder)).toContainText(usb);
    await expectNoAxeViolations(page, 'backup finished');

    // Listed, complete, not verified yet; then verified with every file correct.
    await expect(backups.table()).toHaveAccessibleName(fillIn(B.list.caption, { count: 1 }));
    const first = backups.rows().first();
    await expect(first).toContainText(B.list.states.complete);
    await expect(first).toContainText(B.list.verificationStates.unverified);
    await expect(first).toContainText(usb);
    await first.getByRole('button', { name: /^Verify the backup of / }).click();
    await expect(backups.report().getByRole('status')).toContainText(/^Every file is present and matches the signed list/, { timeout: 30_000 });
    await expect(first).toContainText(/Verified on .*: all files correct/);
    await expectNoAxeViolations(page, 'backup verified');

    // A second backup to the same drive: the attachment is already there and not copied again.
    harness.pickerAnswers.push(usb);
    await backups.start();
    await expect(backups.finished()).toBeVisible({ timeout: 30_000 });
    await expect(backups.result(B.make.copied)).toHaveText('0');
    await expect(backups.result(B.make.reused)).toHaveText('1');
    await expect(backups.table()).toHaveAccessibleName(fillIn(B.list.caption, { count: 2 }));
    expect(readdirSync(usb).filter((n) => n.startsWith('backup-'))).toHaveLength(2);

    // Home: a complete backup today, so no reminder.
    await page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: en.nav.home }).click();
    await app.expectHome(director.displayName);
    await expect(page.getByRole('button', { name: en.home.newTestimony })).toBeVisible();
    await expect(backups.reminder()).toHaveCount(0);
  } finally {
    dir.cleanup();
  }
});

test('a damaged backup fails verification with the file named and the problem in the UI language', async ({ page, harness }) => {
  const dir = tempDir('ta-e2e-backup-');
  try {
    const usb = join(dir.path, 'usb');
    mkdirSync(usb);
    const app = new ArchiveApp(page);
    await app.open();
    await app.createArchive(director);
    await app.expectHome(director.displayName);
    const backups = new BackupsPage(page);
    await backups.open();
    harness.pickerAnswers.push(usb);
    await backups.start();
    await expect(backups.finished()).toBeVisible({ timeout: 30_000 });

    // One byte of the encrypted database copy changed on the drive: same size, another hash.
    const folder = readdirSync(usb).find((n) => n.startsWith('backup-')) ?? '';
    const db = join(usb, folder, 'archive.db');
    const bytes = readFileSync(db);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(db, bytes);

    const sq = backupsSq.backups;
    await app.chooseLanguage('Shqip');
    await backups.rows().first().getByRole('button', { name: new RegExp(`^${sq.list.verify}`) }).click();
    const problems = page.getByRole('list', { name: sq.report.problemsLabel });
    await expect(problems.getByRole('listitem')).toHaveText([`archive.db — ${sq.report.problems.hash}`], { timeout: 30_000 });
    await expect(page.getByRole('alert')).toContainText(sq.report.failed);
    await expect(backups.rows().first()).toContainText(sq.list.verificationStates.failed.replace(' {{date}}', ''));
    await expectNoAxeViolations(page, 'backup verification failed');
  } finally {
    dir.cleanup();
  }
});

test('a recorder and an auditor see no backups area and no reminder', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  const backups = new BackupsPage(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  await expect(backups.navButton()).toBeVisible();
  const people = [
    { username: 'besnik.gashi', displayName: 'Besnik Gashi', role: 'recorder' as const, passphrase: 'Bora e parë ra mbi kodrat e Drenicës sivjet' },
    { username: 'milica.jovanovic', displayName: 'Milica Jovanović', role: 'auditor' as const, passphrase: 'Reka teče mirno ispod starog kamenog mosta' },
  ];
  const oneTimes = [];
  for (const p of people) oneTimes.push((await callArchive(page, 'users.create', { username: p.username, displayName: p.displayName, role: p.role })).oneTimePassphrase);
  for (const [i, p] of people.entries()) {
    await app.lock();
    await app.signIn(p.username, oneTimes[i] ?? '');
    await accounts.expectForcedChange();
    await accounts.changePassphrase({ current: oneTimes[i] ?? '', next: p.passphrase, forced: true });
    await app.expectHome(p.displayName);
    await expect(page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: en.nav.settings })).toBeVisible();
    await expect(backups.navButton()).toHaveCount(0);
    await expect(backups.reminder()).toHaveCount(0);
    // Main refuses it too, whatever the renderer shows.
    const refused = await page.evaluate(() => (globalThis as unknown as { archive: Record<string, (i: unknown) => Promise<unknown>> }).archive['backups.list']?.({}));
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });
  }
});
