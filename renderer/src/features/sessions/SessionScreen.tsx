// One round table or peace table, read-only, with follow-up statuses changeable in place by editors.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SessionView } from '../../../../shared/ipc/contract';
import type { FollowUpStatus } from '../../../../shared/records/session-schemas';
import { useNavigation } from '../../app/navigation';
import { useAllowed, useSession } from '../../app/session-context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { AttachmentsPanel } from '../attachments/AttachmentsPanel';
import { GrantsPanel } from '../grants/GrantsPanel';
import { useReference } from '../../lib/reference';
import { SessionFollowUps } from './SessionFollowUps';
import { SessionParticipants } from './SessionParticipants';

type Pending = { followUpId: string; status: FollowUpStatus };

export function SessionScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const ref = useReference();
  const { navigate } = useNavigation();
  const user = useSession();
  const canEdit = useAllowed('sessions.update');
  const [view, setView] = useState<SessionView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);

  const load = useCallback(async () => {
    const r = await call('sessions.get', { id });
    if (r.ok) setView(r.value);
    else setError(r.error);
    return r.ok;
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const changeStatus = async (followUpId: string, status: FollowUpStatus) => {
    if (!view || pending) return;
    setPending({ followUpId, status });
    setError(null);
    setNotice('');
    const r = await call('sessions.setFollowUpStatus', { id, followUpId, status, expectedRevision: view.revision });
    setPending(null);
    if (r.ok) {
      setView(r.value);
      setNotice(t('sessions.statusSaved'));
    } else if (r.error.code === 'RECORD_CONFLICT') {
      // Someone saved the session meanwhile: show their version, and say the change was not applied.
      if (await load()) setNotice(t('sessions.conflictReloaded'));
    } else {
      setError(r.error);
    }
  };

  if (!view) {
    return (
      <section aria-labelledby="screen-heading">
        <h1 id="screen-heading">{t('sessions.viewHeading')}</h1>
        {error ? <ErrorMessage error={error} /> : <p aria-live="polite">{t('app.loading')}</p>}
      </section>
    );
  }

  // Main lets a director edit any session and a recorder their own; the buttons follow the same rule.
  const mayEdit = canEdit && view.contentVisible && (user.role === 'director' || view.createdBy === user.userId);
  const followUps = view.followUps.map((f) => (pending?.followUpId === f.id ? { ...f, status: pending.status } : f));
  return (
    <article aria-labelledby="screen-heading" className="session-view">
      <p className="kicker">{t(`sessions.kind.${view.kind}`)}</p>
      <h1 id="screen-heading">{view.title}</h1>
      <div className="actions">
        {mayEdit ? (
          <button type="button" onClick={() => navigate({ name: 'session-edit', id })}>
            {t('sessions.edit')}
          </button>
        ) : null}
        <button type="button" className="secondary" onClick={() => navigate({ name: 'history', kind: 'session', id })}>
          {t('sessions.history')}
        </button>
      </div>
      <ErrorMessage error={error} />
      <p className="notice-line" role="status">
        {notice}
      </p>
      {!view.contentVisible ? <p className="notice">{t('sessions.contentHidden')}</p> : null}
      <dl className="record-facts">
        <dt>{t('sessions.statusLabel')}</dt>
        <dd>{t(`sessions.status.${view.status}`)}</dd>
        <dt>{t('sessions.date')}</dt>
        <dd>{view.date}</dd>
        <dt>{t('sessions.place')}</dt>
        <dd>{view.placeId ? ref.placeName(view.placeId) : '—'}</dd>
        <dt>{t('sessions.facilitators')}</dt>
        <dd>{view.facilitators.length > 0 ? view.facilitators.join(', ') : '—'}</dd>
        <dt>{t('sessions.sensitivity')}</dt>
        <dd>{t(view.sensitivity === 'restricted' ? 'sessions.sensitivityRestricted' : 'sessions.sensitivityNormal')}</dd>
      </dl>
      <section aria-labelledby="participants-heading">
        <h2 id="participants-heading">{t('sessions.participants')}</h2>
        <SessionParticipants participants={view.participants} />
      </section>
      <TextSection id="agenda" title={t('sessions.agenda')} text={view.agenda} />
      {view.contentVisible ? (
        <>
          <TextSection id="minutes" title={t('sessions.minutes')} text={view.minutes} />
          <TextSection id="outcomes" title={t('sessions.outcomes')} text={view.outcomes} />
        </>
      ) : null}
      <section aria-labelledby="follow-ups-heading">
        <h2 id="follow-ups-heading">{t('sessions.followUps')}</h2>
        <SessionFollowUps followUps={followUps} onStatus={mayEdit ? (f, s) => void changeStatus(f, s) : null} />
      </section>
      <AttachmentsPanel ownerKind="session" ownerId={id} authorId={view.createdBy} />
      <GrantsPanel kind="session" id={id} restricted={view.sensitivity === 'restricted'} />
    </article>
  );
}

function TextSection({ id, title, text }: { id: string; title: string; text: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {text ? <p className="prose">{text}</p> : <p className="hint">{t('sessions.nothingRecorded')}</p>}
    </section>
  );
}
