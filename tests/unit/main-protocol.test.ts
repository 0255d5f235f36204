// The app:// handler serving a temp "out/renderer": files with their MIME types and the CSP, and every
// way out of the root (dot segments, encodings, backslashes, NUL, drive letters, symlinks) refused.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { appSchemePrivileges, createAppProtocolHandler, mimeTypeOf, safeSegments } from '../../electron/main/app-protocol';
import { contentSecurityPolicy } from '../../electron/main/security';
import { tempDir } from '../fixtures/archive';

const dir = tempDir('ta-protocol-');
const root = join(dir.path, 'renderer');
const secret = 'Dëshmia e Arbenit: SECRET OUTSIDE THE ROOT';
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Testimony Archive</title>');
writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log("app")');
writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{margin:0}');
writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
writeFileSync(join(root, 'assets', 'data.bin'), Buffer.from([1, 2, 3]));
writeFileSync(join(dir.path, 'secret.txt'), secret);
writeFileSync(join(dir.path, 'renderer-evil.txt'), secret);
symlinkSync(dir.path, join(root, 'link-out'));
symlinkSync(join(dir.path, 'secret.txt'), join(root, 'assets', 'secret-link.txt'));

afterAll(() => dir.cleanup());

const handle = createAppProtocolHandler(root);
const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// scheme registration', () => {
  test('is standard, secure and fetch-capable, and does not bypass the CSP', () => {
    expect(appSchemePrivileges).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, bypassCSP: false, allowServiceWorkers: false, corsEnabled: false },
    });
  });
});

describe('serving', () => {
  test('serves index.html for / and by name, with the CSP, nosniff and its MIME type', async () => {
    for (const url of ['app://archive/', 'app://archive', 'app://archive/index.html']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toContain('<title>Testimony Archive</title>');
    }
  });

  test('serves assets with their MIME types', async () => {
    const cases: Array<[string, string]> = [
      ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['assets/index-abc.css', 'text/css; charset=utf-8'],
      ['assets/font.woff2', 'font/woff2'],
      ['assets/data.bin', 'application/octet-stream'],
    ];
    for (const [path, mime] of cases) {
      const res = await get(`app://archive/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(mime);
      expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    }
    expect(await (await get('app://archive/assets/index-abc.js')).text()).toBe('console.log("app")');
  });

  test('answers HEAD without a body', async () => {
    const res = await get('app://archive/assets/index-abc.js', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('18');
    expect(await res.text()).toBe('');
  });

  test('refuses other methods, missing files and folders', async () => {
    expect((await get('app://archive/index.html', 'POST')).status).toBe(405);
    expect((await get('app://archive/missing.js')).status).toBe(404);
    expect((await get('app://archive/assets')).status).toBe(404);
    expect((await get('app://archive/assets/')).status).toBe(404);
  });

  test('refuses other hosts and ports with 403', async () => {
    for (const url of ['app://evil/index.html', 'app://archive.evil/index.html', 'app://archive:8080/index.html']) {
      const res = await get(url);
      expect(res.status, url).toBe(403);
      expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    }
  });
});

describe('path traversal', () => {
  const attempts = [
    'app://archive/../secret.txt',
    'app://archive/%2e%2e/secret.txt',
    'app://archive/%2E%2E/secret.txt',
    'app://archive/assets/%2e%2e/%2e%2e/secret.txt',
    'app://archive/..%2fsecret.txt',
    'app://archive/%2e%2e%2fsecret.txt',
    'app://archive/assets%2f..%2f..%2fsecret.txt',
    'app://archive/assets%5c..%5c..%5csecret.txt',
    'app://archive/assets\\..\\..\\secret.txt',
    'app://archive/..\\secret.txt',
    'app://archive//etc/passwd',
    `app://archive/${encodeURIComponent(join(dir.path, 'secret.txt'))}`,
    'app://archive/%2fetc%2fpasswd',
    'app://archive/C:/Windows/win.ini',
    'app://archive/C%3a%5cWindows%5cwin.ini',
    'app://archive/index.html%00.js',
    'app://archive/%00',
    'app://archive/%E0%A4%A',
    'app://archive/../renderer-evil.txt',
    'app://archive/link-out/secret.txt',
    'app://archive/assets/secret-link.txt',
  ];

  test.each(attempts)('%s is refused and leaks nothing', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await res.text()).not.toContain('SECRET');
  });

  test('safeSegments accepts plain paths only', () => {
    expect(safeSegments('/')).toEqual(['index.html']);
    expect(safeSegments('/assets/index-abc.js')).toEqual(['assets', 'index-abc.js']);
    expect(safeSegments('/assets/%C3%AB.png')).toEqual(['assets', 'ë.png']);
    for (const bad of ['/..', '/./x', '/a/../b', '/%2e%2e/x', '/a%2f..%2fb', '/a\\b', '/a%5cb', '/a%00', '//x', '/a//b', '/C:/x', 'x', '/%zz']) {
      expect(safeSegments(bad), bad).toBeNull();
    }
  });
});

test('mimeTypeOf knows the renderer build outputs and falls back to opaque bytes', () => {
  expect(mimeTypeOf('index.html')).toBe('text/html; charset=utf-8');
  expect(mimeTypeOf('a.MJS')).toBe('text/javascript; charset=utf-8');
  expect(mimeTypeOf('a.svg')).toBe('image/svg+xml');
  expect(mimeTypeOf('a.wasm')).toBe('application/wasm');
  expect(mimeTypeOf('README')).toBe('application/octet-stream');
});
