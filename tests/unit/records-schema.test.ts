// The shipped JSON Schema of records.json is exactly what the zod schemas generate (no drift).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { recordsJsonSchema } from '../../shared/records/records-file';
import { repoRoot } from '../fixtures/archive';

test('shared/records/records.schema.json is up to date (regenerate: npx tsx scripts/gen-records-schema.ts)', () => {
  const shipped = JSON.parse(readFileSync(join(repoRoot, 'shared/records/records.schema.json'), 'utf8')) as unknown;
  expect(shipped).toEqual(recordsJsonSchema());
});
