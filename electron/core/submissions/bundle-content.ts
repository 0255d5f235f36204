// The human-readable files of a submission payload: records.csv (spreadsheets) and summary.html (read and print).
// Both are derived from the already pseudonymised records.json content, so they can hold nothing it does not.
import type { AttachmentRecord, RecordsFileInput } from '../../../shared/records/records-file';
import type { ReferenceData } from '../reference/reference-data';

/** An attachment as records.json lists it (the bytes are in the payload under `path`). */
export type BundleAttachment = AttachmentRecord;

export type BundleSummaryInfo = { bundleId: string; sequence: number; createdAt: string; archiveId: string; keyId: string; recipients: Array<{ label: string; fingerprint: string }> };

type Labels = Pick<ReferenceData, 'labelOf' | 'gazetteer'>;

const placeName = (ref: Labels, id: string | null | undefined) => (id ? (ref.gazetteer.byId(id)?.names.sq ?? id) : '');
const actLabel = (ref: Labels, code: string) => ref.labelOf('actTypes', code, 'en') ?? code;

/**
 * One CSV field (RFC 4180). A field starting with = + - @ or a control character is prefixed with an apostrophe,
 * so a spreadsheet never runs a narrative as a formula (CSV injection).
 */
export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** records.csv: one row per record (testimonies, then sessions), with a header row; UTF-8 with a BOM for spreadsheets. */
export function recordsCsv(file: RecordsFileInput, identities: ReadonlyMap<string, string>, attachments: readonly BundleAttachment[], ref: Labels): string {
  const people = new Map(file.persons.map((p) => [p.ref, p]));
  const nameOf = (r: string) => {
    const p = people.get(r);
    return p ? (p.names.sq ?? p.names.srLatn ?? p.names.srCyrl ?? r) : r;
  };
  const attachmentCount = (recordRef: string) => attachments.filter((a) => a.recordRef === recordRef).length;
  const header = ['kind', 'ref', 'title', 'date', 'place', 'identity', 'deponent_or_participants', 'act_types', 'violations', 'attachments', 'sensitivity'];
  const rows: string[][] = [header];
  for (const t of file.testimonies) {
    rows.push([
      'testimony',
      t.ref,
      t.title,
      t.date ?? '',
      placeName(ref, t.placeId),
      identities.get(t.ref) ?? '',
      nameOf(t.deponentRef),
      [...new Set(t.violations.map((v) => actLabel(ref, v.actType)))].join('; '),
      String(t.violations.length),
      String(attachmentCount(t.ref)),
      t.sensitivity,
    ]);
  }
  for (const s of file.sessions ?? []) {
    rows.push([s.kind, s.ref, s.title, s.date, placeName(ref, s.placeId), identities.get(s.ref) ?? '', s.participants.map((p) => nameOf(p.personRef)).join('; '), '', '', String(attachmentCount(s.ref)), s.sensitivity]);
  }
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/**
 * summary.html: a self-contained page (no script, no external resource, a CSP that forbids both) listing every
 * record with its text, for reading and printing. Every value is escaped.
 */
export function summaryHtml(file: RecordsFileInput, identities: ReadonlyMap<string, string>, attachments: readonly BundleAttachment[], info: BundleSummaryInfo, ref: Labels): string {
  const e = (s: string | null | undefined) => escapeHtml(s ?? '');
  const people = new Map(file.persons.map((p) => [p.ref, p]));
  const nameOf = (r: string) => {
    const p = people.get(r);
    return e(p ? [p.names.sq, p.names.srLatn, p.names.srCyrl].filter((n, i, all) => n && all.indexOf(n) === i).join(' / ') : r);
  };
  const para = (text: string) => text.split(/\r?\n\s*\r?\n/).map((p) => `<p>${e(p).replaceAll('\n', '<br>')}</p>`).join('');
  const files = (recordRef: string) => {
    const own = attachments.filter((a) => a.recordRef === recordRef);
    if (own.length === 0) return '';
    return `<h4>Attachments</h4><ul>${own.map((a) => `<li><code>${e(a.path)}</code> — ${e(a.mediaType)}, ${a.bytes} bytes, SHA-256 <code>${e(a.sha256)}</code></li>`).join('')}</ul>`;
  };
  const testimonies = file.testimonies.map((t) => {
    const violations = t.violations.length
      ? `<h4>Violations</h4><ul>${t.violations.map((v) => `<li>${e(actLabel(ref, v.actType))} — ${nameOf(v.victimRef)}${v.date ? `, ${e(v.date)}` : ''}${v.placeId ? `, ${e(placeName(ref, v.placeId))}` : ''}${v.notes ? `<br>${e(v.notes)}` : ''}</li>`).join('')}</ul>`
      : '';
    return `<section><h3>${e(t.title)} <small>(${e(t.ref)}, ${e(identities.get(t.ref))})</small></h3>
<p>Deponent: ${nameOf(t.deponentRef)}. Date: ${e(t.date ?? 'unknown')}. Place: ${e(placeName(ref, t.placeId) || 'unknown')}.</p>
${para(t.narrative)}${violations}${files(t.ref)}</section>`;
  });
  const sessions = (file.sessions ?? []).map(
    (s) => `<section><h3>${e(s.title)} <small>(${e(s.ref)}, ${e(s.kind)}, ${e(identities.get(s.ref))})</small></h3>
<p>Date: ${e(s.date)}. Place: ${e(placeName(ref, s.placeId) || 'unknown')}. Participants: ${s.participants.map((p) => nameOf(p.personRef)).join(', ')}.</p>
<h4>Agenda</h4>${para(s.agenda)}<h4>Minutes</h4>${para(s.minutes)}<h4>Outcomes</h4>${para(s.outcomes)}${files(s.ref)}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Submission ${info.sequence} — ${e(info.bundleId)}</title>
<style>body{font-family:serif;max-width:48em;margin:2em auto;line-height:1.5}section{break-inside:avoid-page;border-top:1px solid #999;margin-top:1.5em}small{color:#555}code{font-size:.85em;word-break:break-all}</style>
</head><body>
<h1>Submission ${info.sequence}</h1>
<p>Bundle <code>${e(info.bundleId)}</code>, written ${e(info.createdAt)} by archive <code>${e(info.archiveId)}</code> (signing key ${e(info.keyId)}).</p>
<p>Encrypted to: ${info.recipients.map((r) => `${e(r.label)} (<code>${e(r.fingerprint)}</code>)`).join(', ')}.</p>
<p>${file.testimonies.length} testimonies, ${(file.sessions ?? []).length} dialogue sessions, ${attachments.length} attachments. Pseudonymised people appear under labels such as P-XXXXX, valid in this bundle only.</p>
<h2>Testimonies</h2>
${testimonies.join('\n') || '<p>None.</p>'}
<h2>Dialogue sessions</h2>
${sessions.join('\n') || '<p>None.</p>'}
</body></html>
`;
}
