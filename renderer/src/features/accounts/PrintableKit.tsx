// A new recovery kit as printable sheets, one page per share (text and QR code); shown once, then dropped.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecoveryKit } from '../../../../shared/ipc/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QrCode } from '../../components/QrCode';

type Props = { kit: RecoveryKit; onDone: () => void };

export function PrintableKit({ kit, onDone }: Props) {
  const { t, i18n } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const [confirmDone, setConfirmDone] = useState(false);
  const created = new Date(kit.createdAt).toLocaleString(i18n.language, { dateStyle: 'long', timeStyle: 'short' });
  const facts = { threshold: kit.threshold, total: kit.total };

  useEffect(() => heading.current?.focus(), []);

  return (
    <section className="recovery-kit" aria-labelledby="kit-heading">
      <div className="no-print">
        <h1 id="kit-heading" ref={heading} tabIndex={-1}>
          {t('accounts.kit.heading')}
        </h1>
        <p className="notice">{t('accounts.kit.once', facts)}</p>
        <div className="actions">
          <button type="button" onClick={() => window.print()}>
            {t('accounts.kit.print')}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmDone(true)}>
            {t('accounts.kit.done')}
          </button>
        </div>
      </div>
      {kit.shares.map((share) => (
        <article key={share.index} className="share-sheet" aria-labelledby={`share-${share.index}`}>
          <p className="kicker">{t('app.title')}</p>
          <h2 id={`share-${share.index}`}>{t('accounts.kit.shareHeading', { index: share.index, total: kit.total })}</h2>
          <p className="share-rule">{t('accounts.kit.anyK', facts)}</p>
          <dl className="record-facts">
            <dt>{t('accounts.kit.archive')}</dt>
            <dd>
              <code>{kit.archiveId}</code>
            </dd>
            <dt>{t('accounts.kit.created')}</dt>
            <dd>{created}</dd>
            <dt>{t('accounts.recovery.fingerprint')}</dt>
            <dd>
              <code>{kit.fingerprint}</code>
            </dd>
          </dl>
          <div className="share-body">
            <div>
              <h3>{t('accounts.kit.shareText')}</h3>
              <pre className="share-text">
                <code>{share.text}</code>
              </pre>
            </div>
            <QrCode text={share.text} label={t('accounts.kit.qrLabel', { index: share.index })} />
          </div>
          <h3>{t('accounts.kit.instructionsHeading')}</h3>
          <ol className="share-instructions">
            <li>{t('accounts.kit.keep')}</li>
            <li>{t('accounts.kit.secret', facts)}</li>
            <li>{t('accounts.kit.howTo', facts)}</li>
            <li>{t('accounts.kit.replaced')}</li>
          </ol>
        </article>
      ))}
      {confirmDone ? (
        <ConfirmDialog
          title={t('accounts.kit.doneTitle')}
          body={t('accounts.kit.doneBody', facts)}
          confirmLabel={t('accounts.kit.doneConfirm')}
          cancelLabel={t('accounts.kit.doneCancel')}
          onConfirm={() => {
            setConfirmDone(false);
            onDone();
          }}
          onCancel={() => setConfirmDone(false)}
        />
      ) : null}
    </section>
  );
}
