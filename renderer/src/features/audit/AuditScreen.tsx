// The auditor's screen: verify the log, check the whole archive or only the attachment files, read and filter its entries, and the counts needed to audit consent.
import { useTranslation } from 'react-i18next';
import { useAllowed } from '../../app/session-context';
import { IntegrityCheckPanel } from '../attachments/IntegrityCheckPanel';
import { ArchiveCheckPanel } from '../maintenance/ArchiveCheckPanel';
import { AuditEntries } from './AuditEntries';
import { OverviewPanel } from './OverviewPanel';
import { VerifyPanel } from './VerifyPanel';

export function AuditScreen() {
  const { t } = useTranslation();
  const mayList = useAllowed('audit.list');
  const mayVerify = useAllowed('audit.verify');
  const mayOverview = useAllowed('audit.overview');
  const mayCheckFiles = useAllowed('attachments.verifyAllStart');
  const mayCheckArchive = useAllowed('maintenance.checkStart');
  return (
    <section aria-labelledby="screen-heading" className="audit-screen">
      <h1 id="screen-heading">{t('audit.heading')}</h1>
      <p className="hint">{t('audit.intro')}</p>
      {mayVerify ? <VerifyPanel /> : null}
      {mayCheckArchive ? <ArchiveCheckPanel /> : null}
      {mayCheckFiles ? <IntegrityCheckPanel /> : null}
      {mayList ? <AuditEntries /> : null}
      {mayOverview ? <OverviewPanel /> : null}
    </section>
  );
}
