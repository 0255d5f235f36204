// The (still empty) home screen: who is signed in, the lock button, and the director's settings.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../shared/ipc/contract';
import type { ErrorInfo } from '../../../../shared/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { IdleTimeoutForm } from '../settings/IdleTimeoutForm';

export function HomeScreen({ session, onLocked }: { session: SessionInfo; onLocked: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ErrorInfo | null>(null);

  const lock = async () => {
    const r = await call('session.lock', {});
    if (r.ok || r.error.code === 'AUTH_REQUIRED') onLocked();
    else setError(r.error);
  };

  return (
    <section aria-labelledby="home-heading">
      <div className="toolbar">
        <div>
          <h1 id="home-heading">{t('home.heading')}</h1>
          <p className="who">
            {t('home.signedInAs', { name: session.displayName })} · {t('home.role', { role: t(`roles.${session.role}`) })}
          </p>
        </div>
        <button type="button" onClick={() => void lock()}>
          {t('home.lock')}
        </button>
      </div>
      <ErrorMessage error={error} />
      <p className="empty">{t('home.empty')}</p>
      {session.allowed.includes('settings.write') ? <IdleTimeoutForm initialMinutes={session.idleTimeoutMinutes} /> : null}
    </section>
  );
}
