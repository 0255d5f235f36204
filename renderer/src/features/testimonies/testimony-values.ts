// Testimony form values ('' for an empty optional field) and their conversion to and from the shared input schema.
import type { TestimonyView } from '../../../../shared/ipc/contract';
import { consentToInput, consentToValues, emptyConsent, type ConsentValues } from '../../components/form/ConsentFieldset';
import { emptyToNull } from '../../components/form/schema-resolver';

export type ViolationValues = {
  /** The stored violation's id ('' for a new one); not called `id`, which the field array uses for its own keys. */
  violationId: string;
  victimId: string;
  actType: string;
  date: string;
  placeId: string;
  perpetratorType: string;
  victimOutcome: string;
  notes: string;
};

export type TestimonyValues = {
  title: string;
  deponentId: string;
  interpreter: string;
  language: string;
  mode: string;
  date: string;
  placeId: string;
  affectedGroups: string[];
  narrative: string;
  sensitivity: 'normal' | 'restricted';
  violations: ViolationValues[];
  consent: ConsentValues;
};

export function emptyViolation(): ViolationValues {
  return { violationId: '', victimId: '', actType: '', date: '', placeId: '', perpetratorType: '', victimOutcome: '', notes: '' };
}

/** A new testimony; the consent was explained by whoever records it, unless they change it. */
export function emptyTestimony(explainedBy: string): TestimonyValues {
  return {
    title: '',
    deponentId: '',
    interpreter: '',
    language: '',
    mode: '',
    date: '',
    placeId: '',
    affectedGroups: [],
    narrative: '',
    sensitivity: 'normal',
    violations: [],
    consent: emptyConsent(explainedBy),
  };
}

export function testimonyToValues(view: TestimonyView): TestimonyValues {
  return {
    title: view.title,
    deponentId: view.deponentId,
    interpreter: view.interpreter ?? '',
    language: view.language,
    mode: view.mode,
    date: view.date ?? '',
    placeId: view.placeId ?? '',
    affectedGroups: [...view.affectedGroups],
    narrative: view.narrative,
    sensitivity: view.sensitivity,
    violations: view.violations.map((v) => ({
      violationId: v.id,
      victimId: v.victimId,
      actType: v.actType,
      date: v.date ?? '',
      placeId: v.placeId ?? '',
      perpetratorType: v.perpetratorType ?? '',
      victimOutcome: v.victimOutcome ?? '',
      notes: v.notes ?? '',
    })),
    consent: consentToValues(view.consent),
  };
}

/** Form values → the shape of testimonyInputSchema (the resolver validates it; main checks it again). */
export function testimonyToInput(v: TestimonyValues): unknown {
  // A checkbox group with nothing ticked can come back as false rather than [].
  const groups: unknown = v.affectedGroups;
  return {
    deponentId: v.deponentId,
    interpreter: emptyToNull(v.interpreter),
    language: v.language,
    mode: v.mode,
    date: emptyToNull(v.date),
    placeId: emptyToNull(v.placeId),
    affectedGroups: Array.isArray(groups) ? groups : [],
    title: v.title,
    narrative: v.narrative,
    sensitivity: v.sensitivity,
    violations: v.violations.map((x) => ({
      // Sent back so the violation keeps its id (segments link to it); a draft saved before ids has none.
      ...(x.violationId ? { id: x.violationId } : {}),
      victimId: x.victimId,
      actType: x.actType,
      date: emptyToNull(x.date),
      placeId: emptyToNull(x.placeId),
      perpetratorType: emptyToNull(x.perpetratorType),
      victimOutcome: emptyToNull(x.victimOutcome),
      notes: emptyToNull(x.notes),
    })),
    consent: consentToInput(v.consent),
  };
}
