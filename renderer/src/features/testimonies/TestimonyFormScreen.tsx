// Creating and editing a testimony: a new one, an edit of a draft or reviewed one, or a director's revision of a sealed one.
import { useEffect, useRef, useState } from 'react';
import { FormProvider, useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { TestimonyView } from '../../../../shared/ipc/contract';
import { testimonyInputSchema, type TestimonyInput } from '../../../../shared/records/schemas';
import { useNavigation, useUnsavedChangesGuard } from '../../app/navigation';
import { useAllowed, useSession } from '../../app/session-context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ConsentFieldset } from '../../components/form/ConsentFieldset';
import { DraftNotice } from '../../components/form/DraftNotice';
import { schemaResolver } from '../../components/form/schema-resolver';
import { useDraft } from '../../components/form/use-draft';
import { call } from '../../lib/archive-client';
import { TestimonyFields } from './TestimonyFields';
import { emptyTestimony, testimonyToInput, testimonyToValues, type TestimonyValues } from './testimony-values';
import { mayEditInPlace } from './testimony-permissions';
import { ViolationsEditor } from './ViolationsEditor';

type Loaded = { state: 'loading' } | { state: 'failed'; error: ErrorInfo } | { state: 'ready'; view: TestimonyView | null };

export function TestimonyFormScreen({ id }: { id: string | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const mayRevise = useAllowed('testimonies.review');
  const [loaded, setLoaded] = useState<Loaded>(id ? { state: 'loading' } : { state: 'ready', view: null });

  useEffect(() => {
    if (!id) return;
    let live = true;
    void call('testimonies.get', { id }).then((r) => {
      if (live) setLoaded(r.ok ? { state: 'ready', view: r.value } : { state: 'failed', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [id]);

  if (loaded.state === 'ready') {
    const view = loaded.view;
    // Sealed: only a director revises it (a new revision); restricted without a copy: saving would lose what is hidden.
    if (view?.status === 'sealed' && !mayRevise) return <CannotEdit id={view.id} message={t('testimonies.sealedNoEdit')} />;
    if (view && !view.contentVisible) return <CannotEdit id={view.id} message={t('testimonies.notVisibleNoEdit')} />;
    if (view && view.status !== 'sealed' && !mayEditInPlace(view, session)) return <CannotEdit id={view.id} message={t('testimonies.notOwnDraft')} />;
    return <TestimonyForm view={view} />;
  }
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('testimonies.editHeading')}</h1>
      {loaded.state === 'loading' ? <p aria-live="polite">{t('app.loading')}</p> : <ErrorMessage error={loaded.error} />}
    </section>
  );
}

function CannotEdit({ id, message }: { id: string; message: string }) {
  const { t } = useTranslation();
  const { navigate } = useNavigation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('testimonies.editHeading')}</h1>
      <p className="notice">{message}</p>
      <button type="button" className="secondary" onClick={() => navigate({ name: 'testimony', id })}>
        {t('testimonies.backToTestimony')}
      </button>
    </section>
  );
}

const resolver: Resolver<TestimonyValues, unknown, TestimonyInput> = schemaResolver<TestimonyValues, typeof testimonyInputSchema>(testimonyInputSchema, testimonyToInput);

function TestimonyForm({ view }: { view: TestimonyView | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const { navigate } = useNavigation();
  const revising = view?.status === 'sealed';
  const form = useForm<TestimonyValues, unknown, TestimonyInput>({
    resolver,
    defaultValues: view ? testimonyToValues(view) : emptyTestimony(session.displayName),
    shouldFocusError: true,
  });
  const draft = useDraft(view ? `testimony:${view.id}` : 'testimony:new', form, view?.revision ?? null);
  const [savedId, setSavedId] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [invalidTick, setInvalidTick] = useState(0);
  const errorRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useUnsavedChangesGuard(form.formState.isDirty && savedId === null);

  // Navigate only after the guard above has been released by the render that saw savedId.
  useEffect(() => {
    if (savedId) navigate({ name: 'testimony', id: savedId });
  }, [savedId, navigate]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  // RHF focuses the first invalid field it holds a ref to; the person and place pickers give it none, so the
  // first invalid control in reading order is focused once the errors are rendered.
  useEffect(() => {
    if (invalidTick === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [invalidTick]);

  const save = async (input: TestimonyInput) => {
    setError(null);
    const r = !view
      ? await call('testimonies.create', { testimony: input })
      : revising
        ? await call('testimonies.revise', { id: view.id, expectedRevision: draft.baseRevision ?? view.revision, testimony: input })
        : await call('testimonies.update', { id: view.id, expectedRevision: draft.baseRevision ?? view.revision, testimony: input });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    await draft.clear();
    setSavedId(r.value.id);
  };

  const heading = !view ? t('testimonies.newHeading') : revising ? t('testimonies.reviseHeading') : t('testimonies.editHeading');
  const submitting = form.formState.isSubmitting;
  return (
    <section aria-labelledby="screen-heading" className="testimony-form">
      <h1 id="screen-heading">{heading}</h1>
      {view && revising ? <p className="notice">{t('testimonies.reviseNotice', { n: view.revision + 1 })}</p> : null}
      <DraftNotice draft={draft} />
      {error ? (
        <div ref={errorRef} tabIndex={-1} className="form-error">
          <ErrorMessage error={error} />
        </div>
      ) : null}
      <FormProvider {...form}>
        <form ref={formRef} aria-labelledby="screen-heading" noValidate onSubmit={(e) => void form.handleSubmit(save, () => setInvalidTick((n) => n + 1))(e)}>
          <TestimonyFields />
          <ViolationsEditor />
          <section aria-labelledby="consent-heading">
            <h2 id="consent-heading">{t('testimonies.sections.consent')}</h2>
            <ConsentFieldset prefix="consent" legend={t('testimonies.consentLegend')} />
          </section>
          <div className="actions">
            <button type="submit" disabled={submitting}>
              {submitting ? t('form.saving') : revising ? t('testimonies.saveRevision') : t('form.save')}
            </button>
            <button type="button" className="secondary" onClick={() => navigate(view ? { name: 'testimony', id: view.id } : { name: 'testimonies' })}>
              {t('form.cancel')}
            </button>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}
