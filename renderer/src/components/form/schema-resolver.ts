// Validates a form with a zod schema from shared/ (the one main checks again) and reports translated messages.
// Own resolver rather than @hookform/resolvers: form values differ from the input ('' for an empty optional
// field where the schema wants null), so the values are converted first and the issue paths still match.
import type { FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import i18n from '../../i18n/index';

type Issue = z.core.$ZodIssue;

/** Messages of the refinements in shared/ schemas that the UI can explain better than in English. */
const customMessages: ReadonlyArray<[RegExp, string]> = [
  [/^at least 1 character/, 'validation.required'],
  [/^not well-formed Unicode/, 'validation.badText'],
  [/^at least one name form/, 'validation.oneName'],
  [/^each person takes part once/, 'validation.participantOnce'],
  [/^dateFrom after dateTo/, 'validation.dateOrder'],
];

/** One issue as a sentence in the UI language. */
export function issueMessage(issue: Issue): string {
  const t = i18n.t.bind(i18n);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return t('validation.required');
      return issue.origin === 'string' ? t('validation.tooShort', { min: Number(issue.minimum) }) : t('validation.tooFew', { min: Number(issue.minimum) });
    case 'too_big':
      return issue.origin === 'string' ? t('validation.tooLong', { max: Number(issue.maximum) }) : t('validation.tooMany', { max: Number(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'date' ? t('validation.isoDate') : t('validation.choose');
    case 'invalid_type':
      return issue.input === null || issue.input === undefined || issue.input === '' ? t('validation.required') : t('validation.choose');
    case 'invalid_value':
      return t('validation.choose');
    case 'custom': {
      const known = customMessages.find(([re]) => re.test(issue.message));
      return t(known ? known[1] : 'validation.invalid');
    }
    default:
      return t('validation.invalid');
  }
}

/** Builds react-hook-form errors (nested by path) from zod issues; the first issue per field wins. */
function toFieldErrors<V extends FieldValues>(issues: readonly Issue[]): FieldErrors<V> {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    const path = issue.path.map(String);
    let node = root;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
    }
    const leaf = path.at(-1) ?? 'root';
    if (node[leaf] === undefined || (typeof node[leaf] === 'object' && !('message' in (node[leaf] as object)))) {
      const existing = node[leaf];
      node[leaf] = { ...(typeof existing === 'object' ? existing : {}), type: issue.code, message: issueMessage(issue) };
    }
  }
  // Through unknown: relating Record<string, unknown> to the deep generic FieldErrors<V> makes the checker give up
  // and cache zod's output types as errors for files checked later (eslint . then flags every contract type).
  return root as unknown as FieldErrors<V>;
}

/**
 * A resolver that converts form values with `toInput`, parses them with `schema`, and hands the parsed
 * input to `handleSubmit`. Use as `useForm<Values, unknown, z.output<typeof schema>>({ resolver })`.
 */
export function schemaResolver<V extends FieldValues, S extends z.ZodType>(schema: S, toInput: (values: V) => unknown): Resolver<V, unknown, z.output<S>> {
  return async (values) => {
    const parsed = await schema.safeParseAsync(toInput(values));
    if (parsed.success) return { values: parsed.data, errors: {} };
    return { values: {}, errors: toFieldErrors<V>(parsed.error.issues) };
  };
}

/** '' (an empty optional field) → null; anything else as typed. */
export function emptyToNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}
