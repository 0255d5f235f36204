// Runs Electronegativity offline on the app's sources and judges its findings against the accepted list.
// Used by scripts/scan-electron.ts (`npm run scan:electron`); the judging is pure, so tests drive it directly.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';

/** The scan could not run (as opposed to: it ran and found something). */
export class ScanFailed extends Error {
  override name = 'ScanFailed';
}

/** One finding, with its path relative to the repository and the source line it points at. */
export type Finding = {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  column: number;
  /** The trimmed source line at the location ('' when the scanner names no line). */
  source: string;
  description: string;
};

/** Electronegativity's severities; only INFORMATIONAL may pass without being accepted. */
export const severities = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const;

const acceptedSchema = z
  .object({
    id: z.string().regex(/^[A-Z0-9_]+$/),
    file: z.string().min(1),
    // A piece of the flagged source line: the acceptance follows the line when code moves above it,
    // and does not cover a new finding of the same kind elsewhere in the file.
    source: z.string().min(1),
    // A piece of the description, when one line carries several findings of the same kind (the CSP's directives).
    detail: z.string().min(1).optional(),
    reason: z.string().min(40),
    // The test (or other evidence) that shows the setting the scanner could not see.
    proof: z.string().min(10),
  })
  .strict();

export type AcceptedFinding = z.infer<typeof acceptedSchema>;

export const acceptedFileSchema = z.object({ $comment: z.string().optional(), accepted: z.array(acceptedSchema) }).strict();

/** The accepted list, validated (a reason and a proof for every entry). */
export function readAccepted(file: string): AcceptedFinding[] {
  const parsed = acceptedFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ScanFailed(`${file} is not a valid list of accepted findings:\n${z.prettifyError(parsed.error)}`);
  return parsed.data.accepted;
}

export const covers = (a: AcceptedFinding, f: Finding): boolean =>
  a.id === f.id && a.file === f.file && f.source.includes(a.source) && (a.detail === undefined || f.description.includes(a.detail));

export type Verdict = {
  /** Above informational and accepted, each with the entry that accepts it. */
  accepted: { finding: Finding; by: AcceptedFinding }[];
  /** Above informational and not accepted: the scan fails. */
  rejected: Finding[];
  informational: Finding[];
  /** Entries that no longer match a finding: the scan fails, so the list cannot rot. */
  stale: AcceptedFinding[];
};

export function judge(findings: readonly Finding[], accepted: readonly AcceptedFinding[]): Verdict {
  const verdict: Verdict = { accepted: [], rejected: [], informational: [], stale: [] };
  const used = new Set<AcceptedFinding>();
  for (const finding of findings) {
    if (finding.severity === 'INFORMATIONAL') {
      verdict.informational.push(finding);
      continue;
    }
    const by = accepted.find((a) => covers(a, finding));
    if (by === undefined) {
      verdict.rejected.push(finding);
    } else {
      used.add(by);
      verdict.accepted.push({ finding, by });
    }
  }
  verdict.stale = accepted.filter((a) => !used.has(a));
  return verdict;
}

const issueSchema = z.object({
  id: z.string(),
  file: z.string(),
  location: z.object({ line: z.number(), column: z.number() }),
  severity: z.object({ name: z.enum(severities) }),
  confidence: z.object({ name: z.string() }),
  description: z.string(),
});

const resultSchema = z.object({
  globalChecks: z.number(),
  atomicChecks: z.number(),
  errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean() })),
  issues: z.array(issueSchema),
});

type RunOptions = {
  input: string;
  customScan: string[];
  excludeFromScan: string[];
  electronVersionOverride: string;
  parserPlugins: string[];
};
type RunScanner = (options: RunOptions, forCli: boolean) => Promise<unknown>;
const isRunScanner = (value: unknown): value is RunScanner => typeof value === 'function';

const scannerPackage = '@doyensec/electronegativity';

/**
 * Electronegativity's runner, loaded so that it never reaches the network: its only network use we keep
 * (fetching translations at start) gets an offline stand-in answering "nothing there", so the English
 * messages bundled with the package are used. The check that downloads Electron's release list
 * (AvailableSecurityFixesGlobalCheck) is excluded by the scan itself.
 */
