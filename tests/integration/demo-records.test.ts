// The fictional training dataset (resources/demo/records.json): current, clearly fictional, covering the
// vocabularies and every consent combination, and imported whole into a real archive.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDemoRecords, demoRecordsJson, demoRecordsPath } from '../../scripts/gen-demo-records';
import { importIntoArchive } from '../../electron/core/records/import-service';
import { recordsFileStrictSchema } from '../../shared/records/records-file';
import { commissionScopes } from '../../shared/records/schemas';
import { followUpStatuses, sessionKinds, sessionStatuses } from '../../shared/records/session-schemas';
import { transliterateSerbianCyrillicToLatin, transliterateSerbianLatinToCyrillic } from '../../shared/text/fold';
import type { VocabularyName } from '../../shared/reference/schema';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { referenceCheck } from '../fixtures/reference';

const text = readFileSync(demoRecordsPath, 'utf8');
const file = recordsFileStrictSchema.parse(JSON.parse(text));
const sessions = file.sessions ?? [];
const codes = async (name: VocabularyName) => (await referenceCheck()).vocab[name].entries.map((e) => e.code).sort();
const distinct = <T>(xs: readonly T[]) => [...new Set(xs)].sort();

test('resources/demo/records.json is what the generator writes (regenerate: npx tsx scripts/gen-demo-records.ts)', () => {
  expect(text).toBe(demoRecordsJson());
  // Seeded: a second run gives the same dataset.
  expect(buildDemoRecords()).toEqual(buildDemoRecords());
});

describe('the dataset', () => {
  test('about 40 people, 30 testimonies and 8 sessions, every person taking part somewhere', () => {
    expect(file.persons).toHaveLength(40);
    expect(file.testimonies).toHaveLength(30);
    expect(sessions).toHaveLength(8);
    const used = new Set([...file.testimonies.flatMap((t) => [t.deponentRef, ...t.violations.map((v) => v.victimRef)]), ...sessions.flatMap((s) => s.participants.map((p) => p.personRef))]);
    expect(file.persons.filter((p) => !used.has(p.ref)).map((p) => p.ref)).toEqual([]);
  });

  test('every person is marked fictional; Serbian names agree in both scripts, Albanian names are in sq', () => {
    for (const p of file.persons) {
      expect(p.contact, p.ref).toMatch(/Fictional person for training/);
      const { sq, srLatn, srCyrl } = p.names;
      if (p.ethnicity === 'albanian') {
        expect(sq, p.ref).toMatch(/^[A-ZÇË][a-zçë]+ [A-ZÇË][a-zçë]+$/);
        expect([srLatn, srCyrl], p.ref).toEqual([null, null]);
      }
      if (p.ethnicity === 'serb') {
        expect(srLatn, p.ref).not.toBeNull();
        expect(srCyrl, p.ref).toBe(transliterateSerbianLatinToCyrillic(srLatn ?? ''));
        expect(transliterateSerbianCyrillicToLatin(srCyrl ?? ''), p.ref).toBe(srLatn);
        expect(srCyrl, p.ref).toMatch(/^[\u0400-\u04FF ]+$/);
      }
      if (srLatn !== null) expect(srCyrl, p.ref).toBe(transliterateSerbianLatinToCyrillic(srLatn));
    }
    expect(file.persons.filter((p) => p.ethnicity === 'albanian').length).toBeGreaterThanOrEqual(15);
    expect(file.persons.filter((p) => p.ethnicity === 'serb').length).toBeGreaterThanOrEqual(10);
    // Diacritics and the Serbian letters that need care: ë, ç, č, ć, đ, š, ž, lj, dž.
    const names = file.persons.flatMap((p) => Object.values(p.names)).join(' ');
    for (const letter of ['ë', 'ç', 'č', 'ć', 'đ', 'š', 'ž', 'Љ', 'љ', 'џ']) expect(names, letter).toContain(letter);
  });

  test('testimonies cover every mode, language, act type, perpetrator type, outcome and affected group', async () => {
    const violations = file.testimonies.flatMap((t) => t.violations);
    expect(distinct(file.testimonies.map((t) => t.mode))).toEqual(await codes('testimonyModes'));
    expect(distinct(file.testimonies.map((t) => t.language))).toEqual(await codes('languages'));
    expect(distinct(violations.map((v) => v.actType))).toEqual(await codes('actTypes'));
    expect(distinct(violations.map((v) => v.perpetratorType))).toEqual(await codes('perpetratorTypes'));
    expect(distinct(violations.flatMap((v) => (v.victimOutcome === null ? [] : [v.victimOutcome])))).toEqual(await codes('victimOutcomes'));
    expect(distinct(file.testimonies.flatMap((t) => t.affectedGroups))).toEqual(await codes('affectedGroups'));
    for (const t of file.testimonies) {
      expect(t.violations.length, t.ref).toBeGreaterThanOrEqual(1);
      expect(t.violations.length, t.ref).toBeLessThanOrEqual(3);
      expect(t.narrative, t.ref).toMatch(/fiktiv|Fictional|Izmišljen|Измишљен/i);
    }
    const dates = violations.map((v) => v.date ?? '');
    expect(dates.some((d) => /^\d{4}-\d{2}$/.test(d))).toBe(true);
    expect(dates.some((d) => d.endsWith('~'))).toBe(true);
    expect(dates.some((d) => /^\d{4}\/\d{4}$/.test(d))).toBe(true);
    const restricted = file.testimonies.filter((t) => t.sensitivity === 'restricted');
    expect(restricted.length).toBeGreaterThanOrEqual(3);
    // A restricted statement's title (plaintext, listed) does not name the act.
    for (const t of restricted) expect(t.title, t.ref).toMatch(/kufizuar|Poverljiv|Поверљив|Povjerljiva|Restricted/);
  });

  test('sessions: both kinds, every status, 3 to 8 participants with roles, follow-ups in every status', async () => {
    expect(distinct(sessions.map((s) => s.kind))).toEqual([...sessionKinds].sort());
    expect(distinct(sessions.map((s) => s.status))).toEqual([...sessionStatuses].sort());
    expect(distinct(sessions.flatMap((s) => s.followUps.map((f) => f.status)))).toEqual([...followUpStatuses].sort());
    expect(distinct(sessions.flatMap((s) => s.participants.map((p) => p.role)))).toEqual(await codes('participantRoles'));
    for (const s of sessions) {
      expect(s.participants.length, s.ref).toBeGreaterThanOrEqual(3);
      expect(s.participants.length, s.ref).toBeLessThanOrEqual(8);
    }
  });
});

