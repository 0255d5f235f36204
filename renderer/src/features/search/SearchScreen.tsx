// Full-text search over testimonies, people and round/peace tables, with filters, in pages as the user scrolls.
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { commissionScopes, testimonyStatuses } from '../../../../shared/records/schemas';
import { maxQueryLength, searchFiltersSchema, searchKinds, type SearchFilters, type SearchKind } from '../../../../shared/records/search-schemas';
import { sessionStatuses } from '../../../../shared/records/session-schemas';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { useNavigation, type Route } from '../../app/navigation';
import { CheckboxField, SelectField, TextInput, VocabularySelect } from '../../components/form/fields';
import { PlaceField } from '../../components/form/PlaceField';
import { PagedList } from '../../components/PagedList';
import { call } from '../../lib/archive-client';

type SearchItem = MethodOutput<'search.query'>['items'][number];

type SearchValues = {
  query: string;
  kinds: Record<SearchKind, boolean>;
  actType: string;
  affectedGroup: string;
  status: string;
  placeId: string;
  dateFrom: string;
  dateTo: string;
  commissionScope: string;
};

type Request = { query: string; kinds: SearchKind[]; filters: SearchFilters };

/** Typing pauses this long before the results follow; Enter searches at once. */
const typingDelayMs = 300;
const pageSize = 50;

const statuses = [...testimonyStatuses, ...sessionStatuses];

/** The request the form describes, or why there is none (no kind chosen, dates in the wrong order). */
function requestOf(v: SearchValues): { request: Request } | { problem: 'noKind' | 'dateOrder' } {
  const kinds = searchKinds.filter((k) => v.kinds[k]);
  if (kinds.length === 0) return { problem: 'noKind' };
  const raw = {
    actType: v.actType || undefined,
    affectedGroup: v.affectedGroup || undefined,
    status: v.status || undefined,
    placeId: v.placeId || undefined,
    dateFrom: v.dateFrom || undefined,
    dateTo: v.dateTo || undefined,
    commissionScope: v.commissionScope || undefined,
  };
  const parsed = searchFiltersSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined)));
  if (!parsed.success) return { problem: 'dateOrder' };
  return { request: { query: v.query.slice(0, maxQueryLength), kinds, filters: parsed.data } };
}

function routeOf(item: SearchItem): Route {
  if (item.kind === 'person') return { name: 'person', id: item.id };
  if (item.kind === 'session') return { name: 'session', id: item.id };
  return { name: 'testimony', id: item.id };
}

function Result({ item }: { item: SearchItem }) {
  const { t } = useTranslation();
  const { navigate } = useNavigation();
  const title = item.title ?? (item.kind === 'person' ? t('persons.restrictedName') : t('search.untitled'));
  const details = [t(`search.kind.${item.kind}`), item.date, item.status ? t(`search.status.${item.status}`, { defaultValue: item.status }) : null].filter(Boolean);
  return (
    <article className="search-result">
      <h2 className="result-title">
        <button type="button" className="link" onClick={() => navigate(routeOf(item))}>
          {title}
        </button>
      </h2>
      <p className="result-details">{details.join(' · ')}</p>
      {item.snippet ? <p className="snippet">{item.snippet}</p> : null}
      <button type="button" className="secondary small" onClick={() => navigate({ name: 'history', kind: item.kind, id: item.id })} aria-label={t('search.historyOf', { title })}>
        {t('search.history')}
      </button>
    </article>
  );
}

