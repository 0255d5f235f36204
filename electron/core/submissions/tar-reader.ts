// Reading a submission payload tar from a hostile source, streaming: every header is checked before its body is read,
// and each entry's body goes to the caller without being held. Parsing is tar-stream's; the checks around it are ours.
// Format: POSIX ustar (pubs.opengroup.org, pax "ustar Interchange Format"), GNU long names and pax headers via tar-stream.
import { extract, type Extract, type Header } from 'tar-stream';
import { ArchiveError } from '../errors';
import { collisionKey, quoteName, tarNameProblem } from './tar-names';

export type TarReadOptions = {
  /** The caller's list of expected names (e.g. records.json, attachments/<uuid>.<ext>); others are TAR_ENTRY_UNSAFE. */
  allow(name: string): boolean;
  /** Declared size limit of one entry, checked from its header before the body is read. */
  maxEntryBytes: number;
  /** Limit of all entries' declared sizes together. */
  maxTotalBytes: number;
  /** Limit on the number of entries; 10 000 by default. */
  maxEntries?: number;
  /** Directory entries (GNU tar writes them for folders): refused by default, or skipped once their name is checked. */
  directories?: 'reject' | 'skip';
  /** Receives each file; it may read `body` (or part of it) to hash or stream it out. The rest is skipped after it returns. */
  onEntry(name: string, size: number, body: AsyncIterable<Buffer>): Promise<void> | void;
};

export type TarReadResult = { entries: { name: string; size: number }[]; totalBytes: number };

const BLOCK = 512;
const DEFAULT_MAX_ENTRIES = 10_000;

function malformed(detail: string): ArchiveError {
  return new ArchiveError('TAR_MALFORMED', `The tar archive is malformed: ${detail}.`);
}

/**
 * A strict octal number field: optional leading spaces, at least one digit 0-7, then only NULs or spaces.
 * tar-stream reads these leniently (parseInt), so "12x" would pass as 10; GNU tar refuses it, and so do we, so that
 * this app and an auditor's tar never see different archives in the same bytes. Base-256 values (high bit set) are
 * returned as null: they are legal for ids and times but not accepted for sizes here.
 */
function octalField(block: Buffer, offset: number, length: number): number | 'base256' | null {
  const field = block.subarray(offset, offset + length);
  if (((field[0] ?? 0) & 0x80) !== 0) return 'base256';
  let i = 0;
  while (i < field.length && field[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < field.length; i++) {
    const c = field[i] ?? 0;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  for (; i < field.length; i++) if (field[i] !== 0 && field[i] !== 0x20) return null;
  return digits === 0 ? null : value;
}

/**
 * Walks the block structure of the raw bytes alongside tar-stream: checks every header's checksum and number fields
 * strictly, and the end: two zero blocks, then nothing but zeros (entries hidden after the end marker are read by
 * some tools and not by others), and no truncation. Holds at most one header block.
 */
class BlockAudit {
  private pending: Buffer = Buffer.alloc(0);
  private skip = 0;
  private zeroBlocks = 0;
  private headers = 0;
  /** Bytes inspected so far, and where the block being assembled starts: errors are placed by them. */
  consumed = 0;
  private blockStart = 0;
  failedAt: number | null = null;

  /** The largest size one header may declare: over it, the entry is too large whatever follows it. */
  constructor(private readonly maxDeclared: number) {}

  inspect(chunk: Buffer): void {
    try {
      this.walk(chunk);
    } catch (e) {
      this.failedAt ??= this.blockStart;
      throw e;
    }
  }

  private walk(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.zeroBlocks >= 2) {
        for (; at < chunk.length; at++, this.consumed++) {
          if (chunk[at] !== 0) {
            this.failedAt = this.consumed;
            throw malformed('there is data after the end-of-archive marker');
          }
        }
        return;
      }
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        this.consumed += n;
        continue;
      }
      if (this.pending.length === 0) this.blockStart = this.consumed;
      const need = BLOCK - this.pending.length;
      const take = chunk.subarray(at, at + need);
      at += take.length;
      this.consumed += take.length;
      this.pending = this.pending.length === 0 && take.length === BLOCK ? take : Buffer.concat([this.pending, take]);
      if (this.pending.length < BLOCK) return;
      const block = this.pending;
      this.pending = Buffer.alloc(0);
      this.header(block);
    }
  }

  private header(block: Buffer): void {
    if (block.every((b) => b === 0)) {
      this.zeroBlocks++;
      return;
    }
    if (this.zeroBlocks > 0) throw malformed('a header follows a lone zero block');
    this.headers++;
    const where = `header ${this.headers}`;
    const checksum = octalField(block, 148, 8);
    if (typeof checksum !== 'number') throw malformed(`${where} has a checksum that is not an octal number`);
    let sum = 8 * 0x20;
    for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i] ?? 0;
    if (sum !== checksum) throw malformed(`${where} has a bad checksum (damaged, or not a tar file)`);
    const size = octalField(block, 124, 12);
    if (size === 'base256') throw malformed(`${where} has a size in base-256 form, which is not accepted`);
    if (size === null) throw malformed(`${where} has a size that is not an octal number`);
    for (const [name, offset, length] of [['mode', 100, 8], ['owner id', 108, 8], ['group id', 116, 8], ['time', 136, 12]] as const) {
      if (octalField(block, offset, length) === null) throw malformed(`${where} has a ${name} that is not an octal number`);
    }
    // Named here, where it is seen: the audit runs ahead of the parser, and would otherwise report only the
    // truncation at the end of a stream too short for the declared size.
    if (size > this.maxDeclared) throw new ArchiveError('TAR_ENTRY_TOO_LARGE', `${where} declares ${size} bytes, over the limit of ${this.maxDeclared}.`);
    this.skip = Math.ceil(size / BLOCK) * BLOCK;
  }

  finish(): void {
    this.failedAt = this.consumed;
    if (this.pending.length > 0) throw malformed('it ends inside a header (truncated)');
    if (this.skip > 0) throw malformed('it ends inside an entry (truncated)');
    if (this.zeroBlocks < 2) throw malformed('it ends without its end-of-archive marker (truncated)');
    this.failedAt = null;
  }
}

