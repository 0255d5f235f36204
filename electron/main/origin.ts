// URL origins as main compares them: the app's own app://archive origin and the dev server's.

/** The scheme the renderer is served from (registered as privileged in app-protocol.ts). */
export const appScheme = 'app';
/** The one host of app://; every other host is refused by the protocol handler. */
export const appHost = 'archive';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * The origin of a URL as "scheme://host[:port]", or null when it has none or carries credentials.
 * Computed by hand because WHATWG `URL.origin` is the string "null" for non-special schemes like app:.
 *
 * @example originOf('app://archive/assets/a.js') === 'app://archive'
 */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.host === '' || u.username !== '' || u.password !== '') return null;
  return `${u.protocol}//${u.host}`;
}

/** True when the URL's origin is exactly one of the given origins (compared whole, never by prefix). */
export function hasOrigin(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
}

/**
 * The origin of the electron-vite dev server, when one is given (development only), else null.
 * `http://localhost:5173` and `http://localhost:5173/` both give `http://localhost:5173`.
 */
export function devServerOrigin(devServerUrl: string | undefined): string | null {
  if (devServerUrl === undefined || devServerUrl === '') return null;
  const origin = originOf(devServerUrl);
  return origin !== null && /^https?:\/\//.test(origin) ? origin : null;
}
