// A director's new submission: filters and export date, the preview (nothing written), recipients, the explicit
// confirmation for restricted records, then the export running in main with its progress, cancel and result.
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { RecipientView, SubmissionPreviewView } from '../../../../shared/ipc/contract';
import { testimonyStatuses } from '../../../../shared/records/schemas';
import { sessionStatuses } from '../../../../shared/records/session-schemas';
import { submissionRecordKinds, type SubmissionFilters } from '../../../../shared/submissions/schemas';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExportProgress } from './ExportProgress';
import { FiltersForm, type FilterState } from './FiltersForm';
import { localToday } from './format';
import { call } from '../../lib/archive-client';

const initialFilters: FilterState = {
  kinds: [...submissionRecordKinds],
  actTypes: [],
  period: '',
  placeIds: [],
  affectedGroups: [],
  testimonyStatuses: [...testimonyStatuses],
  sessionStatuses: [...sessionStatuses],
};

function toFilters(f: FilterState): SubmissionFilters {
  return { ...f, period: f.period.trim() === '' ? null : f.period.trim() };
}

export function NewSubmissionPanel({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const confirmId = useId();
  const [filters, setFilters] = useState<FilterState>(initialFilters);
  const [exportDate, setExportDate] = useState(localToday());
  const [preview, setPreview] = useState<SubmissionPreviewView | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [recipients, setRecipients] = useState<RecipientView[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [confirmed, setConfirmed] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);

  const loadRecipients = useCallback(async () => {
    const r = await call('recipients.list', {});
    if (!r.ok) return setError(r.error);
    const usable = r.value.recipients.filter((x) => !x.retired);
    setRecipients(usable);
    setChosen((c) => c.filter((id) => usable.some((x) => x.id === id)));
  }, []);

  // Recipients may have been added in the other section since: asked again each time this one is shown.
  useEffect(() => {
    if (active) void loadRecipients();
  }, [active, loadRecipients]);

  // A preview answers for the filters it was made with: a change asks for a new one.
  const changeFilters = (f: FilterState) => {
    setFilters(f);
    setPreview(null);
    setConfirmed(false);
  };

  const runPreview = async () => {
    setError(null);
    setProblem(null);
    setNotice('');
    if (filters.kinds.length === 0) return setProblem('submissions.new.kindsRequired');
    setPreviewing(true);
    const r = await call('submissions.preview', { filters: toFilters(filters), exportDate });
    setPreviewing(false);
    if (!r.ok) return setError(r.error);
    setPreview(r.value);
    setConfirmed(false);
  };

  const restricted = preview?.included.some((x) => x.restricted) ?? false;

  const startExport = async () => {
    setError(null);
    setNotice('');
    if (!preview) return setProblem('submissions.new.previewFirst');
    if (preview.included.length === 0) return setProblem('submissions.new.nothingIncluded');
    if (chosen.length === 0) return setProblem('submissions.new.recipientsRequired');
    if (restricted && !confirmed) return setProblem('submissions.new.confirmRequired');
    setProblem(null);
    setStarting(true);
    const r = await call('submissions.exportStart', { filters: toFilters(filters), exportDate, confirmRestricted: confirmed, recipientIds: chosen });
    setStarting(false);
    if (!r.ok) return setError(r.error);
    if (r.value.jobId === null) return setNotice(t('submissions.new.noFolder'));
    setJobId(r.value.jobId);
    setRunning(true);
  };

  const onEnded = useCallback(() => setRunning(false), []);
  const busy = starting || running;

  return (
    <section aria-labelledby={headingId} className="new-submission">
      <h2 id={headingId}>{t('submissions.new.heading')}</h2>
      <p className="hint">{t('submissions.new.intro')}</p>
      <FiltersForm value={filters} onChange={changeFilters} disabled={busy} />
      <div className="field">
        <label htmlFor={`${headingId}-date`}>{t('submissions.new.exportDate')}</label>
        <input
          id={`${headingId}-date`}
          type="date"
          value={exportDate}
          disabled={busy}
          aria-describedby={`${headingId}-date-hint`}
          onChange={(e) => {
            setExportDate(e.target.value);
            setPreview(null);
          }}
        />
        <p className="hint" id={`${headingId}-date-hint`}>
          {t('submissions.new.exportDateHint')}
        </p>
      </div>
      <div className="actions">
        <button type="button" disabled={previewing || busy} onClick={() => void runPreview()}>
          {previewing ? t('submissions.new.previewing') : t('submissions.new.preview')}
        </button>
      </div>
      {preview ? <PreviewTables preview={preview} /> : null}
      {preview && preview.included.length > 0 ? (
        <>
          <fieldset className="checkbox-group">
            <legend>{t('submissions.new.recipients')}</legend>
            {recipients.length === 0 ? <p className="hint">{t('submissions.new.noRecipients')}</p> : null}
            {recipients.map((r) => (
              <div className="checkbox" key={r.id}>
                <input
                  id={`${headingId}-r-${r.id}`}
                  type="checkbox"
                  checked={chosen.includes(r.id)}
                  disabled={busy}
                  onChange={(e) => setChosen((c) => (e.target.checked ? [...c, r.id] : c.filter((x) => x !== r.id)))}
                />
                <label htmlFor={`${headingId}-r-${r.id}`}>
                  {r.label} ({t(`submissions.recipients.kinds.${r.kind}`)}) <code className="fingerprint">{r.fingerprint}</code>
                </label>
              </div>
            ))}
          </fieldset>
          {restricted ? (
            <div className="checkbox restricted-confirm">
              <input id={confirmId} type="checkbox" checked={confirmed} disabled={busy} onChange={(e) => setConfirmed(e.target.checked)} />
              <label htmlFor={confirmId}>{t('submissions.new.confirmRestricted')}</label>
            </div>
          ) : null}
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void startExport()}>
              {t('submissions.new.export')}
            </button>
          </div>
        </>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {t(problem)}
        </p>
      ) : null}
      <p role="status" className="notice-line">
        {notice}
      </p>
      <ErrorMessage error={error} />
      {jobId ? <ExportProgress key={jobId} jobId={jobId} onEnded={onEnded} /> : null}
    </section>
  );
}

