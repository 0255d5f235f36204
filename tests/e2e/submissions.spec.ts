// Commission submissions through the real UI and engine: a director registers a recipient, previews (a draft left
// out with its reason), exports with progress and reads the log; an auditor opens the bundle with the recipient's
// key, sees every check pass and reads a record.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import en from '../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import submissionsSrCyrl from '../../renderer/src/i18n/locales/submissions/sr-Cyrl.json' with { type: 'json' };
import { generateIdentity, identityFileText, recipientFingerprint } from '../../electron/core/submissions/age/age';
import { bundleCheckNames, bundleFiles } from '../../shared/submissions/bundle';
import { director, tempDir } from '../fixtures/archive';
import { personInput, testimonyInput } from '../fixtures/records';
import { expect, test, type Harness } from './harness';
import { AccountsPage } from './pages/accounts';
import { ArchiveApp } from './pages/archive-app';
import { fillIn, S, SubmissionsPage } from './pages/submissions';
import { callArchive, expectNoAxeViolations } from './support';

const cyr = submissionsSrCyrl.submissions;
const auditor = { username: 'arta.berisha', displayName: 'Arta Berisha', passphrase: 'Lumi Drini rrjedh qetë nën urën e vjetër' };
const reviewedTitle = 'Zhdukja e vëllait në Mejë, prill 1999';
const reviewedNarrative = 'Më 27 prill 1999 vëllai im u ndal në pikën e kontrollit në Mejë dhe që atëherë nuk dihet asgjë për të.';
const draftTitle = 'Dëshmia e papërfunduar nga Rahoveci';
const commission = 'Komisioni për të vërtetën';

/** A 1×1 PNG: the attachment that travels with the reviewed testimony. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A reviewed testimony (with a photo) with named consent for the commission, and a draft matching the same filters. */
async function seed(page: Page, harness: Harness, dir: string): Promise<void> {
  const p = await callArchive(page, 'persons.create', { person: personInput() });
  const t = await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { title: reviewedTitle, narrative: reviewedNarrative }) });
  const photo = join(dir, 'foto-e-vellait.png');
  writeFileSync(photo, png);
  harness.fileAnswers.push(photo);
  await callArchive(page, 'attachments.import', { ownerKind: 'testimony', ownerId: t.id });
  const current = await callArchive(page, 'testimonies.get', { id: t.id });
  await callArchive(page, 'testimonies.review', { id: t.id, expectedRevision: current.revision });
  await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { title: draftTitle }) });
}

