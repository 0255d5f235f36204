// A testimony's status (draft, reviewed, sealed) as a labelled badge; a status the UI does not know is shown as is.
import { useTranslation } from 'react-i18next';

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`status-badge status-${status}`}>{t(`testimonies.status.${status}`, { defaultValue: status })}</span>;
}
