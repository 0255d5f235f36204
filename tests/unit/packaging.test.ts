// The installers' configuration (electron-builder.yml) read by electron-builder's own loader, schema and fuse
// mapping: installers for the three platforms, the built app only in an asar with the SQLite module unpacked,
// the hardening fuses, the macOS entitlements, and a packaged app that loads app:// without DevTools.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { appEntryUrl } from '../../electron/main/origin';
import { resourcesDirOf } from '../../electron/main/paths';
import { createMainWindow } from '../../electron/main/security';
import { repoRoot } from '../fixtures/archive';

// electron-builder's own modules (and their copies of js-yaml, minimatch and @electron/fuses, all
// dependencies of electron-builder), so the configuration is read exactly as `npm run dist` reads it.
const requireFromRepo = createRequire(join(repoRoot, 'package.json'));
const requireFromBuilder = createRequire(requireFromRepo.resolve('electron-builder/package.json'));
const requireFromLib = createRequire(requireFromBuilder.resolve('app-builder-lib/package.json'));

type ConfigModule = {
  getConfig(projectDir: string, configPath: null, configFromOptions: null): Promise<unknown>;
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const isConfigModule = (m: unknown): m is ConfigModule =>
  typeof m === 'object' && m !== null && 'getConfig' in m && typeof m.getConfig === 'function' && 'validateConfiguration' in m && typeof m.validateConfiguration === 'function';

type DebugLoggerModule = { DebugLogger: new (isEnabled: boolean) => object };
const isDebugLoggerModule = (m: unknown): m is DebugLoggerModule => typeof m === 'object' && m !== null && 'DebugLogger' in m && typeof m.DebugLogger === 'function';

type MinimatchModule = { minimatch: (path: string, pattern: string, options: { dot: boolean }) => boolean };
const isMinimatchModule = (m: unknown): m is MinimatchModule => typeof m === 'object' && m !== null && 'minimatch' in m && typeof m.minimatch === 'function';

function loadOrFail<T>(what: string, module: unknown, guard: (m: unknown) => m is T): T {
  if (!guard(module)) throw new Error(`${what} has an unexpected shape; has electron-builder changed?`);
  return module;
}

const target = z.union([z.string(), z.array(z.string())]).transform((t) => [t].flat());
const configSchema = z.looseObject({
  appId: z.string(),
  productName: z.string(),
  directories: z.looseObject({ output: z.string(), buildResources: z.string() }),
  files: z.array(z.looseObject({ filter: z.array(z.string()) })),
  extraResources: z.array(z.looseObject({ from: z.string(), to: z.string() })),
  asar: z.boolean(),
  asarUnpack: z.array(z.string()),
  npmRebuild: z.boolean(),
  publish: z.null(),
  icon: z.string().optional(),
  electronFuses: z.record(z.string(), z.boolean()),
  linux: z.looseObject({ target, icon: z.string().optional() }),
  win: z.looseObject({ target, icon: z.string().optional() }),
  mac: z.looseObject({
    target,
    icon: z.string().optional(),
    hardenedRuntime: z.boolean(),
    entitlements: z.string(),
    entitlementsInherit: z.string(),
    extendInfo: z.looseObject({ NSMicrophoneUsageDescription: z.string() }),
  }),
});
type BuilderConfig = z.infer<typeof configSchema>;

const packageJson = z
  .looseObject({ main: z.string(), dependencies: z.record(z.string(), z.string()), build: z.never().optional() })
  .parse(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));

let raw: unknown;
let config: BuilderConfig;
beforeAll(async () => {
  const configModule = loadOrFail('app-builder-lib config', requireFromLib('./out/util/config/config.js'), isConfigModule);
  raw = await configModule.getConfig(repoRoot, null, null);
  config = configSchema.parse(raw);
}, 60_000);

