// The progress bar of a long job (checks, exports, backups, restores): an ARIA progressbar with its value in words.
export function ProgressBar({ label, now, max = 100, text, percent }: { label: string; now: number; max?: number; text: string; percent?: number }) {
  const width = percent ?? (max === 0 ? 0 : Math.round((now / max) * 100));
  return (
    <div role="progressbar" className="check-progress" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={now} aria-valuetext={text}>
      <div className="check-progress-bar" style={{ width: `${width}%` }} />
    </div>
  );
}
