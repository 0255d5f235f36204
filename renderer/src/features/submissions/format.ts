// Small display helpers of the submissions area: dates in the UI language and the last part of a path.
export function whenText(iso: string, language: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The folder's own name: the destination is a full path main chose, the user needs only its last part. */
export function lastPathPart(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

/** Today in the local calendar as YYYY-MM-DD (toISOString would give the UTC day). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
