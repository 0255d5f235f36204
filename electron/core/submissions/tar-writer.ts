// Writing the submission payload tar, streaming and deterministic: same entries and mtime give the same bytes.
// Built on tar-stream (ustar headers, pax only for names too long for ustar); the bytes are read back by tar-reader.ts.
import { pack, type Pack } from 'tar-stream';
import { ArchiveError } from '../errors';
import { quoteName, tarNameProblem } from './tar-names';

/** An entry held in memory (small files: JSON, CSV, HTML) or streamed from a source whose size is known beforehand. */
export type TarEntry = { name: string; body: string | Uint8Array } | { name: string; size: number; body: AsyncIterable<Uint8Array> };

export type TarWriteOptions = {
  /** Modification time written in every header; the epoch by default, so the tar does not leak when it was made. */
  mtime?: Date;
};

function drained(stream: { once(event: 'drain' | 'close', listener: () => void): unknown; off(event: 'drain' | 'close', listener: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

async function writeEntry(tar: Pack, entry: TarEntry, mtime: Date): Promise<void> {
  const problem = tarNameProblem(entry.name);
  if (problem !== null) throw new ArchiveError('INTERNAL', `Cannot write tar entry ${quoteName(entry.name)}: ${problem}.`);
  const base = { name: entry.name, mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', mtime, type: 'file' as const };
  if (!('size' in entry)) {
    const bytes = typeof entry.body === 'string' ? Buffer.from(entry.body, 'utf8') : entry.body;
    await new Promise<void>((resolve, reject) => {
      tar.entry({ ...base, size: bytes.length }, bytes, (err) => (err ? reject(err) : resolve()));
    });
    return;
  }
  const declared = entry.size;
  if (!Number.isSafeInteger(declared) || declared < 0) throw new ArchiveError('INTERNAL', `Tar entry ${quoteName(entry.name)} has no valid size.`);
  let finished: ((err?: Error | null) => void) | null = null;
  const done = new Promise<void>((resolve, reject) => {
    finished = (err) => (err ? reject(err) : resolve());
  });
  // Handled here so a failure reported while the source is still being read is not an unhandled rejection; awaited below.
  done.catch(() => undefined);
  const sink = tar.entry({ ...base, size: declared }, (err) => finished?.(err));
  // Failures arrive through the entry callback above; without a listener the stream would also throw them globally.
  sink.on('error', () => undefined);
  let written = 0;
  for await (const chunk of entry.body) {
    written += chunk.length;
    if (written > declared) break;
    if (tar.destroying) throw new ArchiveError('INTERNAL', 'The tar output was closed before every entry was written.');
    if (!sink.write(chunk) && !sink.destroying) await drained(sink);
  }
  // A source that yields more or less than it declared would shift every later header: refuse rather than corrupt.
  if (written !== declared) {
    const err = new ArchiveError('INTERNAL', `Tar entry ${quoteName(entry.name)} was declared as ${declared} bytes but its source gave ${written > declared ? 'more' : written}.`);
    sink.destroy(err);
    await done.catch(() => undefined);
    throw err;
  }
  sink.end(null);
  await done;
}

/**
 * The tar of `entries` as a stream of buffers (pipe it into the encryptor). Memory is bounded: each entry's source is read
 * only as fast as the output is consumed. Entries are plain files, mode 0644, owner 0:0 without names.
 * @example for await (const chunk of writeTar([{ name: 'records.json', body: json }])) encryptor.write(chunk);
 */
export async function* writeTar(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>, opts: TarWriteOptions = {}): AsyncGenerator<Buffer> {
  const mtime = opts.mtime ?? new Date(0);
  const tar = pack();
  let failure: unknown = null;
  const feeding = (async () => {
    try {
      for await (const entry of entries) await writeEntry(tar, entry, mtime);
      tar.finalize();
    } catch (e) {
      failure = e;
      tar.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  try {
    for await (const chunk of tar as AsyncIterable<Uint8Array>) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  } catch (e) {
    failure ??= e;
  } finally {
    // The consumer stopped early or failed: stop the producer too, so no source stays half read.
    if (!tar.destroyed) tar.destroy(new Error('tar output closed by its reader'));
    await feeding;
  }
  if (failure !== null) throw failure instanceof Error ? failure : new Error('The tar could not be written.');
}
