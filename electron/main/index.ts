// Composition root of the main process, and the only main module that imports Electron at run time:
// it hands Electron's objects to the tested modules beside it and holds no logic of its own.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, powerMonitor, protocol, session, type OpenDialogOptions } from 'electron';
import { createArchiveCore } from '../core/archive-core';
import { appSchemePrivileges, createAppProtocolHandler } from './app-protocol';
import { appStatePath, readRememberedFolder, rememberFolder } from './app-state';
import { createAppRouter, registerIpcBridge } from './ipc-bridge';
import { mediaUrlOf } from '../core/attachments/media-request';
import { mediaSchemePrivileges, registerMediaProtocol } from './media-protocol';
import { acquireSingleInstance, createLockNotifier, lockOnQuit, watchPowerAndIdle } from './lifecycle';
import { appEntryUrl, appOrigin, appScheme, devServerOrigin } from './origin';
import { devNativeBindingOf, resourcesDirOf } from './paths';
import { createMainWindow, hardenSession, hardenWebContents } from './security';

const report = (line: string): void => console.error(line);

// The dev server is honoured only in development: a packaged app always loads app://archive.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const pageOrigin = devServerOrigin(devServerUrl) ?? appOrigin;

let mainWindow: BrowserWindow | null = null;
const getWindow = () => mainWindow;

// Both must happen before 'ready'.
protocol.registerSchemesAsPrivileged([appSchemePrivileges, mediaSchemePrivileges]);
app.enableSandbox();

if (acquireSingleInstance(app, getWindow)) {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, pageOrigin));
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      report(`main: start failed with ${e instanceof Error ? e.name : typeof e}`);
      dialog.showErrorBox('Testimony Archive', 'The application could not start.');
      app.exit(1);
    });
}

async function pickFolder(): Promise<string | null> {
  const options: OpenDialogOptions = { properties: ['openDirectory', 'createDirectory'] };
  const win = getWindow();
  const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return picked.canceled ? null : (picked.filePaths[0] ?? null);
}

async function pickFile(): Promise<string | null> {
  const options: OpenDialogOptions = { properties: ['openFile'] };
  const win = getWindow();
  const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return picked.canceled ? null : (picked.filePaths[0] ?? null);
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, { devServerUrl });
  protocol.handle(appScheme, createAppProtocolHandler(join(import.meta.dirname, '../renderer')));

  const location = { isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath };
  const stateFile = appStatePath(app.getPath('userData'));
  const nativeBinding = devNativeBindingOf({ ...location, electronVersion: process.versions.electron, exists: existsSync });
  if (!app.isPackaged && nativeBinding === undefined) {
    report('main: build/native has no SQLite module for this Electron; run `npm run dev` (it runs scripts/prepare-electron-native.mjs).');
  }
  const core = await createArchiveCore({
    resourcesDir: resourcesDirOf(location),
    initialFolder: readRememberedFolder(stateFile) ?? join(app.getPath('userData'), 'archive'),
    pickFolder,
    pickFile,
    mediaUrl: mediaUrlOf,
    nativeBinding,
    rememberFolder: (folder) => rememberFolder(stateFile, folder),
    onLocked: createLockNotifier(getWindow),
  });

  // Decrypted on the fly, range by range, for the signed-in user only (checked on every request).
  registerMediaProtocol(protocol, core.openMedia);
  registerIpcBridge(ipcMain, createAppRouter(core, { devServerUrl, report }), report);
  watchPowerAndIdle({ powerMonitor, sessions: core.sessions, report });
  lockOnQuit({ app, sessions: core.sessions, report });

  const win = createMainWindow(BrowserWindow, join(import.meta.dirname, '../preload/index.cjs'), { isPackaged: app.isPackaged });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });
  await win.loadURL(devServerUrl ?? appEntryUrl);
}
