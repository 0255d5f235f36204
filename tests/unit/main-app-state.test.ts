// What main remembers between starts and where it finds its files: the archive folder in
// userData/app-state.json (atomic, odd content ignored), resources/ and the dev SQLite module.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { appStatePath, readRememberedFolder, rememberFolder } from '../../electron/main/app-state';
import { devNativeBindingOf, resourcesDirOf } from '../../electron/main/paths';
import { tempDir } from '../fixtures/archive';

const dir = tempDir('ta-app-state-');
afterAll(() => dir.cleanup());

describe('app state', () => {
  test('remembers the chosen folder atomically, creating userData if needed', () => {
    const file = appStatePath(join(dir.path, 'userData'));
    expect(file).toBe(join(dir.path, 'userData', 'app-state.json'));
    expect(readRememberedFolder(file)).toBeNull();

    const folder = join(dir.path, 'Arkivi i Prishtinës', 'Архива');
    rememberFolder(file, folder);
    expect(readRememberedFolder(file)).toBe(folder);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, folder });

    rememberFolder(file, '/srv/archive');
    expect(readRememberedFolder(file)).toBe('/srv/archive');
    expect(readdirSync(join(dir.path, 'userData'))).toEqual(['app-state.json']);
  });

  test('ignores a damaged or odd state file', () => {
    const file = join(dir.path, 'odd.json');
    for (const content of ['', '{', 'null', '[]', '"x"', '{"folder":42}', '{"folder":""}', '{"folder":"relative/path"}', '{"other":"/x"}']) {
      writeFileSync(file, content);
      expect(readRememberedFolder(file), content).toBeNull();
    }
  });
});

describe('paths', () => {
  const dev = { isPackaged: false, appPath: '/work/app', resourcesPath: '/opt/electron/resources' };
  const packaged = { isPackaged: true, appPath: '/opt/ta/resources/app.asar', resourcesPath: '/opt/ta/resources' };

  test('resources/ is beside app.asar when packaged, in the project in development', () => {
    expect(resourcesDirOf(packaged)).toBe('/opt/ta/resources/resources');
    expect(resourcesDirOf(dev)).toBe('/work/app/resources');
  });

  test('the Electron-ABI SQLite module is used in development only, and only once built', () => {
    const expected = '/work/app/build/native/45.5.0/better_sqlite3.node';
    expect(devNativeBindingOf({ ...dev, electronVersion: '45.5.0', exists: (p) => p === expected })).toBe(expected);
    expect(devNativeBindingOf({ ...dev, electronVersion: '45.5.0', exists: () => false })).toBeUndefined();
    expect(devNativeBindingOf({ ...packaged, electronVersion: '45.5.0', exists: () => true })).toBeUndefined();
  });
});
