// Encrypted backup and verified restore on real archives: round trip, a backup taken while writes go on,
// incremental attachments, cancel, tampering, plaintext scan, bad inputs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { attachmentPath } from '../../electron/core/attachments/file-store';
import { backupFiles, backupManifestSchema, type BackupManifest } from '../../electron/core/backup/backup-manifest';
import type { BackupStatus } from '../../electron/core/backup/backups-service';
import { openDatabase } from '../../electron/core/db/open-database';
import { createBackupsRepo } from '../../electron/core/backup/backups-repo';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';
import { personInput, testimonyInput } from '../fixtures/records';

type Core = Awaited<ReturnType<typeof makeCore>>;

const marker = 'MARKER-b4c1-Gjakovë-Ђаковица-1999';

let dir: ReturnType<typeof tempDir>;
let folder: string;
let usb: string;
let files: string;
let core: Core;

beforeEach(async () => {
  dir = tempDir('ta-backup-');
  folder = join(dir.path, 'archive');
  usb = join(dir.path, 'usb');
  files = join(dir.path, 'files');
  mkdirSync(usb);
  mkdirSync(files);
  core = await makeCore(folder);
  await core.sessions.create(createInput(director));
});
afterEach(async () => {
  await core.sessions.lock('quit');
  dir.cleanup();
});

const current = () => {
  const s = core.sessions.require();
  return { records: s.records, actor: s.records.actor, archive: s.archive, db: s.archive.db.kysely };
};

/** A testimony whose narrative carries the marker, with `attachments` files (each also carrying it). */
async function testimonyWithFiles(attachments: number, tag = '') {
  const { records, actor } = current();
  const p = await records.persons.create(personInput(), actor);
  const t = await records.testimonies.create({ ...testimonyInput(p.id, p.id), narrative: `${marker} ${tag} dëshmia` }, actor);
  for (let i = 0; i < attachments; i++) {
    const path = join(files, `shenim-${t.id}-${i}.txt`);
    writeFileSync(path, `${marker} ${i}\n`.repeat(4000 + i));
    await records.attachments.importFile(actor, 'testimony', t.id, path);
  }
  return t;
}

async function backupNow(root = usb): Promise<BackupStatus> {
  const { jobId } = core.backups.startInto(current().actor, root);
  return core.backups.wait(jobId);
}

function readManifest(backupDir: string): BackupManifest {
  return backupManifestSchema.parse(JSON.parse(readFileSync(join(backupDir, backupFiles.manifest), 'utf8')));
}

