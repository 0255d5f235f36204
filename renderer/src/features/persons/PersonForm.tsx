// The person form (names in three forms, sex, birth, ethnicity, residence, contact, confidentiality) with
// possible duplicates while typing; used by the person screen and inline by PersonPicker.
import { useEffect, useId, useRef, useState } from 'react';
import { FormProvider, useForm, useWatch, type Resolver, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput, PersonView } from '../../../../shared/ipc/contract';
import { personInputSchema, sensitivities, type PersonInput } from '../../../../shared/records/schemas';
import { transliterateSerbianCyrillicToLatin, transliterateSerbianLatinToCyrillic } from '../../../../shared/text/fold';
import { useUnsavedChangesGuard } from '../../app/navigation';
import { ErrorMessage } from '../../components/ErrorMessage';
import { DraftNotice } from '../../components/form/DraftNotice';
import { EdtfField, TextArea, TextInput, VocabularySelect } from '../../components/form/fields';
import { PlaceField } from '../../components/form/PlaceField';
import { emptyToNull, schemaResolver } from '../../components/form/schema-resolver';
import { useDraft, type DraftKey } from '../../components/form/use-draft';
import { call } from '../../lib/archive-client';
import { useReference } from '../../lib/reference';
import { personName } from './person-name';

export type PersonValues = {
  names: { sq: string; srLatn: string; srCyrl: string };
  sex: string;
  birthDate: string;
  ethnicity: string;
  status: string;
  residencePlaceId: string;
  contact: string;
  confidentiality: (typeof sensitivities)[number];
};

export type SimilarPerson = MethodOutput<'persons.similar'>['candidates'][number];

const emptyPerson: PersonValues = {
  names: { sq: '', srLatn: '', srCyrl: '' },
  sex: '',
  birthDate: '',
  ethnicity: '',
  status: '',
  residencePlaceId: '',
  contact: '',
  confidentiality: 'normal',
};

function toValues(p: PersonView): PersonValues {
  return {
    names: { sq: p.names.sq ?? '', srLatn: p.names.srLatn ?? '', srCyrl: p.names.srCyrl ?? '' },
    sex: p.sex,
    birthDate: p.birthDate ?? '',
    ethnicity: p.ethnicity ?? '',
    status: p.status ?? '',
    residencePlaceId: p.residencePlaceId ?? '',
    contact: p.contact ?? '',
    confidentiality: p.confidentiality,
  };
}

function toInput(v: PersonValues): unknown {
  return {
    names: { sq: emptyToNull(v.names.sq), srLatn: emptyToNull(v.names.srLatn), srCyrl: emptyToNull(v.names.srCyrl) },
    sex: v.sex,
    birthDate: emptyToNull(v.birthDate),
    ethnicity: emptyToNull(v.ethnicity),
    status: emptyToNull(v.status),
    residencePlaceId: emptyToNull(v.residencePlaceId),
    contact: emptyToNull(v.contact),
    confidentiality: v.confidentiality,
  };
}

const personResolver: Resolver<PersonValues, unknown, PersonInput> = schemaResolver<PersonValues, typeof personInputSchema>(personInputSchema, toInput);

/** The autosaved draft and its notice; a component of its own so the inline form can go without one. */
type DraftRef = { current: { clear: () => Promise<void>; baseRevision: number | null } | null };

function FormDraft({ draftKey, form, loadedRevision, draftRef }: { draftKey: DraftKey; form: UseFormReturn<PersonValues, unknown, PersonInput>; loadedRevision: number | null; draftRef: DraftRef }) {
  const draft = useDraft(draftKey, form, loadedRevision);
  useEffect(() => {
    draftRef.current = { clear: draft.clear, baseRevision: draft.baseRevision };
  }, [draftRef, draft.clear, draft.baseRevision]);
  return <DraftNotice draft={draft} />;
}

/** Waits for a pause in typing before asking main about look-alikes (a call per keystroke would be wasted). */
const similarDelayMs = 400;

