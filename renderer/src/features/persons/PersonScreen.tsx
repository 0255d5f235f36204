// One person, read-only (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function PersonScreen(_props: { id: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('persons.viewHeading')}</h1>
    </section>
  );
}
