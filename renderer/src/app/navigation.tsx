// In-app navigation: the current screen as a typed route, and guards that stop unsaved work being left silently.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../components/ConfirmDialog';

export type RecordKind = 'testimony' | 'session' | 'person';

export type Route =
  | { name: 'home' }
  | { name: 'testimonies' }
  | { name: 'testimony-new' }
  | { name: 'testimony'; id: string }
  | { name: 'testimony-edit'; id: string }
  | { name: 'sessions' }
  | { name: 'session-new' }
  | { name: 'session'; id: string }
  | { name: 'session-edit'; id: string }
  | { name: 'person-new' }
  | { name: 'person'; id: string }
  | { name: 'person-edit'; id: string }
  | { name: 'search'; query?: string }
  | { name: 'history'; kind: RecordKind; id: string }
  | { name: 'settings' }
  | { name: 'audit' }
  | { name: 'submissions' }
  | { name: 'backups' }
  | { name: 'users' }
  | { name: 'recovery' };

type Navigation = {
  route: Route;
  /** Goes to `to`, after asking when a form on screen has unsaved changes. */
  navigate: (to: Route) => void;
  /** Registers "this screen has unsaved changes"; returns the unregister function. */
  block: (id: symbol, dirty: boolean) => void;
};

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ children, initial = { name: 'home' } }: { children: ReactNode; initial?: Route }) {
  const { t } = useTranslation();
  const [route, setRoute] = useState<Route>(initial);
  const [pending, setPending] = useState<Route | null>(null);
  const dirty = useRef(new Set<symbol>());

  const navigate = useCallback((to: Route) => {
    if (dirty.current.size > 0) setPending(to);
    else setRoute(to);
  }, []);

  const block = useCallback((id: symbol, isDirty: boolean) => {
    if (isDirty) dirty.current.add(id);
    else dirty.current.delete(id);
  }, []);

  // No beforeunload veto: Electron would silently refuse to close the window (and to quit after locking).
  // Closing with unsaved changes relies on the autosaved draft, which is at most a few seconds old.

  const value = useMemo(() => ({ route, navigate, block }), [route, navigate, block]);
  return (
    <NavigationContext.Provider value={value}>
      {children}
      {pending ? (
        <ConfirmDialog
          title={t('nav.unsavedTitle')}
          body={t('nav.unsavedBody')}
          confirmLabel={t('nav.leave')}
          cancelLabel={t('nav.stay')}
          onConfirm={() => {
            dirty.current.clear();
            setRoute(pending);
            setPending(null);
          }}
          onCancel={() => setPending(null)}
        />
      ) : null}
    </NavigationContext.Provider>
  );
}

export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (!nav) throw new Error('useNavigation outside NavigationProvider');
  return nav;
}

/** Marks the calling screen as holding unsaved changes while `dirty` is true. */
export function useUnsavedChangesGuard(dirty: boolean): void {
  const { block } = useNavigation();
  const id = useRef(Symbol('form'));
  useEffect(() => {
    const key = id.current;
    block(key, dirty);
    return () => block(key, false);
  }, [block, dirty]);
}
