// `archive check` in words: the report's check names and detail codes as English lines for the terminal.
import type { ArchiveCheck, ArchiveCheckDetail, ArchiveCheckName } from '../../shared/maintenance/archive-check';
import type { ArchiveCheckReport } from '../core/maintenance/archive-check';

const names: Readonly<Record<ArchiveCheckName, string>> = {
  'database-integrity': 'database integrity',
  'schema-version': 'schema version',
  keyring: 'keyring consistency',
  'archive-identity': 'archive identity',
  'audit-chain': 'audit chain',
  'audit-checkpoints': 'audit checkpoints',
  attachments: 'attachment hashes',
};

type Params = Record<string, number>;
const n = (p: Params, key: string) => p[key] ?? 0;

const details: Readonly<Record<ArchiveCheckDetail, (p: Params) => string>> = {
  'integrity-ok': () => 'ok',
  'integrity-problems': (p) => `${n(p, 'count')} problem(s) found by PRAGMA integrity_check`,
  'schema-current': (p) => `${n(p, 'version')} (this app: ${n(p, 'expected')})`,
  'schema-different': (p) => `${n(p, 'version')}, but this app expects ${n(p, 'expected')}`,
  'keyring-match': (p) => `${n(p, 'users')} user(s) match the database`,
  'keyring-mismatch': (p) => `${n(p, 'mismatched')} keyring entr(ies) without a matching user, ${n(p, 'missing')} user(s) without keys`,
  'keyring-other-archive': () => 'the keyring belongs to another archive',
  'keyring-not-committed': () => "the keyring is not the one the database's last committed change wrote",
  'identity-same': () => 'database and keyring name the same archive',
  'identity-different': () => 'database and keyring name different archives',
  'chain-intact': (p) => `${n(p, 'entries')} entries, unbroken`,
  'chain-empty': () => 'the log is empty',
  'chain-edited': (p) => `entry ${n(p, 'position')} was changed after it was written`,
  'chain-missing': (p) => `the log breaks at entry ${n(p, 'position')}: entries are missing or out of order`,
  'chain-broken-link': (p) => `entry ${n(p, 'position')} does not link to entry ${n(p, 'position') - 1}`,
  'chain-entry-unreadable': (p) => `entry ${n(p, 'position')} cannot be read`,
  'checkpoints-valid': (p) => `${n(p, 'valid')} of ${n(p, 'total')} signed checkpoints valid`,
  'checkpoints-none': () => 'no signed checkpoints yet',
  'checkpoint-bad-signature': (p) => `checkpoint ${n(p, 'checkpoint')} is not signed by the archive key`,
  'checkpoint-unknown-key': (p) => `checkpoint ${n(p, 'checkpoint')} is signed by a key this archive does not know`,
  'checkpoint-malformed': (p) => `checkpoint ${n(p, 'checkpoint')} is malformed`,
  'checkpoint-count-beyond-log': (p) => `checkpoint ${n(p, 'checkpoint')} covers ${n(p, 'count')} entries, but the log now holds only ${n(p, 'entries')}: entries were removed after it was signed`,
  'checkpoint-head-mismatch': (p) => `the log no longer matches checkpoint ${n(p, 'checkpoint')}: entries it covers were changed`,
  'attachments-sound': (p) => `${n(p, 'checked')} of ${n(p, 'total')} checked, none damaged`,
  'attachments-damaged': (p) => `${n(p, 'damaged')} of ${n(p, 'checked')} checked are damaged`,
  unreadable: () => 'could not be read',
};

function skippedText(p: Params): string {
  const parts = [
    n(p, 'skippedNoKey') > 0 ? `${n(p, 'skippedNoKey')} of a restricted record you hold no key for` : '',
    n(p, 'skippedNotShared') > 0 ? `${n(p, 'skippedNotShared')} of a record not shared with you` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `; skipped ${parts.join(', ')}` : '';
}

/** One line per check ("PASS  name: detail"), each damaged attachment on a line of its own under its check. */
export function formatCheck(c: ArchiveCheck): string {
  const head = `${c.ok ? 'PASS' : 'FAIL'}  ${names[c.name]}: ${details[c.detail](c.params)}${c.name === 'attachments' ? skippedText(c.params) : ''}`;
  return [head, ...c.damaged.map((d) => `      damaged attachment ${d.id} (${d.reason})`)].join('\n');
}

export function formatCheckReport(report: ArchiveCheckReport): string {
  return report.checks.map(formatCheck).join('\n');
}

/** The names of the checks that failed, for the one stderr line. */
export const failedNames = (report: ArchiveCheckReport) => report.checks.filter((c) => !c.ok).map((c) => names[c.name]);
