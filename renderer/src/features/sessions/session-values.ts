// The session form's values ('' for empty, objects for list rows) and their conversion to and from sessionInputSchema.
import type { FieldErrors, Resolver } from 'react-hook-form';
import type { SessionView } from '../../../../shared/ipc/contract';
import { sessionInputSchema, type FollowUpStatus, type SessionInput, type SessionKind, type SessionStatus } from '../../../../shared/records/session-schemas';
import { consentToInput, consentToValues, emptyConsent, type ConsentValues } from '../../components/form/ConsentFieldset';
import { emptyToNull, schemaResolver } from '../../components/form/schema-resolver';

export type ParticipantValues = { personId: string; role: string; notes: string; consent: ConsentValues };
/** `followUpId` rather than `id`: useFieldArray keeps its own `id` on each row. */
export type FollowUpValues = { followUpId: string | null; text: string; owner: string; dueDate: string; status: FollowUpStatus };

export type SessionValues = {
  kind: SessionKind | '';
  status: SessionStatus;
  title: string;
  date: string;
  placeId: string;
  /** Objects, not strings: useFieldArray needs one object per row. */
  facilitators: Array<{ name: string }>;
  participants: ParticipantValues[];
  agenda: string;
  minutes: string;
  outcomes: string;
  followUps: FollowUpValues[];
  sensitivity: 'normal' | 'restricted';
};

export function emptySession(): SessionValues {
  return {
    kind: '',
    status: 'held',
    title: '',
    date: '',
    placeId: '',
    facilitators: [],
    participants: [],
    agenda: '',
    minutes: '',
    outcomes: '',
    followUps: [],
    sensitivity: 'normal',
  };
}

/** A new participant row; the consent is explained by the signed-in user unless changed. */
export function emptyParticipant(explainedBy: string): ParticipantValues {
  return { personId: '', role: '', notes: '', consent: emptyConsent(explainedBy) };
}

export function emptyFollowUp(): FollowUpValues {
  return { followUpId: null, text: '', owner: '', dueDate: '', status: 'open' };
}

export function sessionToValues(s: SessionView): SessionValues {
  return {
    kind: s.kind,
    status: s.status,
    title: s.title,
    date: s.date,
    placeId: s.placeId ?? '',
    facilitators: s.facilitators.map((name) => ({ name })),
    participants: s.participants.map((p) => ({ personId: p.personId, role: p.role, notes: p.notes ?? '', consent: consentToValues(p.consent) })),
    agenda: s.agenda,
    minutes: s.minutes,
    outcomes: s.outcomes,
    followUps: s.followUps.map((f) => ({ followUpId: f.id, text: f.text, owner: f.owner, dueDate: f.dueDate ?? '', status: f.status })),
    sensitivity: s.sensitivity,
  };
}

/** Form values → the shape of sessionInputSchema (the resolver parses it; paths stay those of the form). */
export function sessionToInput(v: SessionValues): unknown {
  return {
    kind: v.kind,
    status: v.status,
    title: v.title,
    date: v.date,
    placeId: emptyToNull(v.placeId),
    facilitators: v.facilitators.map((f) => f.name),
    participants: v.participants.map((p) => ({ personId: p.personId, role: p.role, notes: emptyToNull(p.notes), consent: consentToInput(p.consent) })),
    agenda: v.agenda,
    minutes: v.minutes,
    outcomes: v.outcomes,
    followUps: v.followUps.map((f) => ({ id: f.followUpId, text: f.text, owner: f.owner, dueDate: emptyToNull(f.dueDate), status: f.status })),
    sensitivity: v.sensitivity,
  };
}

/** Facilitator errors come at `facilitators.<i>` (a string in the input); the field is `facilitators.<i>.name`. */
function facilitatorErrorsOnNames(errors: FieldErrors<SessionValues>): FieldErrors<SessionValues> {
  const raw = errors.facilitators as Record<string, unknown> | undefined;
  if (!raw) return errors;
  const moved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) moved[k] = /^\d+$/.test(k) ? { name: v } : v;
  return { ...errors, facilitators: moved as FieldErrors<SessionValues>['facilitators'] };
}

const base = schemaResolver(sessionInputSchema, sessionToInput);

/** Validates the form with the shared sessionInputSchema (main checks the same schema again). */
export const sessionResolver: Resolver<SessionValues, unknown, SessionInput> = async (values, context, options) => {
  const result = await base(values, context, options);
  if (Object.keys(result.errors).length === 0) return result;
  return { values: {}, errors: facilitatorErrorsOnNames(result.errors) };
};
