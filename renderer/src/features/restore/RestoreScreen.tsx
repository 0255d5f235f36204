// Restore from a backup (no-archive and sign-in screens): main's dialogs pick the backup and where the new folder
// goes, the copy runs in main while this page polls, then a user's passphrase opens and checks the restored copy.
import { Fragment, useCallback, useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { limits } from '../../../../shared/domain/limits';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/TextField';
import { call } from '../../lib/archive-client';
import { humanSize } from '../attachments/format';
import { ProgressBar } from '../../components/ProgressBar';

type Props = { onBack: () => void; onRestored: () => Promise<void> };
type Status = MethodOutput<'restore.status'>;
type Verified = MethodOutput<'restore.verify'>;

const pollMs = 250;
/** The record counts shown after a successful check (the manifest counts more tables than a user cares about). */
const shownCounts = ['users', 'persons', 'testimonies', 'attachments', 'audit_log'] as const;

export function RestoreScreen({ onBack, onRestored }: Props) {
  const { t, i18n } = useTranslation();
  const [jobId, setJobId] = useState<string | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [starting, setStarting] = useState(false);
  const [noFolder, setNoFolder] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<Verified | null>(null);
  /** Set when the check itself failed: main removed the restored folder. */
  const [checkFailed, setCheckFailed] = useState(false);
  const [asking, setAsking] = useState(false);
  const [discarded, setDiscarded] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const poll = useCallback(async (id: string) => {
    const r = await call('restore.status', { jobId: id });
    if (!r.ok) {
      // The job is gone (main restarted, or it was never ours): back to the start, with the reason.
      setJobId(null);
      setStatus(null);
      return setError(r.error);
    }
    setStatus(r.value);
    if (r.value.state === 'running') timer.current = setTimeout(() => void poll(id), pollMs);
  }, []);

  // Leaving stops the polling; main finishes the copy, and an unverified copy is never used.
  useEffect(() => {
    if (jobId !== null) void poll(jobId);
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [jobId, poll]);

  const reset = () => {
    setJobId(null);
    setStatus(null);
    setError(null);
    setNoFolder(false);
    setCheckFailed(false);
    setDiscarded(false);
    setUsername('');
    setPassphrase('');
  };

  const start = async () => {
    reset();
    setStarting(true);
    const r = await call('restore.start', {});
    setStarting(false);
    if (!r.ok) return setError(r.error);
    if (r.value.jobId === null) return setNoFolder(true);
    setJobId(r.value.jobId);
  };

  const verify = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (jobId === null) return;
    setError(null);
    setVerifying(true);
    const r = await call('restore.verify', { jobId, username, passphrase });
    setVerifying(false);
    // The passphrase is never kept after an attempt, right or wrong.
    setPassphrase('');
    if (r.ok) return setVerified(r.value);
    setError(r.error);
    if (r.error.code === 'RESTORE_CHECK_FAILED') setCheckFailed(true);
  };

  const discard = async () => {
    setAsking(false);
    if (jobId === null) return;
    const r = await call('restore.discard', { jobId });
    if (!r.ok) return setError(r.error);
    setError(null);
    setDiscarded(true);
  };

  const state = discarded ? 'discarded' : checkFailed ? 'failed' : (status?.state ?? null);
  // Each step replaces the buttons that led to it: focus goes to the step's heading so it is not lost.
  const step = verified ? 'verified' : (state ?? 'start');
  useEffect(() => heading.current?.focus(), [step]);

  if (verified)
    return (
      <section aria-labelledby="restore-heading" className="card">
        <h1 id="restore-heading" ref={heading} tabIndex={-1}>
          {t('restore.verifiedHeading')}
        </h1>
        <p role="status">{t('restore.verified')}</p>
        <dl className="export-result restore-counts">
          {shownCounts.map((k) => (
            <Fragment key={k}>
              <dt>{t(`restore.counts.${k}`)}</dt>
              <dd>{verified.counts[k] ?? 0}</dd>
            </Fragment>
          ))}
        </dl>
        <p>{t('restore.nowUsed')}</p>
        <div className="actions">
          <button type="button" onClick={() => void onRestored()}>
            {t('restore.continue')}
          </button>
        </div>
      </section>
    );

  const size = (n: number) => humanSize(n, i18n.language);
  const percent = state === 'running' ? (status && status.totalBytes > 0 ? Math.min(100, Math.round((status.doneBytes / status.totalBytes) * 100)) : 0) : 100;
  const progressText = t('restore.progress', {
    phase: t(`restore.phase.${status?.phase ?? 'checking'}`),
    doneFiles: status?.doneFiles ?? 0,
    totalFiles: status?.totalFiles ?? 0,
    doneSize: size(status?.doneBytes ?? 0),
    totalSize: size(status?.totalBytes ?? 0),
    percent,
  });
  const ended = state === 'failed' || state === 'discarded';
  const idle = jobId === null || ended;

  return (
    <section aria-labelledby="restore-heading" className="card">
      <h1 id="restore-heading" ref={step === 'restored' ? undefined : heading} tabIndex={-1}>
        {t('restore.heading')}
      </h1>
      {jobId === null ? (
        <>
          <p>{t('restore.intro')}</p>
          <p className="notice">{t('restore.dialogs')}</p>
        </>
      ) : null}
      {jobId !== null && (state === null || state === 'running') ? (
        <div className="export-progress">
          <h2>{t('restore.progressHeading')}</h2>
          <ProgressBar label={t('restore.progressLabel')} now={percent} text={progressText} />
          <p className="notice-line" role="status">
            {progressText}
          </p>
        </div>
      ) : null}
      {state === 'restored' && status ? (
        <form onSubmit={(e) => void verify(e)} noValidate aria-labelledby="restore-verify-heading">
          <h2 id="restore-verify-heading" ref={heading} tabIndex={-1}>
            {t('restore.verifyHeading')}
          </h2>
          <p role="status">{t('restore.restored', { files: status.totalFiles, size: size(status.totalBytes) })}</p>
          {status.backup ? <p className="hint">{t('restore.backupMade', { date: new Date(status.backup.createdAt).toLocaleString(i18n.language) })}</p> : null}
          <p>{t('restore.verifyIntro')}</p>
          <TextField
            label={t('restore.username')}
            name="restore-username"
            autoComplete="off"
            required
            maxLength={limits.usernameMax}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <TextField
            label={t('restore.passphrase')}
            name="restore-passphrase"
            type="password"
            autoComplete="off"
            required
            maxLength={limits.passphraseMax}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="submit" disabled={verifying || !username || !passphrase}>
              {verifying ? t('restore.verifying') : t('restore.verify')}
            </button>
            <button type="button" className="secondary" disabled={verifying} onClick={() => setAsking(true)}>
              {t('restore.discard')}
            </button>
          </div>
        </form>
      ) : null}
      {asking ? (
        <ConfirmDialog
          title={t('restore.discardTitle')}
          body={t('restore.discardBody')}
          confirmLabel={t('restore.discardConfirm')}
          cancelLabel={t('restore.discardKeep')}
          onConfirm={() => void discard()}
          onCancel={() => setAsking(false)}
        />
      ) : null}
      {state === 'failed' ? (
        <>
          <ErrorMessage error={checkFailed ? error : (status?.error ?? error)} />
          <p role="status">{t('restore.failed')}</p>
        </>
      ) : null}
      {state === 'discarded' ? <p role="status">{t('restore.discarded')}</p> : null}
      {noFolder ? <p role="status">{t('restore.noFolder')}</p> : null}
      {idle && state !== 'failed' ? <ErrorMessage error={error} /> : null}
      {idle ? (
        <div className="actions">
          <button type="button" disabled={starting} onClick={() => void start()}>
            {ended ? t('restore.again') : t('restore.start')}
          </button>
          <button type="button" className="secondary" disabled={starting} onClick={onBack}>
            {t('restore.back')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
