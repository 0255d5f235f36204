// Attachments through the real UI and engine in Chromium: recording with the fake microphone, playback and the
// segment index; an imported image shown, checked, then damaged on disk and refused; no player without access.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { director, tempDir } from '../fixtures/archive';
import { personInput, testimonyInput } from '../fixtures/records';
import { sessionInput } from '../fixtures/sessions';
import { addUser, recorder } from '../fixtures/users';
import { expect, test, type Harness } from './harness';
import { ArchiveApp } from './pages/archive-app';
import { AT, AttachmentsPanel, fill } from './pages/attachments';
import { AuditPage } from './pages/audit';
import { SessionsPage } from './pages/sessions';
import { TestimoniesPage } from './pages/testimonies';
import { callArchive, expectNoAxeViolations } from './support';

const title = 'Dëshmia e incizuar nga Mitrovica';

/** A 1×1 PNG: small enough to read at a glance, real enough for the browser to decode. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** HTMLMediaElement.HAVE_METADATA, named here because the test runs in Node, not in the page. */
const haveMetadata = 1;

async function directorWithTestimony(page: Page, sensitivity: 'normal' | 'restricted' = 'normal') {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const p = await callArchive(page, 'persons.create', { person: personInput() });
  const t = await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { title, sensitivity }) });
  return { app, testimonyId: t.id };
}

async function openTestimony(page: Page): Promise<AttachmentsPanel> {
  await new TestimoniesPage(page).openList();
  await page.getByRole('button', { name: new RegExp(title) }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const panel = new AttachmentsPanel(page);
  await expect(panel.region()).toBeVisible();
  return panel;
}

/** Puts a PNG in a temp folder and queues it as the file main's dialog will return. */
function queuePng(harness: Harness): { name: string; cleanup: () => void } {
  const dir = tempDir('ta-e2e-png-');
  const name = 'fotografia-e-dokumentit.png';
  writeFileSync(join(dir.path, name), png);
  harness.fileAnswers.push(join(dir.path, name));
  return { name, cleanup: () => dir.cleanup() };
}

/** A short silent WAV (PCM, 8 kHz mono, a quarter second): an audio attachment without recording through the microphone. */
function wav(): Buffer {
  const samples = 2000;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples * 2, 40);
  return Buffer.concat([header, Buffer.alloc(samples * 2)]);
}

/** Puts `bytes` in a temp folder as `name` and queues it as the file main's dialog will return. */
function queueFile(harness: Harness, name: string, bytes: Buffer): { name: string; cleanup: () => void } {
  const dir = tempDir('ta-e2e-file-');
  writeFileSync(join(dir.path, name), bytes);
  harness.fileAnswers.push(join(dir.path, name));
  return { name, cleanup: () => dir.cleanup() };
}

function binOf(harness: Harness, id: string): string {
  const shard = join(harness.folder, 'attachments', id.slice(0, 2));
  const file = readdirSync(shard).find((f) => f === `${id}.bin`);
  if (!file) throw new Error(`no stored file for ${id}`);
  return join(shard, file);
}

