// The one policy table: for every IPC method, which role may call it and on which records. The router checks
// it on every call; services narrow `own` and `granted` per record; the UI gets the callable list in the session.
import type { Role } from '../../../shared/domain/roles';
import type { MethodName } from '../../../shared/ipc/methods';

/**
 * How far a role reaches with a method:
 * - `all`: every record (restricted content still needs a sealed copy: that part is cryptography, not policy);
 * - `own`: only records the user created or was assigned to (the statement-taker of a testimony);
 * - `granted`: only records a director explicitly shared with this user (auditors reading content);
 * - `none`: refused by the router.
 */
export type Reach = 'all' | 'own' | 'granted' | 'none';

/** `public`: no session needed; `session`: every signed-in user, on their own things only; else per role. */
export type Rule = 'public' | 'session' | Readonly<Record<Role, Reach>>;

const director = { director: 'all', recorder: 'none', auditor: 'none' } as const;
const staffRead = { director: 'all', recorder: 'all', auditor: 'granted' } as const;
const staffCreate = { director: 'all', recorder: 'all', auditor: 'none' } as const;
const staffEdit = { director: 'all', recorder: 'own', auditor: 'none' } as const;
const auditing = { director: 'all', recorder: 'none', auditor: 'all' } as const;

export const policyTable: Readonly<Record<MethodName, Rule>> = {
  'app.status': 'public',
  'archive.chooseFolder': 'public',
  'archive.create': 'public',
  'passphrase.check': 'public',
  'session.signIn': 'public',
  'recovery.recover': 'public',
  'session.info': 'session',
  'session.lock': 'session',
  'settings.get': 'session',
  'reference.get': 'session',
  'places.find': 'session',
  // Drafts are sealed to their author alone; a user only ever reaches their own.
  'drafts.save': 'session',
  'drafts.get': 'session',
  'drafts.discard': 'session',
  'drafts.list': 'session',
  'account.changePassphrase': 'session',
  'settings.setIdleTimeout': director,
  'persons.create': staffCreate,
  'persons.similar': staffCreate,
  'persons.get': staffRead,
  'persons.history': staffRead,
  'persons.atRevision': staffRead,
  'persons.update': staffEdit,
  'testimonies.create': staffCreate,
  'testimonies.get': staffRead,
  'testimonies.history': staffRead,
  'testimonies.atRevision': staffRead,
  'testimonies.update': staffEdit,
  'testimonies.review': director,
  'testimonies.seal': director,
  'testimonies.revise': director,
  'sessions.create': staffCreate,
  'sessions.get': staffRead,
  'sessions.history': staffRead,
  'sessions.atRevision': staffRead,
  // Lists and search show metadata of every normal record to staff; auditors use audit.overview instead.
  'sessions.list': staffCreate,
  'search.query': staffCreate,
  'search.list': staffCreate,
  'sessions.update': staffEdit,
  'sessions.setFollowUpStatus': staffEdit,
  'users.list': director,
  'users.create': director,
  'users.setDisabled': director,
  'users.resetPassphrase': director,
  'users.remove': director,
  'records.readers': director,
  'records.grant': director,
  'records.revoke': director,
  'recovery.status': director,
  'recovery.createKit': director,
  // Attachments follow their record: staff add to records they may edit, read what they may read.
  'attachments.import': staffEdit,
  'recording.start': staffEdit,
  'recording.chunk': staffEdit,
  'recording.finish': staffEdit,
  'recording.cancel': staffEdit,
  'attachments.list': staffRead,
  'attachments.get': staffRead,
  'attachments.verify': staffRead,
  // The archive-wide check is maintenance for directors and auditors; each file in it still needs the reach and key
  // of attachments.verify (an auditor checks what was shared with them, the rest is counted as skipped).
  'attachments.verifyAllStart': auditing,
  'attachments.verifyAllStatus': auditing,
  'attachments.verifyAllCancel': auditing,
  // The whole-archive check (database, keyring, audit log, attachments) is the same maintenance task, grown.
  'maintenance.checkStart': auditing,
  'maintenance.checkStatus': auditing,
  'maintenance.checkCancel': auditing,
  'segments.list': staffRead,
  'segments.save': staffEdit,
  'segments.delete': staffEdit,
  'audit.list': auditing,
  'audit.verify': auditing,
  'audit.overview': auditing,
  // Submissions: the director registers recipients and exports (the archive signing key is theirs); auditors see
  // who bundles went to, pin the archive key, read the log and open bundles to verify and browse them.
  'recipients.list': auditing,
  'recipients.add': director,
  'recipients.retire': director,
  'submissions.archiveKey': auditing,
  'submissions.preview': director,
  'submissions.exportStart': director,
  'submissions.exportStatus': director,
  'submissions.exportCancel': director,
  'submissions.log': auditing,
  'bundles.open': auditing,
  'bundles.record': auditing,
  'bundles.close': auditing,
  // Backups hold the whole archive (still encrypted) and are signed with the archive key: the director's task.
  'backups.start': director,
  'backups.status': director,
  'backups.cancel': director,
  'backups.list': director,
  'backups.verify': director,
  // Restore runs from the locked screen (a lost laptop has no archive to sign in to); each refuses while signed in,
  // and the restored archive is only offered after it opened with a user's passphrase and passed its checks.
  'restore.start': 'public',
  'restore.status': 'public',
  'restore.verify': 'public',
  'restore.discard': 'public',
};

/** How far `role` reaches with `method`; `null` role means locked (only public methods). */
export function reachOf(role: Role | null, method: MethodName): Reach {
  const rule = policyTable[method];
  if (rule === 'public') return 'all';
  if (role === null) return 'none';
  if (rule === 'session') return 'all';
  return rule[role];
}

export function isAllowed(role: Role | null, method: MethodName): boolean {
  return reachOf(role, method) !== 'none';
}

/** Every method the role may call, for the session info (the UI hides the rest). */
export function allowedMethods(role: Role): MethodName[] {
  return (Object.keys(policyTable) as MethodName[]).filter((m) => isAllowed(role, m));
}

/** Methods a user with a one-time passphrase may still call: nothing but changing it (and leaving). */
export const beforePassphraseChange: ReadonlySet<MethodName> = new Set<MethodName>([
  'app.status',
  'archive.chooseFolder',
  'passphrase.check',
  'session.signIn',
  'session.info',
  'session.lock',
  'account.changePassphrase',
  'reference.get',
]);
