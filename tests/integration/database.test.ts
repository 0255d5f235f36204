// The encrypted database on real files: keys, damage, migrations, plaintext on disk, keyring crash safety.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../electron/core/db/open-database';
import { latestSchemaVersion, migrations } from '../../electron/core/db/migrations/index';
import { isArchiveError } from '../../electron/core/errors';
import { checkArchive } from '../../electron/core/maintenance/archive-check';
import { sweepAtomicLeftovers } from '../../electron/core/vault/atomic-file';
import { keyringFileName, readKeyring, type Keyring } from '../../electron/core/vault/keyring';
import { archivePaths } from '../../electron/core/vault/vault';
import { createInput, director, makeCore, repoRoot, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import {
  canInspectOpenFiles,
  flipByte,
  keyringOf,
  listFilesRecursive,
  listFolder,
  needlesFor,
  openFileDescriptors,
  scanFiles,
  snapshotFolder,
} from '../fixtures/files';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function newDir(): string {
  const dir = tempDir();
  cleanups.push(() => dir.cleanup());
  return dir.path;
}

const clockStart = Date.parse('2025-04-02T08:30:00Z');

/** A locked archive, plus a copy of its master key taken before the lock wiped the original. */
async function archiveWithKey(person = director) {
  const folder = join(newDir(), 'archive');
  const core = await makeCore(folder, { now: () => clockStart });
  await core.sessions.create(createInput(person));
  const masterKey = Uint8Array.from(core.sessions.require().archive.secrets.masterKey);
  await core.sessions.lock('manual');
  return { folder, core, masterKey, dbFile: archivePaths(folder).database };
}

/** Descriptors this process still holds on files of `folder`: none may survive a failed unlock. */
function openFilesIn(folder: string): string[] {
  return [...openFileDescriptors().values()].filter((t) => t.startsWith(folder));
}

/** Unlocks and runs the health check; returns how the damage showed, or 'undetected'. */
async function detectDamage(core: Awaited<ReturnType<typeof makeCore>>): Promise<string> {
  try {
    await core.sessions.signIn(director.username, director.passphrase);
  } catch (e) {
    return isArchiveError(e) ? `unlock: ${e.code}` : `unlock threw ${e instanceof Error ? `${e.name} ${String((e as { code?: unknown }).code)}` : typeof e}`;
  }
  try {
    const s = core.sessions.require();
    const report = await checkArchive({ archive: s.archive, attachments: s.records.attachments, actor: s.records.actor });
    return report.ok ? 'undetected' : 'check: not ok';
  } finally {
    await core.sessions.lock('manual');
  }
}

describe('opening with a key', () => {
  test('a wrong key is ARCHIVE_KEY_REJECTED and changes nothing; the right key opens after that', async () => {
    const { folder, masterKey, dbFile } = await archiveWithKey();
    const before = snapshotFolder(folder);
    for (let i = 0; i < 3; i++) {
      await expectArchiveError(() => openDatabase(dbFile, randomBytes(32)), 'ARCHIVE_KEY_REJECTED');
    }
    expect(snapshotFolder(folder)).toEqual(before);
    expect(openFilesIn(folder)).toEqual([]);

    const db = openDatabase(dbFile, masterKey);
    try {
      expect(db.sqlite.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(db.sqlite.prepare('SELECT username FROM users').pluck().all()).toEqual([director.username]);
    } finally {
      await db.close();
    }
    expect(db.sqlite.open).toBe(false);
  });

  test('a plain SQLite file, a random file, a missing file and a short key are refused with their own codes', async () => {
    const dir = newDir();
    const plain = join(dir, 'plain.db');
    const p = new Database(plain);
    p.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
    p.close();
    const plainBytes = readFileSync(plain);
    await expectArchiveError(() => openDatabase(plain, randomBytes(32)), 'ARCHIVE_KEY_REJECTED');
    expect(readFileSync(plain)).toEqual(plainBytes);

    const random = join(dir, 'random.db');
    writeFileSync(random, randomBytes(8192));
    await expectArchiveError(() => openDatabase(random, randomBytes(32)), 'ARCHIVE_KEY_REJECTED');

    await expectArchiveError(() => openDatabase(join(dir, 'missing.db'), randomBytes(32)), 'ARCHIVE_NOT_FOUND');
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    await expectArchiveError(() => openDatabase(plain, randomBytes(16)), 'INTERNAL');
  });
});

describe('damaged database', () => {
  test('a byte flipped in page 1 makes unlocking fail with ARCHIVE_DAMAGED, not counted as a failed sign-in', async () => {
    const { folder, core, dbFile } = await archiveWithKey();
    flipByte(dbFile, 150);
    await expectArchiveError(core.sessions.signIn(director.username, director.passphrase), 'ARCHIVE_DAMAGED');
    expect(keyringOf(folder).throttle.failures).toBe(0);
    expect(core.sessions.current()).toBeNull();
    expect(openFilesIn(folder)).toEqual([]);
  });

  test('a byte flipped in a later page of a bigger database is found by unlock or by the check', async () => {
    const folder = join(newDir(), 'archive');
    const core = await makeCore(folder);
    await core.sessions.create(createInput(director));
    const { sqlite } = core.sessions.require().archive.db;
    sqlite.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
    const insert = sqlite.prepare('INSERT INTO scratch (body) VALUES (?)');
    sqlite.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(`row ${i} ${'Prishtinë Priština '.repeat(30)}`);
    })();
    // Closing checkpoints the WAL into archive.db and removes it, so the flip below hits the real pages.
    await core.sessions.lock('manual');
    expect(listFolder(folder)).toEqual(['archive.db', keyringFileName]);
    const size = statSync(archivePaths(folder).database).size;
    expect(size).toBeGreaterThan(2_000_000);
    flipByte(archivePaths(folder).database, Math.floor(size / 2) + 100);
    expect(['unlock: ARCHIVE_DAMAGED', 'check: not ok']).toContain(await detectDamage(core));
    expect(openFilesIn(folder)).toEqual([]);
  });

  test('a byte flipped in any page of a fresh archive is detected, always as an archive error', async () => {
    const { folder, core, masterKey, dbFile } = await archiveWithKey();
    const raw = openDatabase(dbFile, masterKey);
    const pageSize = raw.sqlite.pragma('page_size', { simple: true }) as number;
    await raw.close();
    const original = readFileSync(dbFile);
    const pages = original.length / pageSize;
    expect(Number.isInteger(pages)).toBe(true);
    const outcomes: string[] = [];
    for (let page = 1; page <= pages; page++) {
      writeFileSync(dbFile, original);
      flipByte(dbFile, (page - 1) * pageSize + 200);
      const outcome = await detectDamage(core);
      // A failed unlock must not leave the database open (and its keys in memory).
      const leaked = openFilesIn(folder).length;
      outcomes.push(`page ${page}: ${outcome}${leaked ? `, ${leaked} file(s) left open` : ''}`);
    }
    expect(outcomes.filter((o) => !/: (unlock: ARCHIVE_DAMAGED|check: not ok)$/.test(o))).toEqual([]);
    expect(keyringOf(folder).throttle.failures).toBe(0);
  });
});

