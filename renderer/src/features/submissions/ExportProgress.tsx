// A running export followed by polling main: progress bar with the phase, Cancel, then the result or the error.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { ExportStatusView } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { lastPathPart } from './format';
import { ProgressBar } from '../../components/ProgressBar';

const pollMs = 250;

export function ExportProgress({ jobId, onEnded }: { jobId: string; onEnded: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ExportStatusView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const poll = useCallback(async () => {
    const r = await call('submissions.exportStatus', { jobId });
    if (!r.ok) {
      setError(r.error);
      onEnded();
      return;
    }
    setStatus(r.value);
    if (r.value.state === 'running') timer.current = setTimeout(() => void poll(), pollMs);
    else onEnded();
  }, [jobId, onEnded]);

  // Leaving stops asking; the export goes on in main until it ends or is cancelled.
  useEffect(() => {
    void poll();
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [poll]);

  const cancel = async () => {
    const r = await call('submissions.exportCancel', { jobId });
    if (!r.ok) setError(r.error);
  };

  const percent = status && status.totalBytes > 0 ? Math.min(100, Math.round((status.doneBytes / status.totalBytes) * 100)) : status?.state === 'finished' ? 100 : 0;
  const phase = status ? t(`submissions.export.phase.${status.phase}`) : t('submissions.export.phase.preparing');
  const result = status?.state === 'finished' ? status.result : null;

  return (
    <div className="export-progress">
      <h3>{t('submissions.export.heading')}</h3>
      <ProgressBar label={t('submissions.export.progressLabel')} now={percent} text={t('submissions.export.progress', { phase, percent })} />
      <p className="notice-line" role="status">
        {status?.state === 'running' || !status ? t('submissions.export.progress', { phase, percent }) : null}
        {status?.state === 'cancelled' ? t('submissions.export.cancelled') : null}
        {status?.state === 'failed' ? t('submissions.export.failed') : null}
        {result ? t('submissions.export.finished', { sequence: result.sequence }) : null}
      </p>
      {!status || status.state === 'running' ? (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void cancel()}>
            {t('submissions.export.cancel')}
          </button>
        </div>
      ) : null}
      <ErrorMessage error={error ?? (status?.state === 'failed' ? status.error : null)} />
      {result ? (
        <dl className="export-result">
          <dt>{t('submissions.export.sequence')}</dt>
          <dd>{result.sequence}</dd>
          <dt>{t('submissions.export.folder')}</dt>
          <dd>
            <code>{lastPathPart(result.destination)}</code>
          </dd>
          <dt>{t('submissions.export.records')}</dt>
          <dd>{t('submissions.export.recordCounts', { records: result.counts.records, testimonies: result.counts.testimonies, sessions: result.counts.sessions })}</dd>
          <dt>{t('submissions.export.identities')}</dt>
          <dd>{t('submissions.export.identityCounts', { named: result.counts.named, pseudonymised: result.counts.pseudonymised })}</dd>
          <dt>{t('submissions.export.excluded')}</dt>
          <dd>{result.counts.excluded}</dd>
          <dt>{t('submissions.export.attachments')}</dt>
          <dd>{result.counts.attachments}</dd>
          <dt>{t('submissions.export.keyId')}</dt>
          <dd>
            <code className="fingerprint">{result.keyId}</code>
          </dd>
        </dl>
      ) : null}
    </div>
  );
}
