// Recovery from the sign-in screen: enough shares of the recovery kit set a new passphrase for a director.
import { useId, useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import { maxShareLength } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { NewPassphraseFields } from '../archive/NewPassphraseFields';

type Props = { onBack: () => void };

/** Shares shown at first: the default kit needs three. */
const initialShares = 3;
/** The contract's upper bound on shares in one call (recovery.recover). */
const maxShares = 16;

export function RecoverScreen({ onBack }: Props) {
  const { t } = useTranslation();
  const formId = useId();
  const nextKey = useRef(initialShares);
  // Stable keys so removing a field never moves text into another one.
  const [shares, setShares] = useState(() => Array.from({ length: initialShares }, (_, key) => ({ key, text: '' })));
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [recovered, setRecovered] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  /** The field (by key) of the share main found at fault. */
  const [faulty, setFaulty] = useState<number | null>(null);

  const setShare = (key: number, text: string) => {
    setShares((list) => list.map((s) => (s.key === key ? { key, text } : s)));
    if (key === faulty) setFaulty(null);
  };
  const addShare = () => {
    const key = nextKey.current++;
    setShares((list) => [...list, { key, text: '' }]);
  };
  const removeShare = (key: number) => {
    setShares((list) => list.filter((s) => s.key !== key));
    // Field numbers shift when one is removed: a message naming one would point at the wrong field.
    setError(null);
    setFaulty(null);
  };

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    setFaulty(null);
    // A scanner or a copy may add line breaks around the text; empty fields are simply shares not at hand.
    const entered = shares.map((s, i) => ({ key: s.key, field: i + 1, text: s.text.trim() })).filter((s) => s.text !== '');
    if (entered.length === 0) {
      setError({ code: 'RECOVERY_TOO_FEW_SHARES', message: '' });
      return;
    }
    if (passphrase.normalize('NFKC') !== confirm.normalize('NFKC')) {
      setError({ code: 'PASSPHRASE_MISMATCH', message: '' });
      return;
    }
    setBusy(true);
    const r = await call('recovery.recover', { shares: entered.map((s) => s.text), passphrase, passphraseConfirm: confirm });
    setBusy(false);
    if (r.ok) {
      // The shares and the new passphrase are dropped from memory as soon as they have done their work.
      setShares((list) => list.map((s) => ({ ...s, text: '' })));
      setPassphrase('');
      setConfirm('');
      setRecovered(r.value.username);
    } else {
      // Main counts the shares it was given; the user sees numbered fields, some perhaps left empty.
      const at = r.error.share === undefined ? undefined : entered[r.error.share - 1];
      setFaulty(at?.key ?? null);
      setError(at ? { ...r.error, share: at.field } : r.error);
    }
  };

  if (recovered !== null)
    return (
      <section aria-labelledby="recover-heading" className="card">
        <h1 id="recover-heading">{t('accounts.recover.doneHeading')}</h1>
        <p role="status">{t('accounts.recover.done', { username: recovered })}</p>
        <button type="button" onClick={onBack}>
          {t('accounts.recover.backToSignIn')}
        </button>
      </section>
    );

  return (
    <section aria-labelledby="recover-heading" className="card">
      <h1 id="recover-heading">{t('accounts.recover.heading')}</h1>
      <p>{t('accounts.recover.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t('accounts.recover.sharesLegend')}</legend>
          <p className="hint" id={`${formId}-share-hint`}>
            {t('accounts.recover.sharesHint')}
          </p>
          {shares.map((share, i) => (
            <div className="field share-field" key={share.key}>
              <label htmlFor={`${formId}-share-${share.key}`}>{t('accounts.recover.shareLabel', { n: i + 1 })}</label>
              <div className="share-row">
                <textarea
                  id={`${formId}-share-${share.key}`}
                  className="share-input"
                  name={`share${i + 1}`}
                  rows={2}
                  spellCheck={false}
                  autoComplete="off"
                  autoCapitalize="off"
                  aria-describedby={faulty === share.key ? `${formId}-share-hint ${formId}-error` : `${formId}-share-hint`}
                  aria-invalid={faulty === share.key ? true : undefined}
                  maxLength={maxShareLength}
                  value={share.text}
                  onChange={(e) => setShare(share.key, e.target.value)}
                />
                {shares.length > 1 ? (
                  <button type="button" className="secondary small" onClick={() => removeShare(share.key)}>
                    {t('accounts.recover.removeShare', { n: i + 1 })}
                  </button>
                ) : null}
              </div>
            </div>
          ))}
          {shares.length < maxShares ? (
            <button type="button" className="secondary" onClick={addShare}>
              {t('accounts.recover.addShare')}
            </button>
          ) : null}
        </fieldset>
        <NewPassphraseFields
          labels={{ passphrase: t('accounts.recover.passphrase'), confirm: t('accounts.recover.passphraseConfirm') }}
          names={{ passphrase: 'passphrase', confirm: 'passphraseConfirm' }}
          passphrase={passphrase}
          confirm={confirm}
          onPassphrase={setPassphrase}
          onConfirm={setConfirm}
          show={show}
          onShow={setShow}
        />
        <ErrorMessage error={error} id={`${formId}-error`} />
        <div className="actions">
          <button type="submit" disabled={busy || !passphrase || !confirm}>
            {busy ? t('accounts.recover.working') : t('accounts.recover.submit')}
          </button>
          <button type="button" className="secondary" onClick={onBack} disabled={busy}>
            {t('accounts.recover.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