function loadScanner(repoRoot: string): { run: RunScanner; requireFromScanner: NodeJS.Require } {
  const requireFromRepo = createRequire(join(repoRoot, 'package.json'));
  const requireFromScanner = createRequire(requireFromRepo.resolve(`${scannerPackage}/package.json`));
  const gotPath = requireFromScanner.resolve('got');
  const offline = new Module(gotPath);
  const nothing = () => Promise.resolve({ statusCode: 404, body: '', headers: {} });
  offline.exports = Object.assign(nothing, { head: nothing });
  offline.loaded = true;
  requireFromScanner.cache[gotPath] = offline;
  // The translation it would fetch is chosen by LANG; the bundled catalogue is en-US.
  process.env['LANG'] = 'en-US';
  const run: unknown = requireFromScanner('./dist/runner.js');
  if (!isRunScanner(run)) throw new ScanFailed(`${scannerPackage} has no runner function (dist/runner.js).`);
  return { run, requireFromScanner };
}

/** The installed Electron's version (the scanner judges defaults by it), never a guess. */
export function installedElectronVersion(repoRoot: string): string {
  const pkg = z.object({ version: z.string().regex(/^\d+\.\d+\.\d+/) });
  const requireFromRepo = createRequire(join(repoRoot, 'package.json'));
  return pkg.parse(JSON.parse(readFileSync(requireFromRepo.resolve('electron/package.json'), 'utf8'))).version;
}

/** The folders that make up the shipped app (main, preload, IPC, core, CLI, renderer, shared). */
export const scannedFolders = ['electron', 'renderer', 'shared'] as const;

/** Checks left out: it downloads Electron's release list (the pinned version is upgraded by hand). */
const excludedChecks = ['AvailableSecurityFixesGlobalCheck'];

export type ScanResult = { findings: Finding[]; checks: number; files: number; warnings: string[] };

const sourceLine = (text: string | undefined, line: number): string => (line >= 1 ? (text?.split('\n')[line - 1]?.trim() ?? '') : '');

/**
 * Scans copies of the shipped folders in one run, so the global checks (navigation limits, permission
 * handler, CSP) see main and renderer together, and tests, scripts and build output stay out.
 */
export async function scanSources(repoRoot: string, electronVersion: string): Promise<ScanResult> {
  const { run } = loadScanner(repoRoot);
  const stage = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    for (const folder of scannedFolders) cpSync(join(repoRoot, folder), join(stage, folder), { recursive: true });
    const raw = await run(
      { input: stage, customScan: [], excludeFromScan: excludedChecks.map((c) => c.toLowerCase()), electronVersionOverride: electronVersion, parserPlugins: [] },
      false,
    );
    const result = resultSchema.parse(raw);
    if (result.atomicChecks === 0 || result.globalChecks === 0) throw new ScanFailed('Electronegativity loaded no checks.');
    const unread = result.errors.filter((e) => !e.tolerable);
    if (unread.length > 0) {
      throw new ScanFailed(`Electronegativity could not parse ${unread.map((e) => `${relative(stage, e.file)} (${e.message})`).join(', ')}.`);
    }
    const files = new Map<string, string>();
    const findings = result.issues.map((issue): Finding => {
      const inStage = issue.file !== 'N/A' && issue.file.startsWith(stage + sep);
      const file = inStage ? relative(stage, issue.file).split(sep).join('/') : issue.file;
      if (inStage && !files.has(file)) files.set(file, readFileSync(issue.file, 'utf8'));
      return {
        id: issue.id,
        severity: issue.severity.name,
        confidence: issue.confidence.name,
        file,
        line: issue.location.line,
        column: issue.location.column,
        source: sourceLine(files.get(file), issue.location.line),
        description: issue.description,
      };
    });
    return { findings, checks: result.atomicChecks + result.globalChecks, files: countScannable(stage), warnings: result.errors.map((e) => `${relative(stage, e.file)}: ${e.message}`) };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** How many files the scanner reads (its own rule: scripts, HTML and package manifests outside node_modules). */
function countScannable(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') n += countScannable(join(dir, entry.name));
    } else if (/\.(js|jsx|ts|tsx|html|htm)$/i.test(entry.name) || entry.name === 'package.json') {
      n += 1;
    }
  }
  return n;
}