function waitForDrain(stream: Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

const toBuffer = (chunk: unknown): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));

/**
 * One iterator over an entry's body, shared: the consumer reads from it as far as it likes (breaking out does not close
 * it, as closing an entry would abort the whole archive), then the reader skips the rest through the same iterator.
 */
function sharedBody(entry: AsyncIterable<unknown>, translate: (e: unknown) => unknown): { body: AsyncIterable<Buffer>; skipRest: () => Promise<void> } {
  const it = entry[Symbol.asyncIterator]();
  const next = async (): Promise<IteratorResult<Buffer, undefined>> => {
    try {
      const r = await it.next();
      return r.done === true ? { done: true, value: undefined } : { done: false, value: toBuffer(r.value) };
    } catch (e) {
      // A body that breaks off is the archive's fault: the consumer sees it as TAR_MALFORMED, not a parser's words.
      throw translate(e);
    }
  };
  return {
    body: { [Symbol.asyncIterator]: () => ({ next }) },
    skipRest: async () => {
      while ((await it.next()).done !== true) {
        // Only skipping.
      }
    },
  };
}

type Seen = { files: Set<string>; folders: Set<string> };

/** Parent folders of a name ("a/b/c" gives "a" and "a/b"): a file may not share a name with a folder. */
function parentsOf(key: string): string[] {
  const parts = key.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function checkEntry(header: Header, opts: TarReadOptions, seen: Seen, totalSoFar: number): { name: string; size: number; skip: boolean } {
  const raw = header.name;
  const type = (header.type as Header['type'] | null) ?? 'unknown';
  const pax = header.pax as Record<string, string> | null | undefined;
  // tar-stream lets a pax size replace the header's, which the block walk above cannot follow; this app never writes one.
  if (pax && 'size' in pax) throw malformed(`entry ${quoteName(raw)} has a pax size that overrides its header`);
  if (!Number.isSafeInteger(header.size) || header.size < 0) throw malformed(`entry ${quoteName(raw)} has no valid size`);
  const isFolder = type === 'directory' && opts.directories === 'skip';
  const name = isFolder && raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const problem = tarNameProblem(name);
  if (problem !== null) throw new ArchiveError('TAR_ENTRY_UNSAFE', `The tar entry ${quoteName(raw)} is refused: ${problem}.`);
  if (type !== 'file' && !isFolder) {
    throw new ArchiveError('TAR_ENTRY_UNSAFE', `The tar entry ${quoteName(raw)} is refused: it is a ${type.replace('-', ' ')}, and only regular files are accepted.`);
  }
  const key = collisionKey(name);
  if (isFolder) {
    if (header.size !== 0) throw malformed(`folder entry ${quoteName(raw)} declares a size`);
    if (seen.files.has(key)) throw new ArchiveError('TAR_ENTRY_DUPLICATE', `The tar entry ${quoteName(raw)} is both a file and a folder.`);
    seen.folders.add(key);
    return { name, size: 0, skip: true };
  }
  if (!opts.allow(name)) throw new ArchiveError('TAR_ENTRY_UNSAFE', `The tar entry ${quoteName(raw)} is refused: it is not a file a submission holds.`);
  if (seen.files.has(key)) throw new ArchiveError('TAR_ENTRY_DUPLICATE', `The tar entry ${quoteName(raw)} appears twice (names compared ignoring case and Unicode form).`);
  if (seen.folders.has(key)) throw new ArchiveError('TAR_ENTRY_DUPLICATE', `The tar entry ${quoteName(raw)} is both a file and a folder.`);
  for (const parent of parentsOf(key)) {
    if (seen.files.has(parent)) throw new ArchiveError('TAR_ENTRY_DUPLICATE', `The tar entry ${quoteName(raw)} lies inside a name that is a file.`);
  }
  if (seen.files.size >= (opts.maxEntries ?? DEFAULT_MAX_ENTRIES)) throw new ArchiveError('TAR_ENTRY_TOO_LARGE', `The tar archive has more than ${opts.maxEntries ?? DEFAULT_MAX_ENTRIES} entries.`);
  if (header.size > opts.maxEntryBytes) throw new ArchiveError('TAR_ENTRY_TOO_LARGE', `The tar entry ${quoteName(raw)} declares ${header.size} bytes, over the limit of ${opts.maxEntryBytes}.`);
  if (totalSoFar + header.size > opts.maxTotalBytes) throw new ArchiveError('TAR_ENTRY_TOO_LARGE', `The tar archive exceeds ${opts.maxTotalBytes} bytes in all at entry ${quoteName(raw)}.`);
  seen.files.add(key);
  for (const parent of parentsOf(key)) seen.folders.add(parent);
  return { name, size: header.size, skip: false };
}

/**
 * Reads a tar from `source`, handing each regular file to `onEntry` after its header passed every check. Never writes to
 * disk. Throws TAR_MALFORMED (damage, garbage, truncation), TAR_ENTRY_UNSAFE (a link, device, absolute or escaping
 * name, or a name the caller did not allow), TAR_ENTRY_DUPLICATE, TAR_ENTRY_TOO_LARGE; errors from `onEntry` pass through.
 * @example await readTar(chunks, { allow: (n) => n === 'records.json', maxEntryBytes: 1 << 30, maxTotalBytes: 1 << 32, onEntry: hashIt });
 */
export async function readTar(source: AsyncIterable<Uint8Array>, opts: TarReadOptions): Promise<TarReadResult> {
  const tar = extract();
  // Errors reach the iterator below; this listener only keeps an early one from being reported as unhandled.
  tar.on('error', () => undefined);
  const audit = new BlockAudit(Math.min(opts.maxEntryBytes, opts.maxTotalBytes));
  // Failures, each placed at the byte offset where it arose, so the earliest one in the archive is the one reported.
  // Declared this way so the checks after the loop are not narrowed away as always null.
  let feedFailure = null as Failure | null;
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        // The reader stopped (a refused entry, or the consumer failed): stop reading the source too.
        if (tar.destroying) return;
        const bytes = toBuffer(chunk);
        audit.inspect(bytes);
        if (!tar.write(bytes)) await waitForDrain(tar);
      }
      audit.finish();
      tar.end(null);
    } catch (e) {
      feedFailure = { error: e, at: audit.failedAt ?? audit.consumed };
      tar.destroy(toError(e));
    }
  })();

  const seen: Seen = { files: new Set(), folders: new Set() };
  const result: TarReadResult = { entries: [], totalBytes: 0 };
  let entryFailure = null as Failure | null;
  try {
    for await (const entry of tar) {
      try {
        const checked = checkEntry(entry.header, opts, seen, result.totalBytes);
        const { body, skipRest } = sharedBody(entry, (e) =>
          e instanceof ArchiveError || (feedFailure !== null && e === feedFailure.error) ? e : malformed(`the body of entry ${quoteName(entry.header.name)} is damaged`),
        );
        if (!checked.skip) {
          result.totalBytes += checked.size;
          result.entries.push({ name: checked.name, size: checked.size });
          await opts.onEntry(checked.name, checked.size, body);
        }
        // Whatever the consumer left unread is skipped, so the next header can be reached.
        await skipRest();
      } catch (e) {
        entryFailure = { error: e, at: entry.offset };
        throw e;
      }
    }
  } catch (e) {
    if (!tar.destroyed) tar.destroy(toError(e));
    await feeding;
    if (feedFailure !== null && (entryFailure === null || feedFailure.at < entryFailure.at || feedFailure.error === entryFailure.error)) throw toError(feedFailure.error);
    // A refused entry (our ArchiveError) or the consumer's own error, unchanged.
    if (entryFailure !== null) throw toError(entryFailure.error);
    // Only the parser is left: its complaint, as damage.
    throw malformed(e instanceof Error ? e.message.replace(/[.\s]+$/u, '') : 'it could not be parsed');
  }
  await feeding;
  if (feedFailure !== null) throw toError(feedFailure.error);
  return result;
}

type Failure = { error: unknown; at: number };

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error('The tar could not be read.'));
