// The database type migrations are written against: untyped on purpose, so a migration never changes
// meaning when the current schema types change (kysely's migration guidance).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not see today's schema types
export type FrozenDb = Kysely<any>;

export type Migration = {
  version: number;
  name: string;
  up(db: FrozenDb): Promise<void>;
};
