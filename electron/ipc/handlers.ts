// One handler per contract method; the mapped type makes a missing handler a type error.
import type { z } from 'zod';
import type { Contract, MethodOutput } from '../../shared/ipc/contract';
import type { MethodName } from '../../shared/ipc/methods';
import { vocabularyNames } from '../../shared/reference/schema';
import { requireReach } from '../core/access/reach';
import type { ArchiveCore } from '../core/archive-core';
import { createSearchService } from '../core/search/search-service';

export type Handlers = {
  [M in MethodName]: (input: z.output<Contract[M]['input']>) => Promise<MethodOutput<M>>;
};

export function createHandlers(core: ArchiveCore): Handlers {
  const { sessions, policy, reference, accounts } = core;
  const archive = () => sessions.require().archive;
  /** The signed-in user's record services and actor (AUTH_REQUIRED when locked). */
  const records = () => sessions.require().records;
  // A municipality filter also finds its settlements (an unknown id keeps matching nothing but itself).
  const placesWithin = (id: string) => {
    const ids = reference.gazetteer.within(id);
    return ids.length > 0 ? ids : [id];
  };
  const searchService = () => createSearchService({ db: sessions.require().archive.db.kysely, placesWithin });
  const summary = (r: { revision: number; action: 'create' | 'update' | 'review' | 'seal' | 'revise'; at: string; by: string; changed: string[] }) => ({
    revision: r.revision,
    action: r.action,
    at: r.at,
    by: r.by,
    changed: r.changed,
  });
  const placeView = (p: ArchiveCore['reference']['gazetteer']['places'][number]) => ({
    id: p.id,
    kind: p.kind,
    municipality: p.kind === 'settlement' ? p.municipality : null,
    names: p.names,
  });
  return {
    'app.status': async () => sessions.status(),
    'archive.chooseFolder': () => sessions.chooseFolder(),
    'archive.create': (input) => sessions.create(input),
    'passphrase.check': async ({ passphrase }) => policy.assess(passphrase),
    'session.signIn': ({ username, passphrase }) => sessions.signIn(username, passphrase),
    'session.info': async () => sessions.info(),
    'session.lock': async () => {
      await sessions.lock('manual');
      return { locked: true as const };
    },
    'settings.get': async () => ({ idleTimeoutMinutes: sessions.require().idleTimeoutMinutes }),
    'settings.setIdleTimeout': async ({ minutes }) => ({ idleTimeoutMinutes: await sessions.setIdleTimeout(minutes) }),
    'reference.get': async () => ({
      vocabularies: Object.fromEntries(
        vocabularyNames.map((name) => [name, reference.vocab[name].entries.map((e) => ({ code: e.code, ...('esf' in e ? { esf: e.esf } : {}), labels: e.labels }))]),
      ),
      places: reference.gazetteer.places.map(placeView),
    }),
    'places.find': async ({ query, limit }) => ({
      places: reference.gazetteer.find(query, limit).map(placeView),
    }),
    'persons.create': ({ person }) => records().persons.create(person, records().actor),
    'persons.get': ({ id }) => records().persons.get(id, records().actor),
    'persons.update': ({ id, expectedRevision, person }) => records().persons.update(id, person, expectedRevision, records().actor),
    'testimonies.create': ({ testimony }) => records().testimonies.create(testimony, records().actor),
    'testimonies.get': ({ id }) => records().testimonies.get(id, records().actor),
    'testimonies.update': ({ id, expectedRevision, testimony }) => records().testimonies.update(id, testimony, expectedRevision, records().actor),
    'testimonies.review': ({ id, expectedRevision }) => records().testimonies.review(id, expectedRevision, records().actor),
    'testimonies.seal': ({ id, expectedRevision }) => records().testimonies.seal(id, expectedRevision, records().actor),
    'testimonies.revise': ({ id, expectedRevision, testimony }) => records().testimonies.revise(id, testimony, expectedRevision, records().actor),
    'testimonies.history': async ({ id }) => ({ revisions: (await records().testimonies.history(id, records().actor)).map(summary) }),
    'sessions.create': ({ session }) => records().sessions.create(session, records().actor),
    'sessions.get': ({ id }) => records().sessions.get(id, records().actor),
    'sessions.update': ({ id, expectedRevision, session }) => records().sessions.update(id, session, expectedRevision, records().actor),
    'sessions.setFollowUpStatus': ({ id, followUpId, status, expectedRevision }) =>
      records().sessions.setFollowUpStatus(id, followUpId, status, expectedRevision, records().actor),
    'sessions.list': (input) => records().sessions.list(input),
    'sessions.history': async ({ id }) => ({ revisions: (await records().sessions.history(id, records().actor)).map(summary) }),
    'search.query': (input) => searchService().search(input, { role: sessions.require().archive.user.role }),
    'search.list': (input) => searchService().list(input, { role: sessions.require().archive.user.role }),
    'testimonies.atRevision': async ({ id, revision }) => ({ state: await records().testimonies.atRevision(id, revision, records().actor) }),
    'persons.similar': async (input) => ({ candidates: await records().persons.similar(input, records().actor) }),
    'persons.history': async ({ id }) => ({ revisions: (await records().persons.history(id, records().actor)).map(summary) }),
    'persons.atRevision': async ({ id, revision }) => ({ state: await records().persons.atRevision(id, revision, records().actor) }),
    'sessions.atRevision': async ({ id, revision }) => ({ state: await records().sessions.atRevision(id, revision, records().actor) }),
    'drafts.save': ({ key, data }) => records().drafts.save(records().actor, key, data),
    'drafts.get': async ({ key }) => ({ draft: await records().drafts.get(records().actor, key) }),
    'drafts.discard': async ({ key }) => ({ discarded: await records().drafts.discard(records().actor, key) }),
    'drafts.list': async () => ({ drafts: await records().drafts.list(records().actor) }),
    'account.changePassphrase': ({ current, next, nextConfirm }) => sessions.changePassphrase(current, next, nextConfirm),
    'users.list': async () => ({ users: await accounts.list(archive()) }),
    'users.create': (input) => accounts.create(archive(), input),
    'users.setDisabled': ({ id, disabled }) => accounts.setDisabled(archive(), id, disabled),
    'users.resetPassphrase': ({ id }) => accounts.resetPassphrase(archive(), id),
    'records.readers': ({ kind, id }) => records().grants.readers(kind, id, records().actor),
    'records.grant': ({ kind, id, userId }) => records().grants.grant(kind, id, userId, records().actor),
    'records.revoke': ({ kind, id, userId }) => records().grants.revoke(kind, id, userId, records().actor),
    'audit.list': (input) => core.audit(archive()).list(input),
    'audit.verify': () => core.audit(archive()).verify(),
    'audit.overview': () => core.audit(archive()).overview(),
    'recovery.status': async () => core.recovery.status(archive().folder),
    'recovery.createKit': ({ threshold, total }) => core.recovery.createKit(archive(), { threshold, total }),
    'recovery.recover': ({ shares, passphrase, passphraseConfirm }) => sessions.whileLocked((folder) => core.recovery.recover(folder, shares, passphrase, passphraseConfirm)),
    'attachments.import': async ({ ownerKind, ownerId }) => {
      // Checked before the dialog opens: no file picker for someone who may not add to this record.
      await requireReach(archive().db.kysely, records().actor, 'attachments.import', { kind: ownerKind, id: ownerId });
      const path = await core.pickFile();
      return { attachment: path === null ? null : await records().attachments.importFile(records().actor, ownerKind, ownerId, path) };
    },
    'recipients.list': async () => ({ recipients: await core.submissions.listRecipients() }),
    'recipients.add': (input) => core.submissions.addRecipient(records().actor, input),
    'recipients.retire': ({ id }) => core.submissions.retireRecipient(records().actor, id),
    'submissions.archiveKey': async () => core.submissions.archiveKey(),
    'submissions.preview': (input) => core.submissions.preview(records().actor, input),
    'submissions.exportStart': (input) => core.submissions.exportStart(records().actor, input),
    'submissions.exportStatus': async ({ jobId }) => core.submissions.exportStatus(jobId),
    'submissions.exportCancel': async ({ jobId }) => core.submissions.exportCancel(jobId),
    'submissions.log': async () => ({ submissions: await core.submissions.log() }),
    'bundles.open': async (input) => ({ opened: await core.submissions.openBundle(records().actor, input) }),
    'bundles.record': async ({ handle, ref }) => core.submissions.bundleRecord(handle, ref),
    'bundles.close': async ({ handle }) => core.submissions.closeBundle(handle),
    'backups.start': () => core.backups.start(records().actor),
    'backups.status': async ({ jobId }) => core.backups.status(jobId),
    'backups.cancel': async ({ jobId }) => core.backups.cancel(jobId),
    'backups.list': async () => ({ backups: await core.backups.list() }),
    'backups.verify': ({ id }) => core.backups.verify(records().actor, id),
    'restore.start': () => core.restore.jobs.start(),
    'restore.status': ({ jobId }) => sessions.whileLocked(async () => core.restore.jobs.status(jobId)),
    'restore.verify': ({ jobId, username, passphrase }) => core.restore.jobs.verify(jobId, username, passphrase),
    'restore.discard': ({ jobId }) => sessions.whileLocked(() => core.restore.jobs.discard(jobId)),
    'attachments.list': async ({ ownerKind, ownerId }) => ({ items: await records().attachments.list(records().actor, ownerKind, ownerId) }),
    'attachments.get': ({ id }) => records().attachments.get(records().actor, id),
    'attachments.verify': ({ id }) => records().attachments.verify(records().actor, id),
    'attachments.verifyAllStart': () => records().attachments.startCheck(records().actor),
    'attachments.verifyAllStatus': async ({ jobId }) => records().attachments.checkStatus(records().actor, jobId),
    'attachments.verifyAllCancel': async ({ jobId }) => records().attachments.cancelCheck(records().actor, jobId),
    'maintenance.checkStart': async () => core.archiveChecks.start(),
    'maintenance.checkStatus': async ({ jobId }) => core.archiveChecks.status(jobId),
    'maintenance.checkCancel': async ({ jobId }) => core.archiveChecks.cancel(jobId),
    'recording.start': ({ ownerKind, ownerId, mimeType, device }) => records().attachments.startRecording(records().actor, ownerKind, ownerId, mimeType, device),
    'recording.chunk': ({ recordingId, seq, data }) => records().attachments.appendChunk(records().actor, recordingId, seq, Buffer.from(data, 'base64')),
    'recording.finish': ({ recordingId }) => records().attachments.finishRecording(records().actor, recordingId),
    'recording.cancel': ({ recordingId }) => records().attachments.cancelRecording(records().actor, recordingId),
    'segments.list': async ({ attachmentId }) => ({ segments: await records().attachments.listSegments(records().actor, attachmentId) }),
    'segments.save': ({ attachmentId, segment }) => records().attachments.saveSegment(records().actor, attachmentId, segment),
    'segments.delete': ({ attachmentId, segmentId }) => records().attachments.deleteSegment(records().actor, attachmentId, segmentId),
    'users.remove': async ({ id }) => {
      await sessions.removeUser(id);
      return { removed: true as const };
    },
  };
}