test('a director exports a submission to a registered recipient; an auditor opens it and every check passes', async ({ page, harness }) => {
  const dir = tempDir('ta-e2e-sub-');
  try {
    const outDir = join(dir.path, 'usb');
    mkdirSync(outDir);
    const key = generateIdentity();
    const identityPath = join(dir.path, 'commission-key.txt');
    writeFileSync(identityPath, identityFileText(key.identity), { mode: 0o600 });

    const app = new ArchiveApp(page);
    await app.open();
    await app.createArchive(director);
    await app.expectHome(director.displayName);
    await seed(page, harness, dir.path);

    const sub = new SubmissionsPage(page);
    await sub.open();
    await expectNoAxeViolations(page, 'new submission');

    // The recipient: added with its key, its fingerprint shown to read out of band.
    await sub.section('recipients');
    const added = await sub.addRecipient(commission, 'commission', key.recipient);
    const fingerprint = recipientFingerprint(key.recipient);
    await expect(added).toContainText(fingerprint);
    await expect(added).toContainText(fillIn(S.recipients.confirmOutOfBand, { label: commission }));
    await expect(sub.recipientRow(commission)).toContainText(S.recipients.kinds.commission);
    await expect(sub.recipientRow(commission)).toContainText(S.recipients.active);
    await expect(page.getByRole('heading', { name: S.archiveKey.heading })).toBeVisible();
    await expectNoAxeViolations(page, 'recipients');
    await added.getByRole('button', { name: S.recipients.confirmedDismiss }).click();

    // The preview: the reviewed testimony included (named), the draft left out with its reason; nothing written.
    await sub.section('new');
    await sub.preview();
    await expect(sub.included()).toHaveAccessibleName(sub.includedCaption(1));
    await expect(sub.included().getByRole('row', { name: new RegExp(reviewedTitle) })).toContainText(S.identity.named);
    await expect(sub.excluded()).toHaveAccessibleName(sub.excludedCaption(1));
    await expect(sub.excluded().getByRole('row', { name: new RegExp(draftTitle) })).toContainText(S.reasons.draft);
    expect(readdirSync(outDir)).toEqual([]);
    await expectNoAxeViolations(page, 'preview');

    // Export needs a recipient; then main's folder dialog answers with the drive, and the bundle is written inside.
    await sub.startExport();
    await expect(page.getByRole('alert')).toHaveText(S.new.recipientsRequired);
    await sub.chooseRecipient(commission);
    harness.pickerAnswers.push(outDir);
    await sub.startExport();
    await expect(sub.progress()).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: fillIn(S.export.finished, { sequence: 1 }) })).toBeVisible({ timeout: 30_000 });
    await expect(sub.progress()).toHaveAttribute('aria-valuenow', '100');
    const folders = readdirSync(outDir);
    expect(folders).toHaveLength(1);
    const folderName = folders[0] ?? '';
    expect(folderName).toMatch(/^submission-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
    await expect(sub.exportResult()).toContainText(folderName);
    await expect(sub.exportResult()).toContainText(fillIn(S.export.recordCounts, { records: 1, testimonies: 1, sessions: 0 }));
    await expect(sub.exportResult()).toContainText(fillIn(S.export.identityCounts, { named: 1, pseudonymised: 0 }));
    await expect(sub.exportResult().locator('dt', { hasText: S.export.attachments }).locator('+ dd')).toHaveText('1');
    await expectNoAxeViolations(page, 'export result');

    await sub.section('log');
    const row = sub.logRow(1);
    await expect(row).toContainText(S.log.states.complete);
    await expect(row).toContainText(director.username);
    await expect(row).toContainText(commission);
    await expect(row.getByRole('cell').last()).toHaveText('1');
    await expectNoAxeViolations(page, 'submissions log');

    // An auditor account, with its one-time passphrase changed at first sign-in.
    const accounts = new AccountsPage(page);
    await accounts.openUsers();
    const oneTime = await accounts.addUser(auditor, 'auditor');
    await accounts.dismissOneTime();
    await app.lock();
    await app.signIn(auditor.username, oneTime);
    await accounts.expectForcedChange();
    await accounts.changePassphrase({ current: oneTime, next: auditor.passphrase, forced: true });
    await app.expectHome(auditor.displayName);

    // The auditor sees the log, recipients and bundles, never a new submission.
    await sub.open();
    await expect(sub.sections().getByRole('button', { name: S.sections.new })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: S.new.heading })).toHaveCount(0);
    await sub.section('log');
    await expect(sub.logRow(1)).toContainText(S.log.states.complete);
    await sub.section('recipients');
    await expect(sub.recipientRow(commission)).toContainText(fingerprint);
    await expect(page.getByRole('form', { name: S.recipients.addHeading })).toHaveCount(0);
    await expect(sub.recipientRow(commission).getByRole('button')).toHaveCount(0);

    await sub.section('open');
    harness.pickerAnswers.push(join(outDir, folderName));
    harness.fileAnswers.push(identityPath);
    await sub.openBundle();
    await expect(page.getByRole('status').filter({ hasText: fillIn(S.bundle.verdictOk, { sequence: 1 }) })).toBeVisible({ timeout: 30_000 });
    await expect(sub.checks()).toHaveCount(bundleCheckNames.length);
    for (const name of bundleCheckNames) {
      await expect(sub.checks().filter({ hasText: `${S.checks[name]}: ${S.checkStatus.pass}` })).toHaveCount(1);
    }
    await expect(sub.checks().filter({ hasText: `: ${S.checkStatus.fail}` })).toHaveCount(0);
    await expect(sub.bundleRecords()).toHaveAccessibleName(fillIn(S.bundle.recordsCaption, { count: 1 }));
    await expectNoAxeViolations(page, 'bundle report');

    await sub.bundleRecords().getByRole('button', { name: reviewedTitle }).click();
    const record = page.getByRole('article', { name: reviewedTitle });
    await expect(record).toBeVisible();
    await expect(record.getByRole('region', { name: S.record.sections.narrative })).toContainText(reviewedNarrative);
    await expect(record).toContainText(S.identity.named);
    await expect(record.getByRole('listitem').filter({ hasText: 'image/png' })).toContainText(createHash('sha256').update(png).digest('hex'));
    await expectNoAxeViolations(page, 'bundle record');

    await page.getByRole('button', { name: S.bundle.close }).click();
    await expect(page.getByRole('status').filter({ hasText: S.bundle.closed })).toBeVisible();
    await expect(sub.bundleRecords()).toHaveCount(0);
    // The nav of the auditor holds the area, translated.
    await expect(page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: S.nav })).toHaveAttribute('aria-current', 'page');
  } finally {
    dir.cleanup();
  }
});

