// The archive check through the real UI and engine: the director checks the whole archive from the Audit screen and
// every part passes, attachments of a normal and a restricted testimony included.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import catalog from '../../renderer/src/i18n/locales/maintenance/en.json' with { type: 'json' };
import { director, tempDir } from '../fixtures/archive';
import { personInput, testimonyInput } from '../fixtures/records';
import { expect, test, type Harness } from './harness';
import { ArchiveApp } from './pages/archive-app';
import { AuditPage, fill } from './pages/audit';
import { callArchive, expectNoAxeViolations } from './support';

const M = catalog.maintenance.check;
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A testimony of the given sensitivity with one PNG imported through main's (fake) file dialog. */
async function testimonyWithFile(page: Page, harness: Harness, sensitivity: 'normal' | 'restricted', name: string): Promise<void> {
  const p = await callArchive(page, 'persons.create', { person: personInput() });
  const t = await callArchive(page, 'testimonies.create', { testimony: testimonyInput(p.id, p.id, { sensitivity }) });
  const dir = tempDir('ta-e2e-check-');
  try {
    writeFileSync(join(dir.path, name), png);
    harness.fileAnswers.push(join(dir.path, name));
    await callArchive(page, 'attachments.import', { ownerKind: 'testimony', ownerId: t.id });
  } finally {
    dir.cleanup();
  }
}

test('the director checks the whole archive from the Audit screen: progress to the end, every check passes', async ({ page, harness }) => {
  const app = new ArchiveApp(page);
  await app.open();
  await app.createArchive(director);
  await app.expectHome(director.displayName);
  await testimonyWithFile(page, harness, 'normal', 'skanimi.png');
  await testimonyWithFile(page, harness, 'restricted', 'deklarata.png');

  await new AuditPage(page).openFromNav();
  const region = page.getByRole('region', { name: M.heading });
  await expect(region.getByRole('progressbar')).toHaveCount(0);
  await region.getByRole('button', { name: M.start }).click();
  await expect(region.getByRole('status')).toHaveText(M.finishedOk);
  const bar = region.getByRole('progressbar', { name: M.progressLabel });
  // Three parts before the attachments, then one step per attachment.
  await expect(bar).toHaveAttribute('aria-valuemax', '5');
  await expect(bar).toHaveAttribute('aria-valuenow', '5');
  await expect(region.getByRole('button', { name: M.cancel })).toHaveCount(0);

  const lines = region.getByRole('list').first().getByRole('listitem');
  await expect(lines).toHaveCount(7);
  for (const line of await lines.all()) await expect(line).toContainText(M.pass);
  await expect(lines.filter({ hasText: M.name.attachments })).toContainText(fill(M.detail['attachments-sound'], { checked: 2, total: 2 }));
  await expect(lines.filter({ hasText: M.name['database-integrity'] })).toContainText(M.detail['integrity-ok']);
  await expect(lines.filter({ hasText: M.name['audit-chain'] })).toContainText(M.detail['chain-intact'].split(':')[0] ?? '');
  await expect(region.getByRole('alert')).toHaveCount(0);
  await expectNoAxeViolations(page, 'archive check');

  // The run is in the log: each attachment check wrote its audit entry.
  const log = await callArchive(page, 'audit.list', { before: null, limit: 50, action: 'attachment.verify', actor: null, subjectId: null, from: null, to: null });
  expect(log.items).toHaveLength(2);
});
