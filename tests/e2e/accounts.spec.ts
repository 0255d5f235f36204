// Accounts through the real UI and engine: one-time passphrases and the forced change, disabling, reset and
// removal, the voluntary change in Settings, the printable recovery kit and recovery from the sign-in screen.
import { create } from 'qrcode';
import accountsSq from '../../renderer/src/i18n/locales/accounts/sq.json' with { type: 'json' };
import accountsSrCyrl from '../../renderer/src/i18n/locales/accounts/sr-Cyrl.json' with { type: 'json' };
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import testimoniesEn from '../../renderer/src/i18n/locales/testimonies/en.json' with { type: 'json' };
import { qrRects } from '../../renderer/src/components/qr-rects';
import type { ArchiveApi } from '../../shared/ipc/api';
import { director } from '../fixtures/archive';
import { recorder } from '../fixtures/users';
import { expect, test } from './harness';
import { ac, AccountsPage, fill, pattern } from './pages/accounts';
import { ArchiveApp } from './pages/archive-app';
import { expectNoAxeViolations } from './support';

const auditor = { username: 'besa.gashi', displayName: 'Besa Gashi', passphrase: 'Ura e gurit mbi Lumbardh mban ende 1990' };

async function startAsDirector(app: ArchiveApp): Promise<void> {
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
}

test('director creates a recorder; the recorder signs in with the one-time passphrase, must change it, then works', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openUsers();
  await expectNoAxeViolations(page, 'users');
  // The director's own row offers no actions: the server refuses them too (ACCOUNT_SELF).
  await expect(accounts.row(director.username)).toContainText(ac.users.ownAccount);
  await expect(accounts.row(director.username).getByRole('button')).toHaveCount(0);

  const oneTime = await accounts.addUser(recorder, 'recorder');
  await expect(accounts.oneTimePanel()).toContainText(fill(ac.oneTime.instructions, { name: recorder.displayName }));
  await expect(accounts.oneTimePanel()).toContainText(ac.oneTime.once);
  await expectNoAxeViolations(page, 'one-time passphrase');
  await expect(accounts.row(recorder.username)).toContainText(en.roles.recorder);
  await expect(accounts.row(recorder.username)).toContainText(ac.users.mustChange);
  await accounts.dismissOneTime();
  // Shown once: nothing on the screen holds it any more.
  await expect(page.getByText(oneTime)).toHaveCount(0);

  await app.lock();
  await app.signIn(recorder.username, oneTime);
  await accounts.expectForcedChange();
  await expectNoAxeViolations(page, 'forced passphrase change');
  // Main refuses the rest until the change, whatever the renderer shows.
  const refused = await page.evaluate(() => (globalThis as unknown as { archive: ArchiveApi }).archive['drafts.list']({}));
  expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_PASSPHRASE_CHANGE_REQUIRED' } });
  await accounts.changePassphrase({ current: oneTime, next: recorder.passphrase, confirm: `${recorder.passphrase}!`, forced: true });
  await expect(page.getByRole('alert')).toHaveText(en.errors.PASSPHRASE_MISMATCH);
  await accounts.changePassphrase({ current: oneTime, next: recorder.passphrase, forced: true });
  await app.expectHome(recorder.displayName);
  // A recorder works with testimonies but sees no account management.
  const nav = page.getByRole('navigation', { name: en.nav.label });
  await expect(nav.getByRole('button', { name: en.nav.testimonies })).toBeVisible();
  await expect(nav.getByRole('button', { name: ac.nav.users })).toHaveCount(0);
  await expect(nav.getByRole('button', { name: ac.nav.recovery })).toHaveCount(0);
  await page.getByRole('button', { name: en.home.newTestimony }).click();
  await expect(page.getByRole('heading', { level: 1, name: testimoniesEn.testimonies.newHeading })).toBeVisible();

  await app.lock();
  await app.signIn(recorder.username, oneTime);
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await app.signIn(recorder.username, recorder.passphrase);
  await app.expectHome(recorder.displayName);
});

test('the forced change offers only lock besides the change', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openUsers();
  const oneTime = await accounts.addUser(auditor, 'auditor');
  await app.lock();
  await app.signIn(auditor.username, oneTime);
  await accounts.expectForcedChange();
  await app.lock();
  // Still forced at the next sign-in: nothing was changed.
  await app.signIn(auditor.username, oneTime);
  await accounts.expectForcedChange();
});

