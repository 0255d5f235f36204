// Mapping between consent inputs and `consents` rows, shared by testimonies and dialogue sessions.
import type { ConsentInput } from '../../../shared/records/schemas';
import type { ConsentsTable } from '../db/schema';

/** The `consents` row of one person's consent to one testimony or session. */
export function consentRow(kind: 'testimony' | 'session', recordId: string, personId: string, c: ConsentInput): ConsentsTable {
  const b = (x: boolean) => (x ? 1 : 0);
  return {
    record_kind: kind,
    record_id: recordId,
    person_id: personId,
    explained_by: c.explainedBy,
    language: c.language,
    form_version: c.formVersion,
    medium: c.medium,
    scope_archive: b(c.scopes.archive),
    scope_statistics: b(c.scopes.statistics),
    scope_commission: c.scopes.commission,
    scope_public_hearing: b(c.scopes.publicHearing),
    scope_prosecution: b(c.scopes.prosecution),
    scope_media: b(c.scopes.media),
    scope_recontact: b(c.scopes.recontact),
    anonymity_level: c.anonymityLevel,
    embargo_until: c.embargoUntil,
    minor: b(c.minor),
    guardian: c.guardian,
    withdrawn_on: c.withdrawal?.date ?? null,
    withdrawal_scope: c.withdrawal?.scope ?? null,
    withdrawal_note: c.withdrawal?.note ?? null,
  };
}

/** The consent input a `consents` row was made from. */
export function consentOf(r: ConsentsTable): ConsentInput {
  return {
    explainedBy: r.explained_by,
    language: r.language,
    formVersion: r.form_version,
    medium: r.medium,
    scopes: {
      archive: r.scope_archive === 1,
      statistics: r.scope_statistics === 1,
      commission: r.scope_commission,
      publicHearing: r.scope_public_hearing === 1,
      prosecution: r.scope_prosecution === 1,
      media: r.scope_media === 1,
      recontact: r.scope_recontact === 1,
    },
    anonymityLevel: r.anonymity_level,
    embargoUntil: r.embargo_until,
    minor: r.minor === 1,
    guardian: r.guardian,
    withdrawal: r.withdrawn_on && r.withdrawal_scope ? { date: r.withdrawn_on, scope: r.withdrawal_scope, note: r.withdrawal_note ?? '' } : null,
  };
}
