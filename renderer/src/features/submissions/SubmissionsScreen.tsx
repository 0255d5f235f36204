// The submissions area: recipients and the archive key, a new submission (directors), the log, and opening a bundle.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllowed } from '../../app/session-context';
import { ArchiveKeyPanel } from './ArchiveKeyPanel';
import { BundlePanel } from './BundlePanel';
import { NewSubmissionPanel } from './NewSubmissionPanel';
import { RecipientsPanel } from './RecipientsPanel';
import { SubmissionLogPanel } from './SubmissionLogPanel';

type Section = 'recipients' | 'new' | 'log' | 'open';

export function SubmissionsScreen() {
  const { t } = useTranslation();
  const allowed: Record<Section, boolean> = {
    recipients: useAllowed('recipients.list'),
    new: useAllowed('submissions.preview'),
    log: useAllowed('submissions.log'),
    open: useAllowed('bundles.open'),
  };
  const mayKey = useAllowed('submissions.archiveKey');
  const sections = (['new', 'recipients', 'log', 'open'] as const).filter((s) => allowed[s]);
  const [section, setSection] = useState<Section>(sections[0] ?? 'log');
  // Every section stays mounted (hidden when not shown): an export keeps its progress, a bundle stays open.
  return (
    <section aria-labelledby="screen-heading" className="submissions-screen">
      <h1 id="screen-heading">{t('submissions.heading')}</h1>
      <p className="hint">{t('submissions.intro')}</p>
      <nav aria-label={t('submissions.sections.label')} className="sub-nav">
        <ul>
          {sections.map((s) => (
            <li key={s}>
              <button type="button" className="nav-link" aria-current={section === s ? 'true' : undefined} onClick={() => setSection(s)}>
                {t(`submissions.sections.${s}`)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {allowed.new ? (
        <div hidden={section !== 'new'}>
          <NewSubmissionPanel active={section === 'new'} />
        </div>
      ) : null}
      {allowed.recipients ? (
        <div hidden={section !== 'recipients'}>
          <RecipientsPanel />
          {mayKey ? <ArchiveKeyPanel /> : null}
        </div>
      ) : null}
      {allowed.log ? (
        <div hidden={section !== 'log'}>
          <SubmissionLogPanel active={section === 'log'} />
        </div>
      ) : null}
      {allowed.open ? (
        <div hidden={section !== 'open'}>
          <BundlePanel />
        </div>
      ) : null}
    </section>
  );
}
