// "Make a backup": what a backup holds and where it should go, the folder chosen in main's dialog, then its progress.
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { BackupProgress } from './BackupProgress';

export function MakeBackupPanel({ onEnded }: { onEnded: () => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [jobId, setJobId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [noFolder, setNoFolder] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const start = async () => {
    setError(null);
    setNoFolder(false);
    setStarting(true);
    const r = await call('backups.start', {});
    setStarting(false);
    if (!r.ok) return setError(r.error);
    if (r.value.jobId === null) return setNoFolder(true);
    setRunning(true);
    setJobId(r.value.jobId);
  };

  const ended = useCallback(() => {
    setRunning(false);
    onEnded();
  }, [onEnded]);

  return (
    <section aria-labelledby={headingId} className="card make-backup">
      <h2 id={headingId}>{t('backups.make.heading')}</h2>
      <p>{t('backups.make.holds')}</p>
      <p className="notice">{t('backups.make.where')}</p>
      <div className="actions">
        <button type="button" disabled={starting || running} onClick={() => void start()}>
          {t('backups.make.start')}
        </button>
      </div>
      {noFolder ? <p role="status">{t('backups.make.noFolder')}</p> : null}
      <ErrorMessage error={error} />
      {jobId !== null ? <BackupProgress key={jobId} jobId={jobId} onEnded={ended} /> : null}
    </section>
  );
}
