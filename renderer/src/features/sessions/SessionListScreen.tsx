// The round tables and peace tables, newest first, paged from main as the user scrolls, filtered by kind,
// status and a date range.
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput, MethodOutput } from '../../../../shared/ipc/contract';
import { sessionKinds, sessionStatuses, type SessionKind, type SessionStatus } from '../../../../shared/records/session-schemas';
import { useNavigation } from '../../app/navigation';
import { useAllowed } from '../../app/session-context';
import { PagedList } from '../../components/PagedList';
import { call } from '../../lib/archive-client';
import { useReference } from '../../lib/reference';

type Row = MethodOutput<'sessions.list'>['items'][number];
type Filters = { kind: SessionKind | ''; status: SessionStatus | ''; dateFrom: string; dateTo: string };

const pageSize = 50;

function SessionRow({ row }: { row: Row }) {
  const { t } = useTranslation();
  const ref = useReference();
  const { navigate } = useNavigation();
  const facts = [t(`sessions.kind.${row.kind}`), row.date, row.placeId ? ref.placeName(row.placeId) : null, t(`sessions.status.${row.status}`)];
  return (
    <div className="session-row">
      <button type="button" className="link" onClick={() => navigate({ name: 'session', id: row.id })}>
        {row.title}
      </button>
      <p className="hint">
        {facts.filter((f) => f !== null).join(' · ')}
        {row.sensitivity === 'restricted' ? ` · ${t('sessions.sensitivityRestricted')}` : ''}
      </p>
    </div>
  );
}

function FilterSelect<V extends string>({ label, value, options, onChange }: { label: string; value: V | ''; options: ReadonlyArray<{ value: V; label: string }>; onChange: (v: V | '') => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(options.find((o) => o.value === e.target.value)?.value ?? '')}>
        <option value="">{t('sessions.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateFilter({ label, value, onChange, invalid, describedBy }: { label: string; value: string; onChange: (v: string) => void; invalid?: boolean; describedBy?: string | undefined }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} aria-invalid={invalid ? true : undefined} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

export function SessionListScreen() {
  const { t } = useTranslation();
  const { navigate } = useNavigation();
  const canCreate = useAllowed('sessions.create');
  const orderErrorId = useId();
  const [filters, setFilters] = useState<Filters>({ kind: '', status: '', dateFrom: '', dateTo: '' });
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const badOrder = filters.dateFrom !== '' && filters.dateTo !== '' && filters.dateFrom > filters.dateTo;

  // A new function per filter change: PagedList starts again from the first page.
  const fetchPage = useCallback(
    (cursor: string | null) => {
      const input: MethodInput<'sessions.list'> = { limit: pageSize };
      if (filters.kind) input.kind = filters.kind;
      if (filters.status) input.status = filters.status;
      if (filters.dateFrom) input.dateFrom = filters.dateFrom;
      if (filters.dateTo) input.dateTo = filters.dateTo;
      if (cursor !== null) input.cursor = cursor;
      return call('sessions.list', input);
    },
    [filters],
  );

  return (
    <section aria-labelledby="screen-heading" className="session-list">
      <div className="toolbar">
        <h1 id="screen-heading">{t('sessions.listHeading')}</h1>
        {canCreate ? (
          <button type="button" onClick={() => navigate({ name: 'session-new' })}>
            {t('sessions.newButton')}
          </button>
        ) : null}
      </div>
      <fieldset className="filters">
        <legend>{t('sessions.filters')}</legend>
        <FilterSelect label={t('sessions.kindLabel')} value={filters.kind} options={sessionKinds.map((k) => ({ value: k, label: t(`sessions.kind.${k}`) }))} onChange={(v) => set('kind', v)} />
        <FilterSelect label={t('sessions.statusLabel')} value={filters.status} options={sessionStatuses.map((s) => ({ value: s, label: t(`sessions.status.${s}`) }))} onChange={(v) => set('status', v)} />
        <DateFilter label={t('sessions.dateFrom')} value={filters.dateFrom} onChange={(v) => set('dateFrom', v)} invalid={badOrder} describedBy={badOrder ? orderErrorId : undefined} />
        <DateFilter label={t('sessions.dateTo')} value={filters.dateTo} onChange={(v) => set('dateTo', v)} invalid={badOrder} describedBy={badOrder ? orderErrorId : undefined} />
      </fieldset>
      {badOrder ? (
        <p className="field-error" id={orderErrorId}>
          {t('validation.dateOrder')}
        </p>
      ) : (
        <PagedList<Row> label={t('sessions.listLabel')} fetchPage={fetchPage} itemKey={(r) => r.id} renderItem={(r) => <SessionRow row={r} />} estimateSize={72} empty={t('sessions.empty')} />
      )}
    </section>
  );
}