describe('imported into a real archive', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Awaited<ReturnType<typeof makeCore>>;
  let report: Awaited<ReturnType<typeof importIntoArchive>>;

  beforeAll(async () => {
    dir = tempDir('ta-demo-');
    core = await makeCore(join(dir.path, 'archive'));
    await core.sessions.create(createInput(director));
    const s = core.sessions.require();
    report = await importIntoArchive({ archive: s.archive, sodium: core.sodium, now: Date.now, reference: core.reference }, JSON.parse(text) as { persons: unknown[]; testimonies: unknown[] }, s.records.actor);
  });
  afterAll(async () => {
    await core.sessions.lock('quit');
    dir.cleanup();
  });

  const db = () => core.sessions.require().archive.db.kysely;
  const count = async (q: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.raw(q)}`.execute(db())).rows[0]?.n);

  test('every record lands', async () => {
    expect(report).toEqual({ imported: { persons: 40, testimonies: 30, sessions: 8 }, rejected: [] });
    const participants = sessions.reduce((n, s) => n + s.participants.length, 0);
    expect({
      persons: await count('persons'),
      testimonies: await count('testimonies'),
      violations: await count('violations'),
      sessions: await count('dialogue_sessions'),
      participants: await count('session_participants'),
      followUps: await count('session_follow_ups'),
      consents: await count('consents'),
      restrictedPersons: await count("persons WHERE confidentiality = 'restricted' AND name_sq IS NULL AND identity_sealed_id IS NOT NULL"),
      sealedNarratives: await count("testimonies WHERE sensitivity = 'restricted' AND narrative IS NULL"),
    }).toEqual({
      persons: 40,
      testimonies: 30,
      violations: file.testimonies.reduce((n, t) => n + t.violations.length, 0),
      sessions: 8,
      participants,
      followUps: sessions.reduce((n, s) => n + s.followUps.length, 0),
      consents: 30 + participants,
      restrictedPersons: file.persons.filter((p) => p.confidentiality === 'restricted').length,
      sealedNarratives: file.testimonies.filter((t) => t.sensitivity === 'restricted').length,
    });
  });

  test('the consents cover every combination: each commission scope, each boolean scope both ways, every anonymity level, both media, a minor with a guardian, embargo set and unset, every withdrawal scope and none', async () => {
    const rows = await db().selectFrom('consents').selectAll().execute();
    const values = <K extends keyof (typeof rows)[number]>(k: K) => distinct(rows.map((r) => r[k]));
    expect(values('scope_commission')).toEqual([...commissionScopes].sort());
    for (const k of ['scope_archive', 'scope_statistics', 'scope_public_hearing', 'scope_prosecution', 'scope_media', 'scope_recontact'] as const) expect(values(k), k).toEqual([0, 1]);
    expect(values('anonymity_level')).toEqual(await codes('anonymityLevels'));
    expect(values('medium')).toEqual(['recorded', 'written']);
    expect(values('minor')).toEqual([0, 1]);
    for (const r of rows.filter((x) => x.minor === 1)) expect(r.guardian).toMatch(/\S/);
    expect(distinct(rows.map((r) => r.embargo_until === null))).toEqual([false, true]);
    expect(distinct(rows.map((r) => r.withdrawal_scope ?? 'none'))).toEqual(['all', 'commission', 'media', 'none', 'public']);
    for (const r of rows.filter((x) => x.withdrawal_scope !== null)) expect(r.withdrawn_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Both kinds of record carry consent: testimonies (the deponent) and sessions (each participant).
    expect(values('record_kind')).toEqual(['session', 'testimony']);
  });
});
