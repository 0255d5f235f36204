// Sign in to a locked archive; wrong passphrases and the lock-out delay are shown as translated errors. A forgotten
// passphrase leads to recovery with the recovery kit.
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { limits } from '../../../../shared/domain/limits';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SessionInfo } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/TextField';
import { call } from '../../lib/archive-client';
import { RecoverScreen } from '../accounts/RecoverScreen';
import { RestoreScreen } from '../restore/RestoreScreen';

type Props = { folder: string; notice: boolean; onSignedIn: (s: SessionInfo) => void; onFolderChanged: () => Promise<void> };

export function SignInScreen({ folder, notice, onSignedIn, onFolderChanged }: Props) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [recovering, setRecovering] = useState(false);
  const [restoring, setRestoring] = useState(false);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const r = await call('session.signIn', { username, passphrase });
    setBusy(false);
    // The passphrase is never kept after an attempt, right or wrong.
    setPassphrase('');
    if (r.ok) onSignedIn(r.value);
    else setError(r.error);
  };

  const chooseFolder = async () => {
    const r = await call('archive.chooseFolder', {});
    if (r.ok) await onFolderChanged();
    else setError(r.error);
  };

  if (recovering) return <RecoverScreen onBack={() => setRecovering(false)} />;
  if (restoring)
    return (
      <RestoreScreen
        onBack={() => setRestoring(false)}
        onRestored={async () => {
          // The restored folder is the app's archive now: main's status shows its sign-in.
          setRestoring(false);
          await onFolderChanged();
        }}
      />
    );

  return (
    <section aria-labelledby="signin-heading" className="card">
      <h1 id="signin-heading">{t('signIn.heading')}</h1>
      {notice ? (
        <p className="notice" role="status">
          {t('signIn.lockedNotice')}
        </p>
      ) : null}
      <p>{t('signIn.intro')}</p>
      <p className="hint">{t('signIn.folder', { folder })}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          label={t('signIn.username')}
          name="username"
          autoComplete="username"
          required
          maxLength={limits.usernameMax}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextField
          label={t('signIn.passphrase')}
          name="passphrase"
          type="password"
          autoComplete="current-password"
          required
          maxLength={limits.passphraseMax}
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || !username || !passphrase}>
          {busy ? t('signIn.working') : t('signIn.submit')}
        </button>
      </form>
      <div className="link-list">
        <button
          type="button"
          className="link"
          onClick={() => {
            setError(null);
            setRecovering(true);
          }}
          disabled={busy}
        >
          {t('accounts.recover.link')}
        </button>
        <button type="button" className="link" onClick={() => void chooseFolder()} disabled={busy}>
          {t('signIn.otherFolder')}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => {
            setError(null);
            setRestoring(true);
          }}
          disabled={busy}
        >
          {t('restore.link')}
        </button>
      </div>
    </section>
  );
}
