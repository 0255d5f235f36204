// Page model of the testimony screens: list, form (with coded violations and consent) and view; selectors by role and label.
import { expect, type Locator, type Page } from '@playwright/test';
import en from '../../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import catalog from '../../../renderer/src/i18n/locales/testimonies/en.json' with { type: 'json' };

export const T = catalog.testimonies;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class TestimoniesPage {
  constructor(readonly page: Page) {}

  async openList(): Promise<void> {
    await this.page.getByRole('button', { name: en.nav.testimonies, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: T.listHeading })).toBeVisible();
  }

  async startNew(): Promise<Locator> {
    await this.page.getByRole('button', { name: T.newButton }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: T.newHeading })).toBeVisible();
    return this.form(T.newHeading);
  }

  form(heading: string): Locator {
    return this.page.getByRole('form', { name: heading });
  }

  violation(n: number): Locator {
    return this.page.getByRole('group', { name: T.violations.legend.replace('{{n}}', String(n)), exact: true });
  }

  /** Types into a person or place combobox within `scope` and chooses the option whose label starts with `choice`. */
  async choose(scope: Locator, label: string, query: string, choice: string): Promise<void> {
    // Selects are comboboxes too: match the accessible name from its start ("Victim", not "…to the victim").
    const box = scope.getByRole('combobox', { name: new RegExp(`^${escapeRegExp(label)}`) });
    await box.fill(query);
    await scope.getByRole('option', { name: new RegExp(`^${choice}`) }).first().click();
    await expect(box).toHaveValue(choice);
  }

  async fillBasics(form: Locator, t: { title: string; deponent: string; date: string }): Promise<void> {
    await form.getByLabel(T.fields.title).fill(t.title);
    await this.choose(form, T.fields.deponent, t.deponent.split(' ')[0] ?? t.deponent, t.deponent);
    await form.getByLabel(T.fields.language).selectOption({ label: 'Albanian' });
    await form.getByLabel(T.fields.mode).selectOption({ label: 'In person' });
    await form.getByLabel(T.fields.date).fill(t.date);
  }

  async fillConsent(form: Locator): Promise<void> {
    await form.getByLabel(en.consent.language).selectOption({ label: 'Albanian' });
    await form.getByLabel(en.consent.formVersion).fill('2026-1');
    await form.getByLabel(en.consent.scope.archive).check();
    await form.getByLabel(en.consent.scope.statistics).check();
    await form.getByLabel(en.consent.anonymityLevel).selectOption({ label: 'Named (full name may be used)' });
  }

  async addViolation(v: { victim: string; act: string; date: string; place: string; outcome?: string; notes?: string }): Promise<void> {
    await this.page.getByRole('button', { name: T.violations.add }).click();
    const n = await this.page.getByRole('group', { name: /^Violation \d+$/ }).count();
    const group = this.violation(n);
    await this.choose(group, T.violations.victim, v.victim.split(' ')[0] ?? v.victim, v.victim);
    await group.getByLabel(T.violations.actType).selectOption({ label: v.act });
    await group.getByLabel(T.violations.date).fill(v.date);
    await this.choose(group, T.violations.place, v.place.slice(0, 3), v.place);
    if (v.outcome) await group.getByLabel(T.violations.victimOutcome).selectOption({ label: v.outcome });
    if (v.notes) await group.getByLabel(T.violations.notes).fill(v.notes);
  }

  async save(form: Locator): Promise<void> {
    await form.getByRole('button', { name: en.form.save, exact: true }).click();
  }

  status(): Locator {
    return this.page.locator('.record-meta .status-badge');
  }

  violationRow(victim: string): Locator {
    return this.page.getByRole('table', { name: T.violations.heading }).getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: victim }) });
  }
}
