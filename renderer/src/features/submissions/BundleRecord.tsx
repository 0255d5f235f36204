// One record of an opened bundle, read-only: as the commission will read it (people, sections, violations, files).
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundleRecordView } from '../../../../shared/ipc/contract';
import { useReference } from '../../lib/reference';
import { humanSize } from '../attachments/format';

const knownRoles = new Set(['deponent', 'victim', 'participant']);

export function BundleRecord({ record, onClose }: { record: BundleRecordView; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const reference = useReference();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // The record appears below the list: focus moves to it, so a keyboard or screen reader user lands on what they chose.
  useEffect(() => heading.current?.focus(), [record.ref]);
  const role = (r: string) => (knownRoles.has(r) ? t(`submissions.record.roles.${r}`) : r);
  return (
    <article aria-labelledby={headingId} className="card bundle-record">
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {record.title}
      </h3>
      <dl>
        <dt>{t('submissions.preview.kind')}</dt>
        <dd>{t(`submissions.kinds.${record.kind}`)}</dd>
        <dt>{t('submissions.bundle.date')}</dt>
        <dd>{record.date ?? '—'}</dd>
        <dt>{t('submissions.record.place')}</dt>
        <dd>{record.placeId ? reference.placeName(record.placeId) : '—'}</dd>
        <dt>{t('submissions.preview.identity')}</dt>
        <dd>{record.identity === 'named' || record.identity === 'pseudonymised' ? t(`submissions.identity.${record.identity}`) : (record.identity ?? '—')}</dd>
      </dl>
      {record.people.length > 0 ? (
        <>
          <h4>{t('submissions.record.people')}</h4>
          <ul>
            {record.people.map((p) => (
              <li key={`${p.ref}:${p.role}`}>
                {p.name} — {role(p.role)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {record.sections.map((s) => (
        <section key={s.heading} aria-label={t(`submissions.record.sections.${s.heading}`)}>
          <h4>{t(`submissions.record.sections.${s.heading}`)}</h4>
          <p className="record-text">{s.text}</p>
        </section>
      ))}
      {record.violations.length > 0 ? (
        <table>
          <caption>{t('submissions.record.violations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('submissions.record.actType')}</th>
              <th scope="col">{t('submissions.record.victim')}</th>
              <th scope="col">{t('submissions.bundle.date')}</th>
              <th scope="col">{t('submissions.record.place')}</th>
              <th scope="col">{t('submissions.record.notes')}</th>
            </tr>
          </thead>
          <tbody>
            {record.violations.map((v, i) => (
              <tr key={i}>
                <td>{reference.label('actTypes', v.actType)}</td>
                <td>{v.victim}</td>
                <td>{v.date ?? '—'}</td>
                <td>{v.placeId ? reference.placeName(v.placeId) : '—'}</td>
                <td>{v.notes ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {record.attachments.length > 0 ? (
        <>
          <h4>{t('submissions.record.attachments')}</h4>
          <ul>
            {record.attachments.map((a) => (
              <li key={a.path}>
                <code>{a.path}</code> · {a.mediaType} · {humanSize(a.bytes, i18n.language)}
                <br />
                <span className="hint">
                  {t('submissions.record.sha256', { algorithm: 'SHA-256' })} <code className="hash">{a.sha256}</code>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t('submissions.record.close')}
        </button>
      </div>
    </article>
  );
}
