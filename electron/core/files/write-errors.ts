// Names what a failed write of the file system means for the user: a full disk or a folder that cannot be written.
import { ArchiveError } from '../errors';

/**
 * Test seam for file writers, called before each write of a file: a test throws an errno error (ENOSPC, EROFS) from
 * it where no small or read-only file system can be mounted. Production code never sets it.
 */
export type WriteProbe = (path: string) => void;

const errnoOf = (e: unknown): string | null => (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : null);

/** Where the write went: the archive folder, or a folder the user chose (an export destination). */
export type WritePlace = 'archive' | 'destination';

/**
 * The ArchiveError for a full disk (DISK_FULL) or a read-only or forbidden folder (ARCHIVE_UNWRITABLE in the archive,
 * FOLDER_READ_ONLY elsewhere); null for other failures. Messages never name the file: its name may be content.
 */
export function writeFailure(e: unknown, place: WritePlace): ArchiveError | null {
  if (e instanceof ArchiveError) return null;
  const code = errnoOf(e);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ArchiveError('DISK_FULL', place === 'archive' ? 'The disk of the archive folder is full.' : 'The disk of the chosen folder is full.');
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return place === 'archive'
      ? new ArchiveError('ARCHIVE_UNWRITABLE', 'The archive folder cannot be written (read-only or not permitted).')
      : new ArchiveError('FOLDER_READ_ONLY', 'The chosen folder cannot be written (read-only or not permitted).');
  }
  return null;
}
