// Electron hardening (DESIGN.md section 7): window preferences, per-webContents and per-session guards, the CSP.
// Electron's objects are injected (types only from 'electron'), so tests drive every guard with fakes.
import type { BrowserWindowConstructorOptions } from 'electron';
import { appOrigin, devServerOrigin, hasOrigin, originOf } from './origin';

/**
 * The renderer's Content Security Policy (https://www.w3.org/TR/CSP3/). Vite's production output is
 * one module script and one stylesheet from 'self', so neither needs 'unsafe-inline'; React `style`
 * props are applied through the CSSOM (`element.style`), which style-src does not govern.
 * `app-media:` is reserved for decrypted attachments played (media-src), shown (img-src) and, for PDFs, shown in a
 * frame by Chromium's own PDF viewer (frame-src; 'self' is the e2e page's /__media/ route, as for img-src and
 * media-src); connect-src 'none' because the app talks to main only through IPC.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: app-media:",
  "media-src 'self' blob: app-media:",
  "frame-src 'self' app-media:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The CSP in development only (never when packaged): Vite's dev server injects styles as <style>
 * elements, @vitejs/plugin-react adds an inline refresh preamble, and HMR talks over a websocket.
 */
export function devContentSecurityPolicy(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws');
  return contentSecurityPolicy
    .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'none'", `connect-src 'self' ${ws}`);
}

/** Electron's BrowserWindow, or a stand-in in tests: anything built from window options. */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Builds the main window: sandboxed, isolated, no Node, DevTools only in development. The options are
 * written literally at the `new BrowserWindow` call because Electronegativity (`npm run scan:electron`)
 * only reads an object literal there; it does not follow a function that returns the options.
 */
export function createMainWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string, opts: { isPackaged: boolean }): W {
  return new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 880,
    minHeight: 600,
    // Shown on 'ready-to-show', so no blank frame flashes.
    show: false,
    title: 'Testimony Archive',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // Chromium's spellchecker downloads dictionaries from the network and sees what is typed.
      spellcheck: false,
      webviewTag: false,
      enableWebSQL: false,
      safeDialogs: true,
      devTools: !opts.isPackaged,
    },
  });
}

type PreventableEvent = { preventDefault(): void };
type NavigationEvent = PreventableEvent & { readonly url: string };

