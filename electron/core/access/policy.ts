// The one policy table: which role may perform which action. The router checks it for every call,
// and the UI receives the allowed list through the session info to hide what a user may not do.
import type { Action, Role } from '../../../shared/domain/roles';

type RoleAction = Exclude<Action, 'public' | 'session'>;

const table: Record<RoleAction, Record<Role, boolean>> = {
  'settings.write': { director: true, recorder: false, auditor: false },
  // Record services narrow these further by ownership and status (a recorder edits only own drafts);
  // auditors get record metadata through the access issue's grants, not through these methods.
  'records.read': { director: true, recorder: true, auditor: false },
  'records.create': { director: true, recorder: true, auditor: false },
  'records.edit': { director: true, recorder: true, auditor: false },
  'records.review': { director: true, recorder: false, auditor: false },
};

export function isAllowed(role: Role | null, action: Action): boolean {
  if (action === 'public') return true;
  if (role === null) return false;
  if (action === 'session') return true;
  return table[action][role];
}

/** Every action the role may perform, for the session info. */
export function allowedActions(role: Role): Action[] {
  return (Object.keys(table) as RoleAction[]).filter((a) => table[a][role]);
}
