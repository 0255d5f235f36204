// Whether a record may go into a commission submission, and at which identity level: consent enforced, not advised.
//
// The rules (pure functions of the stored consent and the export date passed in, never the clock):
//
// Per person with a consent row on the record (a testimony's deponent, each session participant):
//   - no consent row                          -> excluded 'no-consent-recorded'
//   - archive scope not given                 -> excluded 'no-archive-consent' (as testimonies.commissionEligible)
//   - commission scope 'none'                 -> excluded 'no-commission-consent'
//   - withdrawn with scope 'all'/'commission' -> excluded 'consent-withdrawn' (whatever the withdrawal date: a
//     recorded withdrawal is in force); 'public' and 'media' withdrawals do not touch the commission
//   - embargoUntil after the export date      -> excluded 'embargoed' (the embargo ends ON its date: equal is allowed)
//   - minor without a guardian recorded       -> excluded 'guardian-missing'
//   Otherwise included, 'named' only when commission scope is 'named' AND anonymity level is 'named' AND the
//   person is not a minor; every other combination is 'pseudonymised' (the stricter of the two answers wins,
//   and a minor's name never leaves the archive even with a guardian's named consent).
//
// Persons without a consent row on the record (victims in a testimony's violations who are not its deponent)
// are always pseudonymised: no name leaves without that person's own named consent.
//
// Testimony: a draft is excluded ('draft'); reviewed and sealed ones are judged by the deponent's consent, who
// is the record's main subject: the testimony is included exactly when the deponent's consent allows it, at the
// deponent's identity level.
// Session: only a held session can be included ('session-not-held' otherwise: planned ones have no minutes,
// cancelled ones no content). Minutes and outcomes are a joint record that cannot be split per speaker, so a
// session is included only when EVERY participant's consent allows it; one participant's refusal, withdrawal,
// embargo or missing guardian excludes the whole session (their codes are the reasons). A session without
// participants has nobody's consent: 'no-consent-recorded'. The session is 'named' only when all are named.
//
// `restricted` (sensitivity 'restricted') does not exclude; the caller requires an explicit confirmation.
import type { ConsentInput } from '../../../shared/records/schemas';
import type { SessionStatus } from '../../../shared/records/session-schemas';

import { exclusionReasons, type ExclusionReason } from '../../../shared/submissions/exclusion-reasons';

export { exclusionReasons, type ExclusionReason };

export type Identity = 'named' | 'pseudonymised';

/** One person's consent as the manifest records it: what the decision was based on. */
export type ConsentBasis = {
  personId: string;
  /** 'deponent' and 'participant' have a consent row on the record; 'victim' (not the deponent) has none. */
  role: 'deponent' | 'participant' | 'victim';
  scope: ConsentInput['scopes']['commission'] | null;
  anonymity: string | null;
  withdrawal: { date: string; scope: 'all' | 'commission' | 'public' | 'media' } | null;
  embargoUntil: string | null;
  formVersion: string | null;
  minor: boolean;
  /** What this person's consent allows on this record; null when it excludes the record. */
  identity: Identity | null;
};

export type Decision =
  | { include: false; reasons: ExclusionReason[]; basis: ConsentBasis[] }
  | { include: true; identity: Identity; restricted: boolean; basis: ConsentBasis[] };

export type PersonDecision = { ok: false; reasons: ExclusionReason[] } | { ok: true; identity: Identity };

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function requireDay(exportDate: string): void {
  // A programming error, not user input: the IPC schema checks the date before it reaches here.
  if (!isoDay.test(exportDate)) throw new RangeError('exportDate must be an ISO day (yyyy-mm-dd).');
}

