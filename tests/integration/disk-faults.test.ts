// Disk full and read-only folders (issue 7 part 4): writes fail with their own code (DISK_FULL, ARCHIVE_UNWRITABLE,
// FOLDER_READ_ONLY), leave nothing half-written (no temp file, database and keyring unchanged), and the next
// operation works once the disk has room again.
//
// Two modes. "tmpfs": real faults on small tmpfs mounts (a full disk, a remount read-only), where mounting is
// permitted (Linux, root). "injected": the archive's write seam (writeProbe, keyringHooks.beforeWrite) throws ENOSPC
// or EROFS, and SQLite's own max_page_count makes a real SQLITE_FULL. Injected always runs; tmpfs runs when the mount
// works. Each test asserts that its fault happened (the error code), so none can pass because no fault was made.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { WriteProbe } from '../../electron/core/files/write-errors';
import { createAppRouter } from '../../electron/main/ipc-bridge';
import { generateIdentity } from '../../electron/core/submissions/age/age';
import { archivePaths } from '../../electron/core/vault/keyring';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { filesUnder } from '../fixtures/plaintext-scan';
import { consentInput, personInput, testimonyInput } from '../fixtures/records';

type Mode = 'tmpfs' | 'injected';
type Core = Awaited<ReturnType<typeof makeCore>>;

const root = tempDir('ta-disk-faults-');
const mounted: string[] = [];

function mountTmpfs(dir: string, sizeMb: number): boolean {
  if (process.platform !== 'linux') return false;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  mounted.push(dir);
  return true;
}

