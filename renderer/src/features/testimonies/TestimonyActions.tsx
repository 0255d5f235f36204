// What the signed-in user may do with one testimony: edit, mark reviewed, seal (after confirming), revise, history.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { TestimonyView } from '../../../../shared/ipc/contract';
import { useNavigation } from '../../app/navigation';
import { useAllowed, useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { mayEditInPlace } from './testimony-permissions';

type Props = {
  view: TestimonyView;
  /** A transition was saved: the new state and what to announce. */
  onChanged: (view: TestimonyView, announcement: string) => void;
  /** Someone else changed the testimony since it was loaded: reload it. */
  onConflict: () => void;
};

export function TestimonyActions({ view, onChanged, onConflict }: Props) {
  const { t } = useTranslation();
  const { navigate } = useNavigation();
  const session = useSession();
  const mayEdit = useAllowed('testimonies.update');
  const mayReview = useAllowed('testimonies.review');
  const [confirmSeal, setConfirmSeal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const canEdit = mayEditInPlace(view, session);

  const transition = async (method: 'testimonies.review' | 'testimonies.seal', announcement: string) => {
    setBusy(true);
    setError(null);
    const r = await call(method, { id: view.id, expectedRevision: view.revision });
    setBusy(false);
    if (r.ok) onChanged(r.value, announcement);
    else if (r.error.code === 'RECORD_CONFLICT') onConflict();
    else setError(r.error);
  };

  return (
    <>
      <div className="actions">
        {canEdit ? (
          <button type="button" onClick={() => navigate({ name: 'testimony-edit', id: view.id })}>
            {t('testimonies.actions.edit')}
          </button>
        ) : null}
        {mayReview && view.status === 'draft' ? (
          <button type="button" disabled={busy} onClick={() => void transition('testimonies.review', t('testimonies.reviewedDone'))}>
            {t('testimonies.actions.review')}
          </button>
        ) : null}
        {mayReview && view.status === 'reviewed' ? (
          <button type="button" disabled={busy} onClick={() => setConfirmSeal(true)}>
            {t('testimonies.actions.seal')}
          </button>
        ) : null}
        {mayReview && view.status === 'sealed' && view.contentVisible ? (
          <button type="button" onClick={() => navigate({ name: 'testimony-edit', id: view.id })}>
            {t('testimonies.actions.revise')}
          </button>
        ) : null}
        <button type="button" className="secondary" onClick={() => navigate({ name: 'history', kind: 'testimony', id: view.id })}>
          {t('testimonies.actions.history')}
        </button>
      </div>
      {mayEdit && !mayReview && view.status === 'sealed' ? <p className="hint">{t('testimonies.sealedNoEdit')}</p> : null}
      <ErrorMessage error={error} />
      {confirmSeal ? (
        <ConfirmDialog
          title={t('testimonies.seal.title')}
          body={t('testimonies.seal.body')}
          confirmLabel={t('testimonies.seal.confirm')}
          cancelLabel={t('form.cancel')}
          onConfirm={() => {
            setConfirmSeal(false);
            void transition('testimonies.seal', t('testimonies.sealedDone'));
          }}
          onCancel={() => setConfirmSeal(false)}
        />
      ) : null}
    </>
  );
}