describe('electron-builder configuration', () => {
  test('is electron-builder.yml (package.json has no "build" key), and electron-builder\'s schema accepts it', async () => {
    expect(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')).toContain(`appId: ${config.appId}`);
    const configModule = loadOrFail('app-builder-lib config', requireFromLib('./out/util/config/config.js'), isConfigModule);
    const logger = loadOrFail('builder-util DebugLogger', createRequire(requireFromLib.resolve('builder-util/package.json'))('./out/DebugLogger.js'), isDebugLoggerModule);
    await expect(configModule.validateConfiguration(raw, new logger.DebugLogger(false))).resolves.toBeUndefined();
  }, 60_000);

  test('builds installers for Linux (AppImage, deb), Windows (NSIS) and macOS (dmg)', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    // An offline archive: no update feed to publish to or poll.
    expect(config.publish).toBeNull();
  });

  test('packs only the built app, in an asar, with the SQLite native module unpacked and rebuilt for Electron', () => {
    expect(config.files).toEqual([{ filter: ['out/**', '!out/**/*.map'] }]);
    expect(packageJson.main.startsWith('out/')).toBe(true);
    expect(config.asar).toBe(true);
    const { minimatch } = loadOrFail('minimatch', requireFromLib('minimatch'), isMinimatchModule);
    const nativeModule = 'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node';
    expect(existsSync(join(repoRoot, nativeModule)), 'the module the pattern is about').toBe(true);
    expect(config.asarUnpack.some((pattern) => minimatch(nativeModule, pattern, { dot: true }))).toBe(true);
    expect(config.asarUnpack.some((pattern) => minimatch('out/main/index.js', pattern, { dot: true })), 'the app itself stays in the asar').toBe(false);
    // A production dependency, so electron-builder packs it and npmRebuild builds it for Electron's ABI.
    expect(config.npmRebuild).toBe(true);
    expect(Object.keys(packageJson.dependencies)).toContain('better-sqlite3-multiple-ciphers');
    // resources/ beside app.asar, where main looks for it when packaged.
    expect(config.extraResources).toEqual([{ from: 'resources', to: 'resources' }]);
    expect(resourcesDirOf({ isPackaged: true, resourcesPath: '/opt/app/resources', appPath: '/opt/app/resources/app.asar' })).toBe(
      join('/opt/app/resources', 'resources'),
    );
  });

  test('the macOS build has the hardened runtime with JIT and the microphone as its only entitlements', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('build/entitlements.mac.plist');
    const plist = readFileSync(join(repoRoot, config.mac.entitlements), 'utf8');
    const entitlements = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<(\w+)\s*\/>/g)].map(([, key, value]) => `${key ?? ''}=${value ?? ''}`);
    expect(entitlements).toEqual(['com.apple.security.cs.allow-jit=true', 'com.apple.security.device.audio-input=true']);
    expect(plist.match(/<key>/g)).toHaveLength(2);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
  });

  test('every icon the configuration names exists (none named: build/icon.* or else Electron\'s own icon)', () => {
    for (const icon of [config.icon, config.linux.icon, config.win.icon, config.mac.icon]) {
      if (icon !== undefined) expect(existsSync(join(repoRoot, icon)) || existsSync(join(repoRoot, config.directories.buildResources, icon)), icon).toBe(true);
    }
  });
});

describe('fuses of packaged builds', () => {
  /** The fuse wire electron-builder writes: its own mapping of electronFuses onto @electron/fuses' options. */
  async function fuseWire(): Promise<{ byName: Map<string, boolean>; known: string[] }> {
    const lib: unknown = requireFromBuilder('app-builder-lib');
    const packager: unknown = typeof lib === 'object' && lib !== null ? Reflect.get(lib, 'PlatformPackager') : undefined;
    const prototype: unknown = typeof packager === 'function' ? Reflect.get(packager, 'prototype') : undefined;
    const generate: unknown = typeof prototype === 'object' && prototype !== null ? Reflect.get(prototype, 'generateFuseConfig') : undefined;
    if (typeof generate !== 'function') throw new Error('electron-builder has no generateFuseConfig any more');
    const wire = z.record(z.string(), z.union([z.boolean(), z.string()])).parse(await Reflect.apply(generate, {}, [config.electronFuses]));
    const fuses = z.object({ FuseV1Options: z.record(z.string(), z.union([z.string(), z.number()])) }).parse(requireFromLib('@electron/fuses'));
    const known = Object.entries(fuses.FuseV1Options).filter(([, index]) => typeof index === 'number');
    const byName = new Map<string, boolean>();
    for (const [name, index] of known) {
      const value = wire[String(index)];
      if (typeof value === 'boolean') byName.set(name, value);
    }
    return { byName, known: known.map(([name]) => name) };
  }

  test('turn off RunAsNode, NODE_OPTIONS and --inspect, and load the app only from its asar (DESIGN.md section 7)', async () => {
    const { byName } = await fuseWire();
    expect(byName.get('RunAsNode')).toBe(false);
    expect(byName.get('EnableNodeOptionsEnvironmentVariable')).toBe(false);
    expect(byName.get('EnableNodeCliInspectArguments')).toBe(false);
    expect(byName.get('OnlyLoadAppFromAsar')).toBe(true);
  }, 60_000);

  test('also check the asar, encrypt cookies and keep file:// unprivileged', async () => {
    const { byName } = await fuseWire();
    expect(Object.fromEntries(byName)).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  }, 60_000);

  test('name only fuses @electron/fuses knows, and decide every one it knows', async () => {
    const { byName, known } = await fuseWire();
    const named = Object.keys(config.electronFuses).filter((k) => k !== 'resetAdHocDarwinSignature');
    // electron-builder drops a key it does not map; a typo would silently leave a fuse at Electron's default.
    expect(named.map((k) => `${k.charAt(0).toUpperCase()}${k.slice(1)}`).sort()).toEqual([...byName.keys()].sort());
    expect([...byName.keys()].sort()).toEqual([...known].sort());
  }, 60_000);
});

describe('the packaged app', () => {
  test('loads app://archive, never file://, and has no DevTools', () => {
    expect(appEntryUrl).toBe('app://archive/index.html');
    class FakeWindow {
      constructor(readonly options: { webPreferences?: { devTools?: boolean } }) {}
    }
    expect(createMainWindow(FakeWindow, 'preload.cjs', { isPackaged: true }).options.webPreferences?.devTools).toBe(false);
    const main = readFileSync(join(repoRoot, 'electron/main/index.ts'), 'utf8');
    // The dev server URL is honoured only when not packaged.
    expect(main).toContain("app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']");
    const mainSources = readdirSync(join(repoRoot, 'electron/main')).filter((f) => f.endsWith('.ts'));
    for (const f of mainSources) {
      const code = readFileSync(join(repoRoot, 'electron/main', f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(code, f).not.toMatch(/loadFile\(|['"`]file:\/\//);
    }
  });
});
