// Shows a refused call as a translated sentence; the message comes from the error code, never from main.
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';

export function ErrorMessage({ error, id }: { error: ErrorInfo | null; id?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const time = error.retryAt ? new Date(error.retryAt).toLocaleTimeString(i18n.language) : '';
  return (
    <p className="error" role="alert" id={id}>
      {t(`errors.${error.code}`, { time })}
    </p>
  );
}
