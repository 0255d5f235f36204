// Page model of the backups area and the home screen's backup reminder; selectors by role and label, strings from
// the English catalogs.
import { expect, type Locator, type Page } from '@playwright/test';
import en from '../../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import backupsEn from '../../../renderer/src/i18n/locales/backups/en.json' with { type: 'json' };

export const B = backupsEn.backups;

export class BackupsPage {
  constructor(readonly page: Page) {}

  navButton(): Locator {
    return this.page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: B.nav, exact: true });
  }

  async open(): Promise<void> {
    await this.navButton().click();
    await expect(this.page.getByRole('heading', { level: 1, name: B.heading })).toBeVisible();
  }

  /** The reminder on the home screen (a region named by its heading). */
  reminder(): Locator {
    return this.page.getByRole('region', { name: B.reminder.heading, exact: true });
  }

  async start(): Promise<void> {
    await this.page.getByRole('button', { name: B.make.start }).click();
  }

  progress(): Locator {
    return this.page.getByRole('progressbar', { name: B.make.progressLabel });
  }

  finished(): Locator {
    return this.page.getByRole('status').filter({ hasText: B.make.finished });
  }

  /** The value beside a term of the finished backup's result. */
  result(term: string): Locator {
    return this.page.locator('dl.backup-result dt', { hasText: term }).locator('+ dd');
  }

  /** The backups table (the screen's only table), named by its caption in the UI language. */
  table(): Locator {
    return this.page.getByRole('table');
  }

  rows(): Locator {
    return this.table().locator('tbody tr');
  }

  /** The report of the last verification (a region named "Verification of the backup of …"). */
  report(): Locator {
    return this.page.getByRole('region', { name: /^Verification of the backup of / });
  }
}