/** Every file under `path`, recursively. */
function allFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('backup', () => {
  test('round trip: backup, restore into a new folder, verified with the passphrase, same records and audit head', async () => {
    await testimonyWithFiles(2);
    await testimonyWithFiles(1);
    const status = await backupNow();
    expect(status.state).toBe('finished');
    const result = status.result!;
    expect(result).toMatchObject({ files: 5, attachmentsCopied: 3, attachmentsReused: 0 });
    expect(readdirSync(usb).sort()).toEqual(['attachments', result.folder.split(/[\\/]/).pop()]);
    expect(readdirSync(result.folder).sort()).toEqual([backupFiles.publicKey, backupFiles.database, backupFiles.keyring, backupFiles.manifest, backupFiles.manifestSig].sort());
    const manifest = readManifest(result.folder);
    expect(manifest).toMatchObject({ format: 'testimony-archive-backup', archiveId: current().archive.archiveId, counts: { testimonies: 2, persons: 2, attachments: 3, users: 1 } });
    expect(manifest.audit.head).toMatch(/^[0-9a-f]{64}$/);

    // Listed with date, size and verification status; audited.
    const [listed] = await core.backups.list();
    expect(listed).toMatchObject({ id: result.backupId, status: 'complete', bytes: result.bytes, files: 5, verification: 'unverified', createdBy: director.username });
    const audit = await current().db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', 'like', 'backup.%').execute();
    expect(audit).toEqual([{ action: 'backup.created', subject_id: result.backupId }]);
    const verified = await core.backups.verify(current().actor, result.backupId);
    expect(verified).toMatchObject({ ok: true, pinned: true, files: 5, problems: [] });
    expect((await core.backups.list())[0]).toMatchObject({ verification: 'ok' });

    const target = join(dir.path, 'restored');
    const restored = await core.restore.restoreBackup({ backupDir: result.folder, targetDir: target });
    expect(restored.manifest.backupId).toBe(result.backupId);
    const check = await core.restore.verifyRestored(restored, director.username, director.passphrase);
    expect(check.ok).toBe(true);
    expect(check.counts).toMatchObject(manifest.counts);
    expect(check.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['database-integrity', 'audit-chain', 'record counts', 'audit head', 'signing key']));

    // The restored archive opens in the app like any other and shows the same testimonies and attachment bytes;
    // its log shows the backup it came from as complete, and its audit trail the restore.
    const other = await makeCore(target);
    try {
      await other.sessions.signIn(director.username, director.passphrase);
      const s = other.sessions.require();
      const rows = await s.archive.db.kysely.selectFrom('testimonies').select('id').execute();
      expect(rows).toHaveLength(2);
      expect(await s.archive.db.kysely.selectFrom('backups').select(['id', 'status']).execute()).toEqual([{ id: result.backupId, status: 'complete' }]);
      expect(await s.archive.db.kysely.selectFrom('audit_log').select('action').where('action', '=', 'backup.restored').execute()).toHaveLength(1);
      const att = await s.archive.db.kysely.selectFrom('attachments').select(['id', 'sha256']).execute();
      for (const a of att) {
        const source = await s.records.attachments.open(s.records.actor, a.id);
        const chunks: Buffer[] = [];
        for await (const c of source.readAll()) chunks.push(Buffer.from(c));
        expect(createHash('sha256').update(Buffer.concat(chunks)).digest('hex')).toBe(a.sha256);
      }
    } finally {
      await other.sessions.lock('quit');
    }
  });

  test('the backup holds no plaintext: marker absent from every file (UTF-8 and UTF-16); the database opens only with the key', async () => {
    await testimonyWithFiles(2);
    const { result } = await backupNow();
    const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le'), Buffer.from(Buffer.from(marker, 'utf16le').swap16())];
    const every = allFiles(usb);
    expect(every.length).toBe(7);
    for (const f of every) {
      const bytes = readFileSync(f);
      for (const n of needles) expect(bytes.includes(n), f).toBe(false);
    }
    // Not a plain SQLite file, refused without the key, readable with it.
    const dbCopy = join(result!.folder, backupFiles.database);
    expect(readFileSync(dbCopy).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    const plain = new Database(dbCopy, { fileMustExist: true, readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM testimonies').get()).toThrow(/not a database/);
    plain.close();
    const keyed = openDatabase(dbCopy, current().archive.secrets.masterKey);
    expect(keyed.sqlite.prepare('SELECT count(*) AS n FROM testimonies').get()).toEqual({ n: 1 });
    await keyed.close();
  });

  test('why not the backup API: SQLite3MultipleCiphers refuses to copy the encrypted archive into an unkeyed file', async () => {
    await testimonyWithFiles(0);
    const plainTarget = join(dir.path, 'api-copy.db');
    await expect(current().archive.db.sqlite.backup(plainTarget)).rejects.toThrow(/backup is not supported with incompatible source and target databases/);
    // Whatever the refused attempt left holds no record content.
    if (existsSync(plainTarget)) expect(readFileSync(plainTarget).includes(Buffer.from(marker))).toBe(false);
  });

  test('a backup made while testimonies and attachments are being written restores, opens and verifies', async () => {
    await testimonyWithFiles(3, 'before');
    let writes = 0;
    const flag = { stop: false };
    const writer = (async () => {
      while (!flag.stop) {
        await testimonyWithFiles(writes % 2, `during-${writes}`);
        writes++;
      }
    })();
    // Let the writer get going, then back up while it keeps writing.
    while (writes < 2) await new Promise((r) => setTimeout(r, 5));
    const writesAtStart = writes;
    const { jobId } = core.backups.startInto(current().actor, usb);
    const status = await core.backups.wait(jobId);
    const writesDuringBackup = writes;
    // The app kept writing while the backup ran (the copy runs on its own connection and thread).
    expect(writesDuringBackup).toBeGreaterThan(writesAtStart);
    while (writes < writesDuringBackup + 2) await new Promise((r) => setTimeout(r, 5));
    flag.stop = true;
    await writer;
    expect(status.state).toBe('finished');
    expect(writes).toBeGreaterThan(writesDuringBackup);
    const manifest = readManifest(status.result!.folder);
    // The copy is one consistent moment: between what existed before and everything written since.
    expect(manifest.counts.testimonies).toBeGreaterThanOrEqual(3);
    const live = await current().db.selectFrom('testimonies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(manifest.counts.testimonies).toBeLessThan(live.n + 1);

    const target = join(dir.path, 'restored');
    const restored = await core.restore.restoreBackup({ backupDir: status.result!.folder, targetDir: target });
    const check = await core.restore.verifyRestored(restored, director.username, director.passphrase);
    expect(check.ok).toBe(true);
    expect(check.counts.testimonies).toBe(manifest.counts.testimonies);
    expect(check.counts.attachments).toBe(manifest.counts.attachments);
  }, 60_000);

  test('incremental: a second backup into the same root copies no unchanged attachment, only new ones', async () => {
    await testimonyWithFiles(3);
    const first = await backupNow();
    expect(first.result).toMatchObject({ attachmentsCopied: 3, attachmentsReused: 0 });
    const second = await backupNow();
    expect(second.result).toMatchObject({ attachmentsCopied: 0, attachmentsReused: 3 });
    await testimonyWithFiles(2);
    const third = await backupNow();
    expect(third.result).toMatchObject({ attachmentsCopied: 2, attachmentsReused: 3 });
    expect(allFiles(join(usb, 'attachments'))).toHaveLength(5);
    // Each backup still stands alone: all three verify.
    for (const s of [first, second, third]) expect((await core.backups.verify(current().actor, s.result!.backupId)).ok).toBe(true);
  });

  test('cancel mid-way leaves nothing: no backup folder, no new attachment file, no temp file; logged and audited', async () => {
    await testimonyWithFiles(1);
    await backupNow();
    const before = allFiles(usb).sort();
    await testimonyWithFiles(6);
    const { jobId } = core.backups.startInto(current().actor, usb);
    // Cancel once the attachments phase has begun (some new files may already be written).
    while (core.backups.status(jobId).phase !== 'attachments' && core.backups.status(jobId).state === 'running') await new Promise((r) => setTimeout(r, 1));
    expect(core.backups.cancel(jobId)).toEqual({ cancelled: true });
    const status = await core.backups.wait(jobId);
    expect(status.state).toBe('cancelled');
    expect(status.error?.code).toBe('BACKUP_CANCELLED');
    expect(allFiles(usb).sort()).toEqual(before);
    expect(readdirSync(usb).filter((n) => n.startsWith('.'))).toEqual([]);
    const rows = await core.backups.list();
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'complete']);
    const audit = await current().db.selectFrom('audit_log').select('action').where('action', 'like', 'backup.%').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['backup.created', 'backup.cancelled']);
  });

  test('tampering is detected and named, the restore is refused and leaves nothing', async () => {
    await testimonyWithFiles(2);
    const { result } = await backupNow();
    const backupDir = result!.folder;
    const manifest = readManifest(backupDir);
    const [firstAttachment] = manifest.attachments;
    if (!firstAttachment) throw new Error('the backup has no attachment');
    const attachment = join(usb, ...firstAttachment.path.split('/'));
    const flip = (path: string, at: number) => {
      const b = readFileSync(path);
      b[at] = (b[at] ?? 0) ^ 0x01;
      writeFileSync(path, b);
    };
    const cases: Array<{ name: string; file: string; damage: () => void; named: RegExp }> = [
      { name: 'database byte', file: join(backupDir, backupFiles.database), damage: () => flip(join(backupDir, backupFiles.database), 5000), named: /archive\.db does not match its SHA-256/ },
      { name: 'attachment byte', file: attachment, damage: () => flip(attachment, 100), named: new RegExp(`${firstAttachment.path} does not match its SHA-256`) },
      { name: 'attachment removed', file: attachment, damage: () => writeFileSync(attachment, ''), named: /does not have the size/ },
      { name: 'keyring edited', file: join(backupDir, backupFiles.keyring), damage: () => writeFileSync(join(backupDir, backupFiles.keyring), readFileSync(join(backupDir, backupFiles.keyring), 'utf8').replace('"failures": 0', '"failures": 1')), named: /keyring\.json does not match/ },
      { name: 'manifest edited', file: join(backupDir, backupFiles.manifest), damage: () => writeFileSync(join(backupDir, backupFiles.manifest), readFileSync(join(backupDir, backupFiles.manifest), 'utf8').replace(/"testimonies": 1/, '"testimonies": 2')), named: /manifest signature/ },
      { name: 'signature edited', file: join(backupDir, backupFiles.manifestSig), damage: () => flip(join(backupDir, backupFiles.manifestSig), 120), named: /manifest signature/ },
    ];
    for (const c of cases) {
      const original = readFileSync(c.file);
      c.damage();
      const report = await core.restore.check(backupDir);
      expect(report.ok, c.name).toBe(false);
      const target = join(dir.path, `restored-${c.name.replace(/ /g, '-')}`);
      const e = await expectArchiveError(core.restore.restoreBackup({ backupDir, targetDir: target }), 'BACKUP_TAMPERED');
      expect(e.message, c.name).toMatch(c.named);
      expect(existsSync(target), c.name).toBe(false);
      expect(readdirSync(dir.path).filter((n) => n.startsWith('.')), c.name).toEqual([]);
      writeFileSync(c.file, original);
    }
    expect((await core.restore.check(backupDir)).ok).toBe(true);
    // Verifying from the app records the failure in the log.
    flip(attachment, 7);
    expect((await core.backups.verify(current().actor, result!.backupId)).problems).toEqual([{ file: firstAttachment.path, problem: 'hash' }]);
    expect((await core.backups.list())[0]).toMatchObject({ verification: 'failed' });
  });

  test('a restored archive whose contents differ from the manifest fails verification and is removed', async () => {
    await testimonyWithFiles(1);
    const { result } = await backupNow();
    const target = join(dir.path, 'restored');
    const restored = await core.restore.restoreBackup({ backupDir: result!.folder, targetDir: target });
    // The signed manifest is what the restore is checked against: claim one more testimony than the copy holds.
    const claimed = { ...restored, manifest: { ...restored.manifest, counts: { ...restored.manifest.counts, testimonies: 2 } } };
    const e = await expectArchiveError(core.restore.verifyRestored(claimed, director.username, director.passphrase), 'RESTORE_CHECK_FAILED');
    expect(e.message).toMatch(/testimonies: 1 instead of 2/);
    expect(existsSync(target)).toBe(false);
  });

  test('a wrong passphrase is AUTH_FAILED and leaves the restored folder for another try', async () => {
    await testimonyWithFiles(0);
    const { result } = await backupNow();
    const target = join(dir.path, 'restored');
    const restored = await core.restore.restoreBackup({ backupDir: result!.folder, targetDir: target });
    await expectArchiveError(core.restore.verifyRestored(restored, director.username, 'not the passphrase at all 123'), 'AUTH_FAILED');
    expect(existsSync(target)).toBe(true);
    expect((await core.restore.verifyRestored(restored, director.username, director.passphrase)).ok).toBe(true);
  });

  test('bad inputs: target not empty, backup folder missing, not a backup, backup root missing, root inside the archive', async () => {
    await testimonyWithFiles(1);
    const { result } = await backupNow();
    const busy = join(dir.path, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'x.txt'), 'x');
    await expectArchiveError(core.restore.restoreBackup({ backupDir: result!.folder, targetDir: busy }), 'RESTORE_TARGET_NOT_EMPTY');
    expect(readdirSync(busy)).toEqual(['x.txt']);
    await expectArchiveError(core.restore.restoreBackup({ backupDir: join(dir.path, 'nowhere'), targetDir: join(dir.path, 'new') }), 'BACKUP_NOT_FOUND');
    await expectArchiveError(core.restore.restoreBackup({ backupDir: files, targetDir: join(dir.path, 'new') }), 'BACKUP_NOT_FOUND');
    await expectArchiveError(core.restore.restoreBackup({ backupDir: result!.folder, targetDir: join(dir.path, 'no', 'such', 'parent') }), 'BACKUP_FOLDER_MISSING');
    expect(existsSync(join(dir.path, 'new'))).toBe(false);
    for (const root of [join(dir.path, 'unplugged'), folder, join(folder, 'attachments')]) {
      const { jobId } = core.backups.startInto(current().actor, root);
      expect((await core.backups.wait(jobId)).error?.code).toBe('BACKUP_FOLDER_MISSING');
    }
    expect(existsSync(join(dir.path, 'unplugged'))).toBe(false);
    // A damaged archive (an attachment file gone) is not backed up as if whole.
    const [gone] = await current().db.selectFrom('attachments').select('id').execute();
    if (!gone) throw new Error('the archive has an attachment');
    rmSync(attachmentPath(folder, gone.id));
    const before = allFiles(usb).sort();
    const { jobId } = core.backups.startInto(current().actor, usb);
    expect((await core.backups.wait(jobId)).error).toMatchObject({ code: 'ATTACHMENT_DAMAGED', message: expect.stringContaining(gone.id) as string });
    expect(allFiles(usb).sort()).toEqual(before);
    // An empty existing target is fine.
    const empty = join(dir.path, 'empty');
    mkdirSync(empty);
    await core.restore.restoreBackup({ backupDir: result!.folder, targetDir: empty });
    expect(readdirSync(empty).sort()).toEqual(['archive.db', 'attachments', 'keyring.json']);
  });

  test('migration 14: the backups log is a STRICT table; the list reads it newest first through its index', async () => {
    const { archive, db } = current();
    const ddl = archive.db.sqlite.prepare("SELECT sql FROM sqlite_schema WHERE name = 'backups'").pluck().get();
    expect(String(ddl)).toMatch(/\) STRICT$/);
    const compiled = createBackupsRepo(db).listQuery(200).compile();
    const plan = archive.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...compiled.parameters) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/SCAN backups USING INDEX backups_created/);
  });

  test('restore from the locked screen: background job, verified with a passphrase, then the app opens the restored folder', async () => {
    await testimonyWithFiles(1);
    const { result } = await backupNow();
    const parent = join(dir.path, 'restores');
    mkdirSync(parent);
    // Another installation (a new laptop): no archive yet, dialogs answer with the backup and the place for it.
    const fresh = await makeCore(join(dir.path, 'new-laptop', 'archive'), { pickRestoreSource: () => Promise.resolve(result!.folder), pickRestoreTarget: () => Promise.resolve(parent) });
    try {
      expect(fresh.sessions.status().state).toBe('no-archive');
      const { jobId } = await fresh.restore.jobs.start();
      if (jobId === null) throw new Error('the dialogs were not cancelled');
      const restored = await fresh.restore.jobs.wait(jobId);
      expect(restored).toMatchObject({ state: 'restored', backup: { backupId: result!.backupId }, error: null });
      await expectArchiveError(fresh.restore.jobs.verify(jobId, director.username, 'not the passphrase at all 123'), 'AUTH_FAILED');
      const verified = await fresh.restore.jobs.verify(jobId, director.username, director.passphrase);
      expect(verified.ok).toBe(true);
      const [target] = readdirSync(parent);
      expect(fresh.sessions.status()).toMatchObject({ state: 'locked', folder: join(parent, target ?? '') });
      await fresh.sessions.signIn(director.username, director.passphrase);
      expect(await fresh.sessions.require().archive.db.kysely.selectFrom('testimonies').select('id').execute()).toHaveLength(1);
      // Signed in, restoring is refused.
      await expectArchiveError(fresh.restore.jobs.start(), 'ARCHIVE_BUSY');
      await expectArchiveError(fresh.restore.jobs.verify(jobId, director.username, director.passphrase), 'ARCHIVE_BUSY');
      await fresh.sessions.lock('quit');
      // A second restore the user gives up on is discarded: its folder goes.
      const second = await fresh.restore.jobs.start();
      if (second.jobId === null) throw new Error('the dialogs were not cancelled');
      expect((await fresh.restore.jobs.wait(second.jobId)).state).toBe('restored');
      expect(readdirSync(parent)).toHaveLength(2);
      expect(await fresh.restore.jobs.discard(second.jobId)).toEqual({ discarded: true });
      expect(readdirSync(parent)).toEqual([target]);
    } finally {
      await fresh.sessions.lock('quit');
    }
  });
});
