// Crash-safe small-file replacement: temp file, fsync, rename, fsync of the folder.
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { WriteProbe } from '../files/write-errors';

/**
 * Test hooks: `beforeWrite` runs before the temp file's bytes are written (it may throw ENOSPC or EROFS like a full or
 * read-only disk: see files/write-errors.ts); `beforeRename` after the temp file is durable and before the rename (a
 * crash here must leave the old file).
 */
export type AtomicWriteHooks = { beforeWrite?: WriteProbe; beforeRename?: (tempPath: string) => void };

const tempPrefix = (target: string) => `.${basename(target)}.`;
const tempSuffix = '.tmp';

export function writeFileAtomic(target: string, data: string, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(target);
  const temp = join(dir, `${tempPrefix(target)}${randomBytes(6).toString('hex')}${tempSuffix}`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    hooks.beforeWrite?.(temp);
    const buf = Buffer.from(data, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  hooks.beforeRename?.(temp);
  try {
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/** Renames `from` over `to` (atomic on one file system) and makes the rename durable. */
export function renameDurably(from: string, to: string): void {
  renameSync(from, to);
  fsyncDir(dirname(to));
}

export function fsyncDirOf(file: string): void {
  fsyncDir(dirname(file));
}

function fsyncDir(dir: string): void {
  // Makes the rename itself durable. Not possible on Windows, where the rename is already journaled.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes temp files left by a write that crashed before its rename. */
export function sweepAtomicLeftovers(target: string): number {
  const prefix = tempPrefix(target);
  let removed = 0;
  for (const name of readdirSync(dirname(target))) {
    if (name.startsWith(prefix) && name.endsWith(tempSuffix)) {
      rmSync(join(dirname(target), name), { force: true });
      removed++;
    }
  }
  return removed;
}
