// The ordered list of migrations. Append only; never edit a migration that has shipped.
import { migration0001 } from './0001-foundation';
import type { Migration } from './frozen-db';

export const migrations: readonly Migration[] = [migration0001];

export const latestSchemaVersion = migrations.length;
