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
