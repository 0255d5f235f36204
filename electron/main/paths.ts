// Where main finds its files: bundled resources and, in development, the Electron-ABI SQLite module.
import { join } from 'node:path';

export type AppLocation = {
  isPackaged: boolean;
  /** app.getAppPath(): the project folder in development, the app.asar in a package. */
  appPath: string;
  /** process.resourcesPath: the folder beside app.asar in a package. */
  resourcesPath: string;
};

/** resources/ (common passwords, vocabularies): extraResources in a package, the project's folder in development. */
export function resourcesDirOf(at: AppLocation): string {
  return at.isPackaged ? join(at.resourcesPath, 'resources') : join(at.appPath, 'resources');
}

/**
 * In development, the better-sqlite3-multiple-ciphers build for Electron's ABI that
 * scripts/prepare-electron-native.mjs made (node_modules keeps the Node build the tests use).
 * Undefined when packaged (electron-builder rebuilt node_modules for Electron) or not built yet.
 */
export function devNativeBindingOf(at: AppLocation & { electronVersion: string; exists: (path: string) => boolean }): string | undefined {
  if (at.isPackaged) return undefined;
  const path = join(at.appPath, 'build', 'native', at.electronVersion, 'better_sqlite3.node');
  return at.exists(path) ? path : undefined;
}
