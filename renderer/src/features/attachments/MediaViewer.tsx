// Plays or shows one attachment from its URL (decrypted on the fly by main); a load failure, such as a damaged
// file the media route refuses, becomes a translated message instead of a broken player or garbage.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../../shared/ipc/contract';

/** Where the item keeps its player, so the segment index can seek it. */
export type MediaRef = { current: HTMLMediaElement | null };

type Kind = 'audio' | 'video' | 'image' | 'pdf' | 'other';

export function viewerKind(mediaType: string): Kind {
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType.startsWith('audio/')) return 'audio';
  if (mediaType.startsWith('video/')) return 'video';
  if (mediaType.startsWith('image/')) return 'image';
  return 'other';
}

type Props = { attachment: AttachmentView; label: string; mediaRef: MediaRef };

export function MediaViewer({ attachment, label, mediaRef }: Props) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  if (!attachment.contentVisible) return <p className="notice">{t('attachments.viewer.notVisible')}</p>;
  const kind = viewerKind(attachment.mediaType);
  if (kind === 'other') return <p className="hint">{t('attachments.viewer.notShown')}</p>;
  // A file known to be damaged is not fetched again: the browser might reuse what it decoded before the damage.
  if (attachment.status === 'damaged') return <p className="error">{t('attachments.viewer.damaged')}</p>;
  if (failed && kind !== 'pdf') {
    return (
      <p className="error" role="alert">
        {t(`attachments.viewer.failed.${kind}`)}
      </p>
    );
  }
  const onError = () => setFailed(true);
  // Chromium's own PDF viewer in a frame of the attachment's origin: not sandboxed, as a sandboxed frame refuses
  // the viewer; the response is never HTML and may be framed by the app's page only (electron/main/security.ts).
  if (kind === 'pdf') return <iframe className="attachment-pdf" src={attachment.url} title={t('attachments.viewer.pdfTitle', { name: label })} referrerPolicy="no-referrer" />;
  if (kind === 'image') return <img className="attachment-image" src={attachment.url} alt={label} onError={onError} />;
  if (kind === 'video') {
    return (
      <video className="attachment-player" controls preload="metadata" src={attachment.url} aria-label={label} onError={onError} ref={(el) => void (mediaRef.current = el)}>
        <track kind="captions" />
      </video>
    );
  }
  return <audio className="attachment-player" controls preload="metadata" src={attachment.url} aria-label={label} onError={onError} ref={(el) => void (mediaRef.current = el)} />;
}
