// The check of every attachment at once (a director's or auditor's maintenance task): started in main, followed
// here by polling its status into a progress bar, stoppable, and ending with the damaged files named.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckStatus } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { useJob } from '../../lib/use-job';
import { ProgressBar } from '../../components/ProgressBar';

export function IntegrityCheckPanel() {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const { status, error, running, start, cancel } = useJob<CheckStatus>({
    start: () => call('attachments.verifyAllStart', {}),
    status: (jobId) => call('attachments.verifyAllStatus', { jobId }),
    cancel: (jobId) => call('attachments.verifyAllCancel', { jobId }),
  });
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const nameOf = (d: CheckStatus['damaged'][number]) =>
    d.source === 'recording' ? t('attachments.recordingName', { date: when(d.createdAt) }) : (d.name ?? t('attachments.hiddenName'));

  return (
    <section aria-labelledby={headingId} className="integrity-check">
      <h2 id={headingId}>{t('attachments.checkAll.heading')}</h2>
      <p className="hint">{t('attachments.checkAll.intro')}</p>
      <div className="actions">
        <button type="button" disabled={running} onClick={() => void start()}>
          {t('attachments.checkAll.start')}
        </button>
        {status?.state === 'running' ? (
          <button type="button" className="secondary" onClick={() => void cancel()}>
            {t('attachments.checkAll.cancel')}
          </button>
        ) : null}
      </div>
      {status ? (
        <ProgressBar label={t('attachments.checkAll.progressLabel')} now={status.done} max={status.total} text={t('attachments.checkAll.progress', { done: status.done, total: status.total })} percent={status.total === 0 ? 100 : Math.round((status.done / status.total) * 100)} />
      ) : null}
      <p className="notice-line" role="status">
        {status ? <StatusLine status={status} /> : null}
      </p>
      <ErrorMessage error={error ?? (status?.state === 'failed' ? status.error : null)} />
      {status && status.state !== 'running' && status.damaged.length === 0 && status.checked > 0 ? <p>{t('attachments.checkAll.noneDamaged')}</p> : null}
      {status && status.damaged.length > 0 ? (
        <div role={status.state === 'running' ? undefined : 'alert'}>
          <h3>{t('attachments.checkAll.damagedHeading', { n: status.damaged.length })}</h3>
          <ul className="damaged-list">
            {status.damaged.map((d) => (
              <li key={d.id}>
                <strong>{nameOf(d)}</strong> — {t(`attachments.checkAll.record.${d.recordKind}`)} · {t(`attachments.checkAll.reason.${d.reason}`)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function StatusLine({ status: s }: { status: CheckStatus }) {
  const { t } = useTranslation();
  switch (s.state) {
    case 'running':
      return <>{t('attachments.checkAll.progress', { done: s.done, total: s.total })}</>;
    case 'finished':
      return <>{t('attachments.checkAll.finished', { checked: s.checked, skipped: s.skipped, damaged: s.damaged.length })}</>;
    case 'cancelled':
      return <>{t('attachments.checkAll.cancelled', { done: s.done, total: s.total })}</>;
    case 'failed':
      return <>{t('attachments.checkAll.failed', { done: s.done, total: s.total })}</>;
  }
}
