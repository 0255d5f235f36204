// A running backup followed by polling main: progress bar with the phase, files and bytes, Cancel (after asking),
// then the result or the error.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { BackupStatusView } from '../../../../shared/ipc/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { humanSize } from '../attachments/format';
import { ProgressBar } from '../../components/ProgressBar';

const pollMs = 250;

export function BackupProgress({ jobId, onEnded }: { jobId: string; onEnded: () => void }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<BackupStatusView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [asking, setAsking] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const poll = useCallback(async () => {
    const r = await call('backups.status', { jobId });
    if (!r.ok) {
      setError(r.error);
      onEnded();
      return;
    }
    setStatus(r.value);
    if (r.value.state === 'running') timer.current = setTimeout(() => void poll(), pollMs);
    else {
      setAsking(false);
      onEnded();
    }
  }, [jobId, onEnded]);

  // Leaving stops asking; the backup goes on in main until it ends, is cancelled or the archive locks.
  useEffect(() => {
    void poll();
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [poll]);

  const cancel = async () => {
    setAsking(false);
    const r = await call('backups.cancel', { jobId });
    if (!r.ok) setError(r.error);
  };

  const size = (n: number) => humanSize(n, i18n.language);
  const running = !status || status.state === 'running';
  const percent = status?.state === 'finished' ? 100 : status && status.totalBytes > 0 ? Math.min(100, Math.round((status.doneBytes / status.totalBytes) * 100)) : 0;
  const progressText = t('backups.make.progress', {
    phase: t(`backups.make.phase.${status?.phase ?? 'preparing'}`),
    doneFiles: status?.doneFiles ?? 0,
    totalFiles: status?.totalFiles ?? 0,
    doneSize: size(status?.doneBytes ?? 0),
    totalSize: size(status?.totalBytes ?? 0),
    percent,
  });
  const result = status?.state === 'finished' ? status.result : null;

  return (
    <div className="export-progress backup-progress">
      <h3>{running ? t('backups.make.progressHeading') : t('backups.make.resultHeading')}</h3>
      <ProgressBar label={t('backups.make.progressLabel')} now={percent} text={progressText} />
      <p className="notice-line" role="status">
        {running ? progressText : null}
        {status?.state === 'cancelled' ? t('backups.make.cancelled') : null}
        {status?.state === 'failed' ? t('backups.make.failed') : null}
        {result ? t('backups.make.finished') : null}
      </p>
      {running ? (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setAsking(true)}>
            {t('backups.make.cancel')}
          </button>
        </div>
      ) : null}
      {asking && running ? (
        <ConfirmDialog
          title={t('backups.make.cancelTitle')}
          body={t('backups.make.cancelBody')}
          confirmLabel={t('backups.make.cancelConfirm')}
          cancelLabel={t('backups.make.cancelKeep')}
          onConfirm={() => void cancel()}
          onCancel={() => setAsking(false)}
        />
      ) : null}
      <ErrorMessage error={error ?? (status?.state === 'failed' ? status.error : null)} />
      {result ? (
        <dl className="export-result backup-result">
          <dt>{t('backups.make.folder')}</dt>
          <dd>
            <code className="folder">{result.folder}</code>
          </dd>
          <dt>{t('backups.make.size')}</dt>
          <dd>{size(result.bytes)}</dd>
          <dt>{t('backups.make.files')}</dt>
          <dd>{result.files}</dd>
          <dt>{t('backups.make.copied')}</dt>
          <dd>{result.attachmentsCopied}</dd>
          <dt>{t('backups.make.reused')}</dt>
          <dd>{result.attachmentsReused}</dd>
          <dt>{t('backups.make.keyId')}</dt>
          <dd>
            <code className="fingerprint">{result.keyId}</code>
          </dd>
        </dl>
      ) : null}
    </div>
  );
}
