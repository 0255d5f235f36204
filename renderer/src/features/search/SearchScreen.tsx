// Full-text search with filters (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function SearchScreen(_props: { query: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('search.heading')}</h1>
    </section>
  );
}
