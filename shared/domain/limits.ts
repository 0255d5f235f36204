// Size limits for user input, shared by the UI (maxLength) and the IPC schemas (the enforcement).
export const limits = {
  usernameMin: 3,
  usernameMax: 64,
  displayNameMax: 120,
  passphraseMin: 12,
  passphraseMax: 1024,
  idleMinutesMin: 1,
  idleMinutesMax: 240,
} as const;

/** Usernames: letters (any script), digits, dot, dash, underscore; compared after NFKC and lower-casing. */
export const usernamePattern = /^[\p{L}\p{N}._-]+$/u;

export function normaliseUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/** Length in Unicode code points: what a person counts, whatever the script or the UTF-16 encoding. */
export function codePointLength(s: string): number {
  return Array.from(s).length;
}