test('the director records 5 seconds with the microphone, plays it back and indexes a segment', async ({ page }) => {
  test.setTimeout(120_000);
  const { testimonyId } = await directorWithTestimony(page);
  const panel = await openTestimony(page);
  await expect(panel.region().getByText(AT.none)).toBeVisible();

  // A recording cancelled midway leaves nothing behind.
  await panel.startRecording();
  await expect(panel.elapsed()).toHaveText('0:01', { timeout: 20_000 });
  await panel.region().getByRole('button', { name: AT.recorder.cancel }).click();
  await expect(panel.region().getByRole('status').filter({ hasText: AT.recorder.cancelled })).toBeVisible();
  expect((await callArchive(page, 'attachments.list', { ownerKind: 'testimony', ownerId: testimonyId })).items).toEqual([]);
  await expect(panel.region().getByText(AT.none)).toBeVisible();

  await panel.startRecording();
  await expectNoAxeViolations(page, 'attachments panel while recording');
  // The elapsed time on screen, not a sleep, says when five seconds of the fake device's beep are in.
  await expect(panel.elapsed()).toHaveText('0:05', { timeout: 20_000 });
  await panel.stopRecording();

  const item = panel.item(/^Recording /);
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('audio/webm');
  await expect(item).toContainText(AT.status.unverified);
  const [stored] = (await callArchive(page, 'attachments.list', { ownerKind: 'testimony', ownerId: testimonyId })).items;
  expect(stored).toMatchObject({ source: 'recording', mediaType: 'audio/webm', contentVisible: true });
  expect(stored?.size).toBeGreaterThan(1000);
  expect(stored?.device).toBeTruthy();

  // Playback: the element reads the decrypted stream through the media route far enough to know its metadata.
  const audio = item.locator('audio');
  await expect(audio).toHaveAttribute('src', stored?.url ?? '');
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.readyState)).toBeGreaterThanOrEqual(haveMetadata);
  expect(await audio.evaluate((el: HTMLAudioElement) => el.duration > 0 && el.error === null)).toBe(true);

  // A segment from 0:01 ("Start here" at the player's position) to 0:03.
  await item.getByRole('button', { name: AT.segments.add }).click();
  const form = item.getByRole('form', { name: AT.segments.newHeading });
  await audio.evaluate((el: HTMLAudioElement) => void (el.currentTime = 1));
  await form.getByRole('button', { name: AT.segments.startHere }).click();
  await expect(form.getByLabel(AT.segments.start, { exact: true })).toHaveValue('0:01');
  await form.getByLabel(AT.segments.end, { exact: true }).fill('0:03');
  await form.getByLabel(AT.segments.title, { exact: true }).fill('Arrestimi në shtëpi');
  await form.getByLabel(AT.segments.summary).fill('Ajo përshkruan natën kur erdhën.');
  await form.getByLabel(AT.segments.keywords, { exact: true }).fill('arrestim, natë, arrestim');
  await form.getByRole('button', { name: AT.segments.save }).click();
  await expect(item.getByRole('status').filter({ hasText: fill(AT.segments.saved, { title: 'Arrestimi në shtëpi' }) })).toBeVisible();
  const segments = (await callArchive(page, 'segments.list', { attachmentId: stored?.id ?? '' })).segments;
  expect(segments).toMatchObject([{ startMs: 1000, endMs: 3000, title: 'Arrestimi në shtëpi', keywords: ['arrestim', 'natë'] }]);
  await expectNoAxeViolations(page, 'attachments panel with a segment');

  // Choosing the segment seeks the player to its start (from the end of the file) and plays.
  await audio.evaluate((el: HTMLAudioElement) => void (el.currentTime = 4.5));
  await item.getByRole('button', { name: fill(AT.segments.playFrom, { title: 'Arrestimi në shtëpi', time: '0:01' }) }).click();
  const position = await audio.evaluate((el: HTMLAudioElement) => el.currentTime);
  expect(position).toBeGreaterThanOrEqual(1);
  expect(position).toBeLessThan(4);

  // Deleting asks first; cancelling keeps the segment, confirming removes it from the index.
  await item.getByRole('button', { name: fill(AT.segments.deleteNamed, { title: 'Arrestimi në shtëpi' }) }).click();
  const dialog = page.getByRole('dialog', { name: fill(AT.segments.deleteTitle, { title: 'Arrestimi në shtëpi' }) });
  await expect(dialog).toContainText(AT.segments.deleteBody);
  await expectNoAxeViolations(page, 'delete segment dialog');
  await dialog.getByRole('button', { name: AT.segments.deleteCancel }).click();
  expect((await callArchive(page, 'segments.list', { attachmentId: stored?.id ?? '' })).segments).toHaveLength(1);
  await item.getByRole('button', { name: fill(AT.segments.deleteNamed, { title: 'Arrestimi në shtëpi' }) }).click();
  await dialog.getByRole('button', { name: AT.segments.deleteConfirm }).click();
  await expect(item.getByText(AT.segments.none)).toBeVisible();
  expect((await callArchive(page, 'segments.list', { attachmentId: stored?.id ?? '' })).segments).toEqual([]);
});

