// Page model of the attachments panel on a testimony or session: list items, file import, recorder, integrity
// check and segment index; selectors by role and label, texts from the English catalog.
import { expect, type Locator, type Page } from '@playwright/test';
import catalog from '../../../renderer/src/i18n/locales/attachments/en.json' with { type: 'json' };

export const AT = catalog.attachments;

/** Fills {{name}}-style placeholders of a catalog string. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
}

export class AttachmentsPanel {
  constructor(readonly page: Page) {}

  region(): Locator {
    return this.page.getByRole('region', { name: AT.heading, exact: true });
  }

  /** The list item whose heading starts with `name` (a file name, or "Recording" for any recording). */
  item(name: string | RegExp): Locator {
    return this.region().getByRole('listitem').filter({ has: this.page.getByRole('heading', { level: 3, name }) });
  }

  async addFile(): Promise<void> {
    await this.region().getByRole('button', { name: AT.add }).click();
  }

  async startRecording(): Promise<void> {
    await this.region().getByRole('button', { name: AT.recorder.record }).click();
    await expect(this.region().getByText(AT.recorder.recording)).toBeVisible();
  }

  elapsed(): Locator {
    return this.region().getByLabel(AT.recorder.elapsed);
  }

  async stopRecording(): Promise<void> {
    await this.region().getByRole('button', { name: AT.recorder.stop, exact: true }).click();
    await expect(this.region().getByRole('status').filter({ hasText: AT.recorder.saved })).toBeVisible({ timeout: 20_000 });
  }

  async verify(item: Locator): Promise<void> {
    await item.getByRole('button', { name: new RegExp(`^${AT.verify}`) }).click();
  }
}
