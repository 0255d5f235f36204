// The signed-in user's session info (role and allowed actions) for screens that show or hide actions, and the way
// a screen replaces it (a changed passphrase returns a fresh SessionInfo from main).
import { createContext, useContext } from 'react';
import type { SessionInfo } from '../../../shared/ipc/contract';

export const SessionContext = createContext<SessionInfo | null>(null);

export function useSession(): SessionInfo {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the workspace');
  return s;
}

/** True when the policy table lets this user perform `action` (the router enforces it regardless). */
export function useAllowed(action: string): boolean {
  return useSession().allowed.includes(action);
}

/** Set by App: takes the SessionInfo main returned (e.g. after a passphrase change) as the current session. */
export const ReplaceSessionContext = createContext<((s: SessionInfo) => void) | null>(null);

export function useReplaceSession(): (s: SessionInfo) => void {
  const replace = useContext(ReplaceSessionContext);
  if (!replace) throw new Error('useReplaceSession outside the workspace');
  return replace;
}