test('an imported image is shown and checked; after a byte flips on disk the check says damaged and the image is refused', async ({ page, harness }) => {
  const { testimonyId } = await directorWithTestimony(page);
  const panel = await openTestimony(page);

  // Cancelling main's dialog changes nothing.
  harness.fileAnswers.push(null);
  await panel.addFile();
  await expect(panel.region().getByText(AT.none)).toBeVisible();

  const file = queuePng(harness);
  try {
    await panel.addFile();
    const item = panel.item(file.name);
    await expect(item).toContainText('image/png');
    await expect(item).toContainText(`${png.length} B`);
    const img = item.getByRole('img', { name: file.name });
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1);
    await expectNoAxeViolations(page, 'attachments panel with an image');

    await panel.verify(item);
    await expect(item.getByRole('status')).toHaveText(AT.verifiedOk);
    await expect(item).toContainText(AT.status.ok);
    await item.getByText(AT.custody.heading).click();
    await expect(item.getByRole('cell', { name: AT.custody.events.intake })).toBeVisible();
    await expect(item.getByRole('cell', { name: `${director.displayName} (${director.username})` })).toHaveCount(2);
    // The intake hash is the SHA-256 of the original bytes, shown in full for comparison with a printed record.
    await expect(item.locator('code.hash')).toHaveText(createHash('sha256').update(png).digest('hex'));
    await expect(item.getByRole('cell', { name: AT.custody.events.verify })).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1);

    const [stored] = (await callArchive(page, 'attachments.list', { ownerKind: 'testimony', ownerId: testimonyId })).items;
    const bin = binOf(harness, stored?.id ?? '');
    const bytes = readFileSync(bin);
    const at = bytes.length - 20;
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    writeFileSync(bin, bytes);

    // Opened afresh, the damaged file is refused by the media route: a translated message, not an image.
    await page.reload();
    await openTestimony(page);
    await expect(item.getByRole('alert')).toHaveText(AT.viewer.failed.image);
    await expect(item.getByRole('img')).toHaveCount(0);

    await panel.verify(item);
    await expect(item.getByRole('alert')).toHaveText(AT.verifiedDamaged);
    await expect(item).toContainText(AT.status.damaged);
    await expect(item.getByText(AT.viewer.damaged)).toBeVisible();
    await expect(item.getByRole('img')).toHaveCount(0);
    await item.getByText(AT.custody.heading).click();
    await expect(item.getByRole('cell', { name: AT.custody.events.damaged })).toBeVisible();
  } finally {
    file.cleanup();
  }
});

test('a recorder without access to a restricted testimony sees its attachment listed but no player', async ({ page, harness }) => {
  const { app, testimonyId } = await directorWithTestimony(page, 'restricted');
  const file = queuePng(harness);
  try {
    const added = await callArchive(page, 'attachments.import', { ownerKind: 'testimony', ownerId: testimonyId });
    expect(added.attachment?.contentVisible).toBe(true);
  } finally {
    file.cleanup();
  }
  await addUser(harness.core.sodium, harness.core.sessions.require().archive, recorder, 'recorder');
  await app.lock();
  await app.signIn(recorder.username, recorder.passphrase);
  await app.expectHome(recorder.displayName);

  const panel = await openTestimony(page);
  const item = panel.region().getByRole('listitem');
  await expect(item).toHaveCount(1);
  await expect(item.getByRole('heading', { level: 3, name: AT.hiddenName })).toBeVisible();
  await expect(item.getByText(AT.viewer.notVisible)).toBeVisible();
  await expect(item.getByRole('img')).toHaveCount(0);
  await expect(item.locator('img, audio, video')).toHaveCount(0);
  await expect(panel.region().getByRole('button', { name: AT.add })).toHaveCount(0);
  await expectNoAxeViolations(page, 'attachments panel without access');
});

