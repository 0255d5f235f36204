// Electron hardening with fakes that record what is registered: window preferences, navigation and
// window.open guards, permissions (microphone only, app origin only), the network block and the CSP.
import { EventEmitter } from 'node:events';
import { describe, expect, test, vi } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import {
  contentSecurityPolicy,
  createMainWindow,
  devContentSecurityPolicy,
  hardenSession,
  hardenWebContents,
  type HardenableSession,
  type SessionPolicy,
} from '../../electron/main/security';

/** A BrowserWindow stand-in that keeps the options it was built with. */
class FakeWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}

const windowOptions = (preloadPath: string, opts: { isPackaged: boolean }) => createMainWindow(FakeWindow, preloadPath, opts).options;

describe('createMainWindow', () => {
  // Electronegativity reads these same options at the `new BrowserWindow` call (npm run scan:electron).
  test('sandboxes and isolates the renderer, with every risky feature off', () => {
    const opts = windowOptions('/app/out/preload/index.cjs', { isPackaged: true });
    expect(opts.show).toBe(false);
    expect(opts.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      webviewTag: false,
      enableWebSQL: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  test('allows DevTools only when not packaged', () => {
    expect(windowOptions('p', { isPackaged: true }).webPreferences?.devTools).toBe(false);
    expect(windowOptions('p', { isPackaged: false }).webPreferences?.devTools).toBe(true);
  });
});

/** A webContents stand-in: an EventEmitter (as the real one is) that records its window-open handler. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
}

const navigation = (url: string) => ({ url, preventDefault: vi.fn() });

describe('hardenWebContents', () => {
  const contents = new FakeContents();
  hardenWebContents(contents, 'app://archive');

  test.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s leaves only for the same app:// origin', (name) => {
    for (const url of ['https://example.com/', 'http://localhost:5173/', 'file:///etc/passwd', 'app://evil/index.html', 'app://archive.evil/', 'app://x@archive/', 'javascript:alert(1)', 'about:blank']) {
      const event = navigation(url);
      contents.emit(name, event, url);
      expect(event.preventDefault, `${name} to ${url}`).toHaveBeenCalled();
    }
    const home = navigation('app://archive/index.html');
    contents.emit(name, home, home.url);
    expect(home.preventDefault).not.toHaveBeenCalled();
  });

  test('denies window.open and <webview>', () => {
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'app://archive/index.html' })).toEqual({ action: 'deny' });
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach, {}, { src: 'https://example.com/' });
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  test('in development, the dev server origin is home instead', () => {
    const dev = new FakeContents();
    hardenWebContents(dev, 'http://localhost:5173');
    const ok = navigation('http://localhost:5173/');
    const bad = navigation('http://localhost:51730/');
    dev.emit('will-navigate', ok, ok.url);
    dev.emit('will-navigate', bad, bad.url);
    expect(ok.preventDefault).not.toHaveBeenCalled();
    expect(bad.preventDefault).toHaveBeenCalled();
  });
});

type Handlers = {
  request: Parameters<HardenableSession['setPermissionRequestHandler']>[0];
  check: Parameters<HardenableSession['setPermissionCheckHandler']>[0];
  device: Parameters<HardenableSession['setDevicePermissionHandler']>[0];
  beforeRequest: Parameters<HardenableSession['webRequest']['onBeforeRequest']>[0];
  headersReceived: Parameters<HardenableSession['webRequest']['onHeadersReceived']>[0];
};

/** A session stand-in that records every handler hardenSession installs. */
function hardenedSession(policy?: SessionPolicy) {
  const got: Partial<Handlers> = {};
  const emitter = new EventEmitter();
  const spellChecker = vi.fn();
  const session = Object.assign(emitter, {
    setPermissionRequestHandler: (h: Handlers['request']) => void (got.request = h),
    setPermissionCheckHandler: (h: Handlers['check']) => void (got.check = h),
    setDevicePermissionHandler: (h: Handlers['device']) => void (got.device = h),
    setSpellCheckerEnabled: spellChecker,
    webRequest: {
      onBeforeRequest: (h: Handlers['beforeRequest']) => void (got.beforeRequest = h),
      onHeadersReceived: (h: Handlers['headersReceived']) => void (got.headersReceived = h),
    },
  });
  hardenSession(session, policy);
  const h = got as Handlers;
  expect(Object.values(h).every((f) => typeof f === 'function') && Object.keys(h).length === 5).toBe(true);

  const request = (permission: string, details: { requestingUrl: string; isMainFrame?: boolean; mediaTypes?: ('video' | 'audio')[] }) => {
    let granted: boolean | undefined;
    h.request({}, permission, (g) => (granted = g), { isMainFrame: true, ...details });
    return granted;
  };
  const check = (permission: string, origin: string, details: { mediaType?: 'video' | 'audio' | 'unknown'; securityOrigin?: string } = {}) =>
    h.check(null, permission, origin, { isMainFrame: true, ...details });
  const cancelled = (url: string, details: { initiatorOrigin?: string; resourceType?: string } = {}) => {
    let response: { cancel: boolean } | undefined;
    h.beforeRequest({ url, ...details }, (r) => (response = r));
    return response?.cancel;
  };
  const headers = (url: string, responseHeaders?: Record<string, string[]>) => {
    let response: { responseHeaders?: Record<string, string | string[]> } | undefined;
    h.headersReceived({ url, ...(responseHeaders ? { responseHeaders } : {}) }, (r) => (response = r));
    return response;
  };
  return { session, h, spellChecker, request, check, cancelled, headers };
}

describe('hardenSession: permissions', () => {
  const s = hardenedSession();
  const app = 'app://archive/index.html';

  test('grants only the microphone and clipboard writing, to the app main frame', () => {
    expect(s.request('media', { requestingUrl: app, mediaTypes: ['audio'] })).toBe(true);
    expect(s.request('clipboard-sanitized-write', { requestingUrl: app })).toBe(true);
    expect(s.request('clipboard-sanitized-write', { requestingUrl: 'https://example.com/' })).toBe(false);
    expect(s.request('clipboard-sanitized-write', { requestingUrl: app, isMainFrame: false })).toBe(false);
    expect(s.check('clipboard-sanitized-write', 'app://archive')).toBe(true);
    expect(s.check('clipboard-sanitized-write', 'https://example.com')).toBe(false);
  });

  test('denies everything else', () => {
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'midiSysex', 'openExternal', 'fullscreen', 'unknown']) {
      expect(s.request(permission, { requestingUrl: app }), permission).toBe(false);
    }
    expect(s.request('media', { requestingUrl: app, mediaTypes: ['video'] }), 'camera').toBe(false);
    expect(s.request('media', { requestingUrl: app, mediaTypes: ['audio', 'video'] }), 'camera and microphone').toBe(false);
    expect(s.request('media', { requestingUrl: app, mediaTypes: [] }), 'no types').toBe(false);
    expect(s.request('media', { requestingUrl: app }), 'types missing').toBe(false);
    expect(s.request('media', { requestingUrl: 'https://example.com/', mediaTypes: ['audio'] }), 'foreign origin').toBe(false);
    expect(s.request('media', { requestingUrl: 'app://evil/', mediaTypes: ['audio'] }), 'other app host').toBe(false);
    expect(s.request('media', { requestingUrl: app, isMainFrame: false, mediaTypes: ['audio'] }), 'subframe').toBe(false);
  });

  test('permission checks answer the same way', () => {
    expect(s.check('media', 'app://archive', { mediaType: 'audio' })).toBe(true);
    expect(s.check('media', 'app://archive', { mediaType: 'audio', securityOrigin: 'app://archive/' })).toBe(true);
    expect(s.check('media', 'app://archive', { mediaType: 'video' })).toBe(false);
    expect(s.check('media', 'app://archive', { mediaType: 'unknown' })).toBe(false);
    expect(s.check('media', 'app://archive', { mediaType: 'audio', securityOrigin: 'https://example.com' })).toBe(false);
    expect(s.check('media', 'https://example.com', { mediaType: 'audio' })).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb']) {
      expect(s.check(permission, 'app://archive'), permission).toBe(false);
    }
  });

  test('device pickers, downloads and the network spellchecker are off', () => {
    expect(s.h.device()).toBe(false);
    expect(s.spellChecker).toHaveBeenCalledWith(false);
    const download = { preventDefault: vi.fn() };
    s.session.emit('will-download', download, {}, {});
    expect(download.preventDefault).toHaveBeenCalled();
  });
});

