// The attachments of a testimony or session: the list (recordings, scans, documents), adding a file through
// main's own dialog, recording audio, and per item its player, integrity check, chain of custody and segments.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { AttachmentView } from '../../../../shared/ipc/contract';
import { useAllowed, useSession } from '../../app/session-context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { AttachmentItem } from './AttachmentItem';
import type { LinkableViolation } from './SegmentIndex';
import { Recorder } from './Recorder';

type Props = {
  ownerKind: AttachmentView['ownerKind'];
  ownerId: string;
  /** Who recorded the owner: a recorder adds attachments only to their own records (the policy's "own" reach). */
  authorId: string;
  /** The owning testimony's coded violations a segment may be linked to, labelled for this UI (none for a session). */
  violations?: readonly LinkableViolation[];
};

/** Shown only to users the policy lets list attachments. */
export function AttachmentsPanel(props: Props) {
  const mayList = useAllowed('attachments.list');
  if (!mayList) return null;
  return <Attachments {...props} />;
}

function Attachments({ ownerKind, ownerId, authorId, violations = [] }: Props) {
  const { t } = useTranslation();
  const session = useSession();
  const owns = session.role === 'director' || session.userId === authorId;
  const mayImport = owns && session.allowed.includes('attachments.import');
  const mayRecord = owns && session.allowed.includes('recording.start');
  const mayIndex = owns && session.allowed.includes('segments.save');
  const [items, setItems] = useState<AttachmentView[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const mayListUsers = session.allowed.includes('users.list');
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());

  const load = useCallback(async () => {
    const [r, u] = await Promise.all([call('attachments.list', { ownerKind, ownerId }), mayListUsers ? call('users.list', {}) : null]);
    if (r.ok) setItems(r.value.items);
    else setError(r.error);
    // Custody names people: a director sees who; others see their own name and the ids the log keeps.
    if (u?.ok) setNames(new Map(u.value.users.map((x) => [x.id, `${x.displayName} (${x.username})`])));
  }, [ownerKind, ownerId, mayListUsers]);

  useEffect(() => {
    void load();
  }, [load]);

  const added = (a: AttachmentView) => {
    setItems((list) => [...(list ?? []).filter((x) => x.id !== a.id), a]);
  };

  const importFile = async () => {
    setBusy(true);
    setError(null);
    setNotice('');
    const r = await call('attachments.import', { ownerKind, ownerId });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    // null: the user closed the dialog; nothing happened and nothing needs saying.
    if (r.value.attachment === null) return;
    added(r.value.attachment);
    setNotice(t('attachments.imported', { name: r.value.attachment.fileName ?? '' }));
  };

  const headingId = `attachments-heading-${ownerKind}`;
  return (
    <section aria-labelledby={headingId} className="attachments-panel">
      <h2 id={headingId}>{t('attachments.heading')}</h2>
      <ErrorMessage error={error} />
      <p className="notice-line" role="status">
        {notice}
      </p>
      {mayImport || mayRecord ? (
        <div className="actions">
          {mayImport ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => void importFile()}>
              {t('attachments.add')}
            </button>
          ) : null}
          {mayRecord ? <Recorder ownerKind={ownerKind} ownerId={ownerId} onRecorded={added} /> : null}
        </div>
      ) : null}
      {items === null && !error ? <p>{t('app.loading')}</p> : null}
      {items?.length === 0 ? <p className="hint">{t('attachments.none')}</p> : null}
      {items && items.length > 0 ? (
        <ul className="attachment-list">
          {items.map((a) => (
            <AttachmentItem key={a.id} attachment={a} mayIndex={mayIndex} names={names} violations={violations} onChanged={added} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
