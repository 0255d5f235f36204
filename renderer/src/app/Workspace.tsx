// The signed-in workspace: navigation (only what the user's role allows), the lock button, and the current screen.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import type { SessionInfo } from '../../../shared/ipc/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { RecoveryKitScreen } from '../features/accounts/RecoveryKitScreen';
import { UsersScreen } from '../features/accounts/UsersScreen';
import { AuditScreen } from '../features/audit/AuditScreen';
import { BackupsScreen } from '../features/backups/BackupsScreen';
import { HistoryScreen } from '../features/history/HistoryScreen';
import { HomeScreen } from '../features/home/HomeScreen';
import { PersonFormScreen } from '../features/persons/PersonFormScreen';
import { PersonScreen } from '../features/persons/PersonScreen';
import { SearchScreen } from '../features/search/SearchScreen';
import { SessionFormScreen } from '../features/sessions/SessionFormScreen';
import { SessionListScreen } from '../features/sessions/SessionListScreen';
import { SessionScreen } from '../features/sessions/SessionScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { SubmissionsScreen } from '../features/submissions/SubmissionsScreen';
import { TestimonyFormScreen } from '../features/testimonies/TestimonyFormScreen';
import { TestimonyListScreen } from '../features/testimonies/TestimonyListScreen';
import { TestimonyScreen } from '../features/testimonies/TestimonyScreen';
import { call } from '../lib/archive-client';
import { ReferenceProvider } from '../lib/reference';
import { NavigationProvider, useNavigation, type Route } from './navigation';
import { ReplaceSessionContext, SessionContext } from './session-context';

function Screen({ route, session }: { route: Route; session: SessionInfo }) {
  switch (route.name) {
    case 'home':
      return <HomeScreen session={session} />;
    case 'testimonies':
      return <TestimonyListScreen />;
    case 'testimony-new':
      return <TestimonyFormScreen key="new" id={null} />;
    case 'testimony-edit':
      return <TestimonyFormScreen key={route.id} id={route.id} />;
    case 'testimony':
      return <TestimonyScreen key={route.id} id={route.id} />;
    case 'sessions':
      return <SessionListScreen />;
    case 'session-new':
      return <SessionFormScreen key="new" id={null} />;
    case 'session-edit':
      return <SessionFormScreen key={route.id} id={route.id} />;
    case 'session':
      return <SessionScreen key={route.id} id={route.id} />;
    case 'person-new':
      return <PersonFormScreen key="new" id={null} />;
    case 'person-edit':
      return <PersonFormScreen key={route.id} id={route.id} />;
    case 'person':
      return <PersonScreen key={route.id} id={route.id} />;
    case 'search':
      return <SearchScreen query={route.query ?? ''} />;
    case 'history':
      return <HistoryScreen key={`${route.kind}:${route.id}`} kind={route.kind} id={route.id} />;
    case 'settings':
      return <SettingsScreen session={session} />;
    case 'audit':
      return <AuditScreen />;
    case 'submissions':
      return <SubmissionsScreen />;
    case 'backups':
      return <BackupsScreen />;
    case 'users':
      return <UsersScreen />;
    case 'recovery':
      return <RecoveryKitScreen />;
  }
}

const sections: ReadonlyArray<{ route: Route; label: string; action: string }> = [
  { route: { name: 'home' }, label: 'nav.home', action: 'session' },
  { route: { name: 'testimonies' }, label: 'nav.testimonies', action: 'search.list' },
  { route: { name: 'sessions' }, label: 'nav.sessions', action: 'search.list' },
  { route: { name: 'search' }, label: 'nav.search', action: 'search.list' },
  { route: { name: 'audit' }, label: 'audit.nav', action: 'audit.list' },
  { route: { name: 'submissions' }, label: 'submissions.nav', action: 'submissions.log' },
  { route: { name: 'backups' }, label: 'backups.nav', action: 'backups.list' },
  { route: { name: 'users' }, label: 'accounts.nav.users', action: 'users.list' },
  { route: { name: 'recovery' }, label: 'accounts.nav.recovery', action: 'recovery.createKit' },
  { route: { name: 'settings' }, label: 'nav.settings', action: 'session' },
];

/** Which top-level section a route belongs to, for aria-current in the navigation. */
function sectionOf(route: Route): Route['name'] {
  if (route.name.startsWith('testimony')) return 'testimonies';
  if (route.name.startsWith('session')) return 'sessions';
  if (route.name === 'history' || route.name.startsWith('person')) return 'search';
  return route.name;
}

function Shell({ session, onLocked }: { session: SessionInfo; onLocked: () => void }) {
  const { t } = useTranslation();
  const { route, navigate } = useNavigation();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const lock = async () => {
    const r = await call('session.lock', {});
    if (r.ok || r.error.code === 'AUTH_REQUIRED') onLocked();
    else setError(r.error);
  };
  const current = sectionOf(route);
  return (
    <div className="workspace">
      <nav aria-label={t('nav.label')} className="workspace-nav">
        <ul>
          {sections
            .filter((s) => s.action === 'session' || session.allowed.includes(s.action))
            .map((s) => (
              <li key={s.route.name}>
                <button type="button" className="nav-link" aria-current={current === s.route.name ? 'page' : undefined} onClick={() => navigate(s.route)}>
                  {t(s.label)}
                </button>
              </li>
            ))}
        </ul>
        <p className="who">
          {session.displayName} · {t(`roles.${session.role}`)}
        </p>
        <button type="button" className="secondary" onClick={() => void lock()}>
          {t('home.lock')}
        </button>
        <ErrorMessage error={error} />
      </nav>
      <div className="workspace-screen">
        <Screen route={route} session={session} />
      </div>
    </div>
  );
}

type WorkspaceProps = { session: SessionInfo; onLocked: () => void; onSessionChanged: (s: SessionInfo) => void };

export function Workspace({ session, onLocked, onSessionChanged }: WorkspaceProps) {
  return (
    <SessionContext.Provider value={session}>
      <ReplaceSessionContext.Provider value={onSessionChanged}>
        <ReferenceProvider>
          <NavigationProvider>
            <Shell session={session} onLocked={onLocked} />
          </NavigationProvider>
        </ReferenceProvider>
      </ReplaceSessionContext.Provider>
    </SessionContext.Provider>
  );
}
