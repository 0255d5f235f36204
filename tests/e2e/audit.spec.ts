// Access control and the audit trail through the real UI and engine: a director shares a restricted testimony
// and revokes it; an auditor reads, filters and verifies the log; a log changed in the database is named.
import type { Page } from '@playwright/test';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import { director } from '../fixtures/archive';
import { personInput, testimonyInput } from '../fixtures/records';
import { addUser, recorder } from '../fixtures/users';
import { expect, test, type Harness } from './harness';
import { A, AuditPage, fill, G, GrantsPanel } from './pages/audit';
import { ArchiveApp } from './pages/archive-app';
import { T, TestimoniesPage } from './pages/testimonies';
import { callArchive, expectNoAxeViolations } from './support';

const auditor = { username: 'arben.hoxha', displayName: 'Arben Hoxha', passphrase: 'Ura e vjetër mbi Lumbardh mban ende peshën' };
const title = 'Dëshmia e kufizuar nga Rahoveci';

/** A fresh archive with the director signed in, one more account (`role`), and a testimony of the given sensitivity. */
async function setUp(page: Page, harness: Harness, other: { person: typeof recorder; role: 'recorder' | 'auditor' }, sensitivity: 'normal' | 'restricted') {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const otherId = await addUser(harness.core.sodium, harness.core.sessions.require().archive, other.person, other.role);
  const p = await callArchive(page, 'persons.create', { person: personInput() });
  const t = await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { title, sensitivity }) });
  return { app, otherId, testimonyId: t.id };
}

test('a director shares a restricted testimony with a recorder and revokes it; the content is re-keyed', async ({ page, harness }) => {
  const { app, otherId, testimonyId } = await setUp(page, harness, { person: recorder, role: 'recorder' }, 'restricted');
  const list = new TestimoniesPage(page);
  await list.openList();
  await page.getByRole('button', { name: new RegExp(title) }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  const grants = new GrantsPanel(page);
  const me = `${director.displayName} (${director.username})`;
  const them = `${recorder.displayName} (${recorder.username})`;
  await expect(grants.readers()).toBeVisible();
  await expect(grants.reader(me)).toContainText(G.via.author);
  await expect(grants.reader(me).getByRole('button')).toHaveCount(0);
  await expect(grants.reader(them)).toHaveCount(0);
  await expectNoAxeViolations(page, 'grants panel');

  await grants.shareWith(`${them}, ${en.roles.recorder}`);
  await expect(grants.region().getByRole('status')).toHaveText(fill(G.shared, { name: them }));
  await expect(grants.reader(them)).toContainText(G.via.grant);
  const shared = await callArchive(page, 'records.readers', { kind: 'testimony', id: testimonyId });
  expect(shared.readers).toContainEqual({ userId: otherId, username: recorder.username, via: 'grant' });
  // Everyone active already reads it: nobody is left to share with.
  await expect(grants.region().getByText(G.nobodyElse)).toBeVisible();

  const dialog = await grants.startRevoke(them);
  await expect(dialog).toContainText(fill(G.revokeBody, { name: them }));
  await expectNoAxeViolations(page, 'revoke dialog');
  await dialog.getByRole('button', { name: G.revokeConfirm }).click();
  await expect(grants.region().getByRole('status')).toHaveText(fill(G.revoked, { name: them }));
  await expect(grants.reader(them)).toHaveCount(0);
  const after = await callArchive(page, 'records.readers', { kind: 'testimony', id: testimonyId });
  expect(after.readers.map((r) => r.userId)).not.toContain(otherId);
  // The director still reads the re-keyed content.
  const mine = await callArchive(page, 'testimonies.get', { id: testimonyId });
  expect(mine.contentVisible).toBe(true);
  expect(mine.narrative).toContain('Mejë');

  // The recorder, signed in, holds no copy any more: the narrative comes back empty.
  await app.lock();
  await app.signIn(recorder.username, recorder.passphrase);
  await app.expectHome(recorder.displayName);
  const seen = await callArchive(page, 'testimonies.get', { id: testimonyId });
  expect(seen.contentVisible).toBe(false);
  expect(seen.narrative).not.toContain('Mejë');
});

test('the grants panel is not shown on a normal testimony', async ({ page, harness }) => {
  await setUp(page, harness, { person: recorder, role: 'recorder' }, 'normal');
  await new TestimoniesPage(page).openList();
  await page.getByRole('button', { name: new RegExp(title) }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { name: T.fields.narrative })).toBeVisible();
  await expect(new GrantsPanel(page).region()).toHaveCount(0);
});

