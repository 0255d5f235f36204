// One attachment: what it is (name, type, size, integrity status, who added it when), its player or viewer,
// the integrity check on demand, the chain of custody, and for recordings the segment index.
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { AttachmentView } from '../../../../shared/ipc/contract';
import { useSession } from '../../app/session-context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { humanSize, shortHash } from './format';
import { MediaViewer, viewerKind, type MediaRef } from './MediaViewer';
import { SegmentIndex, type LinkableViolation } from './SegmentIndex';

type Props = {
  attachment: AttachmentView;
  mayIndex: boolean;
  /** User id -> "Display name (username)" when this user may list accounts; otherwise empty. */
  names: ReadonlyMap<string, string>;
  violations: readonly LinkableViolation[];
  onChanged: (a: AttachmentView) => void;
};

export function AttachmentItem({ attachment: a, mayIndex, names, violations, onChanged }: Props) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const headingId = useId();
  const mediaRef: MediaRef = useRef<HTMLMediaElement | null>(null);
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<'ok' | 'damaged' | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const who = (userId: string) => names.get(userId) ?? (userId === session.userId ? session.displayName : userId);
  const label =
    a.source === 'recording'
      ? t('attachments.recordingName', { date: when(a.createdAt) })
      : (a.fileName ?? t('attachments.hiddenName'));

  const verify = async () => {
    setChecking(true);
    setResult(null);
    setError(null);
    const r = await call('attachments.verify', { id: a.id });
    setChecking(false);
    if (!r.ok) return setError(r.error);
    setResult(r.value.ok ? 'ok' : 'damaged');
    onChanged(r.value.attachment);
  };

  const kind = viewerKind(a.mediaType);
  return (
    <li className="attachment card" aria-labelledby={headingId}>
      <h3 id={headingId} className="attachment-name">
        {label}
      </h3>
      <p className="record-meta attachment-meta">
        <span>{a.mediaType}</span> · <span>{humanSize(a.size, i18n.language)}</span> ·{' '}
        <span className={`status-badge attachment-${a.status}`}>{t(`attachments.status.${a.status}`)}</span>
      </p>
      <p className="hint">
        {t(a.source === 'recording' ? 'attachments.recordedBy' : 'attachments.addedBy', { name: who(a.createdBy), date: when(a.createdAt) })}
        {a.device ? ` · ${t('attachments.device', { device: a.device })}` : null}
      </p>
      {/* A new check re-mounts the viewer, so a file found damaged is fetched again and fails visibly. */}
      <MediaViewer key={a.lastVerifiedAt ?? 'unverified'} attachment={a} label={label} mediaRef={mediaRef} />
      <div className="actions">
        <button type="button" className="secondary small" disabled={checking} aria-label={t('attachments.verifyNamed', { name: label })} onClick={() => void verify()}>
          {t('attachments.verify')}
        </button>
      </div>
      <p className="notice-line" role="status">
        {checking ? t('attachments.checking') : result === 'ok' ? t('attachments.verifiedOk') : ''}
      </p>
      {result === 'damaged' ? (
        <p className="error" role="alert">
          {t('attachments.verifiedDamaged')}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <details className="custody">
        <summary>{t('attachments.custody.heading')}</summary>
        <table className="custody-table">
          <thead>
            <tr>
              <th scope="col">{t('attachments.custody.when')}</th>
              <th scope="col">{t('attachments.custody.who')}</th>
              <th scope="col">{t('attachments.custody.event')}</th>
              <th scope="col">{t('attachments.custody.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {a.custody.map((c, i) => {
              const hash = typeof c.detail['sha256'] === 'string' ? c.detail['sha256'] : c.event === 'intake' ? a.sha256 : null;
              return (
                // Custody entries are append-only and ordered: the position is their identity here.
                <tr key={i}>
                  <td>{when(c.at)}</td>
                  <td>{who(c.by)}</td>
                  <td>{t(`attachments.custody.events.${c.event}`)}</td>
                  <td>
                    <code title={hash ?? undefined}>{hash ? shortHash(hash) : '—'}</code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="hint">
          {t('attachments.custody.intakeHash')} <code className="hash">{a.sha256}</code>
        </p>
      </details>
      {a.contentVisible && (kind === 'audio' || kind === 'video') ? <SegmentIndex attachmentId={a.id} label={label} mediaRef={mediaRef} mayEdit={mayIndex} violations={violations} /> : null}
    </li>
  );
}
