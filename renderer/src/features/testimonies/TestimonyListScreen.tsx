// The list of testimonies, newest change first, filtered, fetched page by page as the user scrolls.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import type { SearchFilters } from '../../../../shared/records/search-schemas';
import { useNavigation } from '../../app/navigation';
import { useAllowed } from '../../app/session-context';
import { PagedList } from '../../components/PagedList';
import { call } from '../../lib/archive-client';
import { StatusBadge } from './StatusBadge';
import { TestimonyFilters } from './TestimonyFilters';

type Item = MethodOutput<'search.list'>['items'][number];

const pageSize = 50;

export function TestimonyListScreen() {
  const { t } = useTranslation();
  const { navigate } = useNavigation();
  const mayCreate = useAllowed('testimonies.create');
  const [filters, setFilters] = useState<SearchFilters>({});

  const fetchPage = useCallback((cursor: string | null) => call('search.list', { filters, limit: pageSize, cursor }), [filters]);

  return (
    <section aria-labelledby="screen-heading">
      <div className="toolbar">
        <h1 id="screen-heading">{t('testimonies.listHeading')}</h1>
        {mayCreate ? (
          <button type="button" onClick={() => navigate({ name: 'testimony-new' })}>
            {t('testimonies.newButton')}
          </button>
        ) : null}
      </div>
      <TestimonyFilters onApply={setFilters} />
      <PagedList<Item>
        label={t('testimonies.list.label')}
        fetchPage={fetchPage}
        itemKey={(item) => item.id}
        empty={t('testimonies.list.empty')}
        renderItem={(item) => (
          <button type="button" className="list-row" onClick={() => navigate({ name: 'testimony', id: item.id })}>
            <span className="list-row-title">{item.title ?? t('testimonies.untitled')}</span>
            <span className="list-row-meta">
              {item.date ? <span>{item.date}</span> : null}
              {item.status ? <StatusBadge status={item.status} /> : null}
            </span>
          </button>
        )}
      />
    </section>
  );
}
