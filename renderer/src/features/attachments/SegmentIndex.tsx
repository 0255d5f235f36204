// The time-coded index of a recording (oral-history practice): segments with title, summary and keywords;
// choosing one seeks the player there and plays; editors add segments from the player's position, linked to the
// testimony's coded violations they speak of, and delete them.
import { useCallback, useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { clock, parseClock } from './format';
import type { MediaRef } from './MediaViewer';

type Segment = MethodOutput<'segments.list'>['segments'][number];
/** A coded violation of the owning testimony, with its label in the UI language (act type, victim). */
export type LinkableViolation = { id: string; label: string };
type Props = { attachmentId: string; label: string; mediaRef: MediaRef; mayEdit: boolean; violations: readonly LinkableViolation[] };

export function SegmentIndex({ attachmentId, label, mediaRef, mayEdit, violations }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState('');
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Segment | null>(null);

  const load = useCallback(async () => {
    const r = await call('segments.list', { attachmentId });
    if (r.ok) setSegments(r.value.segments);
    else setError(r.error);
  }, [attachmentId]);

  useEffect(() => {
    void load();
  }, [load]);

  const seek = (s: Segment) => {
    const media = mediaRef.current;
    if (!media) return;
    media.currentTime = s.startMs / 1000;
    // play() is refused when the page may not play sound yet; the position is set either way.
    void media.play().catch(() => undefined);
  };

  const remove = async (s: Segment) => {
    setDeleting(null);
    setError(null);
    const r = await call('segments.delete', { attachmentId, segmentId: s.id });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setNotice(t('attachments.segments.deleted', { title: s.title }));
    await load();
  };

  return (
    <section aria-labelledby={headingId} className="segment-index">
      <h4 id={headingId}>{t('attachments.segments.heading', { name: label })}</h4>
      <ErrorMessage error={error} />
      <p className="notice-line" role="status">
        {notice}
      </p>
      {segments === null && !error ? <p>{t('app.loading')}</p> : null}
      {segments?.length === 0 ? <p className="hint">{t('attachments.segments.none')}</p> : null}
      {segments && segments.length > 0 ? (
        <ol className="segment-list">
          {segments.map((s) => (
            <li key={s.id} className="segment">
              <button type="button" className="link" onClick={() => seek(s)} aria-label={t('attachments.segments.playFrom', { title: s.title, time: clock(s.startMs) })}>
                <span className="segment-time">
                  {clock(s.startMs)}–{clock(s.endMs)}
                </span>{' '}
                <span className="segment-title">{s.title}</span>
              </button>
              {s.summary ? <p className="segment-summary">{s.summary}</p> : null}
              {s.keywords.length > 0 ? <p className="hint">{t('attachments.segments.keywordsList', { keywords: s.keywords.join(', ') })}</p> : null}
              <LinkedViolations ids={s.violationIds} violations={violations} />
              {mayEdit ? (
                <button type="button" className="secondary small" aria-label={t('attachments.segments.deleteNamed', { title: s.title })} onClick={() => setDeleting(s)}>
                  {t('attachments.segments.delete')}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {mayEdit && !adding ? (
        <button type="button" className="secondary" onClick={() => setAdding(true)}>
          {t('attachments.segments.add')}
        </button>
      ) : null}
      {mayEdit && adding ? (
        <SegmentForm
          attachmentId={attachmentId}
          mediaRef={mediaRef}
          violations={violations}
          onSaved={(s) => {
            setAdding(false);
            setNotice(t('attachments.segments.saved', { title: s.title }));
            void load();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={t('attachments.segments.deleteTitle', { title: deleting.title })}
          body={t('attachments.segments.deleteBody')}
          confirmLabel={t('attachments.segments.deleteConfirm')}
          cancelLabel={t('attachments.segments.deleteCancel')}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        />
      ) : null}
    </section>
  );
}

/** The violations a segment speaks of, by their labels; a link to one no longer known is not shown. */
function LinkedViolations({ ids, violations }: { ids: readonly string[]; violations: readonly LinkableViolation[] }) {
  const { t } = useTranslation();
  const labels = violations.filter((v) => ids.includes(v.id)).map((v) => v.label);
  if (labels.length === 0) return null;
  return <p className="segment-violations">{t('attachments.segments.violationsList', { violations: labels.join('; ') })}</p>;
}

type FormProps = { attachmentId: string; mediaRef: MediaRef; violations: readonly LinkableViolation[]; onSaved: (s: Segment) => void; onCancel: () => void };

function SegmentForm({ attachmentId, mediaRef, violations, onSaved, onCancel }: FormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [start, setStart] = useState('0:00');
  const [end, setEnd] = useState('');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [keywords, setKeywords] = useState('');
  const [linked, setLinked] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const here = () => clock((mediaRef.current?.currentTime ?? 0) * 1000);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const startMs = parseClock(start);
    const endMs = parseClock(end);
    if (startMs === null || endMs === null) return setProblem(t('attachments.segments.badTime'));
    if (startMs >= endMs) return setProblem(t('attachments.segments.endBeforeStart'));
    if (!title.trim()) return setProblem(t('attachments.segments.titleRequired'));
    const words = [...new Set(keywords.split(',').map((k) => k.trim()).filter(Boolean))];
    setBusy(true);
    const r = await call('segments.save', {
      attachmentId,
      segment: { id: null, startMs, endMs, title: title.trim(), summary: summary.trim(), keywords: words, violationIds: violations.filter((v) => linked.has(v.id)).map((v) => v.id) },
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onSaved(r.value);
  };

  return (
    <form className="segment-form card" aria-labelledby={`${id}-heading`} onSubmit={(e) => void submit(e)} noValidate>
      <h5 id={`${id}-heading`}>{t('attachments.segments.newHeading')}</h5>
      <div className="segment-times">
        <div className="field">
          <label htmlFor={`${id}-start`}>{t('attachments.segments.start')}</label>
          <div className="combobox-row">
            <input id={`${id}-start`} value={start} inputMode="numeric" aria-describedby={`${id}-time-hint`} onChange={(e) => setStart(e.target.value)} />
            <button type="button" className="secondary small" onClick={() => setStart(here())}>
              {t('attachments.segments.startHere')}
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>{t('attachments.segments.end')}</label>
          <div className="combobox-row">
            <input id={`${id}-end`} value={end} inputMode="numeric" aria-describedby={`${id}-time-hint`} onChange={(e) => setEnd(e.target.value)} />
            <button type="button" className="secondary small" onClick={() => setEnd(here())}>
              {t('attachments.segments.endHere')}
            </button>
          </div>
        </div>
      </div>
      <p className="hint" id={`${id}-time-hint`}>
        {t('attachments.segments.timeHint')}
      </p>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('attachments.segments.title')}</label>
        <input id={`${id}-title`} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-summary`}>{t('attachments.segments.summary')}</label>
        <textarea id={`${id}-summary`} value={summary} maxLength={4000} rows={3} onChange={(e) => setSummary(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-keywords`}>{t('attachments.segments.keywords')}</label>
        <input id={`${id}-keywords`} value={keywords} aria-describedby={`${id}-keywords-hint`} onChange={(e) => setKeywords(e.target.value)} />
        <p className="hint" id={`${id}-keywords-hint`}>
          {t('attachments.segments.keywordsHint')}
        </p>
      </div>
      {violations.length > 0 ? (
        <fieldset className="segment-violation-choice" aria-describedby={`${id}-violations-hint`}>
          <legend>{t('attachments.segments.violations')}</legend>
          <p className="hint" id={`${id}-violations-hint`}>
            {t('attachments.segments.violationsHint')}
          </p>
          {violations.map((v) => (
            <label key={v.id} className="checkbox">
              <input
                type="checkbox"
                checked={linked.has(v.id)}
                onChange={(e) => {
                  const on = e.target.checked;
                  setLinked((prev) => {
                    const next = new Set(prev);
                    if (on) next.add(v.id);
                    else next.delete(v.id);
                    return next;
                  });
                }}
              />{' '}
              {v.label}
            </label>
          ))}
        </fieldset>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('attachments.segments.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('attachments.segments.cancel')}
        </button>
      </div>
    </form>
  );
}
