// Page model of the round-table / peace-table screens: list, form (participants, consent, follow-ups) and view.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import en from '../../../renderer/src/i18n/locales/en.json' with { type: 'json' };
import type { SessionView } from '../../../shared/ipc/contract';
import type { PersonInput } from '../../../shared/records/schemas';
import type { SessionInput } from '../../../shared/records/session-schemas';
import { repoRoot } from '../../fixtures/archive';
import { callArchive } from '../support';

// Read, not imported: the tests' tsconfig includes only the app-wide catalogs, not the feature areas'.
const sessionsCatalog: unknown = JSON.parse(readFileSync(join(repoRoot, 'renderer/src/i18n/locales/sessions/en.json'), 'utf8'));

/** An English string of the sessions area (`sessions.<key>`), placeholders filled; a missing key fails the test. */
export function st(key: string, vars: Record<string, string | number> = {}): string {
  let node = sessionsCatalog;
  for (const k of ['sessions', ...key.split('.')]) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[k] : undefined;
  if (typeof node !== 'string') throw new Error(`sessions.${key} is not in the English catalog`);
  return node.replace(/\{\{(\w+)\}\}/g, (m, v: string) => (v in vars ? String(vars[v]) : m));
}
/** A label that starts with `text` (required fields append " (required)"). */
export const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

export type ConsentChoice = {
  language: string;
  formVersion: string;
  anonymity: string;
  commission: keyof typeof en.consent.commissionScope;
  scopes?: Array<keyof typeof en.consent.scope>;
  /** A withdrawal date (yyyy-mm-dd) marks the consent withdrawn. */
  withdrawnOn?: string;
};

export type FollowUpChoice = { text: string; owner: string; due: string; status: 'open' | 'in-progress' | 'done' | 'dropped' };

export class SessionsPage {
  constructor(readonly page: Page) {}

  /** Creates people through the real router (as the preload would), returning their ids. */
  async createPersons(people: readonly PersonInput[]): Promise<string[]> {
    const ids: string[] = [];
    for (const person of people) ids.push((await callArchive(this.page, 'persons.create', { person })).id);
    return ids;
  }

  /** Records a session through the real router (not the UI), returning it as main stored it. */
  async createSession(session: SessionInput): Promise<SessionView> {
    return callArchive(this.page, 'sessions.create', { session });
  }

  /** Moves a follow-up's status through the router, as another user's window would. */
  async setFollowUpStatus(v: { id: string; followUpId: string; status: FollowUpChoice['status']; expectedRevision: number }): Promise<void> {
    await callArchive(this.page, 'sessions.setFollowUpStatus', v);
  }

  async get(id: string): Promise<SessionView> {
    return callArchive(this.page, 'sessions.get', { id });
  }

  /** The sessions main holds (through the router), newest first. */
  async listed(): Promise<Array<{ id: string; title: string }>> {
    return (await callArchive(this.page, 'sessions.list', { limit: 50 })).items.map((i) => ({ id: i.id, title: i.title }));
  }

  async openList(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('button', { name: en.nav.sessions }).click();
    await expect(this.page.getByRole('heading', { name: st('listHeading') })).toBeVisible();
  }

  async startNew(): Promise<void> {
    await this.page.getByRole('button', { name: st('newButton') }).click();
    await expect(this.page.getByRole('heading', { name: st('newHeading') })).toBeVisible();
  }

  async fillBasics(v: { kind: 'round-table' | 'peace-table'; title: string; date: string; place?: string; facilitators?: string[] }): Promise<void> {
    const p = this.page;
    await p.getByRole('combobox', { name: startsWith(st('kindLabel')) }).selectOption({ label: st(`kind.${v.kind}`) });
    await p.getByLabel(startsWith(st('title'))).fill(v.title);
    await p.getByLabel(startsWith(st('date'))).fill(v.date);
    if (v.place) await this.choose(p.getByRole('combobox', { name: startsWith(st('place')) }), v.place);
    for (const [i, name] of (v.facilitators ?? []).entries()) {
      await p.getByRole('button', { name: st('addFacilitator') }).click();
      await p.getByLabel(startsWith(st('facilitatorN', { n: i + 1 }))).fill(name);
    }
  }

  participant(index: number): Locator {
    return this.page.getByRole('group', { name: st('participantN', { n: index + 1 }), exact: true });
  }

  /** Adds a participant row and fills person (searched by `search`), role and consent. */
  async addParticipant(index: number, v: { search: string; role: string; consent: ConsentChoice }): Promise<void> {
    await this.page.getByRole('button', { name: st('addParticipant') }).click();
    const row = this.participant(index);
    await this.choose(row.getByRole('combobox', { name: startsWith(st('person')) }), v.search);
    await row.getByRole('combobox', { name: startsWith(st('role')) }).selectOption({ label: v.role });
    await this.fillConsent(row.getByRole('group', { name: st('consentN', { n: index + 1 }), exact: true }), v.consent);
  }

  async fillConsent(group: Locator, c: ConsentChoice): Promise<void> {
    await group.getByRole('combobox', { name: startsWith(en.consent.language) }).selectOption({ label: c.language });
    await group.getByLabel(startsWith(en.consent.formVersion)).fill(c.formVersion);
    for (const scope of c.scopes ?? []) await group.getByRole('checkbox', { name: en.consent.scope[scope] }).check();
    await group.getByRole('radio', { name: en.consent.commissionScope[c.commission] }).check();
    await group.getByRole('combobox', { name: startsWith(en.consent.anonymityLevel) }).selectOption({ label: c.anonymity });
    if (c.withdrawnOn) {
      await group.getByRole('checkbox', { name: en.consent.withdrawn }).check();
      await group.getByLabel(startsWith(en.consent.withdrawalDate)).fill(c.withdrawnOn);
    }
  }

  async addFollowUp(index: number, f: FollowUpChoice): Promise<void> {
    await this.page.getByRole('button', { name: st('addFollowUp') }).click();
    const row = this.page.getByRole('group', { name: st('followUpN', { n: index + 1 }), exact: true });
    await row.getByLabel(startsWith(st('followUpText'))).fill(f.text);
    await row.getByLabel(startsWith(st('followUpOwner'))).fill(f.owner);
    await row.getByLabel(startsWith(st('followUpDue'))).fill(f.due);
    await row.getByRole('combobox', { name: startsWith(st('followUpStatusLabel')) }).selectOption({ label: st(`followUpStatus.${f.status}`) });
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: en.form.save }).click();
  }

  /** Types into a combobox and picks the first option whose text starts with `text`. */
  private async choose(box: Locator, text: string): Promise<void> {
    await box.fill(text);
    await this.page.getByRole('option', { name: startsWith(text) }).first().click();
    await expect(box).toHaveValue(startsWith(text));
  }
}
