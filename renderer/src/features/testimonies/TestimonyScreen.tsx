// One testimony, read-only, with the actions the user's role allows (edit, review, seal, revise, history).
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { TestimonyView } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ConsentSummary } from '../../components/form/ConsentFieldset';
import { call } from '../../lib/archive-client';
import { AttachmentsPanel } from '../attachments/AttachmentsPanel';
import { GrantsPanel } from '../grants/GrantsPanel';
import { useReference } from '../../lib/reference';
import { StatusBadge } from './StatusBadge';
import { TestimonyActions } from './TestimonyActions';
import { usePersonNames } from './use-person-names';
import { ViolationsTable } from './ViolationsTable';

type Loaded = { state: 'loading' } | { state: 'failed'; error: ErrorInfo } | { state: 'ready'; view: TestimonyView };

export function TestimonyScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [announcement, setAnnouncement] = useState('');

  const load = useCallback(async () => {
    const r = await call('testimonies.get', { id });
    setLoaded(r.ok ? { state: 'ready', view: r.value } : { state: 'failed', error: r.error });
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="screen-heading" className="testimony-view">
      {loaded.state === 'ready' ? (
        <TestimonyDetails
          view={loaded.view}
          actions={
            <TestimonyActions
              view={loaded.view}
              onChanged={(view, said) => {
                setLoaded({ state: 'ready', view });
                setAnnouncement(said);
              }}
              onConflict={() => {
                setAnnouncement(t('testimonies.conflictReloaded'));
                void load();
              }}
            />
          }
        />
      ) : (
        <>
          <h1 id="screen-heading">{t('testimonies.viewHeading')}</h1>
          {loaded.state === 'loading' ? <p>{t('app.loading')}</p> : <ErrorMessage error={loaded.error} />}
        </>
      )}
      <p className="notice-live" role="status">
        {announcement}
      </p>
    </section>
  );
}

function TestimonyDetails({ view, actions }: { view: TestimonyView; actions: ReactNode }) {
  const { t } = useTranslation();
  const ref = useReference();
  const personName = usePersonNames([view.deponentId, ...view.violations.map((v) => v.victimId)]);
  const none = t('testimonies.notRecorded');
  const groups = view.affectedGroups.map((g) => ref.label('affectedGroups', g)).join(', ');
  // What a segment of a recording can be linked to: each violation by its act and victim.
  const linkable = view.violations.map((v) => ({ id: v.id, label: t('attachments.segments.violationLabel', { act: ref.label('actTypes', v.actType), victim: personName(v.victimId) }) }));
  return (
    <>
      <h1 id="screen-heading">{view.title}</h1>
      <p className="record-meta">
        <StatusBadge status={view.status} /> · {t('testimonies.revision', { n: view.revision })}
        {view.sealedRevision !== null && view.status !== 'sealed' ? ` · ${t('testimonies.lastSealed', { n: view.sealedRevision })}` : null}
      </p>
      {actions}
      {view.contentVisible ? null : <p className="notice">{t('testimonies.notVisible')}</p>}
      <dl className="record-fields">
        <dt>{t('testimonies.fields.deponent')}</dt>
        <dd>{personName(view.deponentId)}</dd>
        <dt>{t('testimonies.fields.interpreter')}</dt>
        <dd>{view.interpreter ?? none}</dd>
        <dt>{t('testimonies.fields.language')}</dt>
        <dd>{ref.label('languages', view.language)}</dd>
        <dt>{t('testimonies.fields.mode')}</dt>
        <dd>{ref.label('testimonyModes', view.mode)}</dd>
        <dt>{t('testimonies.fields.date')}</dt>
        <dd>{view.date ?? none}</dd>
        <dt>{t('testimonies.fields.place')}</dt>
        <dd>{view.placeId ? ref.placeName(view.placeId) : none}</dd>
        <dt>{t('testimonies.fields.affectedGroups')}</dt>
        <dd>{groups || none}</dd>
        <dt>{t('testimonies.fields.sensitivity')}</dt>
        <dd>{t(`testimonies.sensitivity.${view.sensitivity}`)}</dd>
      </dl>
      {view.contentVisible ? (
        <section aria-labelledby="narrative-heading">
          <h2 id="narrative-heading">{t('testimonies.fields.narrative')}</h2>
          {view.narrative ? <div className="narrative">{view.narrative}</div> : <p>{none}</p>}
        </section>
      ) : null}
      <section aria-labelledby="violations-view-heading">
        <h2 id="violations-view-heading">{t('testimonies.violations.heading')}</h2>
        <ViolationsTable violations={view.violations} personName={personName} labelledBy="violations-view-heading" />
      </section>
      <section aria-labelledby="consent-view-heading">
        <h2 id="consent-view-heading">{t('testimonies.sections.consent')}</h2>
        <ConsentSummary consent={view.consent} />
      </section>
      <AttachmentsPanel ownerKind="testimony" ownerId={view.id} authorId={view.takerId} violations={linkable} />
      <GrantsPanel kind="testimony" id={view.id} restricted={view.sensitivity === 'restricted'} />
    </>
  );
}
