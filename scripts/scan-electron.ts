// `npm run scan:electron`: Electronegativity on the app's sources, offline; fails on every finding above
// informational that security/electronegativity-accepted.json does not accept with a reason and a proof.
// Exit codes: 0 clean, 1 findings not accepted (or accepted entries that match nothing), 2 the scan could not run.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { contentSecurityPolicy } from '../electron/main/security';
import {
  evaluateCsp,
  installedElectronVersion,
  judge,
  readAccepted,
  scanSources,
  scannedFolders,
  scannerDetectsCanary,
  type Finding,
} from './electronegativity';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const acceptedFile = 'security/electronegativity-accepted.json';

const where = (f: Finding) => `${f.file}${f.line > 0 ? `:${f.line}` : ''}`;
const line = (f: Finding) => `  ${f.severity.padEnd(13)} ${f.id.padEnd(42)} ${where(f)}\n${' '.repeat(16)}${f.description}${f.source === '' ? '' : `\n${' '.repeat(16)}> ${f.source}`}`;

async function main(): Promise<number> {
  const started = Date.now();
  const electronVersion = installedElectronVersion(repoRoot);
  const accepted = readAccepted(join(repoRoot, acceptedFile));

  if (!(await scannerDetectsCanary(repoRoot, electronVersion))) {
    console.error('scan:electron: Electronegativity did not flag a window with contextIsolation off; the scanner is not working.');
    return 2;
  }
  const scan = await scanSources(repoRoot, electronVersion);
  const csp = evaluateCsp(repoRoot, contentSecurityPolicy, 'electron/main/security.ts', 'export const contentSecurityPolicy');
  const verdict = judge([...scan.findings, ...csp], accepted);

  console.log(
    `Electronegativity on ${scannedFolders.join('/, ')}/ (${scan.files} files, ${scan.checks} checks, Electron ${electronVersion}, offline) ` +
      `and the page CSP: ${scan.findings.length + csp.length} findings, ${(Date.now() - started) / 1000} s`,
  );
  for (const w of scan.warnings) console.log(`  parser warning: ${w}`);
  if (verdict.informational.length > 0) {
    const ids = [...new Set(verdict.informational.map((f) => f.id))].join(', ');
    console.log(`  informational: ${verdict.informational.length} (${ids})`);
  }
  if (verdict.accepted.length > 0) {
    console.log(`Accepted in ${acceptedFile}:`);
    for (const { finding, by } of verdict.accepted) console.log(`${line(finding)}\n${' '.repeat(16)}accepted: ${by.reason}\n${' '.repeat(16)}proof: ${by.proof}`);
  }
  if (verdict.rejected.length > 0) {
    console.log(`NOT accepted (fix the code, or accept in ${acceptedFile} with a reason and a proof):`);
    for (const f of verdict.rejected) console.log(line(f));
  }
  if (verdict.stale.length > 0) {
    console.log(`Accepted entries that match no finding any more (remove them from ${acceptedFile}):`);
    for (const a of verdict.stale) console.log(`  ${a.id} ${a.file}: "${a.source}"${a.detail === undefined ? '' : ` / "${a.detail}"`}`);
  }
  const failed = verdict.rejected.length > 0 || verdict.stale.length > 0;
  console.log(failed ? 'scan:electron FAILED' : `scan:electron passed: no findings above informational except ${verdict.accepted.length} accepted`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`scan:electron: the scan could not run: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
