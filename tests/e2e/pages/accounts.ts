// Page model of the accounts screens: users, the one-time passphrase, the passphrase change, the recovery kit
// and recovery from the sign-in screen; selectors by role and label, strings from the English catalogs.
import { expect, type Locator, type Page } from '@playwright/test';
import accountsEn from '../../../renderer/src/i18n/locales/accounts/en.json' with { type: 'json' };
import en from '../../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import type { Role } from '../../../shared/domain/roles';

export const ac = accountsEn.accounts;

/** An English string with its {{placeholders}} filled; a placeholder left unfilled fails loudly. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, v: string) => {
    if (!(v in vars)) throw new Error(`no value for {{${v}}} in "${template}"`);
    return String(vars[v]);
  });
}

/** A pattern for an English string whose placeholders not in `vars` (e.g. a localised date) may be any text. */
export function pattern(template: string, vars: Record<string, string | number>): RegExp {
  const parts = template.split(/(\{\{\w+\}\})/);
  const source = parts
    .map((part, i) => {
      if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const name = part.slice(2, -2);
      return name in vars ? String(vars[name]) : '.+';
    })
    .join('');
  return new RegExp(source);
}

export type Account = { username: string; displayName: string };

export class AccountsPage {
  constructor(readonly page: Page) {}

  async openUsers(): Promise<void> {
    await this.page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: ac.nav.users }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: ac.users.heading })).toBeVisible();
    await expect(this.page.getByRole('table')).toBeVisible();
  }

  async openRecovery(): Promise<void> {
    await this.page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: ac.nav.recovery }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: ac.recovery.heading })).toBeVisible();
  }

  async openSettings(): Promise<void> {
    await this.page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: en.nav.settings }).click();
  }

  /** The users table row of `username`. */
  row(username: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: username, exact: true }) });
  }

  /** The panel showing a one-time passphrase (there is at most one). */
  oneTimePanel(): Locator {
    return this.page.locator('section.one-time');
  }

  /** Adds an account through the form and returns the one-time passphrase shown for it. */
  async addUser(account: Account, role: Role): Promise<string> {
    const form = this.page.getByRole('form', { name: ac.users.addHeading });
    await form.getByLabel(ac.users.username, { exact: true }).fill(account.username);
    await form.getByLabel(ac.users.displayName, { exact: true }).fill(account.displayName);
    await form.getByLabel(ac.users.role).selectOption({ label: en.roles[role] });
    await form.getByRole('button', { name: ac.users.add }).click();
    const panel = this.oneTimePanel();
    await expect(panel.getByRole('heading', { name: fill(ac.oneTime.createdHeading, { name: account.displayName, username: account.username }) })).toBeVisible();
    return this.readOneTime();
  }

  async readOneTime(): Promise<string> {
    const text = (await this.oneTimePanel().locator('code').textContent())?.trim() ?? '';
    expect(text.length).toBeGreaterThanOrEqual(12);
    return text;
  }

  async dismissOneTime(): Promise<void> {
    await this.oneTimePanel().getByRole('button', { name: ac.oneTime.dismiss }).click();
    await expect(this.page.locator('.one-time-passphrase')).toHaveCount(0);
  }

  async setDisabled(username: string, disabled: boolean): Promise<void> {
    await this.row(username).getByRole('button', { name: disabled ? ac.users.disable : ac.users.enable }).click();
    await expect(this.row(username)).toContainText(disabled ? ac.users.disabled : ac.users.active);
  }

  /** Resets the passphrase (through the confirmation) and returns the new one-time passphrase. */
  async resetPassphrase(account: Account): Promise<string> {
    await this.row(account.username).getByRole('button', { name: ac.users.reset }).click();
    const dialog = this.page.getByRole('dialog', { name: fill(ac.users.resetTitle, { name: account.displayName }) });
    await expect(dialog).toContainText(fill(ac.users.resetBody, { name: account.displayName }));
    await dialog.getByRole('button', { name: ac.users.resetConfirm }).click();
    await expect(this.oneTimePanel().getByRole('heading', { name: fill(ac.oneTime.resetHeading, { name: account.displayName, username: account.username }) })).toBeVisible();
    return this.readOneTime();
  }

  async remove(account: Account): Promise<void> {
    await this.row(account.username).getByRole('button', { name: ac.users.remove }).click();
    const dialog = this.page.getByRole('dialog', { name: fill(ac.users.removeTitle, { name: account.displayName }) });
    await expect(dialog).toContainText(fill(ac.users.removeBody, { name: account.displayName }));
    await dialog.getByRole('button', { name: ac.users.removeConfirm }).click();
    await expect(this.page.getByText(fill(ac.users.removedDone, { name: account.displayName }))).toBeVisible();
    await expect(this.row(account.username)).toHaveCount(0);
  }

  /** Fills and submits the passphrase change form (forced or in Settings). */
  async changePassphrase(v: { current: string; next: string; confirm?: string; forced: boolean }): Promise<void> {
    const p = this.page;
    await p.getByLabel(v.forced ? ac.change.currentOneTime : ac.change.current, { exact: true }).fill(v.current);
    await p.getByLabel(ac.change.next, { exact: true }).fill(v.next);
    await p.getByLabel(ac.change.confirm, { exact: true }).fill(v.confirm ?? v.next);
    await p.getByRole('button', { name: ac.change.submit }).click();
  }

  async expectForcedChange(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: ac.change.forcedHeading })).toBeVisible();
    // Nothing of the workspace is there: only the change and lock.
    await expect(this.page.getByRole('navigation', { name: en.nav.label })).toHaveCount(0);
    await expect(this.page.getByRole('button', { name: en.home.lock })).toBeVisible();
  }

  /** Creates a kit with the given numbers (default 3 of 5) and returns the printable sheets. */
  async createKit(opts: { threshold?: number; total?: number; replacing?: boolean } = {}): Promise<Locator> {
    const form = this.page.getByRole('form', { name: ac.recovery.createHeading });
    if (opts.threshold !== undefined) await form.getByLabel(ac.recovery.threshold).fill(String(opts.threshold));
    if (opts.total !== undefined) await form.getByLabel(ac.recovery.total).fill(String(opts.total));
    await form.getByRole('button', { name: ac.recovery.create }).click();
    if (opts.replacing) {
      const dialog = this.page.getByRole('dialog', { name: ac.recovery.replaceTitle });
      await expect(dialog).toContainText(ac.recovery.replaceBody);
      await dialog.getByRole('button', { name: ac.recovery.replaceConfirm }).click();
    }
    await expect(this.page.getByRole('heading', { level: 1, name: ac.kit.heading })).toBeVisible();
    return this.page.locator('article.share-sheet');
  }

  /** The share texts of the printable kit on screen, in order. */
  async shareTexts(): Promise<string[]> {
    return (await this.page.locator('article.share-sheet pre.share-text').allTextContents()).map((s) => s.trim());
  }

  async finishKit(): Promise<void> {
    await this.page.getByRole('button', { name: ac.kit.done }).click();
    const dialog = this.page.getByRole('dialog', { name: ac.kit.doneTitle });
    await dialog.getByRole('button', { name: ac.kit.doneConfirm }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: ac.recovery.heading })).toBeVisible();
    await expect(this.page.locator('article.share-sheet')).toHaveCount(0);
  }

  /** From the sign-in screen: opens the recovery form. */
  async openRecover(): Promise<void> {
    await this.page.getByRole('button', { name: ac.recover.link }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: ac.recover.heading })).toBeVisible();
  }

  /** Fills one field per share (adding fields as needed) and the new passphrase, then submits. */
  async recover(shares: readonly string[], passphrase: string): Promise<void> {
    const p = this.page;
    const fieldset = p.getByRole('group', { name: ac.recover.sharesLegend });
    for (const [i, share] of shares.entries()) {
      const label = fill(ac.recover.shareLabel, { n: i + 1 });
      if ((await fieldset.getByLabel(label, { exact: true }).count()) === 0) await fieldset.getByRole('button', { name: ac.recover.addShare }).click();
      await fieldset.getByLabel(label, { exact: true }).fill(share);
    }
    await p.getByLabel(ac.recover.passphrase, { exact: true }).fill(passphrase);
    await p.getByLabel(ac.recover.passphraseConfirm, { exact: true }).fill(passphrase);
    await p.getByRole('button', { name: ac.recover.submit, exact: true }).click();
  }
}
