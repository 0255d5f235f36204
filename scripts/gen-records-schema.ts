// Writes shared/records/records.schema.json from the zod schemas: `npx tsx scripts/gen-records-schema.ts`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordsJsonSchema } from '../shared/records/records-file';

writeFileSync(join(import.meta.dirname, '../shared/records/records.schema.json'), `${JSON.stringify(recordsJsonSchema(), null, 2)}\n`);
