// The director's recovery kit: whether one exists, creating a new k-of-n kit, and printing its shares once.
import { useCallback, useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput, RecoveryKit } from '../../../../shared/ipc/contract';
import { useAllowed } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { PrintableKit } from './PrintableKit';

type Status = MethodOutput<'recovery.status'>['kit'];

// The contract's bounds (recovery.createKit): at least 2 shares needed, at most 16 printed.
const thresholdRange = { min: 2, max: 10 } as const;
const totalRange = { min: 2, max: 16 } as const;

export function RecoveryKitScreen() {
  const { t, i18n } = useTranslation();
  const mayCreate = useAllowed('recovery.createKit');
  const formId = useId();
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [threshold, setThreshold] = useState('3');
  const [total, setTotal] = useState('5');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmReplace, setConfirmReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  // The shares live only here, in memory, until Done (or lock) drops them: they are never stored anywhere.
  const [kit, setKit] = useState<RecoveryKit | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const load = useCallback(async () => {
    const r = await call('recovery.status', {});
    if (r.ok) setStatus(r.value.kit);
    else setError(r.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    setBusy(true);
    setError(null);
    const r = await call('recovery.createKit', { threshold: Number(threshold), total: Number(total) });
    setBusy(false);
    if (r.ok) setKit(r.value);
    else setError(r.error);
  };

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const k = Number(threshold);
    const n = Number(total);
    let found: string | null = null;
    if (!Number.isInteger(k) || k < thresholdRange.min || k > thresholdRange.max) found = 'accounts.recovery.thresholdInvalid';
    else if (!Number.isInteger(n) || n < totalRange.min || n > totalRange.max) found = 'accounts.recovery.totalInvalid';
    else if (k > n) found = 'accounts.recovery.thresholdAboveTotal';
    setProblem(found);
    if (found) return;
    // A new kit replaces the old one: its shares stop working, so the director confirms first.
    if (status) setConfirmReplace(true);
    else void create();
  };

  if (kit)
    return (
      <PrintableKit
        kit={kit}
        onDone={() => {
          setKit(null);
          void load();
        }}
      />
    );

  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { dateStyle: 'long' });
  return (
    <section aria-labelledby="recovery-heading">
      <h1 id="recovery-heading">{t('accounts.recovery.heading')}</h1>
      <p>{t('accounts.recovery.intro')}</p>
      <section className="card" aria-labelledby={`${formId}-status`}>
        <h2 id={`${formId}-status`}>{t('accounts.recovery.statusHeading')}</h2>
        {status === undefined ? (
          <p aria-live="polite">{t('app.loading')}</p>
        ) : status === null ? (
          <p className="warning">{t('accounts.recovery.none')}</p>
        ) : (
          <>
            <p>{t('accounts.recovery.exists', { date: date(status.createdAt), threshold: status.threshold, total: status.total })}</p>
            <p>
              {t('accounts.recovery.fingerprint')}: <code>{status.fingerprint}</code>
            </p>
          </>
        )}
      </section>
      {mayCreate ? (
        <form className="card" onSubmit={submit} noValidate aria-labelledby={`${formId}-create`}>
          <h2 id={`${formId}-create`}>{t('accounts.recovery.createHeading')}</h2>
          <p className="hint">{t('accounts.recovery.createIntro')}</p>
          <div className="recovery-numbers">
            <div className="field">
              <label htmlFor={`${formId}-k`}>{t('accounts.recovery.threshold')}</label>
              <input
                id={`${formId}-k`}
                name="threshold"
                type="number"
                inputMode="numeric"
                min={thresholdRange.min}
                max={thresholdRange.max}
                step={1}
                value={threshold}
                onChange={(e) => setThreshold(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${formId}-n`}>{t('accounts.recovery.total')}</label>
              <input
                id={`${formId}-n`}
                name="total"
                type="number"
                inputMode="numeric"
                min={totalRange.min}
                max={totalRange.max}
                step={1}
                value={total}
                onChange={(e) => setTotal(e.target.value)}
              />
            </div>
          </div>
          {problem ? (
            <p className="error" role="alert">
              {t(problem, { min: thresholdRange.min, max: problem === 'accounts.recovery.totalInvalid' ? totalRange.max : thresholdRange.max })}
            </p>
          ) : null}
          <ErrorMessage error={error} />
          <button type="submit" disabled={busy}>
            {busy ? t('accounts.recovery.creating') : t('accounts.recovery.create')}
          </button>
        </form>
      ) : null}
      {confirmReplace ? (
        <ConfirmDialog
          title={t('accounts.recovery.replaceTitle')}
          body={t('accounts.recovery.replaceBody')}
          confirmLabel={t('accounts.recovery.replaceConfirm')}
          cancelLabel={t('form.cancel')}
          onConfirm={() => {
            setConfirmReplace(false);
            void create();
          }}
          onCancel={() => setConfirmReplace(false)}
        />
      ) : null}
    </section>
  );
}
