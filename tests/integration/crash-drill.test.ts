// The crash drill, short: a child writing records, attachments, revisions and account changes is killed with SIGKILL
// at seeded random moments; after each kill the archive opens, passes the full check and holds every reported write.
// `npm run drill` runs the same drill with 200 kills (tests/drill/run.ts).
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { tempDir } from '../fixtures/archive';
import { runDrill } from '../fixtures/crash-drill';

const dir = tempDir('ta-crash-drill-');
afterAll(() => dir.cleanup());

test('killed 12 times at random moments, the archive opens, checks clean and keeps every reported write', async () => {
  const kills = Number(process.env['TA_DRILL_TEST_KILLS'] ?? 12);
  const seed = Number(process.env['TA_DRILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  const lines: string[] = [];
  const r = await runDrill({ folder: join(dir.path, 'archive'), kills, seed, log: (l) => lines.push(l) }).catch((e: unknown) => {
    throw new Error(`seed ${seed}: ${e instanceof Error ? e.message : String(e)}\n${lines.join('\n')}`);
  });
  process.stdout.write(`crash drill (seed ${seed}): ${r.kills} kills survived, ${r.writes} writes reported, ${r.rows} rows checked\n`);
  expect(r.kills).toBe(kills);
  expect(r.writes).toBeGreaterThan(kills);
}, 900_000);
