// The director's setting for how long the archive stays open without activity.
import { useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { limits } from '../../../../shared/domain/limits';
import type { ErrorInfo } from '../../../../shared/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';

export function IdleTimeoutForm({ initialMinutes }: { initialMinutes: number }) {
  const { t } = useTranslation();
  const id = useId();
  const [minutes, setMinutes] = useState(String(initialMinutes));
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setSaved(false);
    setError(null);
    const r = await call('settings.setIdleTimeout', { minutes: Number(minutes) });
    if (r.ok) {
      setMinutes(String(r.value.idleTimeoutMinutes));
      setSaved(true);
    } else setError(r.error);
  };

  return (
    <form className="card settings" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('settings.heading')}</h2>
      <div className="field">
        <label htmlFor={id}>{t('settings.idleTimeout')}</label>
        <input
          id={id}
          name="idleTimeoutMinutes"
          type="number"
          inputMode="numeric"
          min={limits.idleMinutesMin}
          max={limits.idleMinutesMax}
          step={1}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </div>
      <ErrorMessage error={error} />
      {saved ? <p role="status">{t('settings.saved')}</p> : null}
      <button type="submit">{t('settings.save')}</button>
    </form>
  );
}
