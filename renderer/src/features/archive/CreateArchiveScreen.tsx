// First run: create the encrypted archive and its first account, the executive director.
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { limits } from '../../../../shared/domain/limits';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SessionInfo } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/TextField';
import { call } from '../../lib/archive-client';
import { RestoreScreen } from '../restore/RestoreScreen';
import { NewPassphraseFields } from './NewPassphraseFields';

type Props = { folder: string; onCreated: (s: SessionInfo) => void; onFolderChanged: () => Promise<void> };

export function CreateArchiveScreen({ folder, onCreated, onFolderChanged }: Props) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [training, setTraining] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [restoring, setRestoring] = useState(false);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    if (passphrase.normalize('NFKC') !== confirm.normalize('NFKC')) {
      setError({ code: 'PASSPHRASE_MISMATCH', message: '' });
      return;
    }
    setBusy(true);
    const r = await call('archive.create', { username, displayName, passphrase, passphraseConfirm: confirm, training });
    setBusy(false);
    if (r.ok) {
      setPassphrase('');
      setConfirm('');
      onCreated(r.value);
    } else setError(r.error);
  };

  const chooseFolder = async () => {
    const r = await call('archive.chooseFolder', {});
    if (r.ok) await onFolderChanged();
    else setError(r.error);
  };

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
    <section aria-labelledby="create-heading" className="card">
      <h1 id="create-heading">{t('create.heading')}</h1>
      <p>{t('create.intro')}</p>
      <div className="field">
        <span className="label">{t('create.folder')}</span>
        <code className="folder">{folder}</code>
        <button type="button" className="secondary" onClick={() => void chooseFolder()} disabled={busy}>
          {t('create.chooseFolder')}
        </button>
      </div>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          label={t('create.username')}
          hint={t('create.usernameHint')}
          name="username"
          autoComplete="username"
          required
          maxLength={limits.usernameMax}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextField
          label={t('create.displayName')}
          name="displayName"
          autoComplete="name"
          required
          maxLength={limits.displayNameMax}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <NewPassphraseFields
          labels={{ passphrase: t('create.passphrase'), confirm: t('create.passphraseConfirm') }}
          names={{ passphrase: 'passphrase', confirm: 'passphraseConfirm' }}
          passphrase={passphrase}
          confirm={confirm}
          onPassphrase={setPassphrase}
          onConfirm={setConfirm}
          show={show}
          onShow={setShow}
        />
        <div className="checkbox-field">
          <div className="checkbox">
            <input id="training" type="checkbox" checked={training} aria-describedby="training-hint" onChange={(e) => setTraining(e.target.checked)} />
            <label htmlFor="training">{t('create.training')}</label>
          </div>
          <p className="hint" id="training-hint">
            {t('create.trainingHint')}
          </p>
        </div>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? t(training ? 'create.workingTraining' : 'create.working') : t('create.submit')}
        </button>
      </form>
      <div className="link-list">
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
