// The archive's public signing key (archive.pub) and its id, to give the commission for checking signatures.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';

export function ArchiveKeyPanel() {
  const { t } = useTranslation();
  const headingId = useId();
  const [key, setKey] = useState<{ publicKey: string; keyId: string } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    let live = true;
    void call('submissions.archiveKey', {}).then((r) => {
      if (!live) return;
      if (r.ok) setKey(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, []);

  const copy = async () => {
    if (!key) return;
    try {
      await navigator.clipboard.writeText(key.publicKey);
      setNotice(t('submissions.archiveKey.copied'));
    } catch {
      setNotice(t('submissions.archiveKey.copyFailed'));
    }
  };

  return (
    <section aria-labelledby={headingId} className="archive-key">
      <h2 id={headingId}>{t('submissions.archiveKey.heading')}</h2>
      <p className="hint">{t('submissions.archiveKey.intro', { file: 'archive.pub' })}</p>
      <ErrorMessage error={error} />
      {key ? (
        <>
          <p>
            {t('submissions.archiveKey.keyId')} <code className="fingerprint">{key.keyId}</code>
          </p>
          <p>{t('submissions.archiveKey.textLabel')}</p>
          <pre className="key-text">
            {key.publicKey}
          </pre>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void copy()}>
              {t('submissions.archiveKey.copy')}
            </button>
          </div>
          <p role="status" className="notice-line">
            {notice}
          </p>
        </>
      ) : null}
    </section>
  );
}
