// The signed-in user's session info (role and allowed actions) for screens that show or hide actions.
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
