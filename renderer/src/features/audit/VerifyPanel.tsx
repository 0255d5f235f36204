// "Verify the log": walks the hash chain and every signed checkpoint in main and words the outcome plainly,
// the first break from its reason and position (main's English message is never shown).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { AuditVerify } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { useAuditWords } from './audit-words';

/** Enough of the head hash to compare by eye with a printed checkpoint. */
const headDigits = 16;

type State = { state: 'idle' } | { state: 'working' } | { state: 'done'; result: AuditVerify } | { state: 'failed'; error: ErrorInfo };

export function VerifyPanel() {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ state: 'idle' });
  const verify = async () => {
    setState({ state: 'working' });
    const r = await call('audit.verify', {});
    setState(r.ok ? { state: 'done', result: r.value } : { state: 'failed', error: r.error });
  };
  const result = state.state === 'done' ? state.result : null;
  const sound = result !== null && result.firstBreak === null && result.checkpoints.firstBad === null;
  return (
    <section aria-labelledby="audit-verify-heading" className="audit-verify">
      <h2 id="audit-verify-heading">{t('audit.verify.heading')}</h2>
      <p className="hint">{t('audit.verify.intro')}</p>
      <div className="actions">
        <button type="button" disabled={state.state === 'working'} onClick={() => void verify()}>
          {t('audit.verify.button')}
        </button>
      </div>
      {/* A sound log is news (status); a broken one is an alert. */}
      <div role="status" className={sound ? 'verify-result verify-ok' : undefined}>
        {state.state === 'working' ? <p>{t('audit.verify.working')}</p> : null}
        {result && sound ? <VerifyReport result={result} /> : null}
      </div>
      {result && !sound ? (
        <div role="alert" className="verify-result verify-bad">
          <VerifyReport result={result} />
        </div>
      ) : null}
      {state.state === 'failed' ? <ErrorMessage error={state.error} /> : null}
    </section>
  );
}

function VerifyReport({ result }: { result: AuditVerify }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="verify-chain">
        <strong>{t('audit.verify.chainLabel')}</strong> <ChainLine result={result} />
      </p>
      <p className="verify-checkpoints">
        <strong>{t('audit.verify.checkpointsLabel')}</strong> <CheckpointLine checkpoints={result.checkpoints} />
      </p>
    </>
  );
}

function ChainLine({ result }: { result: AuditVerify }) {
  const { t } = useTranslation();
  const b = result.firstBreak;
  if (b) {
    const n = b.position;
    switch (b.reason) {
      case 'edited':
        return <>{t('audit.verify.break.edited', { n })}</>;
      case 'missing-or-reordered':
        return <>{t('audit.verify.break.missing', { n })}</>;
      case 'broken-link':
        return <>{t('audit.verify.break.link', { n, previous: n - 1 })}</>;
      case 'unreadable':
        return <>{t('audit.verify.break.unreadable', { n })}</>;
    }
  }
  if (result.entries === 0 || result.head === null) return <>{t('audit.verify.empty')}</>;
  return <>{t('audit.verify.intact', { count: result.entries, head: result.head.slice(0, headDigits) })}</>;
}

function CheckpointLine({ checkpoints: c }: { checkpoints: AuditVerify['checkpoints'] }) {
  const { t } = useTranslation();
  const words = useAuditWords();
  if (c.total === 0) return <>{t('audit.verify.noCheckpoints')}</>;
  const summary = t('audit.verify.checkpointsValid', { valid: c.valid, total: c.total });
  const latest = c.latest
    ? t('audit.verify.latest', { time: words.when(c.latest.at), reason: words.checkpointReason(c.latest.reason), count: c.latest.count })
    : null;
  const bad = c.firstBad;
  if (!bad) return <>{[summary, latest].filter(Boolean).join(', ')}.</>;
  const problem =
    bad.problem === 'count-beyond-log' && bad.count !== null
      ? t('audit.verify.problem.countBeyondLogN', { id: bad.id, count: bad.count })
      : t(`audit.verify.problem.${problemKey[bad.problem]}`, { id: bad.id });
  return (
    <>
      {summary}. {problem}
    </>
  );
}

const problemKey: Readonly<Record<NonNullable<AuditVerify['checkpoints']['firstBad']>['problem'], string>> = {
  'bad-signature': 'badSignature',
  'unknown-key': 'unknownKey',
  malformed: 'malformed',
  'count-beyond-log': 'countBeyondLog',
  'head-mismatch': 'headMismatch',
};