export function SearchScreen({ query }: { query: string }) {
  const { t } = useTranslation();
  const queryId = useId();
  const form = useForm<SearchValues>({
    defaultValues: {
      query,
      kinds: { testimony: true, person: true, session: true },
      actType: '',
      affectedGroup: '',
      status: '',
      placeId: '',
      dateFrom: '',
      dateTo: '',
      commissionScope: '',
    },
  });
  const values = useWatch({ control: form.control }) as SearchValues;
  const described = requestOf(values);
  const wanted = 'request' in described ? JSON.stringify(described.request) : null;
  const [current, setCurrent] = useState<string | null>(wanted);

  // Follows the form after a pause in typing; Enter (submit) follows it at once.
  useEffect(() => {
    const timer = window.setTimeout(() => setCurrent(wanted), typingDelayMs);
    return () => window.clearTimeout(timer);
  }, [wanted]);

  const request = useMemo(() => (current ? (JSON.parse(current) as Request) : null), [current]);
  const fetchPage = useCallback(
    async (cursor: string | null) => {
      if (!request) return { ok: true as const, value: { items: [], nextCursor: null } };
      return call('search.query', { query: request.query, kinds: request.kinds, filters: request.filters, limit: pageSize, cursor, snippets: true });
    },
    [request],
  );

  // Open or closed as the user left it (a closed <details> would hide the date that made the request invalid).
  const [filtersOpen, setFiltersOpen] = useState(false);
  const hasFilters = request !== null && Object.keys(request.filters).length > 0;
  const hasQuery = request !== null && request.query.trim() !== '';
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('search.heading')}</h1>
      <FormProvider {...form}>
        <form
          role="search"
          aria-labelledby="screen-heading"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setCurrent(wanted);
          }}
        >
          <div className="field">
            <label htmlFor={queryId}>{t('search.query')}</label>
            <div className="search-row">
              <input id={queryId} type="search" maxLength={maxQueryLength} aria-describedby={`${queryId}-hint`} {...form.register('query')} />
              <button type="submit">{t('search.submit')}</button>
            </div>
            <p className="hint" id={`${queryId}-hint`}>
              {t('search.foldingHint')}
            </p>
          </div>
          <fieldset className="checkbox-group search-kinds">
            <legend>{t('search.kinds')}</legend>
            {searchKinds.map((k) => (
              <CheckboxField<SearchValues> key={k} name={`kinds.${k}`} label={t(`search.kindPlural.${k}`)} />
            ))}
          </fieldset>
          <details className="search-filters" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
            <summary>{t('search.filters')}</summary>
            <p className="hint">{t('search.filtersHint')}</p>
            <div className="filter-grid">
              <VocabularySelect<SearchValues> name="actType" vocabulary="actTypes" label={t('search.actType')} emptyLabel={t('search.any')} />
              <VocabularySelect<SearchValues> name="affectedGroup" vocabulary="affectedGroups" label={t('search.affectedGroup')} emptyLabel={t('search.any')} />
              <SelectField<SearchValues> name="status" label={t('search.statusFilter')} emptyLabel={t('search.any')} options={statuses.map((s) => ({ value: s, label: t(`search.status.${s}`) }))} />
              <SelectField<SearchValues>
                name="commissionScope"
                label={t('search.commissionScope')}
                emptyLabel={t('search.any')}
                options={commissionScopes.map((c) => ({ value: c, label: t(`consent.commissionScope.${c}`) }))}
              />
              <PlaceField<SearchValues> name="placeId" label={t('search.place')} />
              <TextInput<SearchValues> name="dateFrom" type="date" label={t('search.dateFrom')} />
              <TextInput<SearchValues> name="dateTo" type="date" label={t('search.dateTo')} />
            </div>
          </details>
        </form>
      </FormProvider>
      {'problem' in described ? (
        <p className="error" role="alert">
          {described.problem === 'noKind' ? t('search.noKind') : t('validation.dateOrder')}
        </p>
      ) : null}
      {request && (hasQuery || hasFilters) ? (
        <PagedList<SearchItem> label={t('search.results')} fetchPage={fetchPage} itemKey={(i) => `${i.kind}:${i.id}`} renderItem={(i) => <Result item={i} />} estimateSize={110} empty={t('search.noResults')} />
      ) : 'problem' in described ? null : (
        <p className="hint">{t('search.emptyQuery')}</p>
      )}
    </section>
  );
}
