// Commission submissions on real encrypted archives: consent decides inclusion and identity, pseudonymised
// output holds no real name, birth date or contact, and filters select exactly the right records.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newBoxKeyPair } from '../../electron/core/crypto/keys';
import type { Actor } from '../../electron/core/records/actor';
import { importRecords, parseRecordsFile } from '../../electron/core/records/import-service';
import { createRecords } from '../../electron/core/records/records-context';
import { buildSubmissionRecords, previewSubmission, type SubmissionDeps } from '../../electron/core/submissions/selection';
import { recordsFileStrictSchema } from '../../shared/records/records-file';
import type { ConsentInput, PersonInput } from '../../shared/records/schemas';
import { submissionFiltersSchema, type SubmissionFilters } from '../../shared/submissions/schemas';
import { foldForSearch } from '../../shared/text/fold';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { referenceCheck } from '../fixtures/reference';
import { consentInput, personInput, testimonyInput } from '../fixtures/records';
import { sessionInput } from '../fixtures/sessions';

type Core = Awaited<ReturnType<typeof makeCore>>;
let dir: ReturnType<typeof tempDir>;
let core: Core;
let records: ReturnType<typeof createRecords>;
let deps: SubmissionDeps;

const exportDate = '2026-11-27';

beforeEach(async () => {
  dir = tempDir('ta-submission-');
  core = await makeCore(join(dir.path, 'archive'));
  await core.sessions.create(createInput(director));
  const reference = await referenceCheck();
  records = createRecords({ archive: core.sessions.require().archive, sodium: core.sodium, now: Date.now, reference });
  deps = { db: core.sessions.require().archive.db.kysely, records, reference };
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const allFilters = (over: Partial<SubmissionFilters> = {}): SubmissionFilters =>
  submissionFiltersSchema.parse({ kinds: ['testimony', 'session'], actTypes: [], period: null, placeIds: [], affectedGroups: [], testimonyStatuses: [], sessionStatuses: [], ...over });

let nameCounter = 0;
/** A person with a distinct name (so bundle-wide identity rules do not mix people up). */
function someone(over: Partial<PersonInput> = {}): PersonInput {
  nameCounter++;
  const n = String(nameCounter).padStart(3, '0');
  return personInput({ names: { sq: `Person ${n}`, srLatn: null, srCyrl: null }, ...over });
}

async function reviewedTestimony(deponent: PersonInput, consent: ConsentInput, over: Parameters<typeof testimonyInput>[2] = {}, victim?: PersonInput, services = records) {
  const records = services;
  const d = await records.persons.create(deponent, records.actor);
  const v = victim ? await records.persons.create(victim, records.actor) : d;
  const input = testimonyInput(d.id, v.id, { consent, ...over });
  // Violations given in `over` name their victim as '' (the person does not exist yet): the victim made here.
  const violations = input.violations.map((x) => (x.victimId === '' ? { ...x, victimId: v.id } : x));
  const t = await records.testimonies.create({ ...input, violations }, records.actor);
  const r = await records.testimonies.review(t.id, t.revision, records.actor);
  return { testimony: r, deponent: d, victim: v };
}

describe('consent rules beyond the matrix (see submission-consent-matrix.test.ts)', () => {
  test('minors: excluded without a guardian, never named with one; archive consent is required; drafts are excluded', async () => {
    const named = consentInput();
    const minorNoGuardian = await reviewedTestimony(someone(), { ...named, minor: true, guardian: null });
    const minorBlankGuardian = await reviewedTestimony(someone(), { ...named, minor: true, guardian: '   ' });
    const minorWithGuardian = await reviewedTestimony(someone(), { ...named, minor: true, guardian: 'Nëna, Fatime' });
    const noArchive = await reviewedTestimony(someone(), { ...named, scopes: { ...named.scopes, archive: false } });
    const d = await records.persons.create(someone(), records.actor);
    const draft = await records.testimonies.create(testimonyInput(d.id, d.id, { consent: { ...named, scopes: { ...named.scopes, commission: 'none' } } }), records.actor);
    const preview = await previewSubmission(deps, records.actor, allFilters(), exportDate);
    const reasonsOf = (id: string) => preview.excluded.find((r) => r.id === id)?.reasons;
    expect(reasonsOf(minorNoGuardian.testimony.id)).toEqual(['guardian-missing']);
    expect(reasonsOf(minorBlankGuardian.testimony.id)).toEqual(['guardian-missing']);
    expect(reasonsOf(noArchive.testimony.id)).toEqual(['no-archive-consent']);
    expect(reasonsOf(draft.id)).toEqual(['draft', 'no-commission-consent']);
    expect(preview.included.map((r) => [r.id, r.identity])).toEqual([[minorWithGuardian.testimony.id, 'pseudonymised']]);
  });

  test('a session needs every participant to consent; it is named only when all are named; only held sessions', async () => {
    const people = await Promise.all([someone(), someone(), someone()].map((p) => records.persons.create(p, records.actor)));
    const ids = people.map((p) => p.id);
    const named = consentInput();
    const base = sessionInput(ids);
    const withConsents = (cs: ConsentInput[], over: Parameters<typeof sessionInput>[1] = {}) =>
      sessionInput(ids, { ...over, participants: base.participants.map((p, i) => ({ ...p, consent: cs[i] ?? named })) });
    const allNamed = await records.sessions.create(withConsents([named, named, named], { title: 'all named' }), records.actor);
    const mixed = await records.sessions.create(withConsents([named, { ...named, scopes: { ...named.scopes, commission: 'pseudonymised' } }, named], { title: 'mixed' }), records.actor);
    const oneRefuses = await records.sessions.create(
      withConsents([named, { ...named, withdrawal: { date: '2026-06-01', scope: 'commission', note: '' } }, { ...named, embargoUntil: '2030-01-01' }], { title: 'refusals' }),
      records.actor,
    );
    const publicOnly = await records.sessions.create(withConsents([named, { ...named, withdrawal: { date: '2026-06-01', scope: 'public', note: '' } }, named], { title: 'public withdrawn' }), records.actor);
    const planned = await records.sessions.create(withConsents([named, named, named], { title: 'planned', status: 'planned' }), records.actor);
    const preview = await previewSubmission(deps, records.actor, allFilters({ kinds: ['session'] }), exportDate);
    // Persons take part in several sessions: identity is decided per bundle, so the mixed session's pseudonymised
    // participant makes every session with them pseudonymised.
    expect(preview.included.map((r) => [r.id, r.identity]).sort()).toEqual(
      [
        [allNamed.id, 'pseudonymised'],
        [mixed.id, 'pseudonymised'],
        [publicOnly.id, 'pseudonymised'],
      ].sort(),
    );
    expect(preview.excluded.map((r) => [r.id, r.reasons]).sort()).toEqual(
      [
        [oneRefuses.id, ['consent-withdrawn', 'embargoed']],
        [planned.id, ['session-not-held']],
      ].sort(),
    );
    const alone = await previewSubmission(deps, records.actor, allFilters({ kinds: ['session'], sessionStatuses: ['held'] }), exportDate);
    expect(alone.included.map((r) => r.id)).toContain(allNamed.id);
    // Without the mixed and public sessions in the bundle, the all-named session is named.
    await records.sessions.update(mixed.id, { ...withConsents([named, named, named], { title: 'mixed' }), status: 'cancelled' }, mixed.revision, records.actor);
    await records.sessions.update(publicOnly.id, { ...withConsents([named, named, named], { title: 'public withdrawn' }), status: 'cancelled' }, publicOnly.revision, records.actor);
    const after = await previewSubmission(deps, records.actor, allFilters({ kinds: ['session'] }), exportDate);
    expect(after.included.map((r) => [r.id, r.identity])).toEqual([[allNamed.id, 'named']]);
  });
});

describe('pseudonymised output', () => {
  const drita: PersonInput = personInput({
    names: { sq: 'Drita Gashi', srLatn: 'Drita Gaši', srCyrl: 'Дрита Гаши' },
    birthDate: '1975-03-12',
    contact: '+383 44 123 456; Rr. Nënë Tereza 14, Gjakovë',
    confidentiality: 'restricted',
  });
  const agim: PersonInput = personInput({ names: { sq: 'Agim Gashi', srLatn: 'Agim Gaši', srCyrl: 'Агим Гаши' }, sex: 'male', birthDate: '1971-08-02', status: 'still-missing', contact: 'agim.gashi@example.org' });
  const besnik: PersonInput = personInput({ names: { sq: 'Besnik Morina', srLatn: 'Besnik Morina', srCyrl: 'Бесник Морина' }, sex: 'male', birthDate: '1966-01-20', contact: '+383 49 765 432' });

  const pseudonymisedConsent = consentInput({ scopes: { ...consentInput().scopes, commission: 'pseudonymised' }, anonymityLevel: 'pseudonym' });

  /** Every spelling the bundle must not contain, folded (so case, diacritics and script are covered by one check). */
  const forbidden = (p: PersonInput) => [
    ...[p.names.sq, p.names.srLatn, p.names.srCyrl].flatMap((n) => (n ? [n, ...n.split(' ')] : [])),
    ...(p.birthDate ? [p.birthDate, p.birthDate.split('-').reverse().join('.')] : []),
    // The town of an address names no one (and is a place code in the file): the street and number do.
    ...(p.contact ? [p.contact, ...p.contact.split(/[;,]/).map((s) => s.trim()).filter((s) => /\d|@/.test(s))] : []),
  ].map(foldForSearch);

  async function scenario() {
    // Drita (restricted person, pseudonymised consent) tells of her brother Agim (victim, no consent row), in a
    // restricted testimony; Besnik (named consent) mentions Drita and Agim in his own testimony; a session with
    // Drita (pseudonymised) and Besnik (named) has minutes naming both.
    const narrative =
      'Unë, Drita Gashi (DRITA GAŠI, Дрита Гаши), e lindur më 12.03.1975, jam motra e Agimit. Agim Gashi u ndal më 27 prill 1999; ' +
      'Агим није више виђен. Më kontaktoni: +383 44 123 456, Rr. Nënë Tereza 14, Gjakovë. Dritën e pyetën për Agimin. ' +
      `E-mail i Agimit: agim.gashi@example.org. Lindur ${drita.birthDate ?? ''}.`;
    const dritaT = await reviewedTestimony(drita, pseudonymisedConsent, {
      title: 'Drita Gashi: zhdukja e vëllait Agim',
      narrative,
      sensitivity: 'restricted',
      violations: [{ victimId: '', actType: 'enforced-disappearance', date: '1999-04-27', placeId: 'meje', perpetratorType: 'unknown', victimOutcome: 'still-missing', notes: 'Agimi u pa për herë të fundit me Dritën.' }],
    }, agim);
    const fixed = await records.testimonies.get(dritaT.testimony.id, records.actor);
    expect(fixed.violations[0]?.victimId).toBe(dritaT.victim.id);
    const besnikT = await reviewedTestimony(besnik, consentInput(), {
      title: 'Besnik Morina për Mejën',
      narrative: 'Besnik Morina pa Agim Gashin dhe Драгу... jo, Дриту Гаши në Mejë. Besniku e njeh familjen Gashi.',
      violations: [],
    });
    const session = await records.sessions.create(
      sessionInput([dritaT.deponent.id, besnikT.deponent.id], {
        title: 'Tryezë me Drita Gashin dhe Besnik Morinën',
        minutes: 'Дрита Гаши је говорила о брату Агиму. Besnik Morina foli për Mejën. Drita: "Agimi ka lindur 02.08.1971."',
        outcomes: 'Drita do ta kontaktojë komisionin në agim.gashi@example.org.',
        participants: [
          { personId: dritaT.deponent.id, role: 'affected-family-member', notes: 'Motra e Agim Gashit.', consent: pseudonymisedConsent },
          { personId: besnikT.deponent.id, role: 'community-representative', notes: 'Njeh Dritën.', consent: consentInput() },
        ],
      }),
      records.actor,
    );
    return { dritaT, besnikT, session };
  }

  test('no name in either script, birth date or contact of a pseudonymised person; named consent keeps the name; the file imports', async () => {
    const { dritaT, besnikT, session } = await scenario();
    await expectArchiveError(
      buildSubmissionRecords(deps, records.actor, allFilters(), { exportDate, bundleSecret: randomBytes(32), confirmRestricted: false }),
      'SUBMISSION_CONFIRMATION_REQUIRED',
    );
    const built = await buildSubmissionRecords(deps, records.actor, allFilters(), { exportDate, bundleSecret: randomBytes(32), confirmRestricted: true });
    expect(built.preview.included.map((r) => r.id).sort()).toEqual([dritaT.testimony.id, besnikT.testimony.id, session.id].sort());
    const out = JSON.stringify(built.file) + JSON.stringify(built.manifest);
    const folded = foldForSearch(out);
    for (const needle of [...forbidden(drita), ...forbidden(agim)]) expect(folded, needle).not.toContain(needle);
    // Besnik consented to be named: his name stays (his contact never leaves).
    expect(out).toContain('Besnik Morina');
    expect(out).toContain('Бесник Морина');
    expect(folded).not.toContain(foldForSearch('+383 49 765 432'));
    const besnikRecord = built.file.persons.find((p) => p.names.sq === 'Besnik Morina');
    expect(besnikRecord).toMatchObject({ birthDate: '1966-01-20', contact: null });
    // Drita and Agim are their labels, with no birth date, residence or contact.
    const label = Object.entries(built.localIds.persons).find(([, id]) => id === dritaT.deponent.id)?.[0] ?? '';
    expect(label).toMatch(/^P-[0-9A-Z]{5,}$/);
    expect(built.file.persons.find((p) => p.ref === label)).toMatchObject({ names: { sq: label, srLatn: label, srCyrl: label }, birthDate: null, residencePlaceId: null, contact: null });
    const dritaRecord = built.file.testimonies.find((t) => t.deponentRef === label);
    expect(dritaRecord?.narrative).toContain(`Unë, ${label} (${label}, ${label})`);
    // No archive id reaches the file or the manifest.
    for (const id of [dritaT.testimony.id, dritaT.deponent.id, dritaT.victim.id, besnikT.testimony.id, session.id]) expect(out).not.toContain(id);
    expect(built.manifest.find((m) => m.ref === dritaRecord?.ref)).toMatchObject({
      identity: 'pseudonymised',
      restricted: true,
      basis: [
        { personRef: label, role: 'deponent', scope: 'pseudonymised', anonymity: 'pseudonym', formVersion: '2026-1', identity: 'pseudonymised' },
        { role: 'victim', scope: null, identity: 'pseudonymised' },
      ],
    });
    // The payload is a valid records.json that `archive import` reads.
    expect(recordsFileStrictSchema.safeParse(built.file).success).toBe(true);
    const archive = core.sessions.require().archive;
    const reference = await referenceCheck();
    const report = await importRecords(parseRecordsFile(JSON.stringify(built.file)), records.actor, (fn) =>
      archive.db.kysely.transaction().execute((trx) => fn(createRecords({ archive, sodium: core.sodium, now: Date.now, reference, db: trx }), trx)),
    );
    expect(report).toEqual({ imported: { persons: 3, testimonies: 2, sessions: 1 }, rejected: [] });
  });

  test('pseudonyms are stable with one bundle secret and differ with another', async () => {
    await scenario();
    const secret = randomBytes(32);
    const opts = { exportDate, confirmRestricted: true };
    const a = await buildSubmissionRecords(deps, records.actor, allFilters(), { ...opts, bundleSecret: secret });
    const b = await buildSubmissionRecords(deps, records.actor, allFilters(), { ...opts, bundleSecret: secret });
    const c = await buildSubmissionRecords(deps, records.actor, allFilters(), { ...opts, bundleSecret: randomBytes(32) });
    expect(JSON.stringify(b.file)).toBe(JSON.stringify(a.file));
    const refsA = Object.keys(a.localIds.persons).sort();
    const refsC = Object.keys(c.localIds.persons).sort();
    expect(refsC.filter((r) => refsA.includes(r))).toEqual([]);
  });

  test('someone without a sealed copy sees restricted records excluded as unreadable, and cannot build them', async () => {
    const { dritaT, besnikT } = await scenario();
    // A director who was never given copies (say, added after these records were written).
    const newcomer: Actor = { userId: randomUUID(), role: 'director', box: newBoxKeyPair(core.sodium) };
    const preview = await previewSubmission(deps, newcomer, allFilters({ kinds: ['testimony'] }), exportDate);
    expect(preview.excluded.map((r) => [r.id, r.reasons])).toEqual([[dritaT.testimony.id, ['content-not-readable']]]);
    expect(preview.included.map((r) => r.id)).toEqual([besnikT.testimony.id]);
    // Someone whose key row exists but whose key does not open it is stopped when the build reads the content.
    const wrongKey: Actor = { userId: records.actor.userId, role: 'director', box: newBoxKeyPair(core.sodium) };
    await expectArchiveError(
      buildSubmissionRecords(deps, wrongKey, allFilters({ kinds: ['testimony'] }), { exportDate, bundleSecret: randomBytes(32), confirmRestricted: true }),
      'CONTENT_NO_ACCESS',
    );
  });
});

describe('filters and refusals', () => {
  test('filters select exactly the matching records', async () => {
    const c = consentInput();
    const v = (actType: string, date: string, placeId: string) => ({ victimId: '', actType, date, placeId, perpetratorType: 'unknown', victimOutcome: null, notes: null });
    const make = async (title: string, over: NonNullable<Parameters<typeof testimonyInput>[2]>) => {
      const d = await records.persons.create(someone(), records.actor);
      const t = await records.testimonies.create(
        testimonyInput(d.id, d.id, { title, ...over, violations: (over.violations ?? []).map((x) => ({ ...x, victimId: d.id })) }),
        records.actor,
      );
      return over.consent === undefined ? (await records.testimonies.review(t.id, t.revision, records.actor)).id : t.id;
    };
    const meje = await make('meje 1999 disappearance', { date: '2026-10-01', placeId: 'gjakove', affectedGroups: ['families-of-missing'], violations: [v('enforced-disappearance', '1999-04-27', 'meje')] });
    const prizren = await make('prizren 1998 killing', { date: '2026-09-01', placeId: 'prizren', affectedGroups: ['families-of-killed'], violations: [v('killing', '1998~', 'prizren')] });
    const undated = await make('undated torture', { date: null, placeId: null, affectedGroups: ['torture-survivors'], violations: [] });
    const draft = await make('draft meje', { date: '2026-10-02', placeId: 'gjakove', affectedGroups: ['families-of-missing'], violations: [v('enforced-disappearance', '1999-05', 'meje')], consent: c });
    const people = await Promise.all([someone(), someone(), someone()].map((p) => records.persons.create(p, records.actor)));
    const session = await records.sessions.create(sessionInput(people.map((p) => p.id), { date: '1999-04-20', placeId: 'gjakove', participants: sessionInput(people.map((p) => p.id)).participants.map((p) => ({ ...p, consent: c })) }), records.actor);
    const ids = async (f: Partial<SubmissionFilters>) => {
      const p = await previewSubmission(deps, records.actor, allFilters(f), exportDate);
      return [...p.included, ...p.excluded].map((r) => r.id).sort();
    };
    const sorted = (...xs: string[]) => xs.sort();
    expect(await ids({})).toEqual(sorted(meje, prizren, undated, draft, session.id));
    expect(await ids({ kinds: ['testimony'] })).toEqual(sorted(meje, prizren, undated, draft));
    expect(await ids({ kinds: ['session'] })).toEqual([session.id]);
    expect(await ids({ actTypes: ['enforced-disappearance'] })).toEqual(sorted(meje, draft));
    expect(await ids({ actTypes: ['killing', 'torture-ill-treatment'] })).toEqual([prizren]);
    // Overlap with the EDTF period: a violation's date, the testimony's own date or the session's date.
    expect(await ids({ period: '1999-04' })).toEqual(sorted(meje, session.id));
    expect(await ids({ period: '1998-06/1999-04-10' })).toEqual([prizren]);
    expect(await ids({ period: '2026-09-15/2026-10-01' })).toEqual([meje]);
    expect(await ids({ placeIds: ['meje'] })).toEqual(sorted(meje, draft));
    expect(await ids({ placeIds: ['gjakove'] })).toEqual(sorted(meje, draft, session.id));
    expect(await ids({ affectedGroups: ['torture-survivors', 'families-of-killed'] })).toEqual(sorted(prizren, undated));
    expect(await ids({ testimonyStatuses: ['reviewed'], kinds: ['testimony'] })).toEqual(sorted(meje, prizren, undated));
    expect(await ids({ testimonyStatuses: ['draft'], kinds: ['testimony'] })).toEqual([draft]);
    expect(await ids({ sessionStatuses: ['planned'], kinds: ['session'] })).toEqual([]);
    expect(await ids({ placeIds: ['meje'], period: '1999-05' })).toEqual([draft]);
    const p = await previewSubmission(deps, records.actor, allFilters({ placeIds: ['meje'] }), exportDate);
    expect(p.excluded).toEqual([expect.objectContaining({ id: draft, reasons: ['draft'], title: 'draft meje', kind: 'testimony' })]);
    expect(p.included).toEqual([expect.objectContaining({ id: meje, identity: 'named', restricted: false, kind: 'testimony' })]);
  });

  test('unknown codes and places, a non-director and an empty selection are refused by name', async () => {
    await expectArchiveError(previewSubmission(deps, records.actor, allFilters({ actTypes: ['no-such-act'] }), exportDate), 'RECORD_UNKNOWN_CODE');
    await expectArchiveError(previewSubmission(deps, records.actor, allFilters({ affectedGroups: ['no-such-group'] }), exportDate), 'RECORD_UNKNOWN_CODE');
    await expectArchiveError(previewSubmission(deps, records.actor, allFilters({ placeIds: ['atlantis'] }), exportDate), 'RECORD_UNKNOWN_PLACE');
    await expectArchiveError(previewSubmission(deps, records.actor, allFilters({ period: '1999-13-45' }), exportDate), 'RECORD_INVALID_DATE');
    await expectArchiveError(previewSubmission(deps, records.actor, allFilters(), '27.11.2026'), 'IPC_BAD_INPUT');
    await expectArchiveError(previewSubmission(deps, { ...records.actor, role: 'recorder' }, allFilters(), exportDate), 'AUTH_FORBIDDEN');
    await reviewedTestimony(someone(), consentInput({ scopes: { ...consentInput().scopes, commission: 'none' } }));
    await expectArchiveError(buildSubmissionRecords(deps, records.actor, allFilters(), { exportDate, bundleSecret: randomBytes(32), confirmRestricted: true }), 'SUBMISSION_EMPTY');
    expect(submissionFiltersSchema.safeParse({ ...allFilters(), kinds: [] }).success).toBe(false);
    expect(submissionFiltersSchema.safeParse({ ...allFilters(), extra: 1 }).success).toBe(false);
  });
});
