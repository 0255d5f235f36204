// Commission submissions on a real encrypted archive: every consent combination (commission scope x anonymity
// level x withdrawal x embargo) is decided exactly as an independent rule table says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRecords } from '../../electron/core/records/records-context';
import { previewSubmission, type SubmissionDeps } from '../../electron/core/submissions/selection';
import type { PersonInput } from '../../shared/records/schemas';
import { submissionFiltersSchema, type SubmissionFilters } from '../../shared/submissions/schemas';
import { createInput, director, makeCore, resourcesDir, tempDir } from '../fixtures/archive';
import { referenceCheck } from '../fixtures/reference';
import { consentInput, personInput, testimonyInput } from '../fixtures/records';

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

describe('every consent combination decides inclusion and identity as the rules say', () => {
  // The rules as small independent tables (not the code under test): each column either excludes with a
  // reason or says nothing; identity is named only when both commission scope and anonymity say named.
  const commissionRule = { named: { reason: null, named: true }, pseudonymised: { reason: null, named: false }, none: { reason: 'no-commission-consent', named: false } } as const;
  const anonymityRule = { named: true, initials: false, pseudonym: false, anonymous: false } as const;
  const withdrawalRule = { none: null, all: 'consent-withdrawn', commission: 'consent-withdrawn', public: null, media: null } as const;
  const embargoRule = { none: { until: null, reason: null }, past: { until: '2026-01-31', reason: null }, today: { until: exportDate, reason: null }, future: { until: '2027-06-30', reason: 'embargoed' } } as const;

  test('testimonies: commission scope x anonymity level x withdrawal x embargo (240 records)', async () => {
    const reference = await referenceCheck();
    const anonymityLevels = Object.keys(anonymityRule) as Array<keyof typeof anonymityRule>;
    // The table must cover exactly the anonymity levels of the shipped vocabulary.
    const shipped = (JSON.parse(readFileSync(join(resourcesDir, 'vocabularies', 'anonymity-levels.json'), 'utf8')) as { entries: Array<{ code: string }> }).entries.map((e) => e.code);
    expect([...anonymityLevels].sort()).toEqual([...shipped].sort());
    for (const level of anonymityLevels) expect(reference.isCode('anonymityLevels', level)).toBe(true);
    const expected = new Map<string, { include: boolean; identity?: 'named' | 'pseudonymised'; reasons?: string[] }>();
    // One transaction for the 240 writes (the services join it): the same rows, without 720 commits.
    const archive = core.sessions.require().archive;
    await archive.db.kysely.transaction().execute(async (trx) => {
      const inTrx = createRecords({ archive, sodium: core.sodium, now: Date.now, reference, db: trx });
      // One deponent for all: each record is judged by its own consent row for them.
      const deponent = await inTrx.persons.create(someone(), inTrx.actor);
      for (const commission of Object.keys(commissionRule) as Array<keyof typeof commissionRule>) {
        for (const anonymity of anonymityLevels) {
          for (const withdrawal of Object.keys(withdrawalRule) as Array<keyof typeof withdrawalRule>) {
            for (const embargo of Object.keys(embargoRule) as Array<keyof typeof embargoRule>) {
              const consent = consentInput({
                scopes: { ...consentInput().scopes, commission },
                anonymityLevel: anonymity,
                withdrawal: withdrawal === 'none' ? null : { date: '2026-05-01', scope: withdrawal, note: 'Tërhequr me telefon.' },
                embargoUntil: embargoRule[embargo].until,
              });
              const created = await inTrx.testimonies.create(testimonyInput(deponent.id, deponent.id, { consent, title: `${commission}/${anonymity}/${withdrawal}/${embargo}` }), inTrx.actor);
              const testimony = await inTrx.testimonies.review(created.id, created.revision, inTrx.actor);
              const reasons = [commissionRule[commission].reason, withdrawalRule[withdrawal], embargoRule[embargo].reason].filter((r) => r !== null);
              expected.set(testimony.id, reasons.length > 0 ? { include: false, reasons } : { include: true, identity: commissionRule[commission].named && anonymityRule[anonymity] ? 'named' : 'pseudonymised' });
            }
          }
        }
      }
    });
    expect(expected.size).toBe(3 * 4 * 5 * 4);
    const preview = await previewSubmission(deps, records.actor, allFilters(), exportDate);
    // The record's own decision is the deponent's basis; in the bundle one person has one identity, and this
    // deponent is pseudonymised in some records, so every included record is pseudonymised there.
    expect(new Set(preview.included.map((r) => r.identity))).toEqual(new Set(['pseudonymised']));
    const actual = new Map<string, { include: boolean; identity?: string | null; reasons?: string[] }>([
      ...preview.included.map((r) => [r.id, { include: true, identity: r.basis[0]?.identity }] as const),
      ...preview.excluded.map((r) => [r.id, { include: false, reasons: r.reasons }] as const),
    ]);
    expect(actual).toEqual(expected);
    // 3 commission x 4 anonymity x 3 withdrawals that do not touch it x 3 embargoes not running, less 'none'.
    expect(preview.included).toHaveLength(2 * 4 * 3 * 3);
    expect(preview.included.filter((r) => r.basis[0]?.identity === 'named')).toHaveLength(3 * 3);
  }, 60_000);

});
