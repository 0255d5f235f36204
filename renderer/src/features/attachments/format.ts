// Plain formatting for the attachments panel: sizes, times as m:ss, and bytes as base64 for recording chunks.

/** A byte count as a short human-readable size in the UI language, e.g. "1.4 MB". */
export function humanSize(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(language, { maximumFractionDigits: digits })} ${units[unit] ?? 'B'}`;
}

/** Milliseconds as m:ss (h:mm:ss past an hour), the way oral-history indexes write time codes. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * Parses a time code typed by the user: "m:ss", "h:mm:ss" or plain seconds (decimals allowed); null when it is not one.
 * @example parseClock('1:05') // 65000
 */
export function parseClock(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(?::\d{1,2}){0,2}(?:\.\d+)?$/.test(trimmed)) return null;
  const parts = trimmed.split(':').map(Number);
  if (parts.slice(1).some((p) => p >= 60)) return null;
  const seconds = parts.reduce((acc, p) => acc * 60 + p, 0);
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
}

/** Bytes as base64, converted in slices so a large chunk never builds one huge argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

/** The first characters of a hash, enough to compare by eye with a printed custody record. */
export const shortHash = (sha256: string): string => sha256.slice(0, 12);
