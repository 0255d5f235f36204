// A record's revisions and the difference between two (being built for issue 3).
import { useTranslation } from 'react-i18next';
import type { RecordKind } from '../../app/navigation';

export function HistoryScreen(_props: { kind: RecordKind; id: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{t('history.heading')}</h1>
    </section>
  );
}