test('director disables an account (its sign-in then fails), enables it again, and cannot act on their own', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openUsers();
  const oneTime = await accounts.addUser(recorder, 'recorder');
  await accounts.dismissOneTime();
  await accounts.setDisabled(recorder.username, true);
  await expect(page.getByText(fill(ac.users.disabledDone, { name: recorder.displayName }))).toBeVisible();
  await expectNoAxeViolations(page, 'users with a disabled account');

  await app.lock();
  await app.signIn(recorder.username, oneTime);
  // A disabled account reads as a wrong passphrase: sign-in does not reveal which accounts exist.
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await expect(page.getByRole('heading', { name: en.signIn.heading })).toBeVisible();
  await expect(page.getByRole('heading', { name: ac.change.forcedHeading })).toHaveCount(0);

  await app.signIn(director.username, director.passphrase);
  await app.expectHome(director.displayName);
  await accounts.openUsers();
  await accounts.setDisabled(recorder.username, false);
  await app.lock();
  await app.signIn(recorder.username, oneTime);
  await accounts.expectForcedChange();
});

test('director resets a passphrase and removes an account, each after a confirmation', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openUsers();
  const first = await accounts.addUser(recorder, 'recorder');
  await accounts.dismissOneTime();

  // Cancelling changes nothing.
  await accounts.row(recorder.username).getByRole('button', { name: ac.users.reset }).click();
  await page.getByRole('dialog').getByRole('button', { name: en.form.cancel }).click();
  await expect(accounts.oneTimePanel()).toHaveCount(0);

  const second = await accounts.resetPassphrase(recorder);
  expect(second).not.toBe(first);
  await accounts.dismissOneTime();
  await app.lock();
  await app.signIn(recorder.username, first);
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await app.signIn(recorder.username, second);
  await accounts.expectForcedChange();
  await app.lock();

  await app.signIn(director.username, director.passphrase);
  await accounts.openUsers();
  await accounts.remove(recorder);
  await expectNoAxeViolations(page, 'users after removal');
  await app.lock();
  await app.signIn(recorder.username, second);
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  // The archive, re-keyed, still opens for the director.
  await app.signIn(director.username, director.passphrase);
  await app.expectHome(director.displayName);
});

test('anyone changes their own passphrase in Settings', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openSettings();
  const next = 'Mali i Sharrit nën dëborë në prill';
  await accounts.changePassphrase({ current: 'not my passphrase at all', next, forced: false });
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await accounts.changePassphrase({ current: director.passphrase, next, forced: false });
  await expect(page.getByRole('status').filter({ hasText: ac.change.done })).toBeVisible();
  await expectNoAxeViolations(page, 'settings after a passphrase change');
  await app.lock();
  await app.signIn(director.username, director.passphrase);
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await app.signIn(director.username, next);
  await app.expectHome(director.displayName);
});

