// "Check the archive" (a director's or auditor's maintenance task): every part runs in main, followed here by polling
// into a progress bar, stoppable, ending with one pass or fail line per check worded from its codes and numbers.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { attachmentSkipReasons, type ArchiveCheck, type ArchiveCheckStatus } from '../../../../shared/maintenance/archive-check';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { useJob } from '../../lib/use-job';
import { ProgressBar } from '../../components/ProgressBar';

export function ArchiveCheckPanel() {
  const { t } = useTranslation();
  const headingId = useId();
  const { status, error, starting, running, start, cancel } = useJob<ArchiveCheckStatus>({
    start: () => call('maintenance.checkStart', {}),
    status: (jobId) => call('maintenance.checkStatus', { jobId }),
    cancel: (jobId) => call('maintenance.checkCancel', { jobId }),
  });
  const failed = status?.checks.filter((c) => !c.ok) ?? [];
  const ended = status !== null && status.state !== 'running';
  return (
    <section aria-labelledby={headingId} className="archive-check">
      <h2 id={headingId}>{t('maintenance.check.heading')}</h2>
      <p className="hint">{t('maintenance.check.intro')}</p>
      <div className="actions">
        <button type="button" disabled={running} onClick={() => void start()}>
          {t('maintenance.check.start')}
        </button>
        {status?.state === 'running' ? (
          <button type="button" className="secondary" onClick={() => void cancel()}>
            {t('maintenance.check.cancel')}
          </button>
        ) : null}
      </div>
      {status ? (
        <ProgressBar label={t('maintenance.check.progressLabel')} now={status.done} max={status.total} text={t('maintenance.check.progress', { done: status.done, total: status.total })} />
      ) : null}
      <p className="notice-line" role="status">
        {starting ? t('maintenance.check.starting') : status ? <StatusLine status={status} failed={failed.length} /> : null}
      </p>
      <ErrorMessage error={error ?? (status?.state === 'failed' ? status.error : null)} />
      {status && status.checks.length > 0 ? (
        // A finished check with failures is an alert; passing lines and a running list are not news to interrupt.
        <div role={ended && failed.length > 0 ? 'alert' : undefined} className={ended ? (failed.length > 0 ? 'verify-result verify-bad' : 'verify-result verify-ok') : undefined}>
          <h3>{t('maintenance.check.resultsHeading')}</h3>
          <ul className="check-list">
            {status.checks.map((c) => (
              <CheckLine key={c.name} check={c} />
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function StatusLine({ status: s, failed }: { status: ArchiveCheckStatus; failed: number }) {
  const { t } = useTranslation();
  switch (s.state) {
    case 'running':
      return <>{s.part ? `${t(`maintenance.check.part.${s.part}`)} ${t('maintenance.check.progress', { done: s.done, total: s.total })}` : t('maintenance.check.starting')}</>;
    case 'finished':
      return <>{failed === 0 ? t('maintenance.check.finishedOk') : t('maintenance.check.finishedBad', { failed, total: s.checks.length })}</>;
    case 'cancelled':
      return <>{t('maintenance.check.cancelled')}</>;
    case 'failed':
      return <>{t('maintenance.check.failed')}</>;
  }
}

/** One check: pass or fail, its name, and its detail worded from the code and numbers main sent. */
function CheckLine({ check: c }: { check: ArchiveCheck }) {
  const { t } = useTranslation();
  // "Entry 5 does not follow entry 4": the previous position is derived here, main sends only the one it found.
  const params = { ...c.params, ...(c.params['position'] !== undefined ? { previous: c.params['position'] - 1 } : {}) };
  const skipped = attachmentSkipReasons
    .map((reason) => ({ reason, n: c.params[reason === 'no-key' ? 'skippedNoKey' : 'skippedNotShared'] ?? 0 }))
    .filter((s) => s.n > 0);
  return (
    <li className={c.ok ? 'check-pass' : 'check-fail'}>
      <strong>{c.ok ? t('maintenance.check.pass') : t('maintenance.check.fail')}</strong> — {t(`maintenance.check.name.${c.name}`)}: {t(`maintenance.check.detail.${c.detail}`, params)}
      {skipped.map((s) => (
        <span key={s.reason}> {t(`maintenance.check.skipped.${s.reason}`, { n: s.n })}</span>
      ))}
      {c.damaged.length > 0 ? (
        <ul className="damaged-list">
          {c.damaged.map((d) => (
            <li key={d.id}>{t('maintenance.check.damagedItem', { id: d.id, reason: t(`attachments.checkAll.reason.${d.reason}`) })}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
