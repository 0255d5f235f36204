// Page model of the audit screen (entries, filters, verification) and of the grants panel on a restricted record.
import { expect, type Locator, type Page } from '@playwright/test';
import catalog from '../../../renderer/src/i18n/locales/audit/en.json' with { type: 'json' };

export const A = catalog.audit;
export const G = catalog.grants;

/** An English string with its {{placeholders}} filled; a placeholder left over fails loudly in the assertion. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, v: string) => (v in vars ? String(vars[v]) : m));
}

export class AuditPage {
  constructor(readonly page: Page) {}

  async openFromNav(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('button', { name: A.nav, exact: true }).click();
    await this.expectScreen();
  }

  async expectScreen(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: A.heading })).toBeVisible();
  }

  /** The rendered entries (the list is virtualised: a short log is rendered whole). */
  entries(): Locator {
    return this.page.getByRole('list', { name: A.entries.label }).getByRole('listitem');
  }

  entry(action: string): Locator {
    return this.entries().filter({ hasText: action });
  }

  async filterByAction(label: string): Promise<void> {
    await this.page.getByLabel(A.filters.action).selectOption({ label });
    await this.page.getByRole('button', { name: A.filters.apply }).click();
  }

  async clearFilters(): Promise<void> {
    await this.page.getByRole('button', { name: A.filters.clear }).click();
  }

  /** Clicks a user's name in an entry: the list narrows to that user's entries. */
  async onlyUser(name: string): Promise<void> {
    await this.entries().getByRole('button', { name: fill(A.entries.filterActor, { name }) }).first().click();
    await expect(this.page.getByText(fill(A.entries.onlyActor, { name }))).toBeVisible();
  }

  async verify(): Promise<void> {
    await this.page.getByRole('button', { name: A.verify.button }).click();
  }

  /** The outcome of a sound verification (a status) or of a broken one (an alert). */
  verifiedSound(): Locator {
    return this.page.getByRole('status').filter({ hasText: A.verify.chainLabel });
  }

  verifiedBroken(): Locator {
    return this.page.getByRole('alert').filter({ hasText: A.verify.chainLabel });
  }
}

export class GrantsPanel {
  constructor(readonly page: Page) {}

  region(): Locator {
    return this.page.getByRole('region', { name: G.heading });
  }

  readers(): Locator {
    return this.region().getByRole('table', { name: G.heading });
  }

  reader(name: string): Locator {
    return this.readers().getByRole('row').filter({ has: this.page.getByRole('rowheader', { name }) });
  }

  async shareWith(option: string): Promise<void> {
    const form = this.region().getByRole('form', { name: G.shareHeading });
    await form.getByLabel(G.shareWith).selectOption({ label: option });
    await form.getByRole('button', { name: G.share, exact: true }).click();
  }

  /** Opens the revoke question for `name`; returns the dialog. */
  async startRevoke(name: string): Promise<Locator> {
    await this.region().getByRole('button', { name: fill(G.revokeFor, { name }) }).click();
    const dialog = this.page.getByRole('dialog', { name: fill(G.revokeTitle, { name }) });
    await expect(dialog).toBeVisible();
    return dialog;
  }
}
