// The records issue's journey through the real UI and engine: a testimony with two coded violations found in the
// other script and its history opened; a draft that survives an idle lock; duplicate people offered across scripts.
import { director } from '../fixtures/archive';
import { personInput } from '../fixtures/records';
import { expect, test } from './harness';
import { ArchiveApp } from './pages/archive-app';
import { HistoryPage, PersonFormPage, SearchPage, en } from './pages/search';
import { T, TestimoniesPage } from './pages/testimonies';
import { callArchive, expectNoAxeViolations } from './support';

test('record a testimony with two coded violations, find it by a Cyrillic query, open its history', async ({ page }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  await callArchive(page, 'persons.create', { person: personInput() });
  await callArchive(page, 'persons.create', { person: personInput({ names: { sq: 'Agim Krasniqi', srLatn: 'Agim Krasnići', srCyrl: 'Агим Краснићи' }, sex: 'male', birthDate: '1968' }) });

  const ui = new TestimoniesPage(page);
  await ui.openList();
  const form = await ui.startNew();
  const title = 'Zhdukja e vëllait në Gjakovë';
  await ui.fillBasics(form, { title, deponent: 'Shqipe Krasniqi', date: '2026-10' });
  await form.getByLabel(T.fields.narrative).fill('Vëllai im u mor nga shtëpia në Gjakovë në prill 1999 dhe nuk u kthye më.');
  await ui.fillConsent(form);
  await ui.addViolation({ victim: 'Agim Krasniqi', act: 'Enforced disappearance (ESF 030103)', date: '1999-04~', place: 'Gjakovë', outcome: 'Still missing' });
  await ui.addViolation({ victim: 'Shqipe Krasniqi', act: 'Expulsion or forced displacement (ESF 050104)', date: '1999-04', place: 'Gjakovë' });
  await ui.save(form);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(ui.violationRow('Agim Krasniqi')).toBeVisible();
  await expect(ui.violationRow('Shqipe Krasniqi')).toBeVisible();

  // The other script: a Cyrillic query finds the Albanian Latin text ("ГЈАКОВЕ" folds like "Gjakovë"), and a Latin
  // query without diacritics finds the victim's Cyrillic name form ("krasnici" ~ "Краснићи").
  const search = new SearchPage(page);
  await search.open();
  await search.search('krasnici');
  await expect(search.result(title)).toBeVisible();
  await search.search('ГЈАКОВЕ');
  await expect(search.result(title)).toBeVisible();
  await expectNoAxeViolations(page, 'search results');
  await search.openResult(title);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  await page.getByRole('button', { name: T.actions.history, exact: true }).click();
  const history = new HistoryPage(page);
  await expect(history.revisions.getByRole('row')).toHaveCount(2); // header + the creation
  await expect(history.revisions).toContainText(en.history.actions.create);
  await expectNoAxeViolations(page, 'history');
});

test('a draft typed before an idle lock is offered again after signing in, sealed in the archive meanwhile', async ({ page, harness }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const ui = new TestimoniesPage(page);
  await ui.openList();
  const form = await ui.startNew();
  // One change only: the first edit also flips the form to dirty, and that must not cancel the pending autosave.
  await form.getByLabel(T.fields.narrative).fill('Shënime të pambaruara nga intervista në Rahovec');
  await expect(page.getByText(/^Draft saved at /)).toBeVisible();
  // The draft is in the archive, readable only through the author's key: not in any file as plaintext.
  const draft = await harness.core.sessions.require().records.drafts.get(harness.core.sessions.require().records.actor, 'testimony:new');
  expect(draft?.data).toContain('Shënime të pambaruara');

  expect(await harness.core.sessions.lockIfIdle(60 * 60)).toBe(true);
  await expect(page.getByRole('heading', { name: en.signIn.heading })).toBeVisible();
  await app.signIn(director.username, director.passphrase);
  await app.expectHome(director.displayName);
  await page.getByRole('button', { name: new RegExp(`^${en.home.draftKind.testimony} · `) }).click();
  await expect(page.getByRole('heading', { level: 1, name: T.newHeading })).toBeVisible();
  await expect(page.getByText(/^An unsaved draft of this form from /)).toBeVisible();
  await page.getByRole('button', { name: en.drafts.restore }).click();
  await expect(ui.form(T.newHeading).getByLabel(T.fields.narrative)).toHaveValue('Shënime të pambaruara nga intervista në Rahovec');
});

test('entering a person offers the existing one spelled in the other language and script', async ({ page }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const existing = await callArchive(page, 'persons.create', {
    person: personInput({ names: { sq: 'Shaqir Gashi', srLatn: null, srCyrl: null }, sex: 'male', birthDate: '1957', residencePlaceId: 'gjakove' }),
  });
  await page.getByRole('button', { name: en.home.newPerson }).click();
  const form = new PersonFormPage(page);
  // Serbian Cyrillic spelling of the Albanian name (Шаћир Гаши), born a year later.
  await form.fill({ srCyrl: 'Шаћир Гаши', sex: 'Male', birthDate: '1958' });
  const similar = page.getByRole('region', { name: en.persons.similarHeading });
  await expect(similar).toContainText('Shaqir Gashi');
  await expect(similar).toContainText(en.persons.reason.name);
  await expect(similar).toContainText(en.persons.reason['birth-date']);
  await expectNoAxeViolations(page, 'person form with suggestions');
  await similar.getByRole('button', { name: /: Shaqir Gashi$/ }).click();
  // What was typed is not lost silently: leaving the dirty form still asks.
  await page.getByRole('dialog', { name: en.nav.unsavedTitle }).getByRole('button', { name: en.nav.leave }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Shaqir Gashi' })).toBeVisible();
  // Nothing new was created: the archive still holds one person by that name.
  const found = await callArchive(page, 'search.query', { query: 'gashi', kinds: ['person'] });
  expect(found.items.map((i) => i.id)).toEqual([existing.id]);
});
