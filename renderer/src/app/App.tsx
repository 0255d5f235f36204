// Top of the UI: asks main for the archive state and shows create, sign-in, the forced passphrase change or the
// workspace; lock clears everything.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus, SessionInfo } from '../../../shared/ipc/contract';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { ForcedPassphraseChange } from '../features/accounts/ForcedPassphraseChange';
import { CreateArchiveScreen } from '../features/archive/CreateArchiveScreen';
import { SignInScreen } from '../features/session/SignInScreen';
import { call, onLocked } from '../lib/archive-client';
import { Workspace } from './Workspace';

export function App() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<AppStatus | null>(null);
  // Bumped on every lock so all feature state is unmounted and forgotten.
  const [generation, setGeneration] = useState(0);
  const [lockedNotice, setLockedNotice] = useState(false);

  const refresh = useCallback(async () => {
    const r = await call('app.status', {});
    if (r.ok) setStatus(r.value);
  }, []);

  useEffect(() => {
    void refresh();
    return onLocked(() => {
      setGeneration((g) => g + 1);
      setLockedNotice(true);
      void refresh();
    });
  }, [refresh]);

  const signedIn = (session: SessionInfo) => {
    setLockedNotice(false);
    setStatus((s) => (s ? { ...s, state: 'unlocked', session } : s));
    // The rest of the status (e.g. that a new archive is a training one) comes from main.
    void refresh();
  };

  /** A fresh SessionInfo from main (after a passphrase change) replaces the one the workspace shows. */
  const sessionChanged = (session: SessionInfo) => setStatus((s) => (s ? { ...s, session } : s));

  const locked = () => {
    setGeneration((g) => g + 1);
    void refresh();
  };

  let screen;
  if (!status) screen = <p aria-live="polite">{t('app.loading')}</p>;
  else if (status.state === 'no-archive') screen = <CreateArchiveScreen folder={status.folder} onCreated={signedIn} onFolderChanged={refresh} />;
  else if (status.state === 'locked' || !status.session)
    screen = <SignInScreen folder={status.folder} notice={lockedNotice} onSignedIn={signedIn} onFolderChanged={refresh} />;
  // A one-time passphrase from a director: main refuses everything but the change (and lock) until it is replaced.
  else if (status.session.mustChangePassphrase) screen = <ForcedPassphraseChange onChanged={signedIn} onLocked={locked} />;
  else screen = <Workspace session={status.session} onLocked={locked} onSessionChanged={sessionChanged} />;
  const wide = status?.state === 'unlocked' && status.session?.mustChangePassphrase === false;

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header>
        <div className="app-header">
          <span className="app-title">{t('app.title')}</span>
          <LanguageSwitcher />
        </div>
        {status?.training ? (
          <p className="training-banner" role="note">
            {t('app.training')}
          </p>
        ) : null}
      </header>
      <main id="main" key={generation} tabIndex={-1} className={wide ? 'wide' : undefined}>
        {screen}
      </main>
    </>
  );
}
