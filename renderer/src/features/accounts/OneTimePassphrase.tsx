// The one-time passphrase main generated for a new or reset account, shown to the director once and then forgotten.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type OneTime = { username: string; displayName: string; passphrase: string; reason: 'created' | 'reset' };

type Props = { value: OneTime; onDismiss: () => void };

export function OneTimePassphrase({ value, onDismiss }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  // The panel replaces the form the director just used: move focus so a screen reader announces it.
  useEffect(() => heading.current?.focus(), []);

  const copyToClipboard = async () => {
    try {
      await navigator.clipboard.writeText(value.passphrase);
      setCopy('copied');
    } catch {
      // The window may not be granted clipboard access; the text stays selectable by hand.
      setCopy('failed');
    }
  };

  return (
    <section className="card one-time" aria-labelledby={headingId}>
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        {t(value.reason === 'created' ? 'accounts.oneTime.createdHeading' : 'accounts.oneTime.resetHeading', { name: value.displayName, username: value.username })}
      </h2>
      <p>{t('accounts.oneTime.instructions', { name: value.displayName })}</p>
      <p className="one-time-passphrase">
        <code>{value.passphrase}</code>
      </p>
      <p className="warning">{t('accounts.oneTime.once')}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void copyToClipboard()}>
          {t('accounts.oneTime.copy')}
        </button>
        <button type="button" onClick={onDismiss}>
          {t('accounts.oneTime.dismiss')}
        </button>
      </div>
      <p role="status" className={copy === 'failed' ? 'warning' : 'hint'}>
        {copy === 'copied' ? t('accounts.oneTime.copied') : copy === 'failed' ? t('accounts.oneTime.copyFailed') : ''}
      </p>
    </section>
  );
}
