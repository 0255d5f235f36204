// Page models of the person form, the search screen and a record's history; selectors by role and label.
import { expect, type Locator, type Page } from '@playwright/test';
import app from '../../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import historyEn from '../../../renderer/src/i18n/locales/history/en.json' with { type: 'json' };
import personsEn from '../../../renderer/src/i18n/locales/persons/en.json' with { type: 'json' };
import searchEn from '../../../renderer/src/i18n/locales/search/en.json' with { type: 'json' };

/** The English UI strings these pages use: the app-wide catalog and the three areas. */
export const en = { ...app, ...personsEn, ...searchEn, ...historyEn };
export { callArchive } from '../support';

export type PersonFields = {
  sq?: string;
  srLatn?: string;
  srCyrl?: string;
  /** The sex's English label. */
  sex?: string;
  birthDate?: string;
  /** Typed into the residence box; the first suggestion starting with `pick` is chosen. */
  residence?: { type: string; pick: string };
};

/** The person form, on its own screen or in the picker's dialog (`scope`). */
export class PersonFormPage {
  constructor(
    readonly page: Page,
    readonly scope: Locator = page.locator('main'),
  ) {}

  name(form: 'sq' | 'srLatn' | 'srCyrl'): Locator {
    const label = { sq: en.persons.nameSq, srLatn: en.persons.nameSrLatn, srCyrl: en.persons.nameSrCyrl }[form];
    return this.scope.getByLabel(label, { exact: true });
  }

  async fill(p: PersonFields): Promise<void> {
    if (p.sq !== undefined) await this.name('sq').fill(p.sq);
    if (p.srLatn !== undefined) await this.name('srLatn').fill(p.srLatn);
    if (p.srCyrl !== undefined) await this.name('srCyrl').fill(p.srCyrl);
    if (p.sex !== undefined) await this.scope.getByLabel(en.persons.sex).selectOption({ label: p.sex });
    if (p.birthDate !== undefined) await this.scope.getByLabel(en.persons.birthDate).fill(p.birthDate);
    if (p.residence !== undefined) {
      await this.scope.getByRole('combobox', { name: en.persons.residence }).fill(p.residence.type);
      await this.scope.getByRole('option', { name: new RegExp(`^${p.residence.pick}`) }).first().click();
    }
  }

  async save(): Promise<void> {
    await this.scope.getByRole('button', { name: en.persons.create }).click();
  }
}

export class SearchPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('button', { name: en.nav.search }).click();
    await expect(this.page.getByRole('heading', { name: en.search.heading, level: 1 })).toBeVisible();
  }

  get box(): Locator {
    return this.page.getByRole('searchbox', { name: en.search.query });
  }

  /** Types the query and presses Enter. */
  async search(query: string): Promise<void> {
    await this.box.fill(query);
    await this.box.press('Enter');
  }

  get results(): Locator {
    return this.page.getByRole('list', { name: en.search.results });
  }

  /** The result whose title is `title` (a heading with the open button). */
  result(title: string): Locator {
    return this.results.getByRole('listitem').filter({ has: this.page.getByRole('heading', { name: title, exact: true }) });
  }

  async openResult(title: string): Promise<void> {
    await this.result(title).getByRole('button', { name: title, exact: true }).click();
  }

  async openHistory(title: string): Promise<void> {
    await this.result(title).getByRole('button', { name: en.search.historyOf.replace('{{title}}', title) }).click();
    await expect(this.page.getByRole('heading', { name: en.history.heading, level: 1 })).toBeVisible();
  }
}

export class HistoryPage {
  constructor(readonly page: Page) {}

  get revisions(): Locator {
    return this.page.getByRole('table', { name: en.history.revisions });
  }

  async compare(from: number, to: number): Promise<void> {
    await this.page.getByLabel(en.history.compareFrom).selectOption(String(from));
    await this.page.getByLabel(en.history.compareTo).selectOption(String(to));
  }

  diff(from: number, to: number): Locator {
    return this.page.getByRole('table', { name: en.history.diffCaption.replace('{{from}}', String(from)).replace('{{to}}', String(to)) });
  }

  /** The diff row of a field (its English label), with the old value then the new one in its cells. */
  row(from: number, to: number, field: string): Locator {
    return this.diff(from, to).getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: field, exact: true }) });
  }
}
