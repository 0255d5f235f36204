// Which entry names a submission tar may hold: relative, normalized paths that are safe to create on Linux, macOS and Windows.

/** Long enough for `attachments/<uuid>.<ext>`; far below every file system's limit. */
export const MAX_TAR_NAME_BYTES = 255;

const WINDOWS_FORBIDDEN = new Set(['<', '>', ':', '"', '|', '?', '*']);
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Why a name is unsafe, in words for an error message; null when it is fine. */
export function tarNameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (Buffer.byteLength(name) > MAX_TAR_NAME_BYTES) return `the name is longer than ${MAX_TAR_NAME_BYTES} bytes`;
  if (name.startsWith('/')) return 'the name is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'the name starts with a drive letter';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return 'the name contains a control character';
    if (c === 0x5c) return 'the name contains a backslash';
    if (WINDOWS_FORBIDDEN.has(name[i] ?? '')) return `the name contains "${name[i] ?? ''}", which Windows does not allow`;
  }
  if (name.normalize('NFC') !== name) return 'the name is not in Unicode normal form C';
  for (const segment of name.split('/')) {
    if (segment === '') return 'the name has an empty path segment (a doubled or trailing slash)';
    if (segment === '.' || segment === '..') return `the name contains a "${segment}" path segment`;
    // Windows drops trailing dots and spaces and maps device names to devices: "a." and "nul.txt" are not what they seem.
    if (segment.endsWith('.') || segment.endsWith(' ')) return 'a path segment ends with a dot or a space';
    if (WINDOWS_DEVICES.test(segment.split('.')[0] ?? '')) return 'a path segment is a Windows device name';
  }
  return null;
}

/** The key two names collide under on a case-insensitive, normalizing file system (macOS, Windows). */
export const collisionKey = (name: string): string => name.normalize('NFC').toLowerCase();

/** A name quoted for a message: escaped, and cut short so a hostile name cannot flood a log. */
export function quoteName(name: string): string {
  const quoted = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  return quoted.replace(/[\u0080-\u009f\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
