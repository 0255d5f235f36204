// Creating and editing a round table or peace table (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function SessionFormScreen(_props: { id: string | null }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('sessions.newHeading')}</h1>
    </section>
  );
}
