// Round tables and peace tables through the real UI and engine: a peace table with three consenting
// participants and follow-ups, its view and list, a person listed twice refused, a dirty form guarded; axe-clean.
import type { Page } from '@playwright/test';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import { director } from '../fixtures/archive';
import { peaceTablePeople, sessionInput } from '../fixtures/sessions';
import { expect, test } from './harness';
import { expectNoAxeViolations } from './support';
import { ArchiveApp } from './pages/archive-app';
import { SessionsPage, st, startsWith, type ConsentChoice } from './pages/sessions';

async function signedInWithPeople(page: Page): Promise<{ sessions: SessionsPage; personIds: string[] }> {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const sessions = new SessionsPage(page);
  // Inline person creation belongs to the persons screens: the people exist before the session is recorded.
  const personIds = await sessions.createPersons(peaceTablePeople);
  return { sessions, personIds };
}

const consentFor: Record<'named' | 'pseudonymised' | 'withdrawn', ConsentChoice> = {
  named: { language: 'Albanian', formVersion: '2026-1', anonymity: 'Named (full name may be used)', commission: 'named', scopes: ['archive', 'statistics'] },
  pseudonymised: { language: 'Serbian', formVersion: '2026-1', anonymity: 'Pseudonym', commission: 'pseudonymised', scopes: ['archive'] },
  withdrawn: { language: 'Serbian', formVersion: '2026-1', anonymity: 'Anonymous (no identifying details)', commission: 'none', withdrawnOn: '2026-10-20' },
};

const title = 'Tryezë paqeje: familjet e të zhdukurve / Sto mira: porodice nestalih';

test('record a peace table with three participants, view it, change a follow-up, find it in the list', async ({ page }) => {
  const { sessions } = await signedInWithPeople(page);
  await sessions.openList();
  await expect(page.getByText(st('empty'))).toBeVisible();
  await sessions.startNew();

  await sessions.fillBasics({ kind: 'peace-table', title, date: '2026-10-14', place: 'Gjakov', facilitators: ['Drita Krasniqi'] });
  await sessions.addParticipant(0, { search: 'Shqipe', role: 'Affected family member', consent: consentFor.named });
  await sessions.addParticipant(1, { search: 'Dragan', role: 'Official', consent: consentFor.pseudonymised });
  await sessions.addParticipant(2, { search: 'Milica', role: 'Community representative', consent: consentFor.withdrawn });
  // Consent is explained by the signed-in user unless changed.
  await expect(sessions.participant(2).getByLabel(startsWith(en.consent.explainedBy))).toHaveValue(director.displayName);
  await page.getByLabel(startsWith(st('minutes'))).fill('Familjet ndanë përvojat e tyre. Porodice su podelile svoja iskustva.');
  await sessions.addFollowUp(0, { text: 'Letër e përbashkët drejtuar Komisionit për Persona të Zhdukur', owner: 'Drita Krasniqi', due: '2099-11-15', status: 'open' });
  await sessions.addFollowUp(1, { text: 'Organizovati posetu lokacijama u Meji', owner: 'Opština Đakovica', due: '2020-03-31', status: 'in-progress' });
  await expectNoAxeViolations(page, 'session form');
  await sessions.save();

  // The view: three participants, each with role and consent; the late follow-up marked overdue.
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(st('kind.peace-table'), { exact: true })).toBeVisible();
  const participants = page.getByRole('region', { name: st('participants') }).getByRole('listitem');
  await expect(participants).toHaveCount(3);
  const shqipe = participants.filter({ hasText: 'Shqipe Krasniqi' });
  await expect(shqipe).toContainText('Affected family member');
  await expect(shqipe).toContainText(en.consent.commissionScope.named);
  const dragan = participants.filter({ hasText: 'Dragan Jovanoviq' });
  await expect(dragan).toContainText('Official');
  await expect(dragan).toContainText(en.consent.commissionScope.pseudonymised);
  const milica = participants.filter({ hasText: 'Milica Stojanoviq' });
  await expect(milica).toContainText('Community representative');
  await expect(milica).toContainText(en.consent.withdrawn);
  await expect(milica).toContainText('2026-10-20');
  const followUps = page.getByRole('region', { name: st('followUps') }).getByRole('row');
  await expect(followUps.filter({ hasText: 'Meji' })).toContainText(st('overdue'));
  await expect(followUps.filter({ hasText: 'Komisionit' })).not.toContainText(st('overdue'));
  await expectNoAxeViolations(page, 'session view');

  // A follow-up's status changes in place, as a new revision; done is no longer overdue.
  await page.getByRole('combobox', { name: st('followUpStatusOf', { n: 2 }) }).selectOption({ label: st('followUpStatus.done') });
  await expect(page.getByRole('status').filter({ hasText: st('statusSaved') })).toBeVisible();
  await expect(followUps.filter({ hasText: 'Meji' })).not.toContainText(st('overdue'));
  const [saved] = await sessions.listed();
  expect(saved?.title).toBe(title);
  const stored = await sessions.get(saved?.id ?? '');
  expect({ revision: stored.revision, statuses: stored.followUps.map((f) => f.status), participants: stored.participants.length }).toEqual({ revision: 2, statuses: ['open', 'done'], participants: 3 });

  // The list shows the session, and the kind filter narrows it.
  await sessions.openList();
  const row = page.getByRole('button', { name: title });
  await expect(row).toBeVisible();
  await expect(page.getByRole('region', { name: st('listLabel') })).toContainText('Gjakovë');
  const kind = page.getByRole('combobox', { name: st('kindLabel') });
  await kind.selectOption({ label: st('kind.round-table') });
  await expect(page.getByText(st('empty'))).toBeVisible();
  await expect(row).toHaveCount(0);
  await kind.selectOption({ label: st('kind.peace-table') });
  await expect(row).toBeVisible();
  const from = page.getByLabel(st('dateFrom'), { exact: true });
  await from.fill('2026-11-01');
  await expect(page.getByText(st('empty'))).toBeVisible();
  await from.fill('2026-10-01');
  await expect(row).toBeVisible();
  await row.click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
});

