// The backups log: date, folder, size, status and verification of each backup, and re-verifying a complete one
// with its report (each problem named with its file).
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { BackupListEntry, MethodOutput } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { humanSize } from '../attachments/format';
import { whenText } from '../submissions/format';

type Report = MethodOutput<'backups.verify'>;
type Verification = { backup: BackupListEntry; report: Report | null; error: ErrorInfo | null };

/** `reload` changes when a backup has ended, so the list is asked again. */
export function BackupListPanel({ reload }: { reload: number }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const [entries, setEntries] = useState<BackupListEntry[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [verification, setVerification] = useState<Verification | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const r = await call('backups.list', {});
    if (r.ok) setEntries(r.value.backups);
    else setError(r.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load, reload]);

  const verify = async (backup: BackupListEntry) => {
    setVerification({ backup, report: null, error: null });
    const r = await call('backups.verify', { id: backup.id });
    setVerification({ backup, report: r.ok ? r.value : null, error: r.ok ? null : r.error });
    await load();
  };

  const when = (iso: string) => whenText(iso, i18n.language);
  const verificationText = (b: BackupListEntry) =>
    b.verification === 'unverified' ? t('backups.list.verificationStates.unverified') : t(`backups.list.verificationStates.${b.verification}`, { date: when(b.verifiedAt ?? b.createdAt) });

  return (
    <section aria-labelledby={headingId} className="backup-list">
      <h2 id={headingId}>{t('backups.list.heading')}</h2>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void load()}>
          {t('backups.list.refresh')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {entries === null ? null : entries.length === 0 ? (
        <p>{t('backups.list.none')}</p>
      ) : (
        <table className="submission-log-table backups-table">
          <caption>{t('backups.list.caption', { count: entries.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('backups.list.date')}</th>
              <th scope="col">{t('backups.list.place')}</th>
              <th scope="col">{t('backups.list.size')}</th>
              <th scope="col">{t('backups.list.status')}</th>
              <th scope="col">{t('backups.list.verification')}</th>
              <th scope="col">{t('backups.list.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((b) => (
              <tr key={b.id}>
                <th scope="row">
                  {when(b.createdAt)}
                  {b.createdBy ? (
                    <>
                      <br />
                      <span className="hint">{t('backups.list.by', { user: b.createdBy })}</span>
                    </>
                  ) : null}
                </th>
                <td>
                  <code className="folder">{b.location}</code>
                </td>
                <td>{b.bytes === null ? t('backups.list.unknownSize') : humanSize(b.bytes, i18n.language)}</td>
                <td>{t(`backups.list.states.${b.status}`)}</td>
                <td>{verificationText(b)}</td>
                <td>
                  {b.status === 'complete' ? (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={t('backups.list.verifyLabel', { date: when(b.createdAt) })}
                      disabled={verification !== null && verification.report === null && verification.error === null}
                      onClick={() => void verify(b)}
                    >
                      {t('backups.list.verify')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {verification ? <VerificationReport key={verification.backup.id} {...verification} /> : null}
    </section>
  );
}

function VerificationReport({ backup, report, error }: Verification) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const size = (n: number) => humanSize(n, i18n.language);
  return (
    <section aria-labelledby={headingId} className="card backup-report">
      <h3 id={headingId}>{t('backups.report.heading', { date: whenText(backup.createdAt, i18n.language) })}</h3>
      <p role="status" className="notice-line">
        {!report && !error ? t('backups.report.running') : null}
        {report?.ok ? t('backups.report.ok', { files: report.files, size: size(report.bytes) }) : null}
      </p>
      <ErrorMessage error={error} />
      {report && !report.ok ? (
        <div role="alert">
          <p className="error">{t('backups.report.failed')}</p>
          {report.problems.length === 0 ? (
            <p>{t('backups.report.otherBackup')}</p>
          ) : (
            <ul className="damaged-list" aria-label={t('backups.report.problemsLabel')}>
              {report.problems.map((p) => (
                <li key={`${p.file}:${p.problem}`}>
                  <code>{p.file}</code> — {t(`backups.report.problems.${p.problem}`)}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
}
