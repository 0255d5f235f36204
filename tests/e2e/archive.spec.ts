// The first vertical slice through the real UI and the real engine: create, lock, sign in, languages, a11y.
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import sq from '../../renderer/src/i18n/locales/sq.json' with { type: 'json' };
import srCyrl from '../../renderer/src/i18n/locales/sr-Cyrl.json' with { type: 'json' };
import type { ArchiveApi } from '../../shared/ipc/api';
import testimoniesEn from '../../renderer/src/i18n/locales/testimonies/en.json' with { type: 'json' };
import { director } from '../fixtures/archive';
import { expect, test } from './harness';
import { expectNoAxeViolations } from './support';
import { ArchiveApp } from './pages/archive-app';

test('create archive, lock, wrong then right passphrase', async ({ page, harness }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await expect(page.getByText(harness.folder)).toBeVisible();
  await expectNoAxeViolations(page, 'create');
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  await expectNoAxeViolations(page, 'home');

  await app.lock();
  await expectNoAxeViolations(page, 'sign-in');
  await app.signIn(director.username, 'not the right passphrase at all');
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await expectNoAxeViolations(page, 'sign-in with error');
  await app.signIn(director.username, director.passphrase);
  await app.expectHome(director.displayName);
});

test('weak and mismatched passphrases are refused with a reason, nothing created', async ({ page, harness }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive({ ...director, passphrase: 'passwordpassword' });
  await expect(page.getByRole('alert')).toHaveText(en.errors.PASSPHRASE_COMMON);
  await expect(page.getByText(en.strength.common)).toBeVisible();
  expect(harness.core.sessions.status().state).toBe('no-archive');

  await page.getByLabel(en.create.passphrase, { exact: true }).fill(director.passphrase);
  await page.getByLabel(en.create.passphraseConfirm).fill(`${director.passphrase}x`);
  await page.getByRole('button', { name: en.create.submit }).click();
  await expect(page.getByRole('alert')).toHaveText(en.errors.PASSPHRASE_MISMATCH);
  expect(harness.core.sessions.status().state).toBe('no-archive');
});

test('languages: Albanian and Serbian Cyrillic screens are translated and accessible', async ({ page }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.chooseLanguage('Shqip');
  await expect(page.getByRole('heading', { name: sq.create.heading })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sq');
  await expectNoAxeViolations(page, 'create (sq)');

  await app.chooseLanguage('Српски (ћирилица)');
  await expect(page.getByRole('heading', { name: srCyrl.create.heading })).toBeVisible();
  await expect(page.getByText(srCyrl.create.intro)).toBeVisible();

  // Create through the Cyrillic UI (labels in Cyrillic), then see the translated home and sign-in.
  await page.getByLabel(srCyrl.create.username, { exact: true }).fill(director.username);
  await page.getByLabel(srCyrl.create.displayName).fill(director.displayName);
  await page.getByLabel(srCyrl.create.passphrase, { exact: true }).fill(director.passphrase);
  await page.getByLabel(srCyrl.create.passphraseConfirm).fill(director.passphrase);
  await page.getByRole('button', { name: srCyrl.create.submit }).click();
  await expect(page.getByRole('heading', { name: srCyrl.home.heading })).toBeVisible();
  await expect(page.getByRole('button', { name: srCyrl.home.lock })).toBeVisible();
  await expectNoAxeViolations(page, 'home (sr-Cyrl)');
  await page.getByRole('button', { name: srCyrl.home.lock }).click();
  await expect(page.getByRole('heading', { name: srCyrl.signIn.heading })).toBeVisible();
  await app.chooseLanguage('Shqip');
  await expect(page.getByRole('heading', { name: sq.signIn.heading })).toBeVisible();
  await expectNoAxeViolations(page, 'sign-in (sq)');
});

test('keyboard only: create and sign in without the mouse', async ({ page }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await expect(page.getByRole('heading', { name: en.create.heading })).toBeVisible();
  await page.getByLabel(en.create.username, { exact: true }).focus();
  await page.keyboard.type(director.username);
  await page.keyboard.press('Tab'); // hint is not focusable: next is display name
  await page.keyboard.type(director.displayName);
  await page.keyboard.press('Tab');
  await page.keyboard.type(director.passphrase);
  await page.keyboard.press('Tab');
  await page.keyboard.type(director.passphrase);
  await page.keyboard.press('Enter');
  await app.expectHome(director.displayName);
  await page.getByRole('button', { name: en.home.lock }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: en.signIn.heading })).toBeVisible();
  await page.getByLabel(en.signIn.username).focus();
  await page.keyboard.type(director.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(director.passphrase);
  await page.keyboard.press('Enter');
  await app.expectHome(director.displayName);
});

test('idle lock from main returns the UI to sign-in and forgets the screen', async ({ page, harness }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  await page.getByRole('button', { name: en.nav.settings }).click();
  await page.getByLabel(en.settings.idleTimeout).fill('7');
  await page.getByRole('button', { name: en.settings.save }).click();
  await expect(page.getByText(en.settings.saved)).toBeVisible();
  expect(await harness.core.sessions.lockIfIdle(6 * 60)).toBe(false);
  expect(await harness.core.sessions.lockIfIdle(7 * 60)).toBe(true);
  await expect(page.getByRole('heading', { name: en.signIn.heading })).toBeVisible();
  await expect(page.getByText(en.signIn.lockedNotice)).toBeVisible();
  await expect(page.getByText(director.displayName)).toHaveCount(0);
  // A call after the lock is refused by main, whatever the renderer believes.
  const r = await page.evaluate(() => (globalThis as unknown as { archive: ArchiveApi }).archive['session.info']({}));
  expect(r).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
});

test('a training archive is created with the fictional demo records and says so on every screen, also when locked', async ({ page }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await page.getByLabel(en.create.training).check();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const banner = page.getByRole('note').filter({ hasText: en.app.training });
  await expect(banner).toBeVisible();
  await page.getByRole('button', { name: en.nav.testimonies, exact: true }).click();
  // The demo testimonies are listed (paged from main, never the whole archive at once).
  await expect(page.getByRole('region', { name: testimoniesEn.testimonies.list.label }).getByRole('listitem').first()).toBeVisible();
  await expectNoAxeViolations(page, 'training archive list');
  await app.lock();
  await expect(banner).toBeVisible();
});
