// Async file writes the archive relies on: every byte of a batch written (writev retried on short writes), data
// flushed while a long file is still being written, and a folder fsynced so a rename in it survives a power cut.
import { open, type FileHandle } from 'node:fs/promises';

/** Writes every buffer, in order, with writev: no joining of batches, short writes continued. */
export async function writeAll(fh: FileHandle, buffers: readonly Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    const { bytesWritten } = await fh.writev([...rest]);
    let n = bytesWritten;
    const next: Buffer[] = [];
    for (const b of rest) {
      if (n >= b.length) n -= b.length;
      else {
        next.push(n > 0 ? b.subarray(n) : b);
        n = 0;
      }
    }
    rest = next;
  }
}

/** Makes a rename in `dir` durable; not possible on Windows, where the rename is already journaled. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Bytes written between background flushes of a long file. */
const FLUSH_EVERY = 8 * 1024 * 1024;

/**
 * Flushes a file being written in the background, one fdatasync at a time, every 8 MiB: the disk gets the data
 * while later bytes are still being made, so the final fsync has little left to do (flushing 1 GiB only at the
 * end took 1.4 s here). `wrote` after each write; `settle` before the final fsync (and after a failure).
 */
export function backgroundFlush(fh: FileHandle): { wrote(bytes: number): void; settle(): Promise<void> } {
  let flushing: Promise<void> = Promise.resolve();
  let busy = false;
  let unflushed = 0;
  return {
    wrote(bytes) {
      unflushed += bytes;
      if (unflushed < FLUSH_EVERY || busy) return;
      unflushed = 0;
      busy = true;
      flushing = fh.datasync().finally(() => (busy = false));
      flushing.catch(() => undefined); // settled (and its failure seen) in settle()
    },
    settle: () => flushing,
  };
}
