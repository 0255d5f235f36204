// Opening a submission bundle (auditors and directors): the verification report check by check, then the
// decrypted records to read, one at a time, read-only. Closing drops the decrypted copy held in main.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { BundleRecordView, OpenedBundleView } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { BundleRecord } from './BundleRecord';

const statusIcon = { pass: '✓', fail: '✗', skipped: '–' } as const;

export function BundlePanel() {
  const { t } = useTranslation();
  const headingId = useId();
  const [opened, setOpened] = useState<OpenedBundleView | null>(null);
  const [record, setRecord] = useState<BundleRecordView | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const handle = useRef('');

  // Leaving the screen closes the bundle in main too.
  useEffect(
    () => () => {
      if (handle.current) void call('bundles.close', { handle: handle.current });
    },
    [],
  );

  const close = async () => {
    const h = handle.current;
    handle.current = '';
    setOpened(null);
    setRecord(null);
    if (h) {
      const r = await call('bundles.close', { handle: h });
      if (!r.ok) setError(r.error);
    }
    setNotice(t('submissions.bundle.closed'));
  };

  const open = async (withIdentity: boolean) => {
    setError(null);
    setNotice('');
    if (handle.current) await close();
    setBusy(true);
    const r = await call('bundles.open', { withIdentity });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    if (!r.value.opened) return setNotice(t('submissions.bundle.nothingChosen'));
    handle.current = r.value.opened.handle;
    setOpened(r.value.opened);
  };

  const show = async (ref: string) => {
    setError(null);
    const r = await call('bundles.record', { handle: handle.current, ref });
    if (r.ok) setRecord(r.value);
    else setError(r.error);
  };

  const report = opened?.report ?? null;
  return (
    <section aria-labelledby={headingId} className="bundle-panel">
      <h2 id={headingId}>{t('submissions.bundle.heading')}</h2>
      <p className="hint">{t('submissions.bundle.intro')}</p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void open(true)}>
          {t('submissions.bundle.open')}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void open(false)}>
          {t('submissions.bundle.verifyOnly')}
        </button>
        {opened ? (
          <button type="button" className="secondary" onClick={() => void close()}>
            {t('submissions.bundle.close')}
          </button>
        ) : null}
      </div>
      <p role="status" className="notice-line">
        {busy ? t('submissions.bundle.opening') : notice}
      </p>
      <ErrorMessage error={error} />
      {opened && report ? (
        <>
          <h3>{t('submissions.bundle.reportHeading', { folder: opened.folderName })}</h3>
          <p role={report.ok ? 'status' : 'alert'} className={report.ok ? 'verify-result verify-ok' : 'verify-result verify-bad'}>
            {report.ok ? t('submissions.bundle.verdictOk', { sequence: report.sequence ?? '—' }) : t('submissions.bundle.verdictBad')}
          </p>
          <ul className="bundle-checks" aria-label={t('submissions.bundle.checksLabel')}>
            {report.checks.map((c) => (
              <li key={c.name} className={`check-${c.status}`}>
                <span aria-hidden="true" className="check-icon">
                  {statusIcon[c.status]}
                </span>{' '}
                <strong>{t(`submissions.checks.${c.name}`)}</strong>: {t(`submissions.checkStatus.${c.status}`)}
                {c.code ? <span> — {t(`errors.${c.code}`)}</span> : null}
                <br />
                <span className="hint" lang="en">
                  {c.detail}
                </span>
              </li>
            ))}
          </ul>
          {opened.records.length > 0 ? (
            <table className="bundle-records">
              <caption>{t('submissions.bundle.recordsCaption', { count: opened.records.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('submissions.preview.title')}</th>
                  <th scope="col">{t('submissions.preview.kind')}</th>
                  <th scope="col">{t('submissions.bundle.date')}</th>
                  <th scope="col">{t('submissions.preview.identity')}</th>
                </tr>
              </thead>
              <tbody>
                {opened.records.map((r) => (
                  <tr key={r.ref}>
                    <th scope="row">
                      <button type="button" className="link" aria-current={record?.ref === r.ref ? 'true' : undefined} onClick={() => void show(r.ref)}>
                        {r.title}
                      </button>
                    </th>
                    <td>{t(`submissions.kinds.${r.kind}`)}</td>
                    <td>{r.date ?? '—'}</td>
                    <td>{r.identity === 'named' || r.identity === 'pseudonymised' ? t(`submissions.identity.${r.identity}`) : (r.identity ?? '—')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {record ? <BundleRecord record={record} onClose={() => setRecord(null)} /> : null}
        </>
      ) : null}
    </section>
  );
}