test('retiring asks first; restricted records need an explicit confirmation; a cancelled dialog writes nothing; a changed bundle fails its checks', async ({ page, harness }) => {
  const dir = tempDir('ta-e2e-sub-');
  try {
    const outDir = join(dir.path, 'usb');
    mkdirSync(outDir);
    const app = new ArchiveApp(page);
    await app.open();
    await app.createArchive(director);
    await app.expectHome(director.displayName);
    const p = await callArchive(page, 'persons.create', { person: personInput() });
    const t = await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { title: reviewedTitle, sensitivity: 'restricted' }) });
    await callArchive(page, 'testimonies.review', { id: t.id, expectedRevision: t.revision });

    const sub = new SubmissionsPage(page);
    await sub.open();
    await sub.section('recipients');
    // A key that is not an X25519 recipient is refused by name; nothing is added.
    const form = page.getByRole('form', { name: S.recipients.addHeading });
    await form.getByLabel(S.recipients.label, { exact: true }).fill('Çelës i gabuar');
    await form.getByLabel(S.recipients.key).fill('age1notakey');
    await form.getByRole('button', { name: S.recipients.add }).click();
    await expect(form.getByRole('alert')).toHaveText(en.errors.AGE_KEY_INVALID);
    await expect(page.getByText(S.recipients.none)).toBeVisible();

    const keep = generateIdentity();
    const old = generateIdentity();
    await (await sub.addRecipient(commission, 'commission', keep.recipient)).getByRole('button', { name: S.recipients.confirmedDismiss }).click();
    await (await sub.addRecipient('Arkivi i vjetër', 'other', old.recipient)).getByRole('button', { name: S.recipients.confirmedDismiss }).click();
    await sub.recipientRow('Arkivi i vjetër').getByRole('button', { name: S.recipients.retire }).click();
    const dialog = page.getByRole('dialog', { name: fillIn(S.recipients.retireTitle, { label: 'Arkivi i vjetër' }) });
    await expect(dialog).toContainText(fillIn(S.recipients.retireBody, { label: 'Arkivi i vjetër' }));
    await expectNoAxeViolations(page, 'retire dialog');
    await dialog.getByRole('button', { name: en.form.cancel }).click();
    await expect(sub.recipientRow('Arkivi i vjetër')).toContainText(S.recipients.active);
    await sub.recipientRow('Arkivi i vjetër').getByRole('button', { name: S.recipients.retire }).click();
    await dialog.getByRole('button', { name: S.recipients.retireConfirm }).click();
    await expect(sub.recipientRow('Arkivi i vjetër')).toContainText(S.recipients.retired);
    await expect(sub.recipientRow('Arkivi i vjetër').getByRole('button')).toHaveCount(0);

    // A place filter narrows the selection: a place of nothing recorded leaves nothing; the record's own place finds it.
    await sub.section('new');
    await sub.choosePlace('Prizr', 'Prizren');
    await sub.preview();
    await expect(page.getByText(S.preview.noneIncluded)).toBeVisible();
    await expect(page.getByRole('button', { name: S.new.export })).toHaveCount(0);
    await page.getByRole('button', { name: fillIn(S.filters.removePlace, { place: 'Prizren' }) }).first().click();
    await sub.choosePlace('Gjak', 'Gjakovë');
    await expect(page.getByRole('list', { name: S.filters.chosenPlaces })).toHaveText(/Gjakovë/);
    // Only active recipients are offered; the restricted record is marked and must be confirmed.
    await sub.preview();
    await expect(sub.included().getByRole('row', { name: new RegExp(reviewedTitle) })).toContainText(S.preview.restricted);
    const offered = page.getByRole('group', { name: S.new.recipients }).getByRole('checkbox');
    await expect(offered).toHaveCount(1);
    await sub.chooseRecipient(commission);
    await sub.startExport();
    await expect(page.getByRole('alert')).toHaveText(S.new.confirmRequired);
    await page.getByRole('checkbox', { name: S.new.confirmRestricted }).check();
    await expectNoAxeViolations(page, 'restricted confirmation');
    // Main's folder dialog cancelled: nothing is written.
    await sub.startExport();
    await expect(page.getByRole('status').filter({ hasText: S.new.noFolder })).toBeVisible();
    expect(readdirSync(outDir)).toEqual([]);

    harness.pickerAnswers.push(outDir);
    await sub.startExport();
    await expect(page.getByRole('status').filter({ hasText: fillIn(S.export.finished, { sequence: 1 }) })).toBeVisible({ timeout: 30_000 });
    const folder = join(outDir, readdirSync(outDir)[0] ?? '');

    // One byte of the payload changed: the director, opening it without a key, is told not to trust it.
    const payload = join(folder, bundleFiles.payload);
    const bytes = readFileSync(payload);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(payload, bytes);
    await sub.section('open');
    harness.pickerAnswers.push(folder);
    await page.getByRole('button', { name: S.bundle.verifyOnly }).click();
    await expect(page.getByRole('alert').filter({ hasText: S.bundle.verdictBad })).toBeVisible({ timeout: 30_000 });
    await expect(sub.checks().filter({ hasText: `: ${S.checkStatus.fail}` }).first()).toBeVisible();
    await expect(sub.checks().filter({ hasText: `${S.checks.decryption}: ${S.checkStatus.skipped}` })).toHaveCount(1);
    await expect(sub.bundleRecords()).toHaveCount(0);
    await expectNoAxeViolations(page, 'failed bundle report');

    // The area speaks the reader's language: Serbian Cyrillic, generated from the Latin catalog.
    await app.chooseLanguage('Српски (ћирилица)');
    await expect(page.getByRole('heading', { level: 1, name: cyr.heading })).toBeVisible();
    await expect(page.getByRole('list', { name: cyr.bundle.checksLabel }).getByRole('listitem').filter({ hasText: `${cyr.checks.decryption}: ${cyr.checkStatus.skipped}` })).toHaveCount(1);
  } finally {
    dir.cleanup();
  }
});
