// `npm start` offline: the Electron-ABI build stops with one clear line and leaves node_modules alone.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot, tempDir } from '../fixtures/archive';

const nodeBuild = join(repoRoot, 'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node');
const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

test('unreachable headers: exit 1, exactly one stderr line naming what could not be downloaded', () => {
  const out = tempDir('ta-native-');
  const before = hash(nodeBuild);
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/prepare-electron-native.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    // Port 9 (discard) on loopback refuses at once: the same path as a machine without internet.
    env: { ...process.env, PREPARE_NATIVE_OUT: out.path, ELECTRON_HEADERS_URL: 'http://127.0.0.1:9/headers' },
  });
  out.cleanup();
  expect(r.status).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^prepare-electron-native: cannot download Electron \d+\.\d+\.\d+ headers/);
  expect(hash(nodeBuild)).toBe(before);
});
