// The ordered list of migrations. Append only; never edit a migration that has shipped.
import { migration0001 } from './0001-foundation';
import { migration0002 } from './0002-records';
import type { Migration } from './frozen-db';

export const migrations: readonly Migration[] = [migration0001, migration0002];

export const latestSchemaVersion = migrations.length;
