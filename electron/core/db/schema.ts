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

export type ArchiveSchema = {
  users: UsersTable;
  settings: SettingsTable;
  archive_meta: ArchiveMetaTable;
  schema_migrations: SchemaMigrationsTable;
};