describe('migrations', () => {
  test('a fresh archive is at the latest schema version with one schema_migrations row per migration', async () => {
    const { masterKey, dbFile } = await archiveWithKey();
    const db = openDatabase(dbFile, masterKey);
    try {
      expect(db.sqlite.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(latestSchemaVersion).toBe(migrations.length);
      expect(db.sqlite.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
        migrations.map((m) => ({ version: m.version, name: m.name, applied_at: new Date(clockStart).toISOString() })),
      );
      // Every ordinary table is STRICT (STYLE.md), including the migration log; FTS5's virtual and shadow
      // tables are SQLite's own and cannot be.
      const tables = db.sqlite.prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string; strict: number }>;
      expect(tables.length).toBeGreaterThan(0);
      for (const t of tables) expect(t, t.name).toMatchObject({ strict: 1 });
    } finally {
      await db.close();
    }
  });

  test('an archive from a newer schema is refused with ARCHIVE_TOO_NEW and nothing is written', async () => {
    const { folder, core, masterKey, dbFile } = await archiveWithKey();
    const db = openDatabase(dbFile, masterKey);
    db.sqlite.pragma('user_version = 99');
    await db.close();
    const before = snapshotFolder(folder);
    expect(Object.keys(before)).toEqual(['archive.db', keyringFileName]);

    await expectArchiveError(core.sessions.signIn(director.username, director.passphrase), 'ARCHIVE_TOO_NEW');
    expect(snapshotFolder(folder)).toEqual(before);
    expect(core.sessions.current()).toBeNull();
    expect(openFilesIn(folder)).toEqual([]);
    const again = openDatabase(dbFile, masterKey);
    try {
      expect(again.sqlite.pragma('user_version', { simple: true })).toBe(99);
      expect(again.sqlite.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    } finally {
      await again.close();
    }
  });
});

describe('no plaintext on disk', () => {
  /**
   * Watches this process's open files while SQLite works. SQLite unlinks its temp files right after
   * creating them (and puts them in /var/tmp, not os.tmpdir()), so a folder scan afterwards cannot see
   * a spill; /proc/self/fd can, and can read them.
   */
  function spillWatcher(marker: string, ignoreFolder: string) {
    const baseline = new Set([...openFileDescriptors()].map(([fd, target]) => `${fd} ${target}`));
    const needle = Buffer.from(marker, 'utf8');
    const seen = new Map<string, boolean>();
    let calls = 0;
    const look = () => {
      for (const [fd, target] of openFileDescriptors()) {
        const key = `${fd} ${target}`;
        if (baseline.has(key) || target.startsWith(ignoreFolder) || seen.get(key) === true) continue;
        let hasMarker = false;
        try {
          hasMarker = readFileSync(`/proc/self/fd/${fd}`).includes(needle);
        } catch {
          // Closed in the meantime.
        }
        seen.set(key, hasMarker);
      }
    };
    return {
      /** SQL function body: called per row, looks at the open files every few thousand rows. */
      probe: () => {
        if (++calls % 5000 === 0) look();
        return 1;
      },
      look,
      tempFiles: () => [...seen.keys()].filter((k) => /etilqs_|\(deleted\)/.test(k)),
      withMarker: () => [...seen].filter(([, has]) => has).map(([k]) => k),
    };
  }

  /** Sorts, groups and distinct-sets over all rows, each big enough to spill with a 2 MB cache if temp_store were FILE. */
  function runSpillingQueries(sqlite: SqliteHandle, watcher: ReturnType<typeof spillWatcher>): void {
    sqlite.function('spill_probe', { deterministic: false, varargs: true }, watcher.probe);
    const queries = [
      'SELECT id, body FROM scratch WHERE spill_probe(id) ORDER BY substr(body, 30) || id DESC',
      'SELECT substr(body, 1, 60) AS k, count(*) AS c, max(body) AS m FROM scratch WHERE spill_probe(id) GROUP BY k ORDER BY c DESC, m',
      'SELECT count(DISTINCT body) FROM scratch WHERE spill_probe(id)',
    ];
    for (const q of queries) {
      const rows = sqlite.prepare(q).iterate();
      let n = rows.next().done ? 0 : 1;
      // After the first row the sort is done and its spill files (if any) are still open.
      watcher.look();
      while (!rows.next().done) n++;
      expect(n).toBeGreaterThan(0);
    }
    sqlite.exec('CREATE TEMP TABLE copy AS SELECT * FROM scratch WHERE spill_probe(id)');
    sqlite.exec('CREATE INDEX temp.copy_body ON copy (body)');
    watcher.look();
    sqlite.exec('DROP TABLE temp.copy');
  }

  function fillScratch(sqlite: SqliteHandle, marker: string, rows: number): void {
    sqlite.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, body TEXT NOT NULL) STRICT');
    const insert = sqlite.prepare('INSERT INTO scratch (grp, body) VALUES (?, ?)');
    sqlite.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(i % 997, `${marker} dëshmia ${i} e dhënë në Gjakovë, сведочење ${i}`);
    })();
  }

  const tempRoots = [...new Set([tmpdir(), '/var/tmp', '/tmp'])].filter((d) => existsSync(d));
  const listTempEntries = () => new Set(tempRoots.flatMap((root) => readdirSync(root).map((n) => join(root, n))));

  test('a marker written through the normal path is found in no file, even after big sorts and groups', async () => {
    const marker = `TA-MARKER-${randomBytes(8).toString('hex')}`;
    // A passphrase unique to this run, so no source file or cache can hold it.
    const passphrase = `Lumi i Drinit ${randomBytes(6).toString('hex')} rrjedh ngadalë`;
    const tempBefore = listTempEntries();
    const folder = join(newDir(), 'archive');
    const core = await makeCore(folder);
    await core.sessions.create({ ...createInput(director), displayName: `Drita ${marker}`, passphrase, passphraseConfirm: passphrase });
    const { sqlite } = core.sessions.require().archive.db;
    fillScratch(sqlite, marker, 200_000);
    // With the default 128 MiB cache these sorts would fit in memory anyway; 2 MB makes them spill if they could.
    sqlite.pragma('cache_size = -2000');
    const watcher = spillWatcher(marker, folder);
    runSpillingQueries(sqlite, watcher);
    const needles = needlesFor(marker, passphrase);

    expect(watcher.tempFiles()).toEqual([]);
    expect(watcher.withMarker()).toEqual([]);
    // While open: the WAL holds every inserted row.
    expect(listFolder(folder)).toEqual(['archive.db', 'archive.db-shm', 'archive.db-wal', keyringFileName]);
    expect(statSync(join(folder, 'archive.db-wal')).size).toBeGreaterThan(10_000_000);
    expect(scanFiles(listFilesRecursive(folder), needles)).toEqual([]);

    await core.sessions.lock('manual');
    expect(scanFiles(listFilesRecursive(folder), needles)).toEqual([]);
    const created = [...listTempEntries()].filter((p) => !tempBefore.has(p));
    expect(created.length).toBeGreaterThan(0); // at least our own temp folder
    expect(scanFiles(created.flatMap((p) => (statSync(p, { throwIfNoEntry: false })?.isDirectory() ? listFilesRecursive(p) : [p])), needles)).toEqual([]);
  });

  test('control: the scans do find a marker where one is', async () => {
    const marker = `TA-CONTROL-${randomBytes(8).toString('hex')}`;
    const dir = newDir();
    writeFileSync(join(dir, 'plain-utf8.txt'), `before ${marker} after`);
    writeFileSync(join(dir, 'plain-utf16.txt'), Buffer.from(`before ${marker} after`, 'utf16le'));
    writeFileSync(join(dir, 'clean.txt'), 'nothing to see');
    const hits = scanFiles(listFilesRecursive(dir), needlesFor(marker));
    expect(hits.map((h) => `${h.file.slice(dir.length + 1)} ${h.needle.endsWith('(utf8)') ? 'utf8' : 'utf16le'}`).sort()).toEqual([
      'plain-utf16.txt utf16le',
      'plain-utf8.txt utf8',
    ]);

    // The open-file watcher finds a real spill when temp_store is FILE on an otherwise identical connection.
    if (!canInspectOpenFiles) return;
    const db = openDatabase(join(dir, 'control.db'), randomBytes(32), { create: true, cacheKib: 2000 });
    try {
      db.sqlite.pragma('temp_store = FILE');
      fillScratch(db.sqlite, marker, 60_000);
      const watcher = spillWatcher(marker, dir);
      runSpillingQueries(db.sqlite, watcher);
      expect(watcher.tempFiles().length).toBeGreaterThan(0);
      expect(watcher.withMarker().length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});

describe('keyring crash safety', () => {
  const tempKeyrings = (folder: string) => readdirSync(folder).filter((n) => n.startsWith(`.${keyringFileName}.`) && n.endsWith('.tmp'));

  test('a crash between temp write and rename leaves the old keyring; the leftover is swept at the next unlock', async () => {
    const folder = join(newDir(), 'archive');
    let crash = false;
    const core = await makeCore(folder, {
      keyringHooks: {
        beforeRename: () => {
          if (crash) throw new Error('simulated crash before rename');
        },
      },
    });
    await core.sessions.create(createInput(director));
    await core.sessions.lock('manual');
    const old = readFileSync(archivePaths(folder).keyring);

    crash = true;
    // The failed-attempt counter cannot be stored: the attempt fails loudly rather than silently not counting.
    await expectArchiveError(core.sessions.signIn(director.username, 'a wrong passphrase here'), 'ARCHIVE_UNWRITABLE');
    expect(readFileSync(archivePaths(folder).keyring)).toEqual(old);
    expect(keyringOf(folder).throttle.failures).toBe(0);
    const leftovers = tempKeyrings(folder);
    expect(leftovers).toHaveLength(1);
    // The leftover is the complete new version: the crash came after the temp file was durable.
    expect(readKeyring(join(folder, leftovers[0]!)).throttle.failures).toBe(1);

    crash = false;
    await expectArchiveError(core.sessions.signIn(director.username, 'a wrong passphrase again'), 'AUTH_FAILED');
    expect(keyringOf(folder).throttle.failures).toBe(1);
    expect(tempKeyrings(folder)).toHaveLength(1);

    // A crash while resetting the counter after a right passphrase: sign-in fails, the keyring keeps its counter.
    crash = true;
    const dbBefore = snapshotFolder(folder)['archive.db'];
    await expectArchiveError(core.sessions.signIn(director.username, director.passphrase), 'ARCHIVE_UNWRITABLE');
    expect(core.sessions.current()).toBeNull();
    expect(keyringOf(folder).throttle.failures).toBe(1);
    expect(snapshotFolder(folder)['archive.db']).toBe(dbBefore);
    expect(openFilesIn(folder)).toEqual([]);

    crash = false;
    await core.sessions.signIn(director.username, director.passphrase);
    expect(tempKeyrings(folder)).toEqual([]);
    expect(keyringOf(folder).throttle.failures).toBe(0);
    await core.sessions.lock('manual');
  });

  test('a writer killed with SIGKILL at random moments never leaves a torn keyring', async () => {
    const source = await archiveWithKey();
    const baseRest: Partial<Keyring> = keyringOf(source.folder);
    delete baseRest.throttle;
    const script = join(repoRoot, 'tests/fixtures/keyring-writer.ts');
    const kills = 20;
    const parallel = 4;

    /** Starts a writer on `folder`'s keyring, kills it a random time after its first write, resolves when it is gone. */
    const killRun = (folder: string): Promise<{ signal: string | null }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, join(folder, keyringFileName)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.once('data', () => {
          setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 40));
        });
        child.on('error', reject);
        child.on('exit', (_code, signal) => {
          if (signal !== 'SIGKILL') reject(new Error(`writer ended without being killed: ${stderr.slice(0, 500)}`));
          else resolve({ signal });
        });
      });

    const folders = Array.from({ length: parallel }, (_, i) => {
      const f = join(newDir(), `copy-${i}`);
      mkdirSync(f);
      copyFileSync(join(source.folder, keyringFileName), join(f, keyringFileName));
      return f;
    });
    let leftoversSeen = 0;
    const counters: number[] = [];
    for (let round = 0; round < kills / parallel; round++) {
      await Promise.all(
        folders.map(async (folder) => {
          const before = readKeyring(join(folder, keyringFileName)).throttle.failures;
          await killRun(folder);
          // Parses (no torn JSON, schema holds) and is a whole version: everything but the counter is the original.
          const rest: Partial<Keyring> = readKeyring(join(folder, keyringFileName));
          const throttle = rest.throttle!;
          delete rest.throttle;
          expect(rest).toEqual(baseRest);
          expect(throttle.failures).toBeGreaterThan(before);
          expect(throttle.lastFailureAt).toBe(throttle.failures);
          counters.push(throttle.failures - before);
          leftoversSeen += sweepAtomicLeftovers(join(folder, keyringFileName));
          expect(tempKeyrings(folder)).toEqual([]);
        }),
      );
    }
    expect(counters).toHaveLength(kills);
    // Informational: how many writes each writer got through, and how often a kill left a temp file behind.
    console.info(`keyring SIGKILL: ${kills} kills, writes per run ${Math.min(...counters)}..${Math.max(...counters)}, ${leftoversSeen} leftover temp file(s) swept`);
  });
});
