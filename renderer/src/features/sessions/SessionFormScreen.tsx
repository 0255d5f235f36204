// Creating and editing a round table or peace table: validated with the shared schema, autosaved as a sealed
// draft, guarded against leaving with unsaved changes, and main's refusals shown at the top.
import { useEffect, useRef, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SessionInput } from '../../../../shared/records/session-schemas';
import { sessionKinds, sessionStatuses } from '../../../../shared/records/session-schemas';
import { useNavigation, useUnsavedChangesGuard } from '../../app/navigation';
import { useSession } from '../../app/session-context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { DraftNotice } from '../../components/form/DraftNotice';
import { EdtfField, SelectField, TextArea, TextInput } from '../../components/form/fields';
import { PlaceField } from '../../components/form/PlaceField';
import { useDraft } from '../../components/form/use-draft';
import { call } from '../../lib/archive-client';
import { FacilitatorsEditor } from './FacilitatorsEditor';
import { FollowUpsEditor } from './FollowUpsEditor';
import { ParticipantsEditor } from './ParticipantsEditor';
import { emptySession, sessionResolver, sessionToValues, type SessionValues } from './session-values';

type Loaded = { values: SessionValues; revision: number };

export function SessionFormScreen({ id }: { id: string | null }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<Loaded | null>(id === null ? { values: emptySession(), revision: 0 } : null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    if (id === null) return;
    let live = true;
    void call('sessions.get', { id }).then((r) => {
      if (!live) return;
      if (!r.ok) setError(r.error);
      // Saving a session whose minutes this user cannot read would blank them: main refuses it, so say so now.
      else if (!r.value.contentVisible) setError({ code: 'CONTENT_NO_ACCESS', message: '' });
      else setLoaded({ values: sessionToValues(r.value), revision: r.value.revision });
    });
    return () => {
      live = false;
    };
  }, [id]);

  const heading = t(id === null ? 'sessions.newHeading' : 'sessions.editHeading');
  if (!loaded) {
    return (
      <section aria-labelledby="screen-heading">
        <h1 id="screen-heading">{heading}</h1>
        {error ? <ErrorMessage error={error} /> : <p aria-live="polite">{t('app.loading')}</p>}
      </section>
    );
  }
  return <SessionForm id={id} heading={heading} initial={loaded.values} revision={loaded.revision} />;
}

type FormProps = { id: string | null; heading: string; initial: SessionValues; revision: number };

function SessionForm({ id, heading, initial, revision }: FormProps) {
  const { t } = useTranslation();
  const { navigate } = useNavigation();
  const session = useSession();
  const form = useForm<SessionValues, unknown, SessionInput>({ defaultValues: initial, resolver: sessionResolver, shouldFocusError: false });
  const { handleSubmit, formState, reset } = form;
  const draft = useDraft(id === null ? 'session:new' : `session:${id}`, form, id === null ? null : revision);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [savedId, setSavedId] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  useUnsavedChangesGuard(formState.isDirty && savedId === null);
  // After the guard let go (effects run in order), go to the saved record.
  useEffect(() => {
    if (savedId !== null) navigate({ name: 'session', id: savedId });
  }, [savedId, navigate]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  // After each submit (once the errors are on screen), focus the first invalid field in page order,
  // unfolding a participant's consent that hides it.
  const { submitCount } = formState;
  useEffect(() => {
    const root = formRef.current;
    if (submitCount === 0 || !root) return;
    for (const d of root.querySelectorAll('details')) if (d.querySelector('[aria-invalid="true"], .field-error')) d.open = true;
    root.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]')?.focus();
  }, [submitCount]);

  const save = handleSubmit(async (input) => {
    setError(null);
    const r = id === null ? await call('sessions.create', { session: input }) : await call('sessions.update', { id, expectedRevision: draft.baseRevision ?? revision, session: input });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    await draft.clear();
    reset(sessionToValues(r.value));
    setSavedId(r.value.id);
  });

  return (
    <section aria-labelledby="screen-heading" className="session-form">
      <h1 id="screen-heading">{heading}</h1>
      <div ref={errorRef} tabIndex={-1}>
        <ErrorMessage error={error} />
      </div>
      {formState.isSubmitted && Object.keys(formState.errors).length > 0 ? <p className="field-error">{t('form.fixErrors')}</p> : null}
      <DraftNotice draft={draft} />
      <FormProvider {...form}>
        <form ref={formRef} noValidate onSubmit={(e) => void save(e)}>
          <SelectField<SessionValues>
            name="kind"
            label={t('sessions.kindLabel')}
            emptyLabel={t('form.choose')}
            options={sessionKinds.map((k) => ({ value: k, label: t(`sessions.kind.${k}`) }))}
            required
          />
          <SelectField<SessionValues> name="status" label={t('sessions.statusLabel')} options={sessionStatuses.map((s) => ({ value: s, label: t(`sessions.status.${s}`) }))} />
          <TextInput<SessionValues> name="title" label={t('sessions.title')} required />
          <EdtfField<SessionValues> name="date" label={t('sessions.date')} required />
          <PlaceField<SessionValues> name="placeId" label={t('sessions.place')} />
          <FacilitatorsEditor />
          <ParticipantsEditor explainedBy={session.displayName} />
          <TextArea<SessionValues> name="agenda" label={t('sessions.agenda')} rows={4} />
          <TextArea<SessionValues> name="minutes" label={t('sessions.minutes')} rows={8} />
          <TextArea<SessionValues> name="outcomes" label={t('sessions.outcomes')} hint={t('sessions.outcomesHint')} rows={5} />
          <FollowUpsEditor />
          <SelectField<SessionValues>
            name="sensitivity"
            label={t('sessions.sensitivity')}
            hint={t('sessions.sensitivityHint')}
            options={[
              { value: 'normal', label: t('sessions.sensitivityNormal') },
              { value: 'restricted', label: t('sessions.sensitivityRestricted') },
            ]}
          />
          <div className="actions">
            <button type="submit" disabled={formState.isSubmitting}>
              {formState.isSubmitting ? t('form.saving') : t('form.save')}
            </button>
            <button type="button" className="secondary" onClick={() => navigate(id === null ? { name: 'sessions' } : { name: 'session', id })}>
              {t('form.cancel')}
            </button>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}
