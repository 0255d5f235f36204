// Async file writes the archive relies on: every byte of a batch written (writev retried on short writes), and a
// folder fsynced so a rename in it survives a power cut.
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
