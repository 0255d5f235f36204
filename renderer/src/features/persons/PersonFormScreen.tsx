// Creating and editing a person (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function PersonFormScreen(_props: { id: string | null }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('persons.newHeading')}</h1>
    </section>
  );
}
