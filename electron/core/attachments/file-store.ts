// Where attachment files live in the archive folder, and the sweep of temp files and orphans at open.
//
// <archive folder>/attachments/<first 2 hex of id>/<id>.bin — sharded so no folder grows to tens of
// thousands of entries. An attachment's file is written (atomically) before its database row, so a crash
// between the two leaves an orphan file that no row names; the sweep removes it at the next open.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveError } from '../errors';
import { isAttachmentId } from './stream-format';
import { TEMP_PREFIX, TEMP_SUFFIX } from './stream-file';

export const ATTACHMENTS_DIR = 'attachments';
const FILE_SUFFIX = '.bin';
const shardPattern = /^[0-9a-f]{2}$/;

export function attachmentsDir(archiveFolder: string): string {
  return join(archiveFolder, ATTACHMENTS_DIR);
}

/** The file of attachment `id` (a lowercase uuid; anything else is refused, so no id can reach outside the folder). */
export function attachmentPath(archiveFolder: string, id: string): string {
  if (!isAttachmentId(id)) throw new ArchiveError('IPC_BAD_INPUT', `not an attachment id: ${JSON.stringify(id)}`);
  return join(attachmentsDir(archiveFolder), id.slice(0, 2), `${id}${FILE_SUFFIX}`);
}

export type SweepReport = {
  /** Temp files of imports that never finished (crash, or a process killed mid-write). */
  tempFiles: string[];
  /** Complete attachment files whose id has no database row. */
  orphans: string[];
};

/**
 * Removes temp files and attachment files whose id is not in `knownIds`; returns the paths removed. Anything
 * else found in the folder (not named by us) is left alone. Call at open, before any import can be running.
 */
export function sweepOrphans(archiveFolder: string, knownIds: ReadonlySet<string>): SweepReport {
  const report: SweepReport = { tempFiles: [], orphans: [] };
  const root = attachmentsDir(archiveFolder);
  for (const shard of listDir(root)) {
    const shardDir = join(root, shard);
    if (!shardPattern.test(shard) || !statSync(shardDir).isDirectory()) continue;
    for (const name of listDir(shardDir)) {
      const path = join(shardDir, name);
      if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
        rmSync(path, { force: true });
        report.tempFiles.push(path);
      } else if (name.endsWith(FILE_SUFFIX)) {
        const id = name.slice(0, -FILE_SUFFIX.length);
        if (isAttachmentId(id) && id.startsWith(shard) && !knownIds.has(id)) {
          rmSync(path, { force: true });
          report.orphans.push(path);
        }
      }
    }
  }
  return report;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