test('the auditor signs in to the audit screen, filters the entries, narrows to one user and finds the log intact', async ({ page, harness }) => {
  const { app } = await setUp(page, harness, { person: auditor, role: 'auditor' }, 'normal');
  await app.lock();
  await app.signIn(auditor.username, auditor.passphrase);
  await app.expectHome(auditor.displayName);
  // No records navigation for an auditor; home leads to the audit log.
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('button', { name: en.nav.testimonies, exact: true })).toHaveCount(0);
  await expect(nav.getByRole('button', { name: en.nav.search, exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: A.homeLink }).click();
  const audit = new AuditPage(page);
  await audit.expectScreen();

  // Newest first: the auditor's own sign-in on top; the director's records further down, ids only.
  await expect(audit.entries().first()).toContainText(A.actions.session['sign-in']);
  await expect(audit.entries().first()).toContainText(auditor.username);
  await expect(audit.entry(A.actions.record.create)).toHaveCount(2);
  await expect(audit.entry(A.actions.record.create).first()).toContainText(A.subjectKinds.testimony);
  await expect(audit.entry(A.actions.record.create).first()).toContainText('revision=1');
  await expect(audit.entry(A.actions.session.lock)).not.toHaveCount(0);
  await expect(audit.entries().filter({ hasText: title })).toHaveCount(0);
  await expect(page.getByRole('region', { name: A.overview.heading }).getByRole('table', { name: A.overview.records })).toContainText(A.overview.testimonies);
  await expectNoAxeViolations(page, 'audit screen');

  await audit.filterByAction(A.actions.record.create);
  await expect(audit.entries()).toHaveCount(2);
  for (const row of await audit.entries().all()) await expect(row).toContainText(A.actions.record.create);
  await audit.clearFilters();
  await expect(audit.entry(A.actions.session['sign-in'])).not.toHaveCount(0);

  // A click on the director's name leaves only the director's entries: the auditor's sign-in is gone.
  await audit.onlyUser(director.username);
  await expect(audit.entries().filter({ hasText: auditor.username })).toHaveCount(0);
  await expect(audit.entry(A.actions.record.create)).toHaveCount(2);
  await page.getByRole('button', { name: A.entries.allActors }).click();
  await expect(audit.entries().first()).toContainText(auditor.username);

  // A bad record id is named at the field and nothing is asked of main.
  await page.getByLabel(A.filters.subjectId).fill('not-an-id');
  await page.getByRole('button', { name: A.filters.apply }).click();
  await expect(page.getByText(A.filters.badSubjectId)).toBeVisible();

  await audit.verify();
  const report = await callArchive(page, 'audit.verify', {});
  expect(report.firstBreak).toBeNull();
  const sound = audit.verifiedSound();
  await expect(sound).toContainText(fill(A.verify.intact, { count: report.entries, head: (report.head ?? '').slice(0, 16) }));
  if (report.checkpoints.total > 0) await expect(sound).toContainText(fill(A.verify.checkpointsValid, { valid: report.checkpoints.valid, total: report.checkpoints.total }));
  else await expect(sound).toContainText(A.verify.noCheckpoints);
  await expect(audit.verifiedBroken()).toHaveCount(0);
  await expectNoAxeViolations(page, 'audit screen verified');
});

test('an entry changed directly in the database is named as the first break', async ({ page, harness }) => {
  await setUp(page, harness, { person: auditor, role: 'auditor' }, 'normal');
  // What someone holding the database key can do (the live handle was opened with the master key): drop the
  // append-only trigger and rewrite the testimony's creation as an edit.
  const db = harness.core.sessions.require().archive.db.sqlite;
  const row = db.prepare("SELECT seq FROM audit_log WHERE action = 'record.create' ORDER BY seq DESC LIMIT 1").get() as { seq: number };
  db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET action = 'record.update' WHERE seq = ${row.seq}`);

  const audit = new AuditPage(page);
  await audit.openFromNav();
  await audit.verify();
  const broken = audit.verifiedBroken();
  await expect(broken).toContainText(fill(A.verify.break.edited, { n: row.seq }));
  await expect(audit.verifiedSound()).toHaveCount(0);
  await expectNoAxeViolations(page, 'audit screen, broken log');
});

test('entries removed from the end leave a sound chain, but the signed checkpoint names the removal', async ({ page, harness }) => {
  const { app } = await setUp(page, harness, { person: auditor, role: 'auditor' }, 'normal');
  // The lock signs a checkpoint over the log as it stands; the next sign-in adds one more entry.
  await app.lock();
  await app.signIn(director.username, director.passphrase);
  await app.expectHome(director.displayName);
  const db = harness.core.sessions.require().archive.db.sqlite;
  const checkpoint = db.prepare('SELECT id, count FROM audit_checkpoints ORDER BY id DESC LIMIT 1').get() as { id: number; count: number };
  // Truncation: the newest entries, back to and including the last one the checkpoint covers, are deleted.
  db.exec(`DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log WHERE seq >= ${checkpoint.count}`);

  const audit = new AuditPage(page);
  await audit.openFromNav();
  await audit.verify();
  const broken = audit.verifiedBroken();
  const report = await callArchive(page, 'audit.verify', {});
  expect(report).toMatchObject({ entries: checkpoint.count - 1, firstBreak: null });
  await expect(broken).toContainText(fill(A.verify.intact, { count: report.entries, head: (report.head ?? '').slice(0, 16) }));
  await expect(broken).toContainText(fill(A.verify.problem.countBeyondLogN, { id: checkpoint.id, count: checkpoint.count }));
});