function useSimilarPeople(form: UseFormReturn<PersonValues, unknown, PersonInput>, excludeId: string | null): SimilarPerson[] {
  const [names, birthDate, residencePlaceId] = useWatch({ control: form.control, name: ['names', 'birthDate', 'residencePlaceId'] });
  const [found, setFound] = useState<SimilarPerson[]>([]);
  const request = useRef(0);
  const key = JSON.stringify([names, birthDate, residencePlaceId]);

  useEffect(() => {
    const [n, b, r] = JSON.parse(key) as [PersonValues['names'], string, string];
    const clip = (s: string) => emptyToNull(s.slice(0, 200));
    const query = { sq: clip(n.sq), srLatn: clip(n.srLatn), srCyrl: clip(n.srCyrl) };
    const mine = ++request.current;
    if (!query.sq && !query.srLatn && !query.srCyrl) {
      setFound([]);
      return;
    }
    const timer = window.setTimeout(() => {
      void call('persons.similar', { names: query, birthDate: clip(b.slice(0, 64)), residencePlaceId: emptyToNull(r), excludeId, limit: 5 }).then((res) => {
        // Suggestions are a help, not a gate: when main cannot answer, none are shown and saving still works.
        if (mine === request.current) setFound(res.ok ? res.value.candidates : []);
      });
    }, similarDelayMs);
    return () => window.clearTimeout(timer);
  }, [key, excludeId]);

  return found;
}

