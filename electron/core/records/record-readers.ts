// Who reads a restricted record: its author, every active director and its explicit grantees (DESIGN.md section 3).
import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/domain/roles';
import type { recordKinds } from '../../../shared/ipc/contract';
import { appendAudit } from '../audit/audit-chain';
import type { ArchiveSchema } from '../db/schema';
import type { RecordReader } from './actor';

export type RecordKind = (typeof recordKinds)[number];

/** A user as the keyring knows them: enough to seal to them. */
export type DirectoryUser = { id: string; role: Role; disabled: boolean; boxPublicKey: Uint8Array };

/** The archive's users, read fresh on each call (an account change between two writes counts at the next one). */
export type Directory = () => DirectoryUser[];

/** A record as access control sees it: whether restricted, its current sealed content, its author and owners. */
export type RecordAccess = {
  kind: RecordKind;
  id: string;
  restricted: boolean;
  /** The sealed_contents row of the current revision; null for a normal record. */
  contentId: string | null;
  /** Who gets the author's copy: the statement-taker of a testimony, the creator of a person or session. */
  authorId: string;
  /** Who reaches it as `own` in the policy table. */
  owners: string[];
};

/** The record's access facts; undefined when there is no such record. */
export async function recordAccess(db: Kysely<ArchiveSchema>, kind: RecordKind, id: string): Promise<RecordAccess | undefined> {
  if (kind === 'testimony') {
    const r = await db.selectFrom('testimonies').select(['sensitivity', 'content_sealed_id', 'taker_id', 'created_by']).where('id', '=', id).executeTakeFirst();
    return r && { kind, id, restricted: r.sensitivity === 'restricted', contentId: r.content_sealed_id, authorId: r.taker_id, owners: [r.taker_id, r.created_by] };
  }
  if (kind === 'person') {
    const r = await db.selectFrom('persons').select(['confidentiality', 'identity_sealed_id', 'created_by']).where('id', '=', id).executeTakeFirst();
    return r && { kind, id, restricted: r.confidentiality === 'restricted', contentId: r.identity_sealed_id, authorId: r.created_by, owners: [r.created_by] };
  }
  const r = await db.selectFrom('dialogue_sessions').select(['sensitivity', 'content_sealed_id', 'created_by']).where('id', '=', id).executeTakeFirst();
  return r && { kind, id, restricted: r.sensitivity === 'restricted', contentId: r.content_sealed_id, authorId: r.created_by, owners: [r.created_by] };
}

/** The user ids explicitly granted this record. */
export async function granteesOf(db: Kysely<ArchiveSchema>, kind: RecordKind, id: string): Promise<string[]> {
  const rows = await db.selectFrom('record_grants').select('user_id').where('record_kind', '=', kind).where('record_id', '=', id).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/**
 * The readers of a record from a directory of users and the grants table: author first, then active directors,
 * then active grantees, each user once (an author who is a director counts as author). Disabled users get no new
 * copy. `db` is the transaction of the write, so the grants it sees are those committed with it.
 */
export function readersFrom(directory: Directory) {
  return async (db: Kysely<ArchiveSchema>, record: { kind: RecordKind; id: string; authorId: string }): Promise<RecordReader[]> => {
    const users = directory().filter((u) => !u.disabled);
    const granted = new Set(await granteesOf(db, record.kind, record.id));
    const out: RecordReader[] = [];
    const seen = new Set<string>();
    const add = (u: DirectoryUser, via: RecordReader['via']) => {
      if (seen.has(u.id)) return;
      seen.add(u.id);
      out.push({ userId: u.id, boxPublicKey: u.boxPublicKey, via });
    };
    users.filter((u) => u.id === record.authorId).forEach((u) => add(u, 'author'));
    users.filter((u) => u.role === 'director').forEach((u) => add(u, 'director'));
    users.filter((u) => granted.has(u.id)).forEach((u) => add(u, 'grant'));
    return out;
  };
}

/**
 * Audits that restricted content was opened for the user and returned to them: ids and revision only, never
 * content. Appended after the read (a read has no other change to commit with).
 */
export async function auditRestrictedRead(db: Kysely<ArchiveSchema>, at: string, actorId: string, kind: RecordKind, id: string, revision: number): Promise<void> {
  await appendAudit(db, { at, actor: actorId, action: 'record.read-restricted', subjectKind: kind, subjectId: id, detail: { revision } });
}
