import { readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tempDir } from '/work/main/tests/fixtures/archive';
import { openDatabase } from '/work/main/electron/core/db/open-database';

function openFds() {
  const out: { fd: string; target: string }[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try { out.push({ fd, target: readlinkSync(`/proc/self/fd/${fd}`) }); } catch { /* gone */ }
  }
  return out;
}
for (const store of ['MEMORY', 'FILE']) {
  const dir = tempDir();
  const db = openDatabase(join(dir.path, 'x.db'), randomBytes(32), { create: true, cacheKib: 2000 });
  const sq = db.sqlite;
  if (store === 'FILE') sq.pragma('temp_store = FILE');
  console.log(store, sq.pragma('temp_store', { simple: true }), sq.pragma('cache_size', { simple: true }));
  const MARK = 'MARKER-' + randomBytes(6).toString('hex');
  sq.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, body TEXT NOT NULL) STRICT');
  const ins = sq.prepare('INSERT INTO scratch (grp, body) VALUES (?, ?)');
  let t = performance.now();
  sq.transaction(() => { for (let i = 0; i < 200_000; i++) ins.run(i % 50000, `${MARK} ${i} ${'lorem ipsum dolor '.repeat(4)}`); })();
  console.log('insert ms', performance.now() - t);
  const before = new Set(openFds().map((f) => f.target));
  t = performance.now();
  let seen: string[] = [];
  const it = sq.prepare(`SELECT body, substr(body, 20) || id AS k FROM scratch ORDER BY substr(body, 20) || id DESC`).iterate();
  let n = 0;
  for (const _ of it) { if (n++ === 0) { seen = openFds().filter((f) => !before.has(f.target)).map((f) => `${f.fd} ${f.target}`); for (const f of openFds().filter((f) => !before.has(f.target))) { try { const c = readFileSync(`/proc/self/fd/${f.fd}`); console.log('fd', f.target, c.length, c.includes(MARK)); } catch (e) { console.log('read fail', (e as Error).message); } } } }
  console.log('order by ms', performance.now() - t, n, seen);
  const before2 = new Set(openFds().map((f) => f.target));
  const it2 = sq.prepare(`SELECT grp, body, count(*) AS c, max(body) AS m FROM scratch GROUP BY body ORDER BY m`).iterate();
  n = 0;
  for (const _ of it2) { if (n++ === 0) { console.log('group fds', openFds().filter((f) => !before2.has(f.target))); } }
  console.log('group', n);
  await db.close();
  dir.cleanup();
}