function PreviewTables({ preview }: { preview: SubmissionPreviewView }) {
  const { t } = useTranslation();
  return (
    <div className="preview">
      <p role="status">{t('submissions.preview.summary', { included: preview.included.length, excluded: preview.excluded.length })}</p>
      {preview.included.length > 0 ? (
        <table className="preview-included">
          <caption>{t('submissions.preview.includedCaption', { count: preview.included.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('submissions.preview.title')}</th>
              <th scope="col">{t('submissions.preview.kind')}</th>
              <th scope="col">{t('submissions.preview.identity')}</th>
              <th scope="col">{t('submissions.preview.sensitivity')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.included.map((x) => (
              <tr key={`${x.kind}:${x.id}`}>
                <th scope="row">{x.title}</th>
                <td>{t(`submissions.kinds.${x.kind}`)}</td>
                <td>{t(`submissions.identity.${x.identity}`)}</td>
                <td>{x.restricted ? <span className="badge restricted">{t('submissions.preview.restricted')}</span> : t('submissions.preview.normal')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('submissions.preview.noneIncluded')}</p>
      )}
      {preview.excluded.length > 0 ? (
        <table className="preview-excluded">
          <caption>{t('submissions.preview.excludedCaption', { count: preview.excluded.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('submissions.preview.title')}</th>
              <th scope="col">{t('submissions.preview.kind')}</th>
              <th scope="col">{t('submissions.preview.reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.excluded.map((x) => (
              <tr key={`${x.kind}:${x.id}`}>
                <th scope="row">{x.title}</th>
                <td>{t(`submissions.kinds.${x.kind}`)}</td>
                <td>
                  <ul className="reasons">
                    {x.reasons.map((r) => (
                      <li key={r}>{t(`submissions.reasons.${r}`)}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
