// The log of submissions: each bundle's sequence, state, when and by whom, to whom, and how many records.
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { whenText } from './format';

type Entry = MethodOutput<'submissions.log'>['submissions'][number];

export function SubmissionLogPanel({ active }: { active: boolean }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const r = await call('submissions.log', {});
    if (r.ok) setEntries(r.value.submissions);
    else setError(r.error);
  }, []);

  // An export may have finished since it was last shown: asked again each time.
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  return (
    <section aria-labelledby={headingId} className="submission-log">
      <h2 id={headingId}>{t('submissions.log.heading')}</h2>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void load()}>
          {t('submissions.log.refresh')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {entries === null ? null : entries.length === 0 ? (
        <p>{t('submissions.log.none')}</p>
      ) : (
        <table className="submission-log-table">
          <caption>{t('submissions.log.caption', { count: entries.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('submissions.log.sequence')}</th>
              <th scope="col">{t('submissions.log.status')}</th>
              <th scope="col">{t('submissions.log.date')}</th>
              <th scope="col">{t('submissions.log.by')}</th>
              <th scope="col">{t('submissions.log.recipients')}</th>
              <th scope="col">{t('submissions.log.records')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <th scope="row">{e.sequence}</th>
                <td>{t(`submissions.log.states.${e.status}`)}</td>
                <td>{whenText(e.finishedAt ?? e.createdAt, i18n.language)}</td>
                <td>{e.createdBy ?? t('submissions.log.unknownUser')}</td>
                <td>
                  <ul className="plain-list">
                    {e.recipients.map((r) => (
                      <li key={r.fingerprint}>
                        {r.label} <code className="fingerprint">{r.fingerprint}</code>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{e.records ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