/** One person's consent judged for the commission on `exportDate` (ISO day). */
export function decidePerson(consent: ConsentInput | null, exportDate: string): PersonDecision {
  requireDay(exportDate);
  if (consent === null) return { ok: false, reasons: ['no-consent-recorded'] };
  const reasons: ExclusionReason[] = [];
  if (!consent.scopes.archive) reasons.push('no-archive-consent');
  if (consent.scopes.commission === 'none') reasons.push('no-commission-consent');
  if (consent.withdrawal !== null && (consent.withdrawal.scope === 'all' || consent.withdrawal.scope === 'commission')) reasons.push('consent-withdrawn');
  // ISO days compare as strings.
  if (consent.embargoUntil !== null && consent.embargoUntil > exportDate) reasons.push('embargoed');
  if (consent.minor && !consent.guardian?.trim()) reasons.push('guardian-missing');
  if (reasons.length > 0) return { ok: false, reasons };
  const named = consent.scopes.commission === 'named' && consent.anonymityLevel === 'named' && !consent.minor;
  return { ok: true, identity: named ? 'named' : 'pseudonymised' };
}

function basisOf(personId: string, role: ConsentBasis['role'], consent: ConsentInput | null, identity: Identity | null): ConsentBasis {
  return {
    personId,
    role,
    scope: consent?.scopes.commission ?? null,
    anonymity: consent?.anonymityLevel ?? null,
    withdrawal: consent?.withdrawal ? { date: consent.withdrawal.date, scope: consent.withdrawal.scope } : null,
    embargoUntil: consent?.embargoUntil ?? null,
    formVersion: consent?.formVersion ?? null,
    minor: consent?.minor ?? false,
    identity,
  };
}

/** A person and their consent on the record (null: no consent row). */
export type PersonConsent = { personId: string; consent: ConsentInput | null };

export type TestimonyFacts = {
  status: 'draft' | 'reviewed' | 'sealed';
  sensitivity: 'normal' | 'restricted';
  deponent: PersonConsent;
  /** Victims of the violations, in order (duplicates and the deponent are ignored). */
  victimIds: readonly string[];
};

/** The decision for a testimony: the deponent's consent decides; other victims are pseudonymised. */
export function decideTestimony(t: TestimonyFacts, exportDate: string): Decision {
  const person = decidePerson(t.deponent.consent, exportDate);
  const basis = [basisOf(t.deponent.personId, 'deponent', t.deponent.consent, person.ok ? person.identity : null)];
  for (const id of new Set(t.victimIds)) {
    if (id !== t.deponent.personId) basis.push(basisOf(id, 'victim', null, person.ok ? 'pseudonymised' : null));
  }
  const reasons: ExclusionReason[] = [...(t.status === 'draft' ? (['draft'] as const) : []), ...(person.ok ? [] : person.reasons)];
  if (reasons.length > 0 || !person.ok) return { include: false, reasons, basis };
  return { include: true, identity: person.identity, restricted: t.sensitivity === 'restricted', basis };
}

export type SessionFacts = {
  status: SessionStatus;
  sensitivity: 'normal' | 'restricted';
  participants: readonly PersonConsent[];
};

/** The decision for a session: every participant must allow it; named only when all are named. */
export function decideSession(s: SessionFacts, exportDate: string): Decision {
  const decisions = s.participants.map((p) => ({ p, d: decidePerson(p.consent, exportDate) }));
  const basis = decisions.map(({ p, d }) => basisOf(p.personId, 'participant', p.consent, d.ok ? d.identity : null));
  const reasons = new Set<ExclusionReason>();
  if (s.status !== 'held') reasons.add('session-not-held');
  if (s.participants.length === 0) reasons.add('no-consent-recorded');
  for (const { d } of decisions) if (!d.ok) d.reasons.forEach((r) => reasons.add(r));
  if (reasons.size > 0) return { include: false, reasons: exclusionReasons.filter((r) => reasons.has(r)), basis };
  const named = decisions.every(({ d }) => d.ok && d.identity === 'named');
  return { include: true, identity: named ? 'named' : 'pseudonymised', restricted: s.sensitivity === 'restricted', basis };
}