test('director prints a 3-of-5 recovery kit; 3 of its shares recover from the sign-in screen', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openRecovery();
  await expect(page.getByText(ac.recovery.none)).toBeVisible();
  await expectNoAxeViolations(page, 'recovery kit (none yet)');

  const sheets = await accounts.createKit();
  await expect(sheets).toHaveCount(5);
  for (let i = 1; i <= 5; i++) {
    const sheet = sheets.nth(i - 1);
    await expect(sheet.getByRole('heading', { name: fill(ac.kit.shareHeading, { index: i, total: 5 }) })).toBeVisible();
    await expect(sheet).toContainText(fill(ac.kit.anyK, { threshold: 3, total: 5 }));
    await expect(sheet.getByRole('img', { name: fill(ac.kit.qrLabel, { index: i }) })).toBeVisible();
  }
  const shares = await accounts.shareTexts();
  expect(new Set(shares).size).toBe(5);
  for (const s of shares) expect(s).toMatch(/^TA1-/);
  // Every QR code draws exactly the symbol of its share's text.
  for (const [i, text] of shares.entries()) {
    const drawn = await sheets
      .nth(i)
      .locator('svg.qr-code rect[fill="#000"]')
      .evaluateAll((rects) => rects.map((r) => ({ x: Number(r.getAttribute('x')), y: Number(r.getAttribute('y')), width: Number(r.getAttribute('width')) })));
    expect(drawn).toEqual(qrRects(create(text, { errorCorrectionLevel: 'M' }).modules));
  }
  await expectNoAxeViolations(page, 'printable recovery kit');

  // On paper: one share per page, no app chrome, no buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: en.nav.label })).toBeHidden();
  await expect(page.locator('header')).toBeHidden();
  await expect(page.getByRole('button', { name: ac.kit.print })).toBeHidden();
  await expect(sheets.first()).toBeVisible();
  expect(await sheets.evaluateAll((list) => list.map((s) => getComputedStyle(s).breakAfter))).toEqual(['page', 'page', 'page', 'page', 'auto']);
  await page.emulateMedia({ media: 'screen' });

  await accounts.finishKit();
  await expect(page.getByText(pattern(ac.recovery.exists, { threshold: 3, total: 5 }))).toBeVisible();
  await expect(page.getByText(shares[0] ?? 'missing')).toHaveCount(0);

  await app.lock();
  await accounts.openRecover();
  await expectNoAxeViolations(page, 'recovery form');
  const next = 'Kalaja e Prizrenit shihet nga ura 2026';
  // Two shares are fewer than the kit needs; the same share twice is named as such.
  await accounts.recover([shares[0] ?? '', shares[2] ?? ''], next);
  await expect(page.getByRole('alert')).toHaveText(fill(en.errorDetails.RECOVERY_TOO_FEW_SHARES, { needed: 3 }));
  await accounts.recover([shares[0] ?? '', shares[0] ?? '', shares[2] ?? ''], next);
  await expect(page.getByRole('alert')).toHaveText(fill(en.errorDetails.RECOVERY_SHARE_DUPLICATE, { share: 2 }));
  await expect(page.getByLabel(fill(ac.recover.shareLabel, { n: 2 }), { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // A mistyped share is named by its field, counted as the user sees them (an empty field in between included).
  const typo = `${(shares[1] ?? '').slice(0, -1)}${(shares[1] ?? '').endsWith('0') ? '1' : '0'}`;
  await accounts.recover([shares[0] ?? '', '', typo, shares[3] ?? ''], next);
  await expect(page.getByRole('alert')).toHaveText(fill(en.errorDetails.RECOVERY_SHARE_DAMAGED, { share: 3 }));
  await expect(page.getByLabel(fill(ac.recover.shareLabel, { n: 3 }), { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, 'recovery form with a damaged share');
  await page.getByRole('button', { name: fill(ac.recover.removeShare, { n: 4 }) }).click();

  await accounts.recover([shares[1] ?? '', shares[3] ?? '', shares[4] ?? ''], next);
  await expect(page.getByRole('status')).toHaveText(fill(ac.recover.done, { username: director.username }));
  await expectNoAxeViolations(page, 'recovered');
  await page.getByRole('button', { name: ac.recover.backToSignIn }).click();
  await app.signIn(director.username, director.passphrase);
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await app.signIn(director.username, next);
  await app.expectHome(director.displayName);
});

test('a second kit replaces the first after a confirmation; the old shares no longer recover', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openRecovery();
  await accounts.createKit({ threshold: 2, total: 3 });
  const old = await accounts.shareTexts();
  expect(old).toHaveLength(3);
  await accounts.finishKit();
  await expect(page.getByText(pattern(ac.recovery.exists, { threshold: 2, total: 3 }))).toBeVisible();
  await accounts.createKit({ threshold: 3, total: 5, replacing: true });
  const current = await accounts.shareTexts();
  expect(current).toHaveLength(5);
  await accounts.finishKit();

  await app.lock();
  await accounts.openRecover();
  await accounts.recover([old[0] ?? '', old[1] ?? ''], 'Drini i Bardhë merr ujë nga malet');
  await expect(page.getByRole('alert')).toHaveText(fill(en.errorDetails.RECOVERY_SHARES_MISMATCH, { share: 1 }));
  await expect(page.getByRole('heading', { name: ac.recover.doneHeading })).toHaveCount(0);
  await page.getByRole('button', { name: ac.recover.cancel }).click();
  await app.signIn(director.username, director.passphrase);
  await app.expectHome(director.displayName);
});

test('the accounts screens speak Albanian and Serbian Cyrillic, and stay accessible', async ({ page }) => {
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await startAsDirector(app);
  await accounts.openUsers();
  await app.chooseLanguage('Shqip');
  await expect(page.getByRole('heading', { level: 1, name: accountsSq.accounts.users.heading })).toBeVisible();
  await expect(page.getByRole('button', { name: accountsSq.accounts.users.add })).toBeVisible();
  await expectNoAxeViolations(page, 'users (sq)');
  await app.chooseLanguage('Српски (ћирилица)');
  await page.getByRole('button', { name: accountsSrCyrl.accounts.nav.recovery }).click();
  await expect(page.getByRole('heading', { level: 1, name: accountsSrCyrl.accounts.recovery.heading })).toBeVisible();
  await expect(page.getByText(accountsSrCyrl.accounts.recovery.none)).toBeVisible();
  await expectNoAxeViolations(page, 'recovery kit (sr-Cyrl)');
  await page.getByRole('button', { name: accountsSrCyrl.accounts.recovery.create }).click();
  await expect(page.getByRole('heading', { level: 2, name: fill(accountsSrCyrl.accounts.kit.shareHeading, { index: 1, total: 5 }) })).toBeVisible();
  await expectNoAxeViolations(page, 'printable kit (sr-Cyrl)');
});
