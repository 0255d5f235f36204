// Only the two composition roots touch Electron at run time; everything else in electron/main and
// electron/preload takes Electron's objects as parameters, so these tests run in plain Node.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../fixtures/archive';

const tsFiles = (folder: string) =>
  readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f).split('\\').join('/'));

/** True when the file has a value (not `import type`) import of 'electron'. */
const importsElectronAtRuntime = (file: string) =>
  /^import\s+(?!type\s)[^;]*?from\s+'electron'/ms.test(readFileSync(join(repoRoot, file), 'utf8'));

test('only electron/main/index.ts and electron/preload/index.ts import electron at run time', () => {
  const importers = [...tsFiles('electron/main'), ...tsFiles('electron/preload')].filter(importsElectronAtRuntime).sort();
  expect(importers).toEqual(['electron/main/index.ts', 'electron/preload/index.ts']);
});

test('no test imports electron at run time', () => {
  expect(tsFiles('tests').filter(importsElectronAtRuntime)).toEqual([]);
});
