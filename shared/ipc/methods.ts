// The names of every IPC method, without schemas: the preload imports only this, so it stays tiny.
export const methodNames = [
  'app.status',
  'archive.chooseFolder',
  'archive.create',
  'passphrase.check',
  'session.signIn',
  'session.info',
  'session.lock',
  'settings.get',
  'settings.setIdleTimeout',
  'reference.get',
  'places.find',
  'persons.create',
  'persons.get',
  'persons.update',
  'testimonies.create',
  'testimonies.get',
  'testimonies.update',
  'testimonies.review',
  'testimonies.seal',
  'testimonies.revise',
  'testimonies.history',
  'testimonies.atRevision',
  'sessions.create',
  'sessions.get',
  'sessions.update',
  'sessions.setFollowUpStatus',
  'sessions.list',
  'sessions.history',
  'search.query',
  'search.list',
  'persons.similar',
  'persons.history',
  'persons.atRevision',
  'sessions.atRevision',
  'drafts.save',
  'drafts.get',
  'drafts.discard',
  'drafts.list',
  'account.changePassphrase',
  'users.list',
  'users.create',
  'users.setDisabled',
  'users.resetPassphrase',
  'users.remove',
  'records.readers',
  'records.grant',
  'records.revoke',
  'audit.list',
  'audit.verify',
  'audit.overview',
  'recovery.status',
  'recovery.createKit',
  'recovery.recover',
] as const;

export type MethodName = (typeof methodNames)[number];

/** The ipcMain/ipcRenderer channel of a method: one channel per method, never a generic one. */
export function channelOf(method: MethodName): string {
  return `archive:${method}`;
}

/** Event pushed from main to the renderer when the archive locks (idle, OS lock, manual). */
export const lockedEventChannel = 'archive-event:locked';
