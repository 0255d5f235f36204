// The home screen: who is signed in, what to record next, and drafts left unfinished.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput, SessionInfo } from '../../../../shared/ipc/contract';
import { useNavigation, type Route } from '../../app/navigation';
import { call } from '../../lib/archive-client';
import { BackupReminder } from '../backups/BackupReminder';

type Drafts = MethodOutput<'drafts.list'>['drafts'];

/** The screen a draft belongs to. */
function draftRoute(key: string): Route | null {
  const [kind, id] = key.split(':');
  if (!id) return null;
  if (kind === 'testimony') return id === 'new' ? { name: 'testimony-new' } : { name: 'testimony-edit', id };
  if (kind === 'session') return id === 'new' ? { name: 'session-new' } : { name: 'session-edit', id };
  if (kind === 'person') return id === 'new' ? { name: 'person-new' } : { name: 'person-edit', id };
  return null;
}

export function HomeScreen({ session }: { session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const [drafts, setDrafts] = useState<Drafts>([]);
  const canCreate = session.allowed.includes('testimonies.create');
  const canAudit = session.allowed.includes('audit.list');
  const canBackup = session.allowed.includes('backups.list');

  useEffect(() => {
    let live = true;
    void call('drafts.list', {}).then((r) => {
      if (live && r.ok) setDrafts(r.value.drafts);
    });
    return () => {
      live = false;
    };
  }, []);

  return (
    <section aria-labelledby="home-heading">
      <h1 id="home-heading">{t('home.heading')}</h1>
      <p className="who">
        {t('home.signedInAs', { name: session.displayName })} · {t('home.role', { role: t(`roles.${session.role}`) })}
      </p>
      {canBackup ? <BackupReminder /> : null}
      {canCreate ? (
        <div className="actions">
          <button type="button" onClick={() => navigate({ name: 'testimony-new' })}>
            {t('home.newTestimony')}
          </button>
          <button type="button" onClick={() => navigate({ name: 'session-new' })}>
            {t('home.newSession')}
          </button>
          <button type="button" className="secondary" onClick={() => navigate({ name: 'person-new' })}>
            {t('home.newPerson')}
          </button>
        </div>
      ) : null}
      {canAudit ? (
        <section aria-labelledby="home-audit-heading">
          <h2 id="home-audit-heading">{t('audit.heading')}</h2>
          <p>{t('audit.homeIntro')}</p>
          <div className="actions">
            <button type="button" className={canCreate ? 'secondary' : undefined} onClick={() => navigate({ name: 'audit' })}>
              {t('audit.homeLink')}
            </button>
          </div>
        </section>
      ) : null}
      {drafts.length > 0 ? (
        <section aria-labelledby="drafts-heading">
          <h2 id="drafts-heading">{t('home.drafts')}</h2>
          <ul>
            {drafts.map((d) => {
              const to = draftRoute(d.key);
              return to ? (
                <li key={d.key}>
                  <button type="button" className="link" onClick={() => navigate(to)}>
                    {t(`home.draftKind.${d.key.split(':')[0] ?? 'testimony'}`)} · {new Date(d.savedAt).toLocaleString(i18n.language)}
                  </button>
                </li>
              ) : null;
            })}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
