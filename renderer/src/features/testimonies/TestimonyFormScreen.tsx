// Creating and editing a testimony (being built for issue 3).
import { useTranslation } from 'react-i18next';

export function TestimonyFormScreen(_props: { id: string | null }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('testimonies.newHeading')}</h1>
    </section>
  );
}
