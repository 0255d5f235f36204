// Records on real encrypted archives: people, testimonies, violations, consent, revisions and sealed content.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newBoxKeyPair } from '../../electron/core/crypto/keys';
import type { Actor } from '../../electron/core/records/actor';
import { createRecords } from '../../electron/core/records/records-context';
import { testimonyInputSchema } from '../../shared/records/schemas';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { referenceCheck } from '../fixtures/reference';
import { consentInput, personInput, testimonyInput } from '../fixtures/records';

type Core = Awaited<ReturnType<typeof makeCore>>;
let dir: ReturnType<typeof tempDir>;
let core: Core;
let records: ReturnType<typeof createRecords>;

beforeEach(async () => {
  dir = tempDir('ta-records-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  records = createRecords({ archive: core.sessions.require().archive, sodium: core.sodium, now: Date.now, reference: await referenceCheck() });
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

/** Someone who holds the database key (calls core directly) but was never given a sealed copy. */
function outsider(): Actor {
  return { userId: records.actor.userId, role: 'director', box: newBoxKeyPair(core.sodium) };
}

async function counts() {
  const db = core.sessions.require().archive.db.kysely;
  const n = async (t: 'testimonies' | 'record_revisions' | 'sealed_contents' | 'violations' | 'consents' | 'persons') =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db)).rows[0]?.n);
  return { t: await n('testimonies'), r: await n('record_revisions'), s: await n('sealed_contents'), v: await n('violations'), c: await n('consents'), p: await n('persons') };
}

describe('people', () => {
  test('a normal person is stored and read back in all three name forms', async () => {
    const p = await records.persons.create(personInput(), records.actor);
    expect(p).toMatchObject({ names: { sq: 'Shqipe Krasniqi', srCyrl: 'Шћипе Красничи' }, birthDate: '1961~', revision: 1, identityVisible: true });
  });

  test('a restricted person has no identity in plaintext columns, and an outsider cannot read it', async () => {
    const p = await records.persons.create(personInput({ confidentiality: 'restricted', contact: '+383 44 000 000' }), records.actor);
    const row = await core.sessions.require().archive.db.kysely.selectFrom('persons').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect([row.name_sq, row.name_sr_latn, row.name_sr_cyrl, row.contact, row.birth_edtf]).toEqual([null, null, null, null, null]);
    expect(p.names.sq).toBe('Shqipe Krasniqi');
    const seen = await records.persons.get(p.id, outsider());
    expect(seen).toMatchObject({ identityVisible: false, names: { sq: null }, contact: null, sex: 'female' });
  });

  test("a person's status is a vocabulary code, kept plain for statistics (also when restricted), and history records its change", async () => {
    const p = await records.persons.create(personInput({ confidentiality: 'restricted', status: 'still-missing' }), records.actor);
    expect((await records.persons.get(p.id, outsider())).status).toBe('still-missing');
    const found = await records.persons.update(p.id, personInput({ confidentiality: 'restricted', status: 'remains-found' }), 1, records.actor);
    expect(found.status).toBe('remains-found');
    const before = await counts();
    await expectArchiveError(records.persons.update(p.id, personInput({ status: 'vanished' }), 2, records.actor), 'RECORD_UNKNOWN_CODE');
    await expectArchiveError(records.persons.create(personInput({ status: 'vanished' }), records.actor), 'RECORD_UNKNOWN_CODE');
    expect(await counts()).toEqual(before);
  });
});

