// Who submissions can be encrypted to: the list, and (directors) adding a recipient's key and retiring one.
import { useCallback, useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import { recipientKinds, type RecipientView } from '../../../../shared/ipc/contract';
import { useAllowed } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/TextField';
import { call } from '../../lib/archive-client';
import { whenText } from './format';

type RecipientKind = (typeof recipientKinds)[number];

export function RecipientsPanel() {
  const { t, i18n } = useTranslation();
  const mayAdd = useAllowed('recipients.add');
  const mayRetire = useAllowed('recipients.retire');
  const headingId = useId();
  const tableId = useId();
  const [recipients, setRecipients] = useState<RecipientView[] | null>(null);
  const [added, setAdded] = useState<RecipientView | null>(null);
  const [pending, setPending] = useState<RecipientView | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);

  const load = useCallback(async () => {
    const r = await call('recipients.list', {});
    if (r.ok) setRecipients(r.value.recipients);
    else setError(r.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const retire = async (recipient: RecipientView) => {
    setError(null);
    setNotice('');
    const r = await call('recipients.retire', { id: recipient.id });
    if (!r.ok) return setError(r.error);
    setNotice(t('submissions.recipients.retiredDone', { label: recipient.label }));
    await load();
  };

  return (
    <section aria-labelledby={headingId} className="recipients">
      <h2 id={headingId}>{t('submissions.recipients.heading')}</h2>
      <p className="hint">{t('submissions.recipients.intro')}</p>
      <p role="status" className="notice-line">
        {notice}
      </p>
      <ErrorMessage error={error} />
      {added ? (
        <div className="card fingerprint-notice" role="region" aria-label={t('submissions.recipients.addedHeading', { label: added.label })}>
          <h3>{t('submissions.recipients.addedHeading', { label: added.label })}</h3>
          <p>{t('submissions.recipients.confirmOutOfBand', { label: added.label })}</p>
          <p>
            <code className="fingerprint">{added.fingerprint}</code>
          </p>
          <button type="button" className="secondary" onClick={() => setAdded(null)}>
            {t('submissions.recipients.confirmedDismiss')}
          </button>
        </div>
      ) : null}
      {recipients === null ? (
        <p aria-live="polite">{t('app.loading')}</p>
      ) : recipients.length === 0 ? (
        <p>{t('submissions.recipients.none')}</p>
      ) : (
        <table className="recipients-table">
          <caption>{t('submissions.recipients.caption', { count: recipients.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('submissions.recipients.label')}</th>
              <th scope="col">{t('submissions.recipients.kind')}</th>
              <th scope="col">{t('submissions.recipients.fingerprint')}</th>
              <th scope="col">{t('submissions.recipients.addedAt')}</th>
              <th scope="col">{t('submissions.recipients.state')}</th>
              {mayRetire ? <th scope="col">{t('submissions.recipients.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {recipients.map((r) => (
              <tr key={r.id} className={r.retired ? 'disabled' : undefined}>
                <th scope="row" id={`${tableId}-${r.id}`}>
                  {r.label}
                </th>
                <td>{t(`submissions.recipients.kinds.${r.kind}`)}</td>
                <td>
                  <code className="fingerprint">{r.fingerprint}</code>
                </td>
                <td>{whenText(r.addedAt, i18n.language)}</td>
                <td>{t(r.retired ? 'submissions.recipients.retired' : 'submissions.recipients.active')}</td>
                {mayRetire ? (
                  <td>
                    {r.retired ? null : (
                      <button type="button" className="secondary small" aria-describedby={`${tableId}-${r.id}`} onClick={() => setPending(r)}>
                        {t('submissions.recipients.retire')}
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayAdd ? (
        <AddRecipientForm
          onAdded={(r) => {
            setNotice('');
            setAdded(r);
            void load();
          }}
        />
      ) : null}
      {pending ? (
        <ConfirmDialog
          title={t('submissions.recipients.retireTitle', { label: pending.label })}
          body={t('submissions.recipients.retireBody', { label: pending.label })}
          confirmLabel={t('submissions.recipients.retireConfirm')}
          cancelLabel={t('form.cancel')}
          onConfirm={() => {
            const r = pending;
            setPending(null);
            void retire(r);
          }}
          onCancel={() => setPending(null)}
        />
      ) : null}
    </section>
  );
}

function AddRecipientForm({ onAdded }: { onAdded: (r: RecipientView) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const kindId = useId();
  const keyId = useId();
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<RecipientKind>('commission');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    const found = !label.trim() ? 'submissions.recipients.labelRequired' : !key.trim() ? 'submissions.recipients.keyRequired' : null;
    setProblem(found);
    if (found) return;
    setBusy(true);
    const r = await call('recipients.add', { label: label.trim(), kind, recipient: key.trim() });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setLabel('');
    setKey('');
    setKind('commission');
    onAdded(r.value);
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{t('submissions.recipients.addHeading')}</h3>
      <TextField label={t('submissions.recipients.label')} name="label" autoComplete="off" required maxLength={200} value={label} onChange={(e) => setLabel(e.target.value)} />
      <div className="field">
        <label htmlFor={kindId}>{t('submissions.recipients.kind')}</label>
        <select id={kindId} name="kind" value={kind} onChange={(e) => setKind(recipientKinds.find((k) => k === e.target.value) ?? 'commission')}>
          {recipientKinds.map((k) => (
            <option key={k} value={k}>
              {t(`submissions.recipients.kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={keyId}>{t('submissions.recipients.key')}</label>
        <textarea id={keyId} name="recipient" rows={2} spellCheck={false} className="mono" aria-describedby={`${keyId}-hint`} value={key} onChange={(e) => setKey(e.target.value)} />
        <p className="hint" id={`${keyId}-hint`}>
          {t('submissions.recipients.keyHint', { prefix: 'age1' })}
        </p>
      </div>
      {problem ? (
        <p className="error" role="alert">
          {t(problem)}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        {busy ? t('submissions.recipients.adding') : t('submissions.recipients.add')}
      </button>
    </form>
  );
}
