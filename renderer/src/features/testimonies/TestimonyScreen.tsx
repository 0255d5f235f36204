// One testimony, read-only, with review and seal (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function TestimonyScreen(_props: { id: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('testimonies.viewHeading')}</h1>
    </section>
  );
}
