// Right after signing in with a one-time passphrase: choose one's own before anything else (or lock and leave).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SessionInfo } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { ChangePassphraseForm } from './ChangePassphraseForm';

type Props = { onChanged: (session: SessionInfo) => void; onLocked: () => void };

export function ForcedPassphraseChange({ onChanged, onLocked }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<ErrorInfo | null>(null);

  const lock = async () => {
    const r = await call('session.lock', {});
    if (r.ok || r.error.code === 'AUTH_REQUIRED') onLocked();
    else setError(r.error);
  };

  return (
    <section aria-labelledby="forced-change-heading" className="card">
      <h1 id="forced-change-heading">{t('accounts.change.forcedHeading')}</h1>
      <p>{t('accounts.change.forcedIntro')}</p>
      <ChangePassphraseForm forced onChanged={onChanged} />
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void lock()}>
          {t('home.lock')}
        </button>
      </div>
      <ErrorMessage error={error} />
    </section>
  );
}
