// The small state main keeps between starts (userData/app-state.json): the archive folder last chosen.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../core/vault/atomic-file';

export const appStateFileName = 'app-state.json';

export function appStatePath(userDataDir: string): string {
  return join(userDataDir, appStateFileName);
}

/** The remembered archive folder, or null when there is none or the file is unreadable or odd. */
export function readRememberedFolder(file: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !('folder' in parsed)) return null;
  const folder = parsed.folder;
  return typeof folder === 'string' && folder.length > 0 && folder.length <= 4096 && isAbsolute(folder) ? folder : null;
}

/** Remembers the folder atomically (temp file, fsync, rename), so a crash leaves the old or the new state. */
export function rememberFolder(file: string, folder: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify({ version: 1, folder }, null, 2)}\n`);
}
