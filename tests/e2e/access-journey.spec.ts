// The access-control journey of issue 4 in one story, through the real UI and engine: the director creates a
// recorder, who changes the one-time passphrase and records a restricted testimony; a second recorder cannot read
// it; the auditor sees the entries and a sound chain; the director prints a recovery kit and recovers with 3 shares.
import type { Page } from '@playwright/test';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import { director } from '../fixtures/archive';
import { personInput } from '../fixtures/records';
import { recorder } from '../fixtures/users';
import { expect, test } from './harness';
import { AccountsPage, ac, fill as fillAccounts } from './pages/accounts';
import { ArchiveApp } from './pages/archive-app';
import { A, AuditPage, fill } from './pages/audit';
import { T, TestimoniesPage } from './pages/testimonies';
import { callArchive, expectNoAxeViolations } from './support';

const secondRecorder = { username: 'vesna.markovic', displayName: 'Vesna Marković', passphrase: 'Jutro nad Šar planinom miriše na kišu' };
const auditor = { username: 'arta.berisha', displayName: 'Arta Berisha', passphrase: 'Llogaritë e drejta nuk kanë frikë nga dielli' };
const title = 'Dhuna në burgun e Dubravës, maj 1999';
const narrative = 'Ajo tregon çfarë i ndodhi gjatë ndalimit në maj 1999.';

/** Signs in with a one-time passphrase and sets the user's own, as a new member of staff does on day one. */
async function firstSignIn(page: Page, app: ArchiveApp, who: { username: string; displayName: string; passphrase: string }, oneTime: string) {
  const accounts = new AccountsPage(page);
  await app.signIn(who.username, oneTime);
  await accounts.expectForcedChange();
  await accounts.changePassphrase({ current: oneTime, next: who.passphrase, forced: true });
  await app.expectHome(who.displayName);
}

test('director creates staff; a restricted testimony stays with its readers; the auditor verifies; the director recovers with 3 shares', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new ArchiveApp(page);
  const accounts = new AccountsPage(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);

  // The director creates three accounts; each one-time passphrase is read once from the screen.
  await accounts.openUsers();
  const oneTime: Record<string, string> = {};
  for (const [who, role] of [[recorder, 'recorder'], [secondRecorder, 'recorder'], [auditor, 'auditor']] as const) {
    oneTime[who.username] = await accounts.addUser(who, role);
    await accounts.dismissOneTime();
  }
  await app.lock();

  // The recorder's first day: a new passphrase, then a restricted testimony recorded in the form.
  await firstSignIn(page, app, recorder, oneTime[recorder.username] ?? '');
  await callArchive(page, 'persons.create', { person: personInput({ names: { sq: 'Fatime Berisha', srLatn: 'Fatime Beriša', srCyrl: 'Фатиме Бериша' } }) });
  const ui = new TestimoniesPage(page);
  await ui.openList();
  const form = await ui.startNew();
  await ui.fillBasics(form, { title, deponent: 'Fatime Berisha', date: '2026-11-20' });
  await form.getByLabel(T.fields.narrative).fill(narrative);
  await form.getByRole('radio', { name: T.sensitivity.restricted }).check();
  await ui.fillConsent(form);
  await ui.save(form);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(narrative)).toBeVisible();
  await app.lock();

  // The second recorder sees that the testimony exists (title, metadata), never its narrative.
  await firstSignIn(page, app, secondRecorder, oneTime[secondRecorder.username] ?? '');
  await ui.openList();
  await page.getByRole('button', { name: new RegExp(title) }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(T.notVisible)).toBeVisible();
  await expect(page.getByText(narrative)).toHaveCount(0);
  const [listed] = (await callArchive(page, 'search.list', { filters: {} })).items.filter((i) => i.kind === 'testimony');
  expect(await callArchive(page, 'testimonies.get', { id: listed?.id ?? '' })).toMatchObject({ contentVisible: false, narrative: '' });
  await app.lock();

  // The auditor: the entries of all this (ids and actions only) and a sound chain with valid checkpoints.
  await firstSignIn(page, app, auditor, oneTime[auditor.username] ?? '');
  await page.getByRole('button', { name: A.homeLink }).click();
  const audit = new AuditPage(page);
  await audit.expectScreen();
  await expect(audit.entry(A.actions.account.create)).toHaveCount(3);
  await expect(audit.entry(A.actions.account['passphrase-changed']).first()).toBeVisible();
  await expect(audit.entry(A.actions.record.create).first()).toBeVisible();
  await expect(audit.entries().filter({ hasText: narrative })).toHaveCount(0);
  await audit.verify();
  const report = await callArchive(page, 'audit.verify', {});
  expect(report.firstBreak).toBeNull();
  expect(report.checkpoints.firstBad).toBeNull();
  expect(report.checkpoints.valid).toBeGreaterThanOrEqual(3);
  await expect(audit.verifiedSound()).toContainText(fill(A.verify.intact, { count: report.entries, head: (report.head ?? '').slice(0, 16) }));
  await expect(audit.verifiedSound()).toContainText(fill(A.verify.checkpointsValid, { valid: report.checkpoints.valid, total: report.checkpoints.total }));
  await expectNoAxeViolations(page, 'audit verified');
  await app.lock();

  // The director prints a recovery kit, forgets the passphrase, and recovers with 3 of the 5 shares.
  await app.signIn(director.username, director.passphrase);
  await accounts.openRecovery();
  await accounts.createKit();
  const shares = await accounts.shareTexts();
  expect(shares).toHaveLength(5);
  await accounts.finishKit();
  await app.lock();
  await accounts.openRecover();
  const next = 'Një fjalëkalim i ri pas humbjes së të vjetrit';
  await accounts.recover([shares[4] ?? '', shares[1] ?? '', shares[2] ?? ''], next);
  await expect(page.getByRole('status')).toHaveText(fillAccounts(ac.recover.done, { username: director.username }));
  await page.getByRole('button', { name: ac.recover.backToSignIn }).click();
  await app.signIn(director.username, director.passphrase);
  await expect(page.getByRole('alert')).toHaveText(en.errors.AUTH_FAILED);
  await app.signIn(director.username, next);
  await app.expectHome(director.displayName);
  // The director still reads the restricted testimony: the keys came back with the kit.
  await ui.openList();
  await page.getByRole('button', { name: new RegExp(title) }).first().click();
  await expect(page.getByText(narrative)).toBeVisible();
});
