// Kysely types of the current schema; migrations never import these (they stay frozen on Kysely<any>).
import type { Generated } from 'kysely';
import type { Role } from '../../../shared/domain/roles';

export type UsersTable = {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  created_at: string;
  must_change_passphrase: Generated<number>;
  disabled_at: string | null;
  removed_at: string | null;
};

export type SettingsTable = {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string | null;
};

export type ArchiveMetaTable = {
  key: string;
  value: string;
};

export type SchemaMigrationsTable = {
  version: number;
  name: string;
  applied_at: string;
};

export type SealedContentsTable = {
  id: string;
  record_kind: string;
  record_id: string;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  created_at: string;
};

export type SealedKeysTable = { content_id: string; user_id: string; sealed_key: Uint8Array };

export type PersonsTable = {
  id: string;
  confidentiality: 'normal' | 'restricted';
  name_sq: string | null;
  name_sr_latn: string | null;
  name_sr_cyrl: string | null;
  birth_edtf: string | null;
  birth_lo: string | null;
  birth_hi: string | null;
  residence_place_id: string | null;
  contact: string | null;
  identity_sealed_id: string | null;
  sex: string;
  ethnicity: string | null;
  /** victimOutcomes code; plain like sex and ethnicity (statistics), also for restricted persons. */
  status: string | null;
  revision: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
};

export type TestimoniesTable = {
  id: string;
  deponent_id: string;
  taker_id: string;
  interpreter: string | null;
  language: string;
  mode: string;
  date_edtf: string | null;
  date_lo: string | null;
  date_hi: string | null;
  place_id: string | null;
  title: string;
  narrative: string | null;
  sensitivity: 'normal' | 'restricted';
  content_sealed_id: string | null;
  status: 'draft' | 'reviewed' | 'sealed';
  revision: number;
  sealed_revision: number | null;
  sealed_at: string | null;
  sealed_by: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
};

export type TestimonyGroupsTable = { testimony_id: string; group_code: string };

export type ViolationsTable = {
  id: string;
  testimony_id: string;
  position: number;
  victim_id: string;
  act_type: string;
  date_edtf: string | null;
  date_lo: string | null;
  date_hi: string | null;
  place_id: string | null;
  perpetrator_type: string | null;
  victim_outcome: string | null;
  notes: string | null;
};

export type ConsentsTable = {
  record_kind: 'testimony' | 'session';
  record_id: string;
  person_id: string;
  explained_by: string;
  language: string;
  form_version: string;
  medium: 'written' | 'recorded';
  scope_archive: number;
  scope_statistics: number;
  scope_commission: 'named' | 'pseudonymised' | 'none';
  scope_public_hearing: number;
  scope_prosecution: number;
  scope_media: number;
  scope_recontact: number;
  anonymity_level: string;
  embargo_until: string | null;
  minor: number;
  guardian: string | null;
  withdrawn_on: string | null;
  withdrawal_scope: 'all' | 'commission' | 'public' | 'media' | null;
  withdrawal_note: string | null;
};

export type RecordRevisionsTable = {
  record_kind: string;
  record_id: string;
  revision: number;
  action: 'create' | 'update' | 'review' | 'seal' | 'revise';
  at: string;
  by: string;
  snapshot: string;
  sealed_snapshot_id: string | null;
  changed: string;
};

export type DialogueSessionsTable = {
  id: string;
  kind: 'round-table' | 'peace-table';
  status: 'planned' | 'held' | 'cancelled';
  title: string;
  date_edtf: string;
  date_lo: string;
  date_hi: string;
  place_id: string | null;
  /** JSON array of facilitator names. */
  facilitators: string;
  agenda: string;
  minutes: string | null;
  outcomes: string | null;
  sensitivity: 'normal' | 'restricted';
  content_sealed_id: string | null;
  revision: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
};

export type SessionParticipantsTable = {
  session_id: string;
  /** Always the session's sensitivity (composite foreign key), so a CHECK can keep restricted notes out. */
  sensitivity: 'normal' | 'restricted';
  position: number;
  person_id: string;
  role: string;
  notes: string | null;
};

export type SessionFollowUpsTable = {
  id: string;
  session_id: string;
  position: number;
  text: string;
  owner: string;
  due_date: string | null;
  status: 'open' | 'in-progress' | 'done' | 'dropped';
};

/** One row per record in the full-text index (migration 3); `doc` is its rowid in the FTS5 table search_index. */
export type SearchDocsTable = {
  doc: Generated<number>;
  kind: 'testimony' | 'person' | 'session';
  record_id: string;
  title: string | null;
  date_edtf: string | null;
  date_lo: string | null;
  date_hi: string | null;
  place_id: string | null;
  status: string | null;
};

/** One autosaved form per (user, key) (migration 0006): the content is sealed to its author, never plaintext. */
export type DraftsTable = {
  id: Generated<number>;
  user_id: string;
  draft_key: string;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  /** The data key sealed (crypto_box_seal) to the author's X25519 public key. */
  sealed_key: Uint8Array;
  saved_at: string;
};

/** Phonetic keys of a normal person's name words (migration 5), with copies of birth range and residence; never a restricted person's. */
export type PersonNameKeysTable = { key: string; person_id: string; name_words: number; birth_lo: string | null; birth_hi: string | null; residence_place_id: string | null };

