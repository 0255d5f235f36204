// Shows a refused call as a translated sentence; the message comes from the error code, never from main.
// When main names a fact (which recovery share, how many are needed), the sentence says it, from errorDetails.
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';

export function ErrorMessage({ error, id }: { error: ErrorInfo | null; id?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const time = error.retryAt ? new Date(error.retryAt).toLocaleTimeString(i18n.language) : '';
  const detailed = `errorDetails.${error.code}`;
  const key = (error.share !== undefined || error.needed !== undefined) && i18n.exists(detailed) ? detailed : `errors.${error.code}`;
  return (
    <p className="error" role="alert" id={id}>
      {t(key, { time, share: error.share, needed: error.needed })}
    </p>
  );
}
