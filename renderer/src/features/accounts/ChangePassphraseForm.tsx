// Changing one's own passphrase: current, new (with the strength meter) and confirm; main rewraps the keys only.
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { limits } from '../../../../shared/domain/limits';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SessionInfo } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/TextField';
import { call } from '../../lib/archive-client';
import { NewPassphraseFields } from '../archive/NewPassphraseFields';

type Props = {
  /** After a one-time passphrase: the current one is the director's, and the wording says so. */
  forced: boolean;
  onChanged: (session: SessionInfo) => void;
};

export function ChangePassphraseForm({ forced, onChanged }: Props) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    // Compared as main compares them (after NFKC), so the same visible text never counts as a mismatch.
    if (next.normalize('NFKC') !== confirm.normalize('NFKC')) {
      setError({ code: 'PASSPHRASE_MISMATCH', message: '' });
      return;
    }
    setBusy(true);
    const r = await call('account.changePassphrase', { current, next, nextConfirm: confirm });
    setBusy(false);
    // Passphrases are not kept in the form after an attempt that reached main, right or wrong.
    setCurrent('');
    if (r.ok) {
      setNext('');
      setConfirm('');
      setDone(true);
      onChanged(r.value);
    } else setError(r.error);
  };

  const type = show ? 'text' : 'password';
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <TextField
        label={t(forced ? 'accounts.change.currentOneTime' : 'accounts.change.current')}
        name="current"
        type={type}
        autoComplete="current-password"
        required
        maxLength={limits.passphraseMax}
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <NewPassphraseFields
        labels={{ passphrase: t('accounts.change.next'), confirm: t('accounts.change.confirm') }}
        names={{ passphrase: 'next', confirm: 'nextConfirm' }}
        passphrase={next}
        confirm={confirm}
        onPassphrase={setNext}
        onConfirm={setConfirm}
        show={show}
        onShow={setShow}
      />
      <ErrorMessage error={error} />
      {done && !forced ? <p role="status">{t('accounts.change.done')}</p> : null}
      <button type="submit" disabled={busy || !current || !next || !confirm}>
        {busy ? t('accounts.change.working') : t('accounts.change.submit')}
      </button>
    </form>
  );
}