test('a peace table session takes a scanned document too', async ({ page, harness }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  const p = await callArchive(page, 'persons.create', { person: personInput() });
  const session = await callArchive(page, 'sessions.create', { session: sessionInput([p.id]) });
  const sessions = new SessionsPage(page);
  await sessions.openList();
  await page.getByRole('button', { name: session.title }).click();
  await expect(page.getByRole('heading', { level: 1, name: session.title })).toBeVisible();

  const panel = new AttachmentsPanel(page);
  await expect(panel.region().getByText(AT.none)).toBeVisible();
  const file = queuePng(harness);
  try {
    await panel.addFile();
    await expect(panel.region().getByRole('status').filter({ hasText: fill(AT.imported, { name: file.name }) })).toBeVisible();
  } finally {
    file.cleanup();
  }
  const item = panel.item(file.name);
  await expect(item.getByRole('img', { name: file.name })).toBeVisible();
  // An image has no time line: no segment index.
  await expect(item.getByRole('button', { name: AT.segments.add })).toHaveCount(0);
  const [stored] = (await callArchive(page, 'attachments.list', { ownerKind: 'session', ownerId: session.id })).items;
  expect(stored).toMatchObject({ ownerKind: 'session', fileName: file.name, mediaType: 'image/png', size: png.length });
  await expectNoAxeViolations(page, 'session attachments');
});

test('a segment is linked to a coded violation of the testimony, listed with it, and stays linked after the testimony is edited', async ({ page, harness }) => {
  const { testimonyId } = await directorWithTestimony(page);
  const file = queueFile(harness, 'intervista.wav', wav());
  try {
    await callArchive(page, 'attachments.import', { ownerKind: 'testimony', ownerId: testimonyId });
  } finally {
    file.cleanup();
  }
  const panel = await openTestimony(page);
  const item = panel.item(file.name);
  await item.getByRole('button', { name: AT.segments.add }).click();
  const form = item.getByRole('form', { name: AT.segments.newHeading });
  const choice = form.getByRole('group', { name: AT.segments.violations });
  // One checkbox per coded violation of the testimony, by act type and victim.
  await expect(choice.getByRole('checkbox')).toHaveCount(2);
  await form.getByLabel(AT.segments.end, { exact: true }).fill('0:01');
  await form.getByLabel(AT.segments.title, { exact: true }).fill('Zhdukja e vëllait');
  await choice.getByRole('checkbox', { name: /^Enforced disappearance, victim: / }).check();
  await expectNoAxeViolations(page, 'segment form with violations');
  await form.getByRole('button', { name: AT.segments.save }).click();
  await expect(item.getByRole('status').filter({ hasText: fill(AT.segments.saved, { title: 'Zhdukja e vëllait' }) })).toBeVisible();
  const listed = item.getByRole('listitem').filter({ hasText: 'Zhdukja e vëllait' });
  await expect(listed).toContainText(/Violations: Enforced disappearance, victim: \S/);
  await expect(listed).not.toContainText('Arbitrary detention');

  const [stored] = (await callArchive(page, 'attachments.list', { ownerKind: 'testimony', ownerId: testimonyId })).items;
  const t = await callArchive(page, 'testimonies.get', { id: testimonyId });
  const disappearance = t.violations.find((v) => v.actType === 'enforced-disappearance');
  expect((await callArchive(page, 'segments.list', { attachmentId: stored?.id ?? '' })).segments[0]?.violationIds).toEqual([disappearance?.id]);

  // The testimony edited (as its form sends it: each violation with its id): the link holds.
  const { id: _id, takerId: _taker, status: _status, revision, sealedRevision: _sealed, contentVisible: _visible, ...input } = t;
  await callArchive(page, 'testimonies.update', { id: testimonyId, expectedRevision: revision, testimony: { ...input, title: `${title} (redaktuar)` } });
  await page.reload();
  await new TestimoniesPage(page).openList();
  await page.getByRole('button', { name: new RegExp(title) }).first().click();
  await expect(panel.item(file.name).getByRole('listitem').filter({ hasText: 'Zhdukja e vëllait' })).toContainText(/Violations: Enforced disappearance, victim: \S/);
});