/** The audit trail (migration 8): a BLAKE2b-256 hash chain of actions; ids only, never content. */
export type AuditLogTable = {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  detail: string;
  prev_hash: Uint8Array;
  hash: Uint8Array;
};

/** Explicit grants of a restricted record (migration 10): the grantee is sealed to like the author and directors. */
export type RecordGrantsTable = {
  record_kind: 'testimony' | 'person' | 'session';
  record_id: string;
  user_id: string;
  granted_by: string;
  granted_at: string;
};

/** Signed checkpoints of the audit trail (migration 9): `note` is the C2SP signed note; count and head repeat it. */
export type AuditCheckpointsTable = {
  id: Generated<number>;
  at: string;
  reason: 'lock' | 'export' | 'manual';
  count: number;
  head: Uint8Array;
  note: string;
};

/** An encrypted attachment (migration 12): the file is outside the database; key and name sealed when the owner is restricted. */
export type RecipientsTable = {
  id: string;
  label: string;
  kind: 'commission' | 'auditor' | 'other';
  age_recipient: string;
  fingerprint: string;
  added_by: string;
  added_at: string;
  retired_at: string | null;
};

export type SubmissionsTable = {
  id: string;
  sequence: number;
  status: 'writing' | 'complete' | 'failed' | 'cancelled';
  created_by: string;
  created_at: string;
  finished_at: string | null;
  /** JSON: [{ id, label, fingerprint }]. */
  recipients: string;
  /** JSON: the filters the selection was made with. */
  filters: string;
  /** JSON: { records, named, pseudonymised, excluded, attachments, attachmentBytes }; null until complete. */
  counts: string | null;
  manifest_sha256: string | null;
  payload_sha256: string | null;
  payload_bytes: number | null;
};

export type BackupsTable = {
  id: string;
  status: 'writing' | 'complete' | 'failed' | 'cancelled';
  created_by: string;
  created_at: string;
  finished_at: string | null;
  /** The backup's own folder (<backup root>/backup-...). */
  location: string;
  /** Database + keyring + every attachment file the manifest names (reused ones included); null until complete. */
  bytes: number | null;
  files: number | null;
  attachments_copied: number | null;
  attachments_reused: number | null;
  manifest_sha256: string | null;
  verification: 'unverified' | 'ok' | 'failed';
  verified_at: string | null;
  verification_detail: string | null;
};

export type SeenBundlesTable = {
  key_id: string;
  sequence: number;
  bundle_id: string;
  manifest_sha256: string;
  verified_by: string;
  verified_at: string;
};

export type AttachmentsTable = {
  id: string;
  owner_kind: 'testimony' | 'session';
  owner_id: string;
  /** The original file name; null when sealed (key_sealed_id). */
  file_name: string | null;
  /** The file's 32-byte key, under the archive key with the database; null when sealed. */
  file_key: Uint8Array | null;
  key_sealed_id: string | null;
  media_type: string;
  size: number;
  sha256: string;
  source: 'import' | 'recording';
  device: string | null;
  created_at: string;
  created_by: string;
  status: 'unverified' | 'ok' | 'damaged';
  last_verified_at: string | null;
};

/** Chain of custody of an attachment (migration 12): append-only (triggers), detail is JSON. */
export type AttachmentCustodyTable = {
  attachment_id: string;
  seq: number;
  at: string;
  by: string;
  event: 'intake' | 'verify' | 'damaged';
  detail: string;
};

/** A time-coded segment of a recording (migration 12); title, summary and keywords sealed when the owner is restricted. */
export type AttachmentSegmentsTable = {
  id: string;
  attachment_id: string;
  start_ms: number;
  end_ms: number;
  title: string | null;
  summary: string | null;
  /** JSON array of strings. */
  keywords: string | null;
  text_sealed_id: string | null;
  /** JSON array of violation ids of the owning testimony. */
  violation_ids: string;
  revision: number;
  updated_at: string;
  updated_by: string;
};

export type ArchiveSchema = {
  users: UsersTable;
  settings: SettingsTable;
  archive_meta: ArchiveMetaTable;
  schema_migrations: SchemaMigrationsTable;
  sealed_contents: SealedContentsTable;
  sealed_keys: SealedKeysTable;
  persons: PersonsTable;
  testimonies: TestimoniesTable;
  testimony_groups: TestimonyGroupsTable;
  violations: ViolationsTable;
  consents: ConsentsTable;
  record_grants: RecordGrantsTable;
  record_revisions: RecordRevisionsTable;
  search_docs: SearchDocsTable;
  dialogue_sessions: DialogueSessionsTable;
  session_participants: SessionParticipantsTable;
  session_follow_ups: SessionFollowUpsTable;
  drafts: DraftsTable;

  person_name_keys: PersonNameKeysTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
  attachments: AttachmentsTable;
  attachment_custody: AttachmentCustodyTable;
  attachment_segments: AttachmentSegmentsTable;
  recipients: RecipientsTable;
  submissions: SubmissionsTable;
  seen_bundles: SeenBundlesTable;
  backups: BackupsTable;
};
