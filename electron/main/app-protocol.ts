// The app:// protocol: serves the built renderer (out/renderer) to the window, never file://.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { appHost, appScheme } from './origin';
import { contentSecurityPolicy } from './security';

/**
 * Registration data for `protocol.registerSchemesAsPrivileged` (before app ready).
 * standard: relative URLs, an origin, and storage work as on https; secure: a secure context (needed
 * for getUserMedia); supportFetchAPI: module scripts load through fetch. Not bypassCSP: the policy
 * applies to app:// like to any site. No service workers, no CORS from other origins.
 */
export const appSchemePrivileges = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, bypassCSP: false, allowServiceWorkers: false, corsEnabled: false },
} as const;

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.webm': 'video/webm',
};

/** The Content-Type served for a file name; unknown extensions are opaque bytes (never sniffed). */
export function mimeTypeOf(fileName: string): string {
  return mimeTypes[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response, errors included. */
function baseHeaders(): Headers {
  return new Headers({
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
}

function refuse(status: 403 | 404 | 405): Response {
  const headers = baseHeaders();
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  const text = status === 403 ? 'Forbidden' : status === 404 ? 'Not found' : 'Method not allowed';
  return new Response(text, { status, headers });
}

/**
 * The path segments a URL path names inside the root, or null when it tries to leave it or is
 * otherwise odd: `..` or `.` (raw or percent-encoded), backslashes, NUL, drive letters, empty segments.
 */
export function safeSegments(pathname: string): string[] | null {
  // Checked before decoding too, so an encoded backslash or NUL cannot hide from the checks below.
  if (/%(5c|00)/i.test(pathname) || pathname.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\\\0:]/.test(decoded) || decoded.includes('//')) return null;
  const segments = decoded.slice(1).split('/');
  if (segments.length === 1 && segments[0] === '') return ['index.html'];
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  return segments;
}

/**
 * The handler for `protocol.handle('app', ...)`: serves files below rootDir (out/renderer) for
 * app://archive/ only, index.html for `/`, with its MIME type, the CSP and nosniff on every
 * response. Anything that would leave the root, including through a symlink, is a 404; other
 * hosts are a 403; methods other than GET/HEAD a 405.
 */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async function handle(request) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(404);
    }
    if (url.protocol !== `${appScheme}:` || url.host !== appHost || url.username !== '' || url.password !== '') return refuse(403);
    // Node's URL leaves the path of `app://archive` empty where Chromium's standard scheme gives '/'.
    const segments = safeSegments(url.pathname === '' ? '/' : url.pathname);
    if (segments === null) return refuse(404);

    let root: string;
    let file: string;
    try {
      // Real paths on both sides, so a symlink inside the root cannot point outside it.
      root = await realpath(rootDir);
      file = await realpath(join(root, ...segments));
    } catch {
      return refuse(404);
    }
    const rel = relative(root, file);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return refuse(404);

    try {
      if (!(await stat(file)).isFile()) return refuse(404);
      const body = await readFile(file);
      const headers = baseHeaders();
      headers.set('Content-Type', mimeTypeOf(file));
      headers.set('Content-Length', String(body.byteLength));
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    } catch {
      return refuse(404);
    }
  };
}