test('a PDF attachment is shown in a frame from its media URL, which answers with the PDF', async ({ page, harness }) => {
  const { testimonyId } = await directorWithTestimony(page);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const file = queueFile(harness, 'deklarata.pdf', pdf);
  let stored: { id: string; url: string } | undefined;
  try {
    stored = (await callArchive(page, 'attachments.import', { ownerKind: 'testimony', ownerId: testimonyId })).attachment ?? undefined;
  } finally {
    file.cleanup();
  }
  expect(stored).toBeDefined();
  const answered = page.waitForResponse((r) => r.url() === stored?.url);
  const panel = await openTestimony(page);
  const item = panel.item(file.name);
  await expect(item).toContainText('application/pdf');
  const frame = item.locator('iframe');
  await expect(frame).toHaveAttribute('src', stored?.url ?? '');
  await expect(frame).toHaveAttribute('title', fill(AT.viewer.pdfTitle, { name: file.name }));
  // Headless Chromium may not draw the PDF; what the app controls is that the frame fetched the decrypted file.
  const response = await answered;
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  // The body Playwright reports is Chromium's own PDF viewer page wrapped around the stream, so the length is compared.
  expect(response.headers()['content-length']).toBe(String(pdf.length));
});

test('the director checks every attachment from the audit screen: progress to the end, the damaged file named', async ({ page, harness }) => {
  const { testimonyId } = await directorWithTestimony(page);
  const names = ['skanimi-1.png', 'skanimi-2.png', 'skanimi-3.png'];
  for (const name of names) {
    const file = queueFile(harness, name, png);
    try {
      await callArchive(page, 'attachments.import', { ownerKind: 'testimony', ownerId: testimonyId });
    } finally {
      file.cleanup();
    }
  }
  const items = (await callArchive(page, 'attachments.list', { ownerKind: 'testimony', ownerId: testimonyId })).items;
  const damaged = items.find((a) => a.fileName === 'skanimi-2.png');
  const bin = binOf(harness, damaged?.id ?? '');
  const bytes = readFileSync(bin);
  const at = bytes.length - 20;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(bin, bytes);

  const audit = new AuditPage(page);
  await audit.openFromNav();
  const region = page.getByRole('region', { name: AT.checkAll.heading });
  await region.getByRole('button', { name: AT.checkAll.start }).click();
  const bar = region.getByRole('progressbar', { name: AT.checkAll.progressLabel });
  await expect(region.getByRole('status')).toHaveText(fill(AT.checkAll.finished, { checked: '3', skipped: '0', damaged: '1' }));
  await expect(bar).toHaveAttribute('aria-valuemax', '3');
  await expect(bar).toHaveAttribute('aria-valuenow', '3');
  const alert = region.getByRole('alert');
  await expect(alert.getByRole('listitem')).toHaveCount(1);
  await expect(alert.getByRole('listitem')).toContainText('skanimi-2.png');
  await expect(alert.getByRole('listitem')).toContainText(AT.checkAll.reason['decryption-failed']);
  await expect(region.getByRole('button', { name: AT.checkAll.cancel })).toHaveCount(0);
  await expectNoAxeViolations(page, 'integrity check of all attachments');
  expect((await callArchive(page, 'attachments.get', { id: damaged?.id ?? '' })).status).toBe('damaged');
});
