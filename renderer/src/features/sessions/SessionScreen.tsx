// One round table or peace table, read-only, with follow-ups (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function SessionScreen(_props: { id: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('sessions.viewHeading')}</h1>
    </section>
  );
}
