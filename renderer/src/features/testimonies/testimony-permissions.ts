// Which in-place edits of a testimony main will accept from this user, so the UI offers only those.
import type { SessionInfo, TestimonyView } from '../../../../shared/ipc/contract';

/** Directors edit any unsealed testimony; recorders only their own drafts (the service narrows records.edit so). */
export function mayEditInPlace(view: TestimonyView, session: SessionInfo): boolean {
  if (!session.allowed.includes('testimonies.update') || view.status === 'sealed' || !view.contentVisible) return false;
  return session.allowed.includes('testimonies.review') || (view.takerId === session.userId && view.status === 'draft');
}