function SimilarPeople({ candidates, useLabel, onUse, headingLevel }: { candidates: SimilarPerson[]; useLabel: string; onUse: (c: SimilarPerson) => void; headingLevel: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const ref = useReference();
  const headingId = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  if (candidates.length === 0) return null;
  return (
    <section className="similar-people notice" aria-labelledby={headingId}>
      <Heading id={headingId}>{t('persons.similarHeading')}</Heading>
      <p className="hint">{t('persons.similarHint')}</p>
      <ul>
        {candidates.map((c) => {
          const name = personName(c.names, i18n.language) || t('persons.restrictedName');
          const others = [c.names.sq, c.names.srLatn, c.names.srCyrl].filter((n): n is string => Boolean(n) && n !== name);
          return (
            <li key={c.id}>
              <strong>{name}</strong>
              {others.length > 0 ? <span> ({others.join(' / ')})</span> : null}
              {c.birthDate ? <span> · {t('persons.bornOn', { date: c.birthDate })}</span> : null}
              {c.residencePlaceId ? <span> · {ref.placeName(c.residencePlaceId)}</span> : null}
              <p className="hint">{t('persons.similarBecause', { reasons: c.reasons.map((r) => t(`persons.reason.${r}`)).join('; ') })}</p>
              <button type="button" className="secondary small" onClick={() => onUse(c)} aria-label={`${useLabel}: ${name}`}>
                {useLabel}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

type Props = {
  /** The person being edited (its current state), or null for a new person. */
  person: PersonView | null;
  /** Called once the record is saved (the draft is gone, the form is no longer dirty). */
  onSaved: (person: PersonView) => void;
  onCancel: () => void;
  /** A suggested duplicate chosen instead of creating: open it (screen) or pick it (picker). */
  onUseExisting: (candidate: SimilarPerson) => void;
  useExistingLabel: string;
  /** Autosave a draft (the person screen); the inline form in a picker does not. */
  withDraft: boolean;
  headingLevel: 2 | 3;
};

export function PersonForm({ person, onSaved, onCancel, onUseExisting, useExistingLabel, withDraft, headingLevel }: Props) {
  const { t } = useTranslation();
  const form = useForm<PersonValues, unknown, PersonInput>({
    defaultValues: person ? toValues(person) : emptyPerson,
    resolver: personResolver,
  });
  const { handleSubmit, formState, getValues, setValue, register } = form;
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [saved, setSaved] = useState<PersonView | null>(null);
  const draftRef: DraftRef = useRef(null);
  const candidates = useSimilarPeople(form, person?.id ?? null);
  // The names fieldset's own error ("at least one name form"); the form context is provided below this component.
  const namesError = formState.errors.names?.message;
  const confidentialityId = useId();
  const namesErrorId = useId();

  useUnsavedChangesGuard(formState.isDirty && saved === null);
  const onSavedRef = useRef(onSaved);
  useEffect(() => {
    onSavedRef.current = onSaved;
  });
  // Runs after the guard above is released in the same commit, so leaving the saved form does not ask.
  useEffect(() => {
    if (saved) onSavedRef.current(saved);
  }, [saved]);

  const save = async (input: PersonInput) => {
    setError(null);
    setInvalid(false);
    const r = person ? await call('persons.update', { id: person.id, expectedRevision: draftRef.current?.baseRevision ?? person.revision, person: input }) : await call('persons.create', { person: input });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    await draftRef.current?.clear();
    setSaved(r.value);
  };

  const fill = (from: 'srLatn' | 'srCyrl') => {
    const source = getValues(`names.${from}`);
    const target = from === 'srLatn' ? 'names.srCyrl' : 'names.srLatn';
    const converted = from === 'srLatn' ? transliterateSerbianLatinToCyrillic(source) : transliterateSerbianCyrillicToLatin(source);
    setValue(target, converted, { shouldDirty: true, shouldValidate: formState.isSubmitted });
  };

  const draftKey: DraftKey = person ? `person:${person.id}` : 'person:new';
  return (
    <FormProvider {...form}>
      <form
        className="person-form"
        noValidate
        onSubmit={(e) => {
          // Inside a picker the form is portalled out of the host form, but React events still bubble to it.
          e.stopPropagation();
          void handleSubmit(save, () => setInvalid(true))(e);
        }}
      >
        {withDraft ? <FormDraft draftKey={draftKey} form={form} loadedRevision={person?.revision ?? null} draftRef={draftRef} /> : null}
        <fieldset aria-describedby={namesError ? namesErrorId : undefined}>
          <legend>{t('persons.names')}</legend>
          <p className="hint">{t('persons.namesHint')}</p>
          <TextInput<PersonValues> name="names.sq" label={t('persons.nameSq')} />
          <TextInput<PersonValues> name="names.srLatn" label={t('persons.nameSrLatn')} />
          <TextInput<PersonValues> name="names.srCyrl" label={t('persons.nameSrCyrl')} />
          <div className="actions">
            <button type="button" className="secondary small" onClick={() => fill('srLatn')}>
              {t('persons.fillCyrillic')}
            </button>
            <button type="button" className="secondary small" onClick={() => fill('srCyrl')}>
              {t('persons.fillLatin')}
            </button>
          </div>
          {namesError ? (
            <p className="field-error" id={namesErrorId}>
              {namesError}
            </p>
          ) : null}
        </fieldset>
        <SimilarPeople candidates={candidates} useLabel={useExistingLabel} onUse={onUseExisting} headingLevel={headingLevel} />
        <VocabularySelect<PersonValues> name="sex" vocabulary="sexes" label={t('persons.sex')} emptyLabel={t('form.choose')} required />
        <EdtfField<PersonValues> name="birthDate" label={t('persons.birthDate')} />
        <VocabularySelect<PersonValues> name="ethnicity" vocabulary="ethnicities" label={t('persons.ethnicity')} emptyLabel={t('persons.notRecorded')} />
        <VocabularySelect<PersonValues> name="status" vocabulary="victimOutcomes" label={t('persons.status')} hint={t('persons.statusHint')} emptyLabel={t('persons.notRecorded')} />
        <PlaceField<PersonValues> name="residencePlaceId" label={t('persons.residence')} />
        <TextArea<PersonValues> name="contact" label={t('persons.contact')} hint={t('persons.contactHint')} rows={3} />
        <fieldset className="radio-group" aria-describedby={`${confidentialityId}-hint`}>
          <legend>{t('persons.confidentiality')}</legend>
          {sensitivities.map((s) => (
            <label key={s} className="checkbox">
              <input type="radio" value={s} {...register('confidentiality')} />
              {t(`persons.confidentialityLevel.${s}`)}
            </label>
          ))}
          <p className="hint" id={`${confidentialityId}-hint`}>
            {t('persons.confidentialityHint')}
          </p>
        </fieldset>
        {invalid && Object.keys(formState.errors).length > 0 ? (
          <p className="error" role="alert">
            {t('form.fixErrors')}
          </p>
        ) : null}
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('form.saving') : person ? t('form.save') : t('persons.create')}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </FormProvider>
  );
}
