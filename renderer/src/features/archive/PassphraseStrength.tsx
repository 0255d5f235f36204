// Live strength feedback for a new passphrase, computed in main by the same policy that enforces it.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { call } from '../../lib/archive-client';

type Verdict = MethodOutput<'passphrase.check'>;

export function PassphraseStrength({ passphrase }: { passphrase: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [verdict, setVerdict] = useState<Verdict | null>(null);

  useEffect(() => {
    if (!passphrase) {
      setVerdict(null);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      void call('passphrase.check', { passphrase }).then((r) => {
        if (!cancelled && r.ok) setVerdict(r.value);
      });
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [passphrase]);

  if (!verdict) return null;
  return (
    <div className="strength" aria-live="polite">
      <span id={id}>{t('strength.label')}: </span>
      <meter aria-labelledby={id} min={0} max={4} low={2} high={3} optimum={4} value={verdict.score} />
      <span> {t(`strength.score${verdict.score}`)}</span>
      <p className={verdict.acceptable ? 'hint' : 'warning'}>{t(verdict.problem ? `strength.${verdict.problem}` : 'strength.ok')}</p>
    </div>
  );
}