describe('testimonies', () => {
  async function people() {
    const deponent = await records.persons.create(personInput(), records.actor);
    const victim = await records.persons.create(personInput({ names: { sq: 'Agim Krasniqi', srLatn: 'Agim Krasnići', srCyrl: 'Агим Красничи' }, sex: 'male' }), records.actor);
    return { deponent, victim };
  }

  test('create, edit, review, seal; a sealed record refuses edits; revise keeps the sealed revision; history reconstructs each state', async () => {
    const { deponent, victim } = await people();
    const input = testimonyInput(deponent.id, victim.id);
    const t1 = await records.testimonies.create(input, records.actor);
    expect(t1).toMatchObject({ status: 'draft', revision: 1, title: input.title, narrative: input.narrative, violations: input.violations, consent: input.consent });

    const edited = { ...input, narrative: `${input.narrative} Ai ishte 24 vjeç.` };
    const t2 = await records.testimonies.update(t1.id, edited, 1, records.actor);
    expect(t2.revision).toBe(2);
    await expectArchiveError(records.testimonies.update(t1.id, edited, 1, records.actor), 'RECORD_CONFLICT');

    const t3 = await records.testimonies.review(t1.id, 2, records.actor);
    const t4 = await records.testimonies.seal(t1.id, 3, records.actor);
    expect(t4).toMatchObject({ status: 'sealed', revision: 4, sealedRevision: 4 });
    expect(t3.status).toBe('reviewed');

    const before = await counts();
    await expectArchiveError(records.testimonies.update(t1.id, { ...edited, title: 'changed' }, 4, records.actor), 'RECORD_SEALED');
    expect(await counts()).toEqual(before);

    const t5 = await records.testimonies.revise(t1.id, { ...edited, title: 'Zhdukja e vëllait (rishikuar)' }, 4, records.actor);
    expect(t5).toMatchObject({ status: 'reviewed', revision: 5, sealedRevision: 4, title: 'Zhdukja e vëllait (rishikuar)' });

    const history = await records.testimonies.history(t1.id, records.actor);
    expect(history.map((h) => [h.revision, h.action])).toEqual([[1, 'create'], [2, 'update'], [3, 'review'], [4, 'seal'], [5, 'revise']]);
    expect(history[1]?.changed).toEqual(['narrative']);
    expect(history[4]?.changed).toEqual(['title']);
    const at1 = await records.testimonies.atRevision(t1.id, 1, records.actor);
    expect(at1).toMatchObject({ title: input.title, narrative: input.narrative, status: 'draft', violations: input.violations });
    const sealed = await records.testimonies.atRevision(t1.id, 4, records.actor);
    expect(sealed).toMatchObject({ title: input.title, narrative: edited.narrative, status: 'sealed' });
  });

  test('a restricted testimony: narrative and notes sealed, never in the database file; an outsider with the database key cannot read them', async () => {
    const { deponent, victim } = await people();
    const marker = 'MARKER-ndjeshme-7f3a';
    const input = testimonyInput(deponent.id, victim.id, { sensitivity: 'restricted', narrative: `Dëshmi e ndjeshme ${marker}`, affectedGroups: ['sexual-violence-survivors'] });
    const t = await records.testimonies.create(input, records.actor);
    expect(t).toMatchObject({ narrative: input.narrative, contentVisible: true, violations: input.violations });
    const row = await core.sessions.require().archive.db.kysely.selectFrom('testimonies').select(['narrative', 'content_sealed_id']).where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(row.narrative).toBeNull();
    expect(row.content_sealed_id).not.toBeNull();

    const o = outsider();
    const seen = await records.testimonies.get(t.id, o);
    expect(seen).toMatchObject({ contentVisible: false, narrative: '', title: input.title });
    expect(seen.violations.every((v) => v.notes === null)).toBe(true);
    await expectArchiveError(records.testimonies.atRevision(t.id, 1, o), 'CONTENT_NO_ACCESS');
    await expectArchiveError(records.testimonies.update(t.id, input, 1, o), 'CONTENT_NO_ACCESS');

    // Even decrypted pages would not hold it: the revision snapshot has no narrative either.
    const history = await records.testimonies.history(t.id, records.actor);
    expect(JSON.stringify(history)).not.toContain(marker);
    await core.sessions.lock('manual');
    for (const f of readdirSync(join(dir.path, 'archive'))) {
      expect(readFileSync(join(dir.path, 'archive', f)).includes(Buffer.from(marker)), f).toBe(false);
    }
    await core.sessions.signIn(director.username, director.passphrase);
  });

  test('a testimony made restricted later hides its earlier, normal revisions from users without a copy', async () => {
    const { deponent, victim } = await people();
    const input = testimonyInput(deponent.id, victim.id);
    const t = await records.testimonies.create(input, records.actor);
    await records.testimonies.update(t.id, { ...input, sensitivity: 'restricted' }, 1, records.actor);
    expect((await records.testimonies.atRevision(t.id, 1, records.actor))['narrative']).toBe(input.narrative);
    for (const r of [1, 2]) await expectArchiveError(records.testimonies.atRevision(t.id, r, outsider()), 'CONTENT_NO_ACCESS');
  });

  test('bad references and values are refused with their own code and change nothing', async () => {
    const { deponent, victim } = await people();
    const good = testimonyInput(deponent.id, victim.id);
    const v0 = good.violations[0]!;
    const before = await counts();
    const cases: Array<[Parameters<typeof records.testimonies.create>[0], Parameters<typeof expectArchiveError>[1]]> = [
      [{ ...good, date: '1999-04-31' }, 'RECORD_INVALID_DATE'],
      [{ ...good, violations: [{ ...v0, date: 'prill 1999' }] }, 'RECORD_INVALID_DATE'],
      [{ ...good, violations: [{ ...v0, actType: 'no-such-act' }] }, 'RECORD_UNKNOWN_CODE'],
      [{ ...good, affectedGroups: ['nobody'] }, 'RECORD_UNKNOWN_CODE'],
      [{ ...good, placeId: 'atlantis' }, 'RECORD_UNKNOWN_PLACE'],
      [{ ...good, violations: [{ ...v0, victimId: '00000000-0000-4000-8000-000000000000' }] }, 'RECORD_UNKNOWN_REFERENCE'],
      [{ ...good, deponentId: '00000000-0000-4000-8000-000000000000' }, 'RECORD_UNKNOWN_REFERENCE'],
    ];
    for (const [input, code] of cases) await expectArchiveError(records.testimonies.create(input, records.actor), code);
    expect(await counts()).toEqual(before);
  });

  test('the input schema refuses oversize narratives and lone surrogates', () => {
    const good = testimonyInput('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002');
    expect(testimonyInputSchema.safeParse(good).success).toBe(true);
    expect(testimonyInputSchema.safeParse({ ...good, narrative: 'a'.repeat(5 * 1024 * 1024 + 1) }).success).toBe(false);
    expect(testimonyInputSchema.safeParse({ ...good, title: 'Mejë \uD800' }).success).toBe(false);
    expect(testimonyInputSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
  });

  test('consent query: which testimonies may go to the commission named or pseudonymised', async () => {
    const { deponent, victim } = await people();
    const make = async (c: Parameters<typeof consentInput>[0]) => (await records.testimonies.create(testimonyInput(deponent.id, victim.id, { consent: consentInput(c) }), records.actor)).id;
    const scopes = consentInput().scopes;
    const named = await make({});
    const pseudo = await make({ scopes: { ...scopes, commission: 'pseudonymised' } });
    await make({ scopes: { ...scopes, commission: 'none' } });
    await make({ withdrawal: { date: '2026-11-01', scope: 'commission', note: 'tërhequr' } });
    await make({ withdrawal: { date: '2026-11-01', scope: 'all', note: '' } });
    const mediaWithdrawn = await make({ withdrawal: { date: '2026-11-01', scope: 'media', note: '' } });
    const embargoed = await make({ embargoUntil: '2030-01-01' });
    await make({ scopes: { ...scopes, archive: false } });
    const sorted = (ids: string[]) => [...ids].sort();
    expect(await records.testimonies.commissionEligible('named', '2026-11-26')).toEqual(sorted([named, mediaWithdrawn]));
    expect(await records.testimonies.commissionEligible('named', '2030-01-01')).toEqual(sorted([named, mediaWithdrawn, embargoed]));
    expect(await records.testimonies.commissionEligible('pseudonymised', '2026-11-26')).toEqual(sorted([named, pseudo, mediaWithdrawn]));
  });

  test('revisions are append-only in the database itself', async () => {
    const { deponent, victim } = await people();
    const t = await records.testimonies.create(testimonyInput(deponent.id, victim.id), records.actor);
    const sqlite = core.sessions.require().archive.db.sqlite;
    expect(() => sqlite.prepare("UPDATE record_revisions SET snapshot = '{}' WHERE record_id = ?").run(t.id)).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM record_revisions WHERE record_id = ?').run(t.id)).toThrow(/append-only/);
  });

  test('list and filter queries use indexes (EXPLAIN QUERY PLAN)', () => {
    const sqlite = core.sessions.require().archive.db.sqlite;
    const plan = (q: string) => (sqlite.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan("SELECT id FROM testimonies WHERE status = 'draft' ORDER BY updated_at DESC LIMIT 50")).toMatch(/USING INDEX testimonies_status_updated/);
    expect(plan("SELECT id FROM testimonies WHERE date_lo >= '1999-01-01' AND date_lo <= '1999-12-31'")).toMatch(/USING INDEX testimonies_date/);
    expect(plan("SELECT testimony_id FROM violations WHERE act_type = 'killing' AND date_lo >= '1999-03-01'")).toMatch(/USING INDEX violations_act_date/);
    expect(plan("SELECT testimony_id FROM testimony_groups WHERE group_code = 'war-widows'")).toMatch(/USING (COVERING )?INDEX testimony_groups_code/);
    expect(plan("SELECT record_id FROM consents WHERE record_kind = 'testimony' AND scope_commission IN ('named')")).toMatch(/USING (COVERING )?INDEX consents_commission/);
  });
});
