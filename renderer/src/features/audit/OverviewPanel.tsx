// The auditor's overview: how many records, how many restricted, and consent by scope, withdrawal and minors: counts only.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { AuditOverview } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';

type Row = { label: string; count: number };

function CountTable({ caption, rows }: { caption: string; rows: Row[] }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <table className="count-table">
      <caption>{caption}</caption>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <th scope="row">{t('audit.overview.none')}</th>
            <td>{number.format(0)}</td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{number.format(r.count)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export function OverviewPanel() {
  const { t } = useTranslation();
  const [overview, setOverview] = useState<AuditOverview | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let live = true;
    void call('audit.overview', {}).then((r) => {
      if (!live) return;
      if (r.ok) setOverview(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, []);

  // Keys are codes from the records (statuses, scopes); an unexpected one is shown as stored rather than hidden.
  const rowsOf = (counts: Record<string, number>, key: (code: string) => string): Row[] =>
    Object.entries(counts).map(([code, count]) => ({ label: t(key(code), { defaultValue: code }), count }));

  return (
    <section aria-labelledby="audit-overview-heading">
      <h2 id="audit-overview-heading">{t('audit.overview.heading')}</h2>
      <p className="hint">{t('audit.overview.intro')}</p>
      <ErrorMessage error={error} />
      {!overview && !error ? <p aria-live="polite">{t('app.loading')}</p> : null}
      {overview ? (
        <div className="count-tables">
          <CountTable
            caption={t('audit.overview.records')}
            rows={[
              { label: t('audit.overview.testimonies'), count: overview.records.testimonies },
              { label: t('audit.overview.persons'), count: overview.records.persons },
              { label: t('audit.overview.sessions'), count: overview.records.sessions },
              { label: t('audit.overview.restricted'), count: overview.records.restricted },
            ]}
          />
          <CountTable caption={t('audit.overview.byStatus')} rows={rowsOf(overview.testimoniesByStatus, (s) => `audit.overview.status.${s}`)} />
          <CountTable
            caption={t('audit.overview.consent')}
            rows={[
              { label: t('audit.overview.consentTotal'), count: overview.consent.total },
              { label: t('audit.overview.minors'), count: overview.consent.minors },
              { label: t('audit.overview.minorsWithoutGuardian'), count: overview.consent.minorsWithoutGuardian },
              { label: t('audit.overview.embargoed'), count: overview.consent.embargoed },
            ]}
          />
          <CountTable caption={t('audit.overview.commission')} rows={rowsOf(overview.consent.commission, (c) => `consent.commissionScope.${c}`)} />
          <CountTable caption={t('audit.overview.withdrawn')} rows={rowsOf(overview.consent.withdrawn, (w) => `consent.withdrawalScopes.${w}`)} />
        </div>
      ) : null}
    </section>
  );
}
