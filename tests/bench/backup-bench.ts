// Backup and restore figures on the 100k-testimony archive the search bench seeded (10k with --quick).
//
// The search bench leaves an encrypted database with the full schema and its 100,000 testimonies, but no keyring or
// users. Setup (not timed) turns it into a real archive: a director archive is created (real Argon2id cost), the
// seeded file is re-keyed to that archive's master key, and the director's users row and archive identity are added,
// then a few attachments (4 x 16 MiB) are imported. Timed:
//   backup_mb_s       bytes written by makeBackup (database copy, keyring, attachments; fsync and signature
//                     included) per second of its run, into an empty backup root;
//   restore_verify_s  restoreBackup (signature, copy with SHA-256 of every file) plus verifyRestored (unlock,
//                     integrity_check, audit chain, counts and audit head against the manifest).
import { copyFileSync, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { defaultKdfCost } from '../../electron/core/crypto/kdf';
import { openDatabase, rekeyFile } from '../../electron/core/db/open-database';
import { archivePaths } from '../../electron/core/vault/keyring';
import { createInput, director, makeCore } from '../fixtures/archive';
import { pseudoRandomBytes } from '../fixtures/pseudo-random';
import { personInput, testimonyInput } from '../fixtures/records';

type Figure = { value: number; unit: string };
export type BackupBench = { figures: Record<string, Figure>; detail: string[][] };

const mib = (bytes: number) => bytes / 1024 ** 2;

export async function runBackupBench(opts: { quick: boolean; dir: string; log: (line: string) => void; seeded?: { file: string; key: Uint8Array } }): Promise<BackupBench> {
  const root = join(opts.dir, 'backup-bench');
  const folder = join(root, 'archive');
  const usb = join(root, 'usb');
  mkdirSync(usb, { recursive: true });
  const core = await makeCore(folder, { kdfCost: defaultKdfCost });
  try {
    await core.sessions.create(createInput(director));
    let session = core.sessions.require();
    const masterKey = new Uint8Array(session.archive.secrets.masterKey);
    const users = await session.archive.db.kysely.selectFrom('users').selectAll().execute();
    const meta = await session.archive.db.kysely.selectFrom('archive_meta').selectAll().execute();
    await core.sessions.lock('quit');
    if (opts.seeded) {
      // The seeded database becomes this archive's database: same key, and the director it needs to sign in.
      const db = archivePaths(folder).database;
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      copyFileSync(opts.seeded.file, db);
      rekeyFile(db, opts.seeded.key, masterKey);
      const opened = openDatabase(db, masterKey);
      // The search bench's seeded rows name their own director (same username, another id): its references move to
      // this archive's director, whose keys are in the keyring, and its row goes.
      const mine = users.find((u) => u.username === director.username);
      const seeded = opened.sqlite.prepare('SELECT id FROM users WHERE username = ?').pluck().get(director.username) as string | undefined;
      if (mine && seeded !== undefined) {
        opened.sqlite.pragma('foreign_keys = OFF');
        const tables = opened.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
        for (const table of tables) {
          for (const fk of opened.sqlite.pragma(`foreign_key_list("${table}")`) as Array<{ table: string; from: string }>) {
            if (fk.table === 'users') opened.sqlite.prepare(`UPDATE "${table}" SET "${fk.from}" = ? WHERE "${fk.from}" = ?`).run(mine.id, seeded);
          }
        }
        opened.sqlite.prepare('DELETE FROM users WHERE id = ?').run(seeded);
        opened.sqlite.pragma('foreign_keys = ON');
      }
      await opened.kysely.insertInto('users').values(users).execute();
      for (const m of meta) await opened.kysely.insertInto('archive_meta').values(m).onConflict((oc) => oc.column('key').doUpdateSet({ value: m.value })).execute();
      await opened.close();
    }
    masterKey.fill(0);
    await core.sessions.signIn(director.username, director.passphrase);
    session = core.sessions.require();
    const { records } = session;
    const p = await records.persons.create(personInput(), records.actor);
    const t = await records.testimonies.create(testimonyInput(p.id, p.id), records.actor);
    for (let i = 0; i < 4; i++) {
      const file = join(root, `recording-${i}.bin`);
      await pipeline(pseudoRandomBytes(16 * 1024 ** 2, `backup-bench-${i}`), createWriteStream(file));
      await records.attachments.importFile(records.actor, 'testimony', t.id, file);
      rmSync(file);
    }
    const testimonies = await session.archive.db.kysely.selectFrom('testimonies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const dbMb = mib(statSync(archivePaths(folder).database).size);
    opts.log(`bench: backup of ${testimonies.n} testimonies (database ${dbMb.toFixed(0)} MB) and 4 attachments of 16 MiB`);

    let start = performance.now();
    const { jobId } = core.backups.startInto(records.actor, usb);
    const done = await core.backups.wait(jobId);
    const backupMs = performance.now() - start;
    if (done.state !== 'finished' || !done.result) throw new Error(`the bench backup ${done.state}: ${done.error?.message ?? ''}`);
    const backup = done.result;
    opts.log(`bench: backup ${mib(backup.bytes).toFixed(0)} MB in ${(backupMs / 1000).toFixed(1)} s`);
    await core.sessions.lock('quit');

    start = performance.now();
    const restored = await core.restore.restoreBackup({ backupDir: backup.folder, targetDir: join(root, 'restored') });
    const copiedMs = performance.now() - start;
    // Throws unless every check passes (and removes the restored folder then).
    await core.restore.verifyRestored(restored, director.username, director.passphrase);
    const restoreMs = performance.now() - start;
    opts.log(`bench: restore ${(copiedMs / 1000).toFixed(1)} s copy + ${((restoreMs - copiedMs) / 1000).toFixed(1)} s verify`);
    const figures: Record<string, Figure> = {
      backup_mb_s: { value: Number((mib(backup.bytes) / (backupMs / 1000)).toFixed(1)), unit: 'MB/s' },
      restore_verify_s: { value: Number((restoreMs / 1000).toFixed(1)), unit: 's' },
    };
    const detail: string[][] = [
      ['backup / restore', 'value', 'unit', ''],
      ['testimonies in the archive', String(testimonies.n), '', ''],
      ['backup size (database + keyring + attachments)', mib(backup.bytes).toFixed(0), 'MiB', ''],
      ['backup time (copy, hashes, fsync, signature)', (backupMs / 1000).toFixed(1), 's', ''],
      ['restore: signature + copy with SHA-256', (copiedMs / 1000).toFixed(1), 's', ''],
      ['restore: unlock + integrity + audit chain + counts', ((restoreMs - copiedMs) / 1000).toFixed(1), 's', ''],
    ];
    return { figures, detail };
  } finally {
    await core.sessions.lock('quit');
    rmSync(root, { recursive: true, force: true });
  }
}