describe('hardenSession: network', () => {
  test('cancels every request that is not app://archive, DevTools or in-memory data', () => {
    const s = hardenedSession();
    for (const url of [
      'https://example.com/',
      'http://example.com/tracker.gif',
      'http://127.0.0.1:8080/',
      'http://localhost:5173/',
      'ws://example.com/socket',
      'wss://example.com/socket',
      'ftp://example.com/file',
      'file:///etc/passwd',
      'chrome-extension://abc/page.html',
      'app://evil/index.html',
      'app://archive.evil/index.html',
      'not a url',
    ]) {
      expect(s.cancelled(url), url).toBe(true);
    }
    // Chromium's own PDF viewer, bundled in Electron, and no other extension.
    expect(s.cancelled('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai.evil/index.html')).toBe(true);
    for (const url of ['app://archive/index.html', 'app://archive/assets/index-abc.js', 'devtools://devtools/bundled/inspector.html', 'data:image/png;base64,AAAA', 'blob:app://archive/1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html']) {
      expect(s.cancelled(url), url).toBe(false);
    }
  });

  test('in development, also lets through the dev server and its HMR socket, and nothing near them', () => {
    const s = hardenedSession({ devServerUrl: 'http://localhost:5173/' });
    expect(s.cancelled('http://localhost:5173/src/main.tsx')).toBe(false);
    expect(s.cancelled('ws://localhost:5173/')).toBe(false);
    expect(s.cancelled('http://localhost:51730/')).toBe(true);
    expect(s.cancelled('http://localhost:5173.evil.com/')).toBe(true);
    expect(s.cancelled('https://example.com/')).toBe(true);
  });

  test('lets app-media:// through only as media, images or a PDF frame of the app page', () => {
    const media = 'app-media://1b4e28ba-2fa1-41d2-883f-0016d3cca427';
    const s = hardenedSession();
    expect(s.cancelled(media, { initiatorOrigin: 'app://archive', resourceType: 'media' })).toBe(false);
    expect(s.cancelled(media, { initiatorOrigin: 'app://archive', resourceType: 'image' })).toBe(false);
    expect(s.cancelled(media, { initiatorOrigin: 'app://archive', resourceType: 'subFrame' })).toBe(false);
    for (const resourceType of ['mainFrame', 'xhr', 'script', 'stylesheet', 'object', 'other']) {
      expect(s.cancelled(media, { initiatorOrigin: 'app://archive', resourceType }), resourceType).toBe(true);
    }
    for (const initiatorOrigin of ['https://example.com', 'app://evil', 'null', 'app-media://1b4e28ba-2fa1-41d2-883f-0016d3cca427', 'http://localhost:5173']) {
      expect(s.cancelled(media, { initiatorOrigin, resourceType: 'media' }), initiatorOrigin).toBe(true);
    }
    expect(s.cancelled(media, { initiatorOrigin: 'https://example.com', resourceType: 'subFrame' }), 'a frame of another page').toBe(true);
    expect(s.cancelled(media, { resourceType: 'media' }), 'no initiator').toBe(true);
    expect(s.cancelled(media, { initiatorOrigin: 'app://archive' }), 'no resource type').toBe(true);
    expect(s.cancelled(media), 'nothing known').toBe(true);
    const dev = hardenedSession({ devServerUrl: 'http://localhost:5173/' });
    expect(dev.cancelled(media, { initiatorOrigin: 'http://localhost:5173', resourceType: 'media' }), 'dev server page').toBe(false);
  });

  test('puts the CSP on responses, replacing any other and keeping the rest', () => {
    const s = hardenedSession();
    expect(s.headers('app://archive/index.html')).toEqual({ responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy] } });
    expect(
      s.headers('app://archive/index.html', { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] }),
    ).toEqual({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy] } });
    // A decrypted attachment may be framed by the app's page only (a PDF), and carries no page policy that would stop its viewer.
    expect(s.headers('app-media://1b4e28ba-2fa1-41d2-883f-0016d3cca427', { 'Content-Type': ['application/pdf'] })).toEqual({
      responseHeaders: { 'Content-Type': ['application/pdf'], 'Content-Security-Policy': ["frame-ancestors app://archive"] },
    });
    // DevTools' own pages keep their own policy.
    expect(s.headers('devtools://devtools/bundled/inspector.html')).toEqual({});
  });

  test('the dev server gets the development CSP', () => {
    const s = hardenedSession({ devServerUrl: 'http://localhost:5173' });
    expect(s.headers('http://localhost:5173/')).toEqual({
      responseHeaders: { 'Content-Security-Policy': [devContentSecurityPolicy('http://localhost:5173')] },
    });
  });
});

describe('Content Security Policy', () => {
  test('is the strict policy of DESIGN.md section 7', () => {
    expect(contentSecurityPolicy).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: app-media:; media-src 'self' blob: app-media:; frame-src 'self' app-media:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(contentSecurityPolicy).not.toMatch(/unsafe-|\*/);
  });

  test('is relaxed in development only for what Vite needs: inline script/style and the HMR socket', () => {
    const dev = devContentSecurityPolicy('http://localhost:5173');
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("style-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).not.toContain('unsafe-eval');
    expect(dev).toContain("default-src 'none'");
  });
});
