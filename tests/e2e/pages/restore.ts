// Page model of "Restore from a backup" (no-archive and sign-in screens); selectors by role and label, strings from
// the English catalogs.
import { expect, type Locator, type Page } from '@playwright/test';
import restoreEn from '../../../renderer/src/i18n/locales/restore/en.json' with { type: 'json' };

export const R = restoreEn.restore;

export class RestorePage {
  constructor(readonly page: Page) {}

  /** Follows the screen's "Restore from a backup…" link and waits for the explanation. */
  async open(): Promise<void> {
    await this.page.getByRole('button', { name: R.link }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: R.heading })).toBeVisible();
    await expect(this.page.getByText(R.intro)).toBeVisible();
  }

  /** "Choose the backup…" (or, after a failure or a discard, "Choose a backup again…"). */
  async start(): Promise<void> {
    await this.page.getByRole('button', { name: new RegExp(`^(${R.start}|${R.again})$`) }).click();
  }

  progress(): Locator {
    return this.page.getByRole('progressbar', { name: R.progressLabel });
  }

  /** The passphrase form shown once the files are restored and checked. */
  verifyForm(): Locator {
    return this.page.getByRole('form', { name: R.verifyHeading });
  }

  async verify(username: string, passphrase: string): Promise<void> {
    const form = this.verifyForm();
    await form.getByLabel(R.username).fill(username);
    await form.getByLabel(R.passphrase, { exact: true }).fill(passphrase);
    await form.getByRole('button', { name: R.verify }).click();
  }

  status(text: string): Locator {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  /** The value beside a record count of the successful check. */
  count(term: string): Locator {
    return this.page.locator('dl.restore-counts dt', { hasText: new RegExp(`^${term}$`) }).locator('+ dd');
  }
}
