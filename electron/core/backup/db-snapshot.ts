// The online, still-encrypted copy of the live database, made on a worker thread with its own connection.
//
// Why VACUUM INTO and not the backup API: better-sqlite3's db.backup(path) opens the destination itself, unkeyed,
// and SQLite3MultipleCiphers refuses a backup between an encrypted and a plain database ("backup is not supported
// with incompatible source and target databases"). VACUUM INTO attaches its target without a key, and
// SQLite3MultipleCiphers then gives the attachment the main database's cipher and key (sqlite3mcHandleAttachKey:
// "use the key from the main database"), so the copy is encrypted with the archive key from its first page.
// Spec: https://utelle.github.io/SQLite3MultipleCiphers/docs/configuration/config_sql_pragmas/ and
// https://sqlite.org/lang_vacuum.html#vacuuminto. The copy reads one WAL snapshot: the app keeps writing meanwhile.
// The worker keeps the event loop free; the copy cannot be interrupted midway (cancel waits for it, then removes it).
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ArchiveError } from '../errors';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const key = Buffer.from(workerData.key);
workerData.key.fill(0);
const hex = Buffer.alloc(67);
let db = null;
let copy = null;
const keyed = (file) => {
  const d = new Database(file, { fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  d.pragma("cipher = 'chacha20'");
  d.key(hex);
  // MEMORY: the sorts of the copy must not spill plaintext pages into a temp file.
  d.pragma('temp_store = MEMORY');
  d.prepare('SELECT count(*) FROM sqlite_schema').get();
  return d;
};
try {
  hex.write("x'", 0, 'latin1');
  hex.write(key.toString('hex'), 2, 'latin1');
  hex.write("'", 66, 'latin1');
  db = keyed(workerData.source);
  // The copy's page cache follows this one: 64 MiB keeps index pages of a large archive in memory while it is built.
  db.pragma('cache_size = -65536');
  db.prepare('VACUUM INTO ?').run(workerData.target);
  db.close();
  db = null;
  copy = keyed(workerData.target);
  copy.pragma('query_only = ON');
  const facts = {};
  for (const [name, query] of workerData.queries) facts[name] = copy.prepare(query).raw().all();
  copy.close();
  copy = null;
  parentPort.postMessage({ ok: true, facts });
} catch (e) {
  parentPort.postMessage({ ok: false, code: String(e && e.code || ''), message: String(e && e.message || e) });
} finally {
  if (db) db.close();
  if (copy) copy.close();
  hex.fill(0);
  key.fill(0);
}
`;

const requireHere = createRequire(import.meta.url);

/** Rows of each named query, as arrays of column values, read from the finished copy. */
export type SnapshotFacts = Record<string, unknown[][]>;

export type SnapshotOptions = {
  source: string;
  /** Must not exist yet (VACUUM INTO refuses a non-empty file). */
  target: string;
  /** The archive master key; the worker gets a copy, which it wipes. */
  key: Uint8Array;
  nativeBinding?: string | undefined;
  /** Read-only queries run on the copy once made: what the manifest says the copy holds. */
  queries: ReadonlyArray<readonly [name: string, sql: string]>;
  /** Bytes the copy has reached so far, polled while the worker runs. */
  onBytes?: (bytes: number) => void;
};

/** Makes the encrypted copy and returns the facts read from it. SQLite failures become ARCHIVE_* errors. */
export async function snapshotDatabase(opts: SnapshotOptions): Promise<SnapshotFacts> {
  const key = new Uint8Array(opts.key);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { modulePath: requireHere.resolve('better-sqlite3-multiple-ciphers'), nativeBinding: opts.nativeBinding ?? null, source: opts.source, target: opts.target, key, queries: opts.queries },
  });
  key.fill(0);
  const poll = setInterval(() => {
    void stat(opts.target).then(
      (s) => opts.onBytes?.(s.size),
      () => undefined,
    );
  }, 200);
  try {
    const reply = await new Promise<{ ok: true; facts: SnapshotFacts } | { ok: false; code: string; message: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the copy worker stopped (exit code ${code})`)));
    });
    if (!reply.ok) {
      if (reply.code === 'SQLITE_FULL' || reply.code.startsWith('SQLITE_IOERR') || reply.code === 'SQLITE_CANTOPEN' || reply.code === 'SQLITE_READONLY') {
        throw new ArchiveError('BACKUP_FOLDER_MISSING', 'The database copy could not be written to the backup folder (full, read-only or removed).');
      }
      if (reply.code === 'SQLITE_NOTADB' || reply.code.startsWith('SQLITE_CORRUPT')) throw new ArchiveError('ARCHIVE_DAMAGED', 'The archive database is damaged: it cannot be copied.');
      if (reply.code === 'SQLITE_BUSY') throw new ArchiveError('ARCHIVE_BUSY', 'The archive is busy; try the backup again.');
      throw new ArchiveError('INTERNAL', 'The database copy failed.');
    }
    return reply.facts;
  } finally {
    clearInterval(poll);
    await worker.terminate();
  }
}
