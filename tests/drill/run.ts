// `npm run drill`: 200 SIGKILLs of a child writing to a real encrypted archive, each followed by the full check.
// TA_DRILL_KILLS and TA_DRILL_SEED override the count and the seed (printed, so a failing run can be repeated).
import { join } from 'node:path';
import { tempDir } from '../fixtures/archive';
import { runDrill } from '../fixtures/crash-drill';

const kills = Number(process.env['TA_DRILL_KILLS'] ?? 200);
const seed = Number(process.env['TA_DRILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const dir = tempDir('ta-drill-');
const started = Date.now();
process.stdout.write(`crash drill: ${kills} kills, seed ${seed} (repeat with TA_DRILL_SEED=${seed})\n`);
try {
  const r = await runDrill({ folder: join(dir.path, 'archive'), kills, seed, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(
    `crash drill passed: ${r.kills} kills survived (${r.inflightKills} with a write in flight), ${r.writes} writes reported, ${r.rows} rows checked, ${Math.round((Date.now() - started) / 1000)} s, seed ${seed}\n`,
  );
  dir.cleanup();
} catch (e) {
  process.stderr.write(`crash drill FAILED (seed ${seed}; archive kept in ${dir.path}): ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
