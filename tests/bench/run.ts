// `npm run bench [-- --quick]`: the benchmark figures of DESIGN.md section 8, printed as a table and
// written to bench-results.json at the repository root as { name: { value, unit } }.
//
// Encrypted and plain databases are measured in the same run, alternating which goes first, and each
// figure is the median of several runs, so disk and CPU noise falls on both sides alike.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createArchiveCore } from '../../electron/core/archive-core';
import { defaultKdfCost } from '../../electron/core/crypto/kdf';
import { openDatabase, type SqliteHandle } from '../../electron/core/db/open-database';
import { importDemoRecords } from '../../electron/core/records/demo-records';
import { openPlain } from './plain-database';
import { runSearchBench } from './search-bench';
import { runAttachmentBench } from './attachment-bench';
import { runExportBench } from './export-bench';
import { runBackupBench } from './backup-bench';

type Figure = { value: number; unit: string };

const quick = process.argv.includes('--quick');
const unknown = process.argv.slice(2).filter((a) => a !== '--quick');
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown argument ${unknown.join(' ')} (only --quick)\n`);
  process.exit(2);
}

const repoRoot = resolve(import.meta.dirname, '../..');
const config = {
  rows: quick ? 10_000 : 100_000,
  bodyBytes: 1024,
  lookups: quick ? 5_000 : 20_000,
  runs: quick ? 7 : 5,
  unlocks: 5,
};
const cacheKib = 131072;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (x: number, digits: number) => Number(x.toFixed(digits));
const time = (fn: () => void): number => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Deterministic pseudo-random text of about `bytes` bytes: words of a testimony, with diacritics and Cyrillic. */
function makeBodies(count: number, bytes: number): string[] {
  const words = [
    'dëshmia', 'fshati', 'gjyqi', 'pajtimi', 'tryeza', 'rrumbullakët', 'kujtesa', 'familja', 'humbja', 'drejtësia',
    'сведочење', 'помирење', 'сећање', 'породица', 'нестали', 'правда', 'село', 'истина', 'комисија', 'жртве',
    'witness', 'statement', 'village', 'commission', 'missing', 'truth', 'justice', 'memory', '1999', '2001',
  ];
  let seed = 0x2f6b1d3;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = `#${i} `;
    while (Buffer.byteLength(s) < bytes) s += `${words[next() % words.length]!} `;
    out.push(s);
  }
  return out;
}

const schema = `CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  ref TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX records_ref ON records (ref);`;

const refOf = (i: number) => `T-${(i * 7919) % 1_000_003}-${i}`;

type Variant = 'encrypted' | 'plain';
type Phase = { insert: number; fullRead: number; lookups: number; warmRead: number };

function runOnce(variant: Variant, dir: string, bodies: string[], lookupIds: number[]): Phase {
  const file = join(dir, `${variant}-${randomBytes(4).toString('hex')}.db`);
  const key = randomBytes(32);
  const open = (create: boolean): { sqlite: SqliteHandle; close: () => void } => {
    if (variant === 'plain') {
      const sqlite = openPlain(file, cacheKib);
      return { sqlite, close: () => sqlite.close() };
    }
    const db = openDatabase(file, key, { create, cacheKib });
    return { sqlite: db.sqlite, close: () => db.sqlite.close() };
  };

  let db = open(true);
  db.sqlite.exec(schema);
  const insert = db.sqlite.prepare('INSERT INTO records (ref, kind, created_at, body) VALUES (?, ?, ?, ?)');
  const insertMs = time(() => {
    db.sqlite.transaction(() => {
      for (let i = 0; i < bodies.length; i++) insert.run(refOf(i), i % 3 ? 'testimony' : 'round-table', '2025-03-01T10:00:00Z', bodies[i]!);
    })();
  });
  db.close();

  // Reads start from a fresh connection (what the app does after unlocking): SQLite's page cache is
  // empty, so the encrypted side decrypts every page it touches once. The OS cache is warm for both.
  db = open(false);
  let bytes = 0;
  const all = db.sqlite.prepare('SELECT id, ref, kind, created_at, body FROM records');
  const fullRead = time(() => {
    for (const row of all.iterate() as IterableIterator<{ body: string }>) bytes += row.body.length;
  });
  const byRef = db.sqlite.prepare('SELECT id, body FROM records WHERE ref = ?');
  const lookups = time(() => {
    for (const i of lookupIds) bytes += (byRef.get(refOf(i)) as { body: string }).body.length;
  });
  // A second full read: every page is now in the 128 MiB cache, decrypted.
  const warmRead = time(() => {
    for (const row of all.iterate() as IterableIterator<{ body: string }>) bytes += row.body.length;
  });
  db.close();
  if (bytes === 0) throw new Error('nothing was read');
  rmSync(file, { force: true });
  return { insert: insertMs, fullRead, lookups, warmRead };
}