test('a person listed twice is refused with the translated message and nothing is saved', async ({ page }) => {
  const { sessions } = await signedInWithPeople(page);
  await sessions.openList();
  await sessions.startNew();
  // An empty form: each missing field says so, and the first of them takes the focus.
  await sessions.save();
  await expect(page.getByRole('combobox', { name: startsWith(st('kindLabel')) })).toBeFocused();
  await expect(page.getByText(en.validation.required)).toHaveCount(2); // title and date
  await sessions.fillBasics({ kind: 'round-table', title: 'Okrugli sto u Gračanici', date: '2026-11' });
  await sessions.addParticipant(0, { search: 'Dragan', role: 'Official', consent: consentFor.named });
  await sessions.addParticipant(1, { search: 'Dragan', role: 'Community representative', consent: consentFor.pseudonymised });
  await sessions.save();
  const message = page.getByText(en.validation.participantOnce);
  await expect(message).toBeVisible();
  await expect(message).toBeFocused();
  await expect(page.getByRole('heading', { name: st('newHeading') })).toBeVisible();
  expect(await sessions.listed()).toEqual([]);

  // Choosing another person for the second row lets the session be saved.
  await sessions.participant(1).getByRole('combobox', { name: startsWith(st('person')) }).fill('Milica');
  await page.getByRole('option', { name: /^Milica/ }).click();
  await sessions.save();
  await expect(page.getByRole('heading', { level: 1, name: 'Okrugli sto u Gračanici' })).toBeVisible();
  expect((await sessions.listed()).map((l) => l.title)).toEqual(['Okrugli sto u Gračanici']);
});

test('leaving a form with unsaved changes asks first', async ({ page }) => {
  const { sessions } = await signedInWithPeople(page);
  await sessions.openList();
  await sessions.startNew();
  await page.getByLabel(startsWith(st('title'))).fill('Tryezë e rrumbullakët në Mitrovicë');
  await page.getByRole('navigation').getByRole('button', { name: en.nav.home }).click();
  const dialog = page.getByRole('dialog', { name: en.nav.unsavedTitle });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: en.nav.stay }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByLabel(startsWith(st('title')))).toHaveValue('Tryezë e rrumbullakët në Mitrovicë');

  await page.getByRole('navigation').getByRole('button', { name: en.nav.home }).click();
  await page.getByRole('dialog', { name: en.nav.unsavedTitle }).getByRole('button', { name: en.nav.leave }).click();
  await expect(page.getByRole('heading', { name: en.home.heading })).toBeVisible();
  expect(await sessions.listed()).toEqual([]);
});

test('edits keep the follow-ups; changes made meanwhile elsewhere are reloaded, never overwritten', async ({ page }) => {
  const { sessions, personIds } = await signedInWithPeople(page);
  const created = await sessions.createSession(sessionInput(personIds));
  const [first, second] = created.followUps.map((f) => f.id);
  await sessions.openList();
  await page.getByRole('button', { name: created.title }).click();
  await expect(page.getByRole('heading', { level: 1, name: created.title })).toBeVisible();
  await expect(page.getByRole('region', { name: st('participants') }).getByRole('listitem')).toHaveCount(3);

  // Another window moves the first action while this one shows revision 1: the view reloads and says so.
  await sessions.setFollowUpStatus({ id: created.id, followUpId: first!, status: 'in-progress', expectedRevision: 1 });
  await page.getByRole('combobox', { name: st('followUpStatusOf', { n: 2 }) }).selectOption({ label: st('followUpStatus.done') });
  await expect(page.getByRole('status').filter({ hasText: st('conflictReloaded') })).toBeVisible();
  await expect(page.getByRole('combobox', { name: st('followUpStatusOf', { n: 1 }) })).toHaveValue('in-progress');
  await expect(page.getByRole('combobox', { name: st('followUpStatusOf', { n: 2 }) })).toHaveValue('open');

  // An edit saved on a stale revision is refused with the translated conflict and changes nothing.
  await page.getByRole('button', { name: st('edit') }).click();
  await expect(page.getByRole('heading', { name: st('editHeading') })).toBeVisible();
  await sessions.setFollowUpStatus({ id: created.id, followUpId: second!, status: 'dropped', expectedRevision: 2 });
  await page.getByLabel(startsWith(st('title'))).fill('Sto mira u Đakovici');
  await sessions.save();
  await expect(page.getByRole('alert')).toHaveText(en.errors.RECORD_CONFLICT);
  expect((await sessions.get(created.id)).title).toBe(created.title);

  // Reopened on the current revision, the edit is saved; both actions keep their ids and statuses.
  await page.getByRole('button', { name: en.form.cancel }).click();
  await page.getByRole('dialog', { name: en.nav.unsavedTitle }).getByRole('button', { name: en.nav.leave }).click();
  await page.getByRole('button', { name: st('edit') }).click();
  await page.getByLabel(startsWith(st('title'))).fill('Sto mira u Đakovici');
  await sessions.save();
  await expect(page.getByRole('heading', { level: 1, name: 'Sto mira u Đakovici' })).toBeVisible();
  const after = await sessions.get(created.id);
  expect(after.revision).toBe(4);
  expect(after.followUps.map((f) => [f.id, f.status])).toEqual([
    [first, 'in-progress'],
    [second, 'dropped'],
  ]);
  expect(after.participants).toEqual(created.participants);
});
