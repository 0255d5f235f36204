// Settings: the idle-lock timeout for directors; who is signed in and changing one's own passphrase for everyone.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../shared/ipc/contract';
import { useReplaceSession } from '../../app/session-context';
import { ChangePassphraseForm } from '../accounts/ChangePassphraseForm';
import { IdleTimeoutForm } from './IdleTimeoutForm';

export function SettingsScreen({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const replaceSession = useReplaceSession();
  const changeId = useId();
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('nav.settings')}</h1>
      <p>{t('home.signedInAs', { name: session.displayName })}</p>
      {session.allowed.includes('settings.setIdleTimeout') ? <IdleTimeoutForm initialMinutes={session.idleTimeoutMinutes} /> : <p className="hint">{t('settings.directorOnly')}</p>}
      {session.allowed.includes('account.changePassphrase') ? (
        <section className="card" aria-labelledby={changeId}>
          <h2 id={changeId}>{t('accounts.change.heading')}</h2>
          <p className="hint">{t('accounts.change.intro')}</p>
          <ChangePassphraseForm forced={false} onChanged={replaceSession} />
        </section>
      ) : null}
    </section>
  );
}