/** The parts of a WebContents that hardenWebContents uses. */
export type HardenableContents = {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (details: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
};

/**
 * Keeps a webContents on its own origin: navigations and redirects elsewhere are prevented,
 * window.open is denied and <webview> is never attached. Applied to every webContents created.
 */
export function hardenWebContents(contents: HardenableContents, allowedOrigin: string): void {
  const stayHome = (details: NavigationEvent) => {
    if (!hasOrigin(details.url, [allowedOrigin])) details.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

type MediaType = 'video' | 'audio' | 'unknown';
type PermissionRequestDetails = {
  requestingUrl: string;
  isMainFrame: boolean;
  mediaTypes?: readonly ('video' | 'audio')[];
};
type PermissionCheckDetails = { isMainFrame: boolean; mediaType?: MediaType; securityOrigin?: string };
type BeforeRequestDetails = { url: string; initiatorOrigin?: string; resourceType?: string };
type HeadersReceivedDetails = { url: string; responseHeaders?: Record<string, string[]> };

/** The parts of a Session that hardenSession uses. */
export type HardenableSession = {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean,
  ): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  setSpellCheckerEnabled(enable: boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
  webRequest: {
    onBeforeRequest(listener: (details: BeforeRequestDetails, callback: (response: { cancel: boolean }) => void) => void): void;
    onHeadersReceived(
      listener: (
        details: HeadersReceivedDetails,
        callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
};

export type SessionPolicy = {
  /** electron-vite's dev server URL (ELECTRON_RENDERER_URL); pass it only when not packaged. */
  devServerUrl?: string | undefined;
};

/** Schemes that never leave the machine: DevTools' own pages and in-memory data. */
const localSchemes = new Set(['devtools:', 'data:', 'blob:']);

/** What may load decrypted attachments: media elements, images and a PDF's frame, never a window, fetch or script. */
const mediaResourceTypes = new Set(['media', 'image', 'subFrame']);

/**
 * Chromium's built-in PDF viewer (an extension bundled in Electron itself, nothing from the network): a PDF
 * attachment's frame loads its viewer from here.
 */
export const pdfViewerOrigin = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai';

/**
 * The policy on a decrypted attachment's own response: only the app's page may frame it. Nothing else is set, as
 * the body is never HTML (types are sniffed from content, and no HTML type is named) and the PDF viewer must run.
 */
export function mediaContentSecurityPolicy(appOrigins: readonly string[]): string {
  return `frame-ancestors ${appOrigins.join(' ')}`;
}

const schemeOf = (url: string): string => {
  const colon = url.indexOf(':');
  return colon > 0 ? url.slice(0, colon + 1).toLowerCase() : '';
};

/** Microphone only: a `media` request whose every requested type is audio (no camera). */
const isMicrophoneOnly = (types: readonly string[] | undefined): boolean =>
  types !== undefined && types.length > 0 && types.every((t) => t === 'audio');

/**
 * Session-wide guards: every permission denied except the microphone and writing the clipboard for the app's own main frame,
 * device pickers (HID, serial, USB) and downloads refused, every request that is not app:// (or
 * DevTools, in-memory data, the built-in PDF viewer, or the dev server in development) cancelled, app-media:// only
 * as media, images or a PDF's frame of the app's own page, and the CSP on every response (an attachment's own:
 * framed by the app only).
 */
export function hardenSession(session: HardenableSession, policy: SessionPolicy = {}): void {
  const devOrigin = devServerOrigin(policy.devServerUrl);
  const appOrigins = devOrigin === null ? [appOrigin] : [appOrigin, devOrigin];
  const devSocketOrigin = devOrigin?.replace(/^http/, 'ws') ?? null;

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const fromApp = details.isMainFrame && hasOrigin(details.requestingUrl, appOrigins);
    // Writing (never reading) the clipboard: the "copy" button of a one-time passphrase.
    callback(fromApp && ((permission === 'media' && isMicrophoneOnly(details.mediaTypes)) || permission === 'clipboard-sanitized-write'));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const fromApp = hasOrigin(requestingOrigin, appOrigins) && (details.securityOrigin === undefined || hasOrigin(details.securityOrigin, appOrigins));
    return fromApp && ((permission === 'media' && details.mediaType === 'audio') || permission === 'clipboard-sanitized-write');
  });
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  // Exports are written by main through its own save dialog; the page itself never downloads.
  session.on('will-download', (event) => event.preventDefault());

  const isAllowedRequest = ({ url, initiatorOrigin, resourceType }: BeforeRequestDetails): boolean => {
    const scheme = schemeOf(url);
    if (localSchemes.has(scheme)) return true;
    // Decrypted testimony: only for the app's own page (the protocol handler cannot see who asks, as the
    // page sends no Referer), and only into <audio>, <video> or <img>.
    if (scheme === 'app-media:') {
      return initiatorOrigin !== undefined && appOrigins.includes(initiatorOrigin) && resourceType !== undefined && mediaResourceTypes.has(resourceType);
    }
    const origin = originOf(url);
    if (origin === null) return false;
    if (origin === appOrigin || origin === pdfViewerOrigin) return true;
    return devOrigin !== null && (origin === devOrigin || origin === devSocketOrigin);
  };
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details) });
  });

  session.webRequest.onHeadersReceived((details, callback) => {
    if (schemeOf(details.url) === 'devtools:') {
      callback({});
      return;
    }
    const csp =
      schemeOf(details.url) === 'app-media:'
        ? mediaContentSecurityPolicy(appOrigins)
        : devOrigin !== null && originOf(details.url) === devOrigin
          ? devContentSecurityPolicy(devOrigin)
          : contentSecurityPolicy;
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}
