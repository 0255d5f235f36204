// Builds an Electron-ABI copy of better-sqlite3-multiple-ciphers at build/native/<electron>/better_sqlite3.node
// for `npm run dev` / `npm start`, without touching node_modules: its Node build stays what the tests and the CLI use.
// Main loads the copy through better-sqlite3's `nativeBinding` option (electron/main/paths.ts).
// Packaged apps do not need it: electron-builder rebuilds node_modules for Electron (npmRebuild).
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const moduleName = 'better-sqlite3-multiple-ciphers';
const moduleDir = join(root, 'node_modules', moduleName);
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
// Overridable for the test of the offline path (tests/unit/prepare-native.test.ts), never needed otherwise.
const nativeDir = process.env.PREPARE_NATIVE_OUT ? resolve(process.env.PREPARE_NATIVE_OUT) : join(root, 'build', 'native');
const headersUrl = process.env.ELECTRON_HEADERS_URL ?? 'https://electronjs.org/headers';
const target = join(nativeDir, electronVersion, 'better_sqlite3.node');
const workDir = join(nativeDir, `.work-${electronVersion}`);
const logFile = join(nativeDir, `build-${electronVersion}.log`);
const shown = (path) => relative(root, path).split('\\').join('/');

/** One clear line on stderr, exit 1: the user sees why, the details are in the log. */
function fail(line) {
  rmSync(workDir, { recursive: true, force: true });
  process.stderr.write(`prepare-electron-native: ${line}\n`);
  process.exit(1);
}

if (existsSync(target)) process.exit(0);

/** npm's bundled node-gyp (next to the npm running this script, or next to node), else `npx --no-install node-gyp`. */
function nodeGyp() {
  const bin = ['node_modules', 'node-gyp', 'bin', 'node-gyp.js'];
  const candidates = [];
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', ...bin));
  const nodeBinDir = dirname(process.execPath);
  candidates.push(join(nodeBinDir, '..', 'lib', 'node_modules', 'npm', ...bin)); // Linux, macOS
  candidates.push(join(nodeBinDir, 'node_modules', 'npm', ...bin)); // Windows
  const script = candidates.find((c) => existsSync(c));
  if (script) return { command: process.execPath, args: [script], shell: false };
  return { command: process.platform === 'win32' ? 'npx.cmd' : 'npx', args: ['--no-install', 'node-gyp'], shell: process.platform === 'win32' };
}

// npm passes its configuration as npm_config_* variables, which node-gyp reads as options: a nodedir or
// target set for Node in an .npmrc must not turn this into a Node-ABI build.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|target_arch|arch|runtime|dist_?url|devdir|build_from_source)$/i.test(k)),
);

const gyp = nodeGyp();
const electronArgs = [
  '--runtime=electron',
  `--target=${electronVersion}`,
  `--dist-url=${headersUrl}`,
  `--arch=${process.arch}`,
  `--devdir=${join(nativeDir, 'headers')}`,
];

mkdirSync(nativeDir, { recursive: true });
rmSync(logFile, { force: true });

function run(args, cwd) {
  const fd = openSync(logFile, 'a');
  writeSync(fd, `\n$ node-gyp ${args.join(' ')}\n`);
  const result = spawnSync(gyp.command, [...gyp.args, ...args], { cwd, env, stdio: ['ignore', fd, fd], shell: gyp.shell });
  closeSync(fd);
  return result.status === 0 && result.error === undefined;
}

// 1. Electron's headers (downloaded once; the only step that needs the network).
if (!run(['install', ...electronArgs], nativeDir)) {
  fail(
    `cannot download Electron ${electronVersion} headers (offline?); the app needs them once to build its SQLite module. Tests do not. Details: ${shown(logFile)}`,
  );
}

// 2. A private copy of the module's sources, so node_modules keeps its Node build.
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
for (const entry of ['package.json', 'binding.gyp', 'src', 'deps']) {
  cpSync(join(moduleDir, entry), join(workDir, entry), { recursive: true });
}

// 3. Build for Electron's ABI (about 2.5 minutes: SQLite3MultipleCiphers is compiled from source).
process.stderr.write(`prepare-electron-native: building ${moduleName} for Electron ${electronVersion} (once)...\n`);
if (!run(['rebuild', '--release', '--jobs=max', ...electronArgs], workDir)) {
  fail(`building ${moduleName} for Electron ${electronVersion} failed. Details: ${shown(logFile)}`);
}

// 4. Into place atomically: a half-copied module must never look like a finished one.
mkdirSync(dirname(target), { recursive: true });
const temp = `${target}.tmp`;
copyFileSync(join(workDir, 'build', 'Release', 'better_sqlite3.node'), temp);
renameSync(temp, target);
rmSync(workDir, { recursive: true, force: true });
process.stderr.write(`prepare-electron-native: built ${shown(target)}\n`);