function remount(dir: string, how: 'ro' | 'rw'): void {
  const r = spawnSync('mount', ['-o', `remount,${how}`, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`remount ${how} of ${dir} failed: ${r.stderr}`);
}

/** Probed once: can this machine mount a tmpfs? (CI containers may not allow it.) */
const tmpfsWorks = (() => {
  const probe = join(root.path, 'probe');
  if (!mountTmpfs(probe, 1)) return false;
  spawnSync('umount', [probe]);
  mounted.pop();
  return true;
})();
const modes: Mode[] = tmpfsWorks ? ['injected', 'tmpfs'] : ['injected'];
console.info(`disk-faults: running in mode(s) ${modes.join(' and ')}${tmpfsWorks ? '' : ' (mounting a tmpfs is not permitted here)'}`);

afterAll(() => {
  // Unmounted even when tests failed: read-only ones are made writable first, lazily detached if busy.
  for (const dir of mounted.reverse()) {
    spawnSync('mount', ['-o', 'remount,rw', dir]);
    if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
  }
  root.cleanup();
});

/** Every entry under `dir`, or none when it does not exist (yet). */
const filesIn = (dir: string) => (existsSync(dir) ? filesUnder(dir) : []);

const errno = (code: string) => Object.assign(new Error(`${code}: injected by the test`), { code });

/** A mode's faults: a full disk under the archive (or the destination), a read-only destination, and their undoing. */
class Faults {
  /** The errno error the write seam throws (injected mode). */
  injected: { error: Error; under: string } | null = null;
  readonly probe: WriteProbe = (path) => {
    if (this.injected && path.startsWith(this.injected.under)) throw this.injected.error;
  };
  private fillers: string[] = [];
  private readOnly: string[] = [];

  constructor(
    readonly mode: Mode,
    /** Where archives live (a tmpfs in tmpfs mode). */
    readonly archives: string,
    /** Where bundles go (another tmpfs in tmpfs mode). */
    readonly destination: string,
  ) {}

  /** Fills the disk holding `dir`: the file system itself in tmpfs mode, the write seam plus max_page_count otherwise. */
  diskFull(dir: string, core?: Core): void {
    if (this.mode === 'tmpfs') {
      // The WAL is emptied first: a transaction must need new blocks, not reuse frames already allocated.
      core?.sessions.require().archive.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const filler = join(dir, `.filler-${this.fillers.length}`);
      this.fillers.push(filler);
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(1024 * 1024, 0x5a);
      try {
        for (;;) writeSync(fd, block);
      } catch (e) {
        if (!(e instanceof Error && 'code' in e && e.code === 'ENOSPC')) throw e;
      } finally {
        closeSync(fd);
      }
      // Small writes too must fail: fill the last partial block.
      const tail = `${filler}-tail`;
      this.fillers.push(tail);
      try {
        writeFileSync(tail, Buffer.alloc(4096));
      } catch {
        // already full to the byte
      }
    } else {
      this.injected = { error: errno('ENOSPC'), under: dir };
      const sqlite = core?.sessions.require().archive.db.sqlite;
      if (sqlite) sqlite.pragma(`max_page_count = ${Number(sqlite.pragma('page_count', { simple: true }))}`);
    }
  }

  /** Makes `dir` read-only: a remount in tmpfs mode (it must be a mount point), EROFS from the seam otherwise. */
  makeReadOnly(dir: string): void {
    if (this.mode === 'tmpfs') {
      remount(dir, 'ro');
      this.readOnly.push(dir);
    } else this.injected = { error: errno('EROFS'), under: dir };
  }

  /** Space back, folders writable again. */
  clear(core?: Core): void {
    this.injected = null;
    for (const f of this.fillers.splice(0)) rmSync(f, { force: true });
    for (const d of this.readOnly.splice(0)) remount(d, 'rw');
    const sqlite = core?.sessions.current()?.archive.db.sqlite;
    if (sqlite) sqlite.pragma('max_page_count = 4294967294');
  }
}

describe.each(modes)('disk faults, mode %s', (mode) => {
  let faults: Faults;
  let n = 0;
  /** Every core a test made: locked after each test, so a failed one leaves no open file (a busy mount cannot be remounted). */
  const cores: Core[] = [];
  const core = async (folder: string, extra: Parameters<typeof makeCore>[1] = {}) => {
    const c = await makeCore(folder, { writeProbe: faults.probe, keyringHooks: { beforeWrite: faults.probe }, ...extra });
    cores.push(c);
    return c;
  };
  afterEach(async () => {
    faults.clear();
    for (const c of cores.splice(0)) await c.sessions.lock('quit').catch(() => undefined);
  });

  beforeAll(() => {
    const base = join(root.path, mode);
    const archives = join(base, 'archives');
    const destination = join(base, 'destination');
    mkdirSync(archives, { recursive: true });
    mkdirSync(destination, { recursive: true });
    if (mode === 'tmpfs') {
      if (!mountTmpfs(archives, 48) || !mountTmpfs(destination, 8)) throw new Error('tmpfs mode was chosen but mounting failed');
    }
    faults = new Faults(mode, archives, destination);
    console.info(`disk-faults: mode ${mode}: archives in ${archives}, bundles to ${destination}`);
  });

  /** A fresh archive with its director signed in, and one reviewed testimony whose consent lets it be submitted. */
  async function world() {
    const folder = join(faults.archives, `a${++n}`);
    const c = await core(folder, { pickSaveFolder: () => Promise.resolve(faults.destination) });
    await c.sessions.create(createInput(director));
    const records = c.sessions.require().records;
    const p = await records.persons.create(personInput(), records.actor);
    const t = await records.testimonies.create(testimonyInput(p.id, p.id, { consent: consentInput() }), records.actor);
    const reviewed = await records.testimonies.review(t.id, t.revision, records.actor);
    return { folder, core: c, records, person: p, testimony: reviewed };
  }

  const sqliteOf = (core: Core) => core.sessions.require().archive.db.sqlite;
  const count = (core: Core, table: string) => (sqliteOf(core).prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const integrity = (core: Core) => sqliteOf(core).pragma('integrity_check', { simple: true });
  /** Temp files of every writer (attachments, keyring, bundles) left under `dir`. */
  const leftovers = (dir: string) => filesIn(dir).filter((f) => /\.incoming-|\.tmp$|\.partial-/.test(f));

  test('attachment import on a full disk: DISK_FULL, no file, no row; works once there is room', async () => {
    const w = await world();
    const source = join(root.path, `${mode}-statement-${n}.pdf`);
    writeFileSync(source, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3 * 1024 * 1024, 1)]));
    const before = filesIn(join(w.folder, 'attachments')).length;
    faults.diskFull(w.folder, w.core);
    try {
      await expectArchiveError(w.records.attachments.importFile(w.records.actor, 'testimony', w.testimony.id, source), 'DISK_FULL');
    } finally {
      faults.clear(w.core);
    }
    expect(leftovers(w.folder)).toEqual([]);
    expect(filesIn(join(w.folder, 'attachments')).filter((f) => f.endsWith('.bin'))).toHaveLength(before);
    expect(count(w.core, 'attachments')).toBe(0);
    const ok = await w.records.attachments.importFile(w.records.actor, 'testimony', w.testimony.id, source);
    expect((await w.records.attachments.verify(w.records.actor, ok.id)).ok).toBe(true);
    await w.core.sessions.lock('quit');
  });

  test('a record save on a full disk: DISK_FULL (SQLITE_FULL), database unchanged; the same save works afterwards', async () => {
    const w = await world();
    const before = { testimonies: count(w.core, 'testimonies'), persons: count(w.core, 'persons') };
    // Large enough to need new pages whatever the free list holds.
    const input = testimonyInput(w.person.id, w.person.id, { narrative: 'Dëshmia e plotë. '.repeat(40_000) });
    faults.diskFull(w.folder, w.core);
    try {
      await expectArchiveError(w.records.testimonies.create(input, w.records.actor), 'DISK_FULL');
      await expectArchiveError(w.records.persons.create(personInput({ contact: 'x'.repeat(1_000_000) }), w.records.actor), 'DISK_FULL');
      // What the page gets: the code its message is translated from.
      const route = createAppRouter(w.core);
      const r = await route({ url: 'app://archive/index.html', isMainFrame: true }, 'testimonies.create', { testimony: testimonyInput(w.person.id, w.person.id, { narrative: 'Dëshmia e re. '.repeat(40_000) }) });
      expect(r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`).toMatch(/^DISK_FULL/);
    } finally {
      faults.clear(w.core);
    }
    expect({ testimonies: count(w.core, 'testimonies'), persons: count(w.core, 'persons') }).toEqual(before);
    expect(integrity(w.core)).toBe('ok');
    await w.records.testimonies.create(input, w.records.actor);
    expect(count(w.core, 'testimonies')).toBe(before.testimonies + 1);
    await w.core.sessions.lock('quit');
    // Reopens and checks clean after the failed write.
    await w.core.sessions.signIn(director.username, director.passphrase);
    expect(integrity(w.core)).toBe('ok');
    await w.core.sessions.lock('quit');
  });

  test('a passphrase change on a full disk: DISK_FULL, keyring byte for byte the same, old passphrase still opens', async () => {
    const w = await world();
    const keyring = archivePaths(w.folder).keyring;
    const before = readFileSync(keyring);
    const next = 'Ura e vjetër mbi Drinin e Bardhë 2026';
    faults.diskFull(w.folder, w.core);
    try {
      await expectArchiveError(w.core.sessions.changePassphrase(director.passphrase, next, next), 'DISK_FULL');
    } finally {
      faults.clear(w.core);
    }
    expect(readFileSync(keyring).equals(before)).toBe(true);
    expect(leftovers(w.folder)).toEqual([]);
    await w.core.sessions.lock('quit');
    await w.core.sessions.signIn(director.username, director.passphrase);
    await w.core.sessions.changePassphrase(director.passphrase, next, next);
    await w.core.sessions.lock('quit');
    await w.core.sessions.signIn(director.username, next);
    await w.core.sessions.lock('quit');
  });

  test('a bundle export to a full or read-only folder: its own code, no partial folder, logged as failed; then it works', async () => {
    const w = await world();
    const actor = w.records.actor;
    const id = generateIdentity();
    const r = await w.core.submissions.addRecipient(actor, { label: 'Commission', kind: 'commission', recipient: id.recipient });
    const run = async () => {
      const { jobId } = await w.core.submissions.exportStart(actor, { filters: { kinds: ['testimony'], actTypes: [], period: null, placeIds: [], affectedGroups: [], testimonyStatuses: [], sessionStatuses: [] }, exportDate: '2026-11-27', confirmRestricted: true, recipientIds: [r.id] });
      if (jobId === null) throw new Error('the save dialog answered');
      let status = w.core.submissions.exportStatus(jobId);
      while (status.state === 'running') {
        await new Promise((res) => setTimeout(res, 20));
        status = w.core.submissions.exportStatus(jobId);
      }
      return status;
    };
    // Enough attachment bytes that the payload cannot fit in what is left.
    const source = join(root.path, `${mode}-recording-${n}.pdf`);
    writeFileSync(source, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 3)]));
    await w.records.attachments.importFile(actor, 'testimony', w.testimony.id, source);
    const cases: Array<[() => void, string]> = [
      [() => faults.diskFull(faults.destination), 'DISK_FULL'],
      [() => faults.makeReadOnly(faults.destination), 'FOLDER_READ_ONLY'],
    ];
    for (const [arm, code] of cases) {
      arm();
      let status;
      try {
        status = await run();
      } finally {
        faults.clear(w.core);
      }
      expect({ state: status.state, code: status.error?.code }).toEqual({ state: 'failed', code });
      expect(readdirSync(faults.destination).filter((f) => !f.startsWith('.filler'))).toEqual([]);
    }
    const log = await w.core.submissions.log();
    expect(log.map((e) => e.status)).toEqual(['failed', 'failed']);
    const done = await run();
    expect(done.state).toBe('finished');
    expect(readdirSync(faults.destination)).toHaveLength(1);
    rmSync(join(faults.destination, readdirSync(faults.destination)[0] ?? ''), { recursive: true, force: true });
    expect(integrity(w.core)).toBe('ok');
    await w.core.sessions.lock('quit');
  });

  test('creating an archive in a read-only folder: ARCHIVE_UNWRITABLE and nothing left behind', async () => {
    const folder = join(faults.archives, `ro-new-${++n}`);
    mkdirSync(folder);
    const fresh = await core(folder);
    faults.makeReadOnly(mode === 'tmpfs' ? faults.archives : folder);
    try {
      await expectArchiveError(fresh.sessions.create(createInput(director)), 'ARCHIVE_UNWRITABLE');
      // A folder still to be made inside the read-only one fails the same way.
      const inner = await core(join(folder, 'inner'));
      await expectArchiveError(inner.sessions.create(createInput(director)), 'ARCHIVE_UNWRITABLE');
    } finally {
      faults.clear();
    }
    expect(readdirSync(folder)).toEqual([]);
    // The same folder, writable again, takes the archive.
    await fresh.sessions.create(createInput(director));
    await fresh.sessions.lock('quit');
    expect(existsSync(archivePaths(folder).keyring)).toBe(true);
  });

  // SQLite's own writes (WAL, -shm) cannot go through the seam: this needs a real read-only mount.
  test.skipIf(mode !== 'tmpfs')('opening an archive on a read-only drive: ARCHIVE_UNWRITABLE, archive untouched, opens once writable', async () => {
    const w = await world();
    await w.core.sessions.lock('quit');
    const before = Object.fromEntries(filesUnder(w.folder).filter((f) => !f.includes('attachments')).map((f) => [f, readFileSync(f).toString('base64')]));
    faults.makeReadOnly(faults.archives);
    try {
      await expectArchiveError(w.core.sessions.signIn(director.username, director.passphrase), 'ARCHIVE_UNWRITABLE');
    } finally {
      faults.clear();
    }
    const after = Object.fromEntries(filesUnder(w.folder).filter((f) => !f.includes('attachments')).map((f) => [f, readFileSync(f).toString('base64')]));
    expect(after).toEqual(before);
    await w.core.sessions.signIn(director.username, director.passphrase);
    expect(integrity(w.core)).toBe('ok');
    await w.core.sessions.lock('quit');
  });
});
