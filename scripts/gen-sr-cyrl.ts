// Writes every Serbian Cyrillic UI catalog from its Serbian Latin twin (one source of truth for Serbian text).
// Usage: npx tsx scripts/gen-sr-cyrl.ts   (tests/unit/i18n-catalogs.test.ts fails when a catalog is stale)
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cyrillicCatalog } from '../shared/text/cyrillic-catalog';

const localesDir = fileURLToPath(new URL('../renderer/src/i18n/locales', import.meta.url));
const dirs = [localesDir, ...readdirSync(localesDir).map((d) => join(localesDir, d)).filter((d) => statSync(d).isDirectory())];
for (const dir of dirs) {
  const latin = JSON.parse(readFileSync(join(dir, 'sr-Latn.json'), 'utf8')) as unknown;
  writeFileSync(join(dir, 'sr-Cyrl.json'), `${JSON.stringify(cyrillicCatalog(latin), null, 2)}\n`);
}
