// Why a record is left out of a commission submission: stable codes the UI translates (rules: electron/core/submissions/consent-decision.ts).
export const exclusionReasons = [
  'draft',
  'session-not-held',
  'no-consent-recorded',
  'no-archive-consent',
  'no-commission-consent',
  'consent-withdrawn',
  'embargoed',
  'guardian-missing',
  /** Added by the selection, not here: restricted content the actor holds no sealed copy of. */
  'content-not-readable',
] as const;
/** A stable code the UI translates; never free text. */
export type ExclusionReason = (typeof exclusionReasons)[number];
