// Page model of the submissions area: sections, recipients, a new submission with its export, the log and a
// bundle opened for checking; selectors by role and label, strings from the English catalogs.
import { expect, type Locator, type Page } from '@playwright/test';
import en from '../../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import submissionsEn from '../../../renderer/src/i18n/locales/submissions/en.json' with { type: 'json' };

export const S = submissionsEn.submissions;

/** A catalog string with its {{placeholders}} filled from `vars`. */
export function fillIn(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, v: string) => {
    if (!(v in vars)) throw new Error(`no value for {{${v}}} in "${template}"`);
    return String(vars[v]);
  });
}

/** An English string with {{count}} filled, as i18next renders a caption. */
const counted = (template: string, count: number) => fillIn(template, { count });

export class SubmissionsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: en.nav.label }).getByRole('button', { name: S.nav }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: S.heading })).toBeVisible();
  }

  sections(): Locator {
    return this.page.getByRole('navigation', { name: S.sections.label });
  }

  async section(name: keyof typeof S.sections): Promise<void> {
    await this.sections().getByRole('button', { name: S.sections[name] }).click();
    await expect(this.sections().getByRole('button', { name: S.sections[name] })).toHaveAttribute('aria-current', 'true');
  }

  recipientRow(label: string): Locator {
    return this.page.getByRole('table', { name: /^Recipients/ }).getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: label, exact: true }) });
  }

  async addRecipient(label: string, kind: keyof typeof S.recipients.kinds, key: string): Promise<Locator> {
    const form = this.page.getByRole('form', { name: S.recipients.addHeading });
    await form.getByLabel(S.recipients.label, { exact: true }).fill(label);
    await form.getByLabel(S.recipients.kind).selectOption({ label: S.recipients.kinds[kind] });
    await form.getByLabel(S.recipients.key).fill(key);
    await form.getByRole('button', { name: S.recipients.add }).click();
    const added = this.page.getByRole('region', { name: fillIn(S.recipients.addedHeading, { label }) });
    await expect(added).toBeVisible();
    return added;
  }

  async preview(): Promise<void> {
    await this.page.getByRole('button', { name: S.new.preview, exact: true }).click();
  }

  /** Types into the places combobox and adds the first option starting with `choice`. */
  async choosePlace(query: string, choice: string): Promise<void> {
    await this.page.getByRole('combobox', { name: new RegExp(`^${S.filters.places}`) }).fill(query);
    await this.page.getByRole('option', { name: new RegExp(`^${choice}`) }).first().click();
  }

  included(): Locator {
    return this.page.getByRole('table', { name: /^Included/ });
  }

  excluded(): Locator {
    return this.page.getByRole('table', { name: /^Left out/ });
  }

  includedCaption(count: number): string {
    return counted(S.preview.includedCaption, count);
  }

  excludedCaption(count: number): string {
    return counted(S.preview.excludedCaption, count);
  }

  async chooseRecipient(label: string): Promise<void> {
    await this.page.getByRole('group', { name: S.new.recipients }).getByRole('checkbox', { name: new RegExp(`^${label}`) }).check();
  }

  progress(): Locator {
    return this.page.getByRole('progressbar', { name: S.export.progressLabel });
  }

  async startExport(): Promise<void> {
    await this.page.getByRole('button', { name: S.new.export }).click();
  }

  exportResult(): Locator {
    return this.page.locator('dl.export-result');
  }

  logRow(sequence: number): Locator {
    return this.page.getByRole('table', { name: /^Submissions \(/ }).getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: String(sequence), exact: true }) });
  }

  async openBundle(): Promise<void> {
    await this.page.getByRole('button', { name: S.bundle.open }).click();
  }

  checks(): Locator {
    return this.page.getByRole('list', { name: S.bundle.checksLabel }).getByRole('listitem');
  }

  bundleRecords(): Locator {
    return this.page.getByRole('table', { name: /^Records in the bundle/ });
  }
}