/** Unlock times, then the demo records (resources/demo/records.json) loaded into that archive, as a training archive is. */
async function measureUnlock(dir: string): Promise<{ times: number[]; demoImportMs: number; demoRecords: number }> {
  const folder = join(dir, 'unlock-archive');
  const core = await createArchiveCore({ resourcesDir: join(repoRoot, 'resources'), initialFolder: folder });
  const person = { username: 'drita.krasniqi', displayName: 'Drita Krasniqi', passphrase: 'Lumi i Drinit rrjedh ngadalë 1999' };
  await core.sessions.create({ ...person, passphraseConfirm: person.passphrase });
  await core.sessions.lock('quit');
  const times: number[] = [];
  for (let i = 0; i < config.unlocks; i++) {
    const start = performance.now();
    await core.sessions.signIn(person.username, person.passphrase);
    times.push(performance.now() - start);
    await core.sessions.lock('quit');
  }
  await core.sessions.signIn(person.username, person.passphrase);
  const start = performance.now();
  const report = await importDemoRecords({ resourcesDir: join(repoRoot, 'resources'), sodium: core.sodium, now: Date.now, reference: core.reference }, core.sessions.require().archive);
  const demoImportMs = performance.now() - start;
  await core.sessions.lock('quit');
  return { times, demoImportMs, demoRecords: report.imported.persons + report.imported.testimonies + report.imported.sessions };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ta-bench-'));
  try {
    log(`bench: ${quick ? 'quick' : 'full'} run, ${config.rows} rows of ${config.bodyBytes} bytes, ${config.runs} runs per variant`);
    log(`bench: unlock x${config.unlocks} at Argon2id ops ${defaultKdfCost.opsLimit}, ${defaultKdfCost.memLimitBytes / 1024 ** 2} MiB`);
    const unlock = await measureUnlock(dir);
    const unlockTimes = unlock.times;
    log(`bench: demo records (${unlock.demoRecords}) imported in ${unlock.demoImportMs.toFixed(0)} ms`);

    const bodies = makeBodies(config.rows, config.bodyBytes);
    const lookupIds = Array.from({ length: config.lookups }, (_, i) => (i * 104_729) % config.rows);
    const phases: Record<Variant, Phase[]> = { encrypted: [], plain: [] };
    // One unmeasured warm-up pair, then alternate which variant goes first.
    runOnce('encrypted', dir, bodies.slice(0, 2000), lookupIds.map((i) => i % 2000));
    runOnce('plain', dir, bodies.slice(0, 2000), lookupIds.map((i) => i % 2000));
    for (let r = 0; r < config.runs; r++) {
      const order: Variant[] = r % 2 === 0 ? ['encrypted', 'plain'] : ['plain', 'encrypted'];
      for (const v of order) phases[v].push(runOnce(v, dir, bodies, lookupIds));
      const describe = (v: Variant) => `${v} ${Object.entries(phases[v].at(-1) ?? {}).map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(' ')}`;
      log(`bench: run ${r + 1}/${config.runs} (ms): ${order.map(describe).join(' | ')}`);
    }

    const med = (v: Variant, k: keyof Phase) => median(phases[v].map((p) => p[k]));
    const readOf = (v: Variant) => median(phases[v].map((p) => p.fullRead + p.lookups));
    const figures: Record<string, Figure> = {
      unlock_ms_median: { value: round(median(unlockTimes), 0), unit: 'ms' },
      demo_import_ms: { value: round(unlock.demoImportMs, 0), unit: 'ms' },
      insert_ratio_encrypted_to_plain: { value: round(med('encrypted', 'insert') / med('plain', 'insert'), 3), unit: 'ratio' },
      read_ratio_encrypted_to_plain: { value: round(readOf('encrypted') / readOf('plain'), 3), unit: 'ratio' },
    };

    const search = await runSearchBench({ quick, dir, cacheKib, resourcesDir: join(repoRoot, 'resources'), log });
    Object.assign(figures, search.figures);

    const attachments = await runAttachmentBench({ quick, dir, log });
    Object.assign(figures, attachments.figures);

    const exported = await runExportBench({ quick, dir, log });
    Object.assign(figures, exported.figures);

    const backup = await runBackupBench({ quick, dir, log, seeded: search.encrypted });
    Object.assign(figures, backup.figures);

    const rowsOut = [
      ['figure', 'value', 'unit'],
      ...Object.entries(figures).map(([name, f]) => [name, String(f.value), f.unit]),
    ];
    const detail = [
      ['phase (median ms)', 'encrypted', 'plain', 'ratio'],
      ...(['insert', 'fullRead', 'lookups', 'warmRead'] as const).map((k) => [k, med('encrypted', k).toFixed(1), med('plain', k).toFixed(1), (med('encrypted', k) / med('plain', k)).toFixed(3)]),
      ['read (fullRead + lookups)', readOf('encrypted').toFixed(1), readOf('plain').toFixed(1), (readOf('encrypted') / readOf('plain')).toFixed(3)],
      ['unlock (each run)', unlockTimes.map((t) => t.toFixed(0)).join(' '), '', ''],
    ];
    const table = (rows: string[][]) => {
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
      return rows.map((r, i) => {
        const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
        return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
      }).join('\n');
    };
    process.stdout.write(`\n${table(rowsOut)}\n\n${table(detail)}\n\n${table(search.detail)}\n\n${table(attachments.detail)}\n\n${table(exported.detail)}\n\n${table(backup.detail)}\n\n`);
    const out = join(repoRoot, 'bench-results.json');
    writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(`written ${out}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
