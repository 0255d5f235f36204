// The list of testimonies, newest first, with filters (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function TestimonyListScreen() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('testimonies.listHeading')}</h1>
    </section>
  );
}
