// How the audit screen words the log's own vocabulary: action names, subject kinds, checkpoint reasons, details.
import { useTranslation } from 'react-i18next';

/** Actions the archive writes; the filter offers these, and the list translates them (others are shown as stored). */
export const auditActions = [
  'session.sign-in',
  'session.sign-in-failed',
  'session.lock',
  'record.create',
  'record.update',
  'record.review',
  'record.seal',
  'record.revise',
  'record.read-restricted',
  'record.grant',
  'record.revoke',
  'account.create',
  'account.disable',
  'account.enable',
  'account.reset',
  'account.remove',
  'account.passphrase-changed',
  'account.passphrase-guessing',
  'account.recovered',
  'recovery.kit-created',
  'recovery.kit-dropped',
  'settings.change',
  'attachment.add',
  'attachment.verify',
  'attachment.damaged',
  'attachment.read',
  'segment.add',
  'segment.update',
  'segment.delete',
  'recipient.add',
  'recipient.retire',
  'submission.export',
  'submission.failed',
  'submission.cancelled',
  'bundle.verify',
  'checkpoint',
] as const;

const known = new Set<string>(auditActions);
const subjectKinds = new Set(['testimony', 'person', 'session', 'user', 'recovery-kit', 'attachment', 'recipient', 'submission', 'bundle']);
const checkpointReasons = new Set(['lock', 'export', 'manual']);

/** Detail as `key=value` pairs: ids, counts and reasons are data, so they stay as stored, untranslated. */
export function detailText(detail: Record<string, string | number | boolean | null>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`)
    .join(' ');
}

export function useAuditWords() {
  const { t, i18n } = useTranslation();
  return {
    // Action names hold dots (`record.create`), which i18next reads as nesting: the catalog is nested the same way.
    action: (a: string) => (known.has(a) ? t(`audit.actions.${a}`) : a),
    subjectKind: (k: string) => (subjectKinds.has(k) ? t(`audit.subjectKinds.${k}`) : k),
    checkpointReason: (r: string) => (checkpointReasons.has(r) ? t(`audit.checkpointReasons.${r}`) : r),
    when: (iso: string) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
    },
  };
}
