// Testimonies through the real UI and the real engine: record with coded violations and consent, review, seal,
// list and filter; bad input (an impossible EDTF date, missing fields) is refused and saves nothing.
import type { Page } from '@playwright/test';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import { director } from '../fixtures/archive';
import { personInput } from '../fixtures/records';
import { expect, test } from './harness';
import { callArchive as archiveCall, expectNoAxeViolations } from './support';
import { ArchiveApp } from './pages/archive-app';
import { T, TestimoniesPage } from './pages/testimonies';

const deponent = 'Shqipe Krasniqi';
const brother = 'Agim Krasniqi';

/** A fresh archive with the director signed in and two people to refer to (inline person creation is not this screen's). */
async function setUp(page: Page): Promise<{ deponentId: string; brotherId: string }> {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const d = await archiveCall(page, 'persons.create', { person: personInput() });
  const b = await archiveCall(page, 'persons.create', {
    person: personInput({ names: { sq: brother, srLatn: 'Agim Krasnići', srCyrl: 'Агим Краснићи' }, sex: 'male', birthDate: '1968' }),
  });
  return { deponentId: d.id, brotherId: b.id };
}

test('record a testimony with two coded violations and consent; review after a conflict, seal, revise; find it in the list', async ({ page }) => {
  const { brotherId } = await setUp(page);
  const ui = new TestimoniesPage(page);
  await ui.openList();
  await expect(page.getByText(T.list.empty)).toBeVisible();
  const form = await ui.startNew();
  // The consent was explained by whoever records, unless changed.
  await expect(form.getByLabel(en.consent.explainedBy)).toHaveValue(director.displayName);

  const title = 'Zhdukja e vëllait në Mejë, prill 1999';
  await ui.fillBasics(form, { title, deponent, date: '2026-10-14' });
  await ui.choose(form, T.fields.place, 'Koren', 'Korenicë');
  await form.getByLabel('Families of missing persons').check();
  await form.getByLabel(T.fields.narrative).fill('Më 27 prill 1999 vëllai im u ndal në pikën e kontrollit në Mejë.');
  await ui.addViolation({ victim: brother, act: 'Enforced disappearance (ESF 030103)', date: '1999-04-27', place: 'Mejë', outcome: 'Still missing', notes: 'Dy fqinjë e panë.' });
  await ui.addViolation({ victim: deponent, act: 'Expulsion or forced displacement (ESF 050104)', date: '1999-04~', place: 'Rogovë' });
  await ui.fillConsent(form);
  await expectNoAxeViolations(page, 'testimony form');
  await ui.save(form);

  // The view: fields with their labels, both violations, the consent.
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(ui.status()).toHaveText(T.status.draft);
  await expect(page.getByText(T.revision.replace('{{n}}', '1'))).toBeVisible();
  await expect(page.locator('dl.record-fields')).toContainText(deponent);
  await expect(page.locator('dl.record-fields')).toContainText('Korenicë');
  await expect(page.locator('dl.record-fields')).toContainText('Families of missing persons');
  await expect(page.getByRole('table', { name: T.violations.heading }).getByRole('row')).toHaveCount(3);
  const first = ui.violationRow(brother);
  await expect(first).toContainText('Enforced disappearance');
  await expect(first).toContainText('ESF 030103');
  await expect(first).toContainText('Mejë');
  await expect(first).toContainText('Still missing');
  await expect(first).toContainText('Dy fqinjë e panë.');
  const second = ui.violationRow(deponent);
  await expect(second).toContainText('Expulsion or forced displacement');
  await expect(second).toContainText('1999-04~');
  await expect(page.locator('dl.consent-summary')).toContainText(`${en.consent.scope.archive}, ${en.consent.scope.statistics}`);
  await expectNoAxeViolations(page, 'testimony view');

  // Someone else changes it meanwhile: the stale review is refused, the view reloads and says so.
  const [listed] = (await archiveCall(page, 'search.list', { filters: {} })).items;
  const before = await archiveCall(page, 'testimonies.get', { id: listed!.id });
  const { id, takerId, status, revision, sealedRevision, contentVisible, ...input } = before;
  await archiveCall(page, 'testimonies.update', { id, expectedRevision: revision, testimony: { ...input, interpreter: 'Besa Gashi' } });
  await page.getByRole('button', { name: T.actions.review }).click();
  await expect(page.getByRole('status').filter({ hasText: T.conflictReloaded })).toBeVisible();
  await expect(page.getByText(T.revision.replace('{{n}}', '2'))).toBeVisible();
  await expect(page.locator('dl.record-fields')).toContainText('Besa Gashi');
  await expect(ui.status()).toHaveText(T.status.draft);

  await page.getByRole('button', { name: T.actions.review }).click();
  await expect(page.getByRole('status').filter({ hasText: T.reviewedDone })).toBeVisible();
  await expect(ui.status()).toHaveText(T.status.reviewed);

  await page.getByRole('button', { name: T.actions.seal, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: T.seal.title });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(T.seal.body);
  await dialog.getByRole('button', { name: T.seal.confirm }).click();
  await expect(ui.status()).toHaveText(T.status.sealed);
  await expect(page.getByText(T.revision.replace('{{n}}', '4'))).toBeVisible();
  // Sealed: no edit in place, review actions gone; a director may revise.
  await expect(page.getByRole('button', { name: T.actions.edit })).toHaveCount(0);
  await expect(page.getByRole('button', { name: T.actions.revise })).toBeVisible();

  const stored = await archiveCall(page, 'testimonies.get', { id });
  expect(stored).toMatchObject({ status: 'sealed', revision: 4, sealedRevision: 4, title });
  expect(stored.violations.map((v) => [v.victimId, v.actType, v.placeId])).toEqual([
    [brotherId, 'enforced-disappearance', 'meje'],
    [stored.deponentId, 'expulsion-forced-displacement', 'rogove'],
  ]);
  expect(stored.consent.scopes).toMatchObject({ archive: true, statistics: true, commission: 'none' });

  // A director revises the sealed testimony: a new revision that awaits sealing again; the sealed one stays.
  await page.getByRole('button', { name: T.actions.revise }).click();
  const revise = ui.form(T.reviseHeading);
  await expect(page.getByText(T.reviseNotice.replace('{{n}}', '5'))).toBeVisible();
  await revise.getByLabel(T.fields.interpreter).fill('Besa Gashi-Hoxha');
  await revise.getByRole('button', { name: T.saveRevision }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(ui.status()).toHaveText(T.status.reviewed);
  await expect(page.locator('.record-meta')).toContainText(T.lastSealed.replace('{{n}}', '4'));
  expect(await archiveCall(page, 'testimonies.get', { id })).toMatchObject({ status: 'reviewed', revision: 5, sealedRevision: 4, interpreter: 'Besa Gashi-Hoxha' });

  // The list shows it; a status filter narrows it.
  await ui.openList();
  const row = page.getByRole('button', { name: new RegExp(title) });
  await expect(row).toContainText(T.status.reviewed);
  await expect(row).toContainText('2026-10-14');
  await expectNoAxeViolations(page, 'testimony list');
  await page.getByLabel(T.filters.status).selectOption({ label: T.status.sealed });
  await page.getByRole('button', { name: T.filters.apply }).click();
  await expect(page.getByText(T.list.empty)).toBeVisible();
  await page.getByLabel(T.filters.status).selectOption({ label: T.status.reviewed });
  await page.getByRole('button', { name: T.filters.apply }).click();
  await row.click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
});

test('an impossible EDTF date and missing fields are refused and save nothing; leaving a dirty form asks first', async ({ page }) => {
  await setUp(page);
  const ui = new TestimoniesPage(page);
  await ui.openList();
  const form = await ui.startNew();

  // Client validation: inline messages and focus on the first invalid field.
  await ui.save(form);
  const titleBox = form.getByLabel(T.fields.title);
  await expect(titleBox).toHaveAttribute('aria-invalid', 'true');
  await expect(titleBox).toBeFocused();
  await expect(form.getByText(en.validation.required).first()).toBeVisible();

  await ui.fillBasics(form, { title: 'Një datë e pamundur', deponent, date: '1999-13-45' });
  await ui.fillConsent(form);
  await ui.save(form);
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(en.errors.RECORD_INVALID_DATE);
  await expect(page.locator('.form-error')).toBeFocused();
  expect((await archiveCall(page, 'search.list', { filters: {} })).items).toHaveLength(0);

  // Leaving asks first; staying keeps what was typed.
  await page.getByRole('button', { name: en.nav.testimonies, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: en.nav.unsavedTitle });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: en.nav.stay }).click();
  await expect(dialog).toHaveCount(0);
  await expect(titleBox).toHaveValue('Një datë e pamundur');
  await page.getByRole('button', { name: en.nav.testimonies, exact: true }).click();
  await page.getByRole('dialog', { name: en.nav.unsavedTitle }).getByRole('button', { name: en.nav.leave }).click();
  await expect(page.getByRole('heading', { level: 1, name: T.listHeading })).toBeVisible();
  await expect(page.getByText(T.list.empty)).toBeVisible();
});
