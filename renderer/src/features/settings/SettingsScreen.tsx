// Settings: the idle-lock timeout for directors; who is signed in for everyone.
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../shared/ipc/contract';
import { IdleTimeoutForm } from './IdleTimeoutForm';

export function SettingsScreen({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('nav.settings')}</h1>
      <p>{t('home.signedInAs', { name: session.displayName })}</p>
      {session.allowed.includes('settings.setIdleTimeout') ? <IdleTimeoutForm initialMinutes={session.idleTimeoutMinutes} /> : <p className="hint">{t('settings.directorOnly')}</p>}
    </section>
  );
}
