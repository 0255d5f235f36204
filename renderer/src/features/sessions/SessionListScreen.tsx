// The list of round tables and peace tables (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function SessionListScreen() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('sessions.listHeading')}</h1>
    </section>
  );
}