/**
 * A window built with context isolation off, scanned on its own: the scanner must flag it, or it is
 * not working (a parser that silently reads nothing would otherwise pass every scan).
 */
export async function scannerDetectsCanary(repoRoot: string, electronVersion: string): Promise<boolean> {
  const { run } = loadScanner(repoRoot);
  const stage = mkdtempSync(join(tmpdir(), 'electronegativity-canary-'));
  try {
    mkdirSync(join(stage, 'main'));
    writeFileSync(
      join(stage, 'main', 'window.ts'),
      "import { BrowserWindow } from 'electron';\nexport const win = new BrowserWindow({ webPreferences: { contextIsolation: false } });\n",
    );
    const raw = await run({ input: stage, customScan: ['contextisolationjscheck'], excludeFromScan: [], electronVersionOverride: electronVersion, parserPlugins: [] }, false);
    return resultSchema.parse(raw).issues.some((i) => i.id === 'CONTEXT_ISOLATION_JS_CHECK' && i.location.line === 2);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

type CspModule = {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (csp: unknown, version: number) => { evaluate(): unknown };
  Version: { CSP3: number };
  severities: Record<string, number>;
};
const isCspModule = (value: unknown): value is CspModule =>
  typeof value === 'object' &&
  value !== null &&
  'CspParser' in value &&
  typeof value.CspParser === 'function' &&
  'CspEvaluator' in value &&
  typeof value.CspEvaluator === 'function' &&
  'Version' in value &&
  'severities' in value;

const cspFindingSchema = z.array(z.object({ severity: z.number(), directive: z.string(), value: z.string().optional(), description: z.string() }));

/**
 * Electronegativity reads a CSP only when it is a string literal at the header assignment; ours is a
 * constant (three policies are chosen per response), so it reports "Failed to parse CSP" there. This
 * evaluates the real page policy with the evaluator the scanner itself uses (@doyensec/csp-evaluator, CSP3)
 * and grades it the way its CSP_GLOBAL_CHECK does: weak or possibly weak is LOW, the rest informational.
 * Each finding points at `anchor`, the declaration of the policy in `file`.
 */
export function evaluateCsp(repoRoot: string, policy: string, file: string, anchor: string): Finding[] {
  const { requireFromScanner } = loadScanner(repoRoot);
  const csp: unknown = requireFromScanner('@doyensec/csp-evaluator');
  if (!isCspModule(csp)) throw new ScanFailed('@doyensec/csp-evaluator has an unexpected shape.');
  const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(anchor));
  if (index < 0) throw new ScanFailed(`${file} has no line with "${anchor}".`);
  const sev = csp.severities;
  const grade = (severity: number): { kind: string; severity: Finding['severity'] } => {
    if (severity === sev['HIGH'] || severity === sev['MEDIUM']) return { kind: 'weak CSP', severity: 'LOW' };
    if (severity === sev['HIGH_MAYBE'] || severity === sev['MEDIUM_MAYBE']) return { kind: 'possibly weak CSP', severity: 'LOW' };
    if (severity === sev['SYNTAX']) return { kind: 'invalid CSP', severity: 'LOW' };
    return { kind: 'CSP note', severity: 'INFORMATIONAL' };
  };
  const found = cspFindingSchema.parse(new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate());
  return found.map((f): Finding => {
    const { kind, severity } = grade(f.severity);
    return {
      id: 'CSP_GLOBAL_CHECK',
      severity,
      confidence: 'CERTAIN',
      file,
      line: index + 1,
      column: 0,
      source: lines[index]?.trim() ?? '',
      description: `${kind}: ${f.directive}${f.value === undefined ? '' : ` ${f.value}`}: ${f.description}`,
    };
  });
}
