import { readFileSync, writeFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { director, makeCore, tempDir } from '/work/main/tests/fixtures/archive';
import { openDatabase } from '/work/main/electron/core/db/open-database';
import { runCheck } from '/work/main/electron/core/maintenance/report';

const dir = tempDir();
const folder = join(dir.path, 'a');
const core = await makeCore(folder);
await core.sessions.create({ ...director, passphraseConfirm: director.passphrase });
const s = core.sessions.require();
const key = Uint8Array.from(s.archive.secrets.masterKey);
s.archive.db.sqlite.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
const ins = s.archive.db.sqlite.prepare('INSERT INTO scratch (body) VALUES (?)');
s.archive.db.sqlite.transaction(() => { for (let i = 0; i < 5000; i++) ins.run(`row ${i} ` + 'x'.repeat(500)); })();
await core.sessions.lock('manual');
console.log(readdirSync(folder));
const dbf = join(folder, 'archive.db');
try { openDatabase(dbf, randomBytes(32)); } catch (e) { console.log('wrong key', (e as {code:string}).code); }
console.log(readdirSync(folder));
const size = readFileSync(dbf).length;
console.log('size', size);
const orig = readFileSync(dbf);
const b = Buffer.from(orig); b[Math.floor(size / 2)]! ^= 0x01; writeFileSync(dbf, b);
try {
  await core.sessions.signIn(director.username, director.passphrase);
  const r = await runCheck(core.sessions.require().archive);
  console.log('check', JSON.stringify(r));
  await core.sessions.lock('manual');
} catch (e) { console.log('unlock mid flip', e); }
const b2 = Buffer.from(orig); b2[150]! ^= 0x01; writeFileSync(dbf, b2);
try { await core.sessions.signIn(director.username, director.passphrase); } catch (e) { console.log('unlock p1 flip', (e as {code:string}).code); }
// flip in each page
const pages = size / 4096;
const codes: Record<string, number> = {};
for (let p = 1; p < Math.min(pages, 12); p++) {
  const b3 = Buffer.from(orig); b3[p * 4096 + 200]! ^= 0x01; writeFileSync(dbf, b3);
  try { await core.sessions.signIn(director.username, director.passphrase); const r = await runCheck(core.sessions.require().archive); codes[p] = r.ok ? 1 : 0; console.log(p, r.checks.filter(c=>!c.ok)); await core.sessions.lock('manual'); }
  catch (e) { console.log(p, 'err', (e as Error).name, (e as {code:string}).code, (e as Error).message); }
}
dir.cleanup();
