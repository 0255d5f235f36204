// Page model of the app's screens: create archive, sign in, home; selectors by role and label.
import { expect, type Page } from '@playwright/test';
import en from '../../../renderer/src/i18n/locales/en.json' with { type: 'json' };

export class ArchiveApp {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/index.html');
  }

  async createArchive(user: { username: string; displayName: string; passphrase: string }): Promise<void> {
    const p = this.page;
    await expect(p.getByRole('heading', { name: en.create.heading })).toBeVisible();
    await p.getByLabel(en.create.username, { exact: true }).fill(user.username);
    await p.getByLabel(en.create.displayName).fill(user.displayName);
    await p.getByLabel(en.create.passphrase, { exact: true }).fill(user.passphrase);
    await p.getByLabel(en.create.passphraseConfirm).fill(user.passphrase);
    await p.getByRole('button', { name: en.create.submit }).click();
  }

  async expectHome(displayName: string): Promise<void> {
    await expect(this.page.getByRole('heading', { name: en.home.heading })).toBeVisible();
    await expect(this.page.getByText(en.home.signedInAs.replace('{{name}}', displayName))).toBeVisible();
  }

  async lock(): Promise<void> {
    await this.page.getByRole('button', { name: en.home.lock }).click();
    await expect(this.page.getByRole('heading', { name: en.signIn.heading })).toBeVisible();
  }

  async signIn(username: string, passphrase: string): Promise<void> {
    const p = this.page;
    await p.getByLabel(en.signIn.username).fill(username);
    await p.getByLabel(en.signIn.passphrase).fill(passphrase);
    await p.getByRole('button', { name: en.signIn.submit }).click();
  }

  async chooseLanguage(label: string): Promise<void> {
    await this.page.getByRole('combobox').first().selectOption({ label });
  }
}
