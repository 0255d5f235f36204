// Tells the user a draft was kept (restore or discard it) and when the form was last autosaved.
import { useTranslation } from 'react-i18next';
import type { DraftState } from './use-draft';

export function DraftNotice({ draft }: { draft: DraftState }) {
  const { t, i18n } = useTranslation();
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  return (
    <>
      {draft.offered ? (
        <div className="notice" role="status">
          <p>{t('drafts.found', { time: time(draft.offered.savedAt) })}</p>
          {draft.offered.stale ? <p className="warning">{t('drafts.stale')}</p> : null}
          <div className="actions">
            <button type="button" onClick={draft.restore}>
              {t('drafts.restore')}
            </button>
            <button type="button" className="secondary" onClick={() => void draft.discard()}>
              {t('drafts.discard')}
            </button>
          </div>
        </div>
      ) : null}
      <p className="hint" aria-live="polite">
        {draft.savedAt ? t('drafts.saved', { time: new Date(draft.savedAt).toLocaleTimeString(i18n.language) }) : ''}
      </p>
    </>
  );
}
