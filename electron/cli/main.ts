// The `archive` command (DESIGN.md section 8): archive and submission commands. Plain Node, electron/core only.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createArchiveCore, type ArchiveCore } from '../core/archive-core';
import { ArchiveError, isArchiveError } from '../core/errors';
import { readKeyring } from '../core/vault/keyring';
import { archivePaths } from '../core/vault/vault';
import type { Role } from '../../shared/domain/roles';
import type { ErrorCode } from '../../shared/errors';
import { checkArchive } from '../core/maintenance/archive-check';
import { runInfo } from '../core/maintenance/report';
import { importIntoArchive, maxImportBytes, parseRecordsFile, type RecordsFileContent } from '../core/records/import-service';
import { createSearchService, type SearchItem, type SearchService } from '../core/search/search-service';
import { parseRecipient } from '../core/submissions/age/age';
import type { BundleReport } from '../../shared/submissions/bundle';
import { failedNames, formatCheckReport } from './check-text';
import { CliUsageError, formatReport, parseFilters, runDecrypt, runExport, runKeygen, runPubkey, runVerify } from './bundle-commands';
import { runBackup, runRestore } from './backup-commands';
import { promptHidden, readLineFromStdin } from './passphrase-input';

export const exitCodes = { ok: 0, checkFailed: 1, usage: 2, cannotUnlock: 3, damaged: 4 } as const;

const usage = `Usage:
  archive init <dir> --user <username> --name <display name> [--training] [--json]   (--training: a training archive with fictional demo records)
  archive info <dir> --user <username> [--json]
  archive check <dir> --user <username> [--json]   (database, keyring, audit log, attachment hashes; exit 1 when a check fails)
  archive search <dir> --user <username> <query> [--json]   (prints "<kind> <id>" per matching record)
  archive import <dir> --user <username> <records.json> [--json]   (all records or none)
  archive pubkey <dir> --user <username> -o <archive.pub>   (the archive's signing key, minisign format)
  archive keygen -o <identity file>   (a new age identity; its public key age1... on stdout)
  archive export <dir> --user <username> --to <age1...> [--to ...] [--filter key=value ...] [--date YYYY-MM-DD] [--confirm-restricted] -o <bundle dir>
      filters: kind=testimony|session, act=<act type>, period=<EDTF>, place=<place id>, group=<affected group>,
               status=<testimony or session status>; repeat a key for several values
  archive verify <bundle dir> --pubkey <archive.pub> [-i <identity file>] [--seen <file>]   (exit 1 when a check fails)
  archive decrypt <bundle dir> -i <identity file> -o <dir> [--pubkey <archive.pub>]
  archive backup <dir> --user <username> -o <backup folder>   (director; an encrypted backup into a new folder inside it)
  archive restore <backup dir> -o <new dir> [--user <username>] [--pubkey <archive.pub>]
      (without --user: files and signature only; with --user: also opened and checked against the manifest)
The passphrase is read from standard input (one line), or prompted for on a terminal.`;

const UsageError = CliUsageError;

/** The flags each command takes (--json: every command). */
const commandFlags: Record<string, string[]> = {
  init: ['user', 'name', 'training'],
  info: ['user'],
  check: ['user'],
  search: ['user'],
  import: ['user'],
  pubkey: ['user', 'output'],
  export: ['user', 'output', 'to', 'filter', 'date', 'confirm-restricted'],
  keygen: ['output'],
  verify: ['pubkey', 'identity', 'seen'],
  decrypt: ['identity', 'output', 'pubkey'],
  backup: ['user', 'output'],
  restore: ['user', 'output', 'pubkey'],
};

type Values = { output?: string | undefined; pubkey?: string | undefined; identity?: string | undefined; seen?: string | undefined };

/** keygen, verify and decrypt: no archive, no passphrase. */
async function bundleCommand(command: 'keygen' | 'verify' | 'decrypt', values: Values, positionals: string[], out: (s: string) => void, json: boolean): Promise<number> {
  if (command === 'keygen') {
    if (positionals.length > 0) throw new UsageError('keygen takes no folder, only -o <identity file>.');
    if (!values.output) throw new UsageError('-o <identity file> is required.');
    const r = runKeygen(values.output);
    out(json ? JSON.stringify(r) : r.recipient);
    return exitCodes.ok;
  }
  const [bundle, ...extra] = positionals;
  if (bundle === undefined || extra.length > 0) throw new UsageError('Give exactly one bundle folder.');
  if (command === 'verify') {
    if (!values.pubkey) throw new UsageError('--pubkey <archive.pub> is required: the key you pinned, not the copy in the bundle.');
    const report = await runVerify(bundle, { pubkey: values.pubkey, ...(values.identity ? { identity: values.identity } : {}), ...(values.seen ? { seen: values.seen } : {}) });
    return reportExit(report, out, json);
  }
  if (!values.identity || !values.output) throw new UsageError('decrypt needs -i <identity file> and -o <folder>.');
  const { report, pinned } = await runDecrypt(bundle, { identity: values.identity, output: values.output, ...(values.pubkey ? { pubkey: values.pubkey } : {}) });
  if (!json && !pinned) out("NOTE  signatures were checked against the bundle's own archive.pub, which proves nothing about its maker: give --pubkey with the key you pinned.");
  const code = reportExit(report, out, json, pinned);
  if (code === exitCodes.ok && !json) out(`Decrypted into ${resolve(values.output)}.`);
  return code;
}

/** 0 when verified; 4 when there is no readable bundle; 1 when a check failed. One line on stderr is the caller's. */
function reportExit(report: BundleReport, out: (s: string) => void, json: boolean, pinned = true): number {
  out(json ? JSON.stringify({ ...report, pinnedKey: pinned }) : formatReport(report));
  if (report.ok) return exitCodes.ok;
  const failed = report.checks.find((c) => c.status === 'fail');
  throw new BundleCheckFailed(failed?.code === 'BUNDLE_NOT_FOUND' ? exitCodes.damaged : exitCodes.checkFailed, `verification failed (${report.checks.filter((c) => c.status === 'fail').map((c) => c.name).join(', ')}).`);
}

/** A bundle that did not verify: the report was printed; main prints one line on stderr and exits with `exit`. */
class BundleCheckFailed extends Error {
  constructor(
    readonly exit: number,
    message: string,
  ) {
    super(message);
  }
}

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'AUTH_FAILED':
    case 'AUTH_LOCKED_OUT':
    case 'AUTH_REQUIRED':
    case 'AUTH_PASSPHRASE_CHANGE_REQUIRED':
      return exitCodes.cannotUnlock;
    case 'ARCHIVE_NOT_FOUND':
    case 'ARCHIVE_DAMAGED':
    case 'ARCHIVE_TOO_NEW':
    case 'ARCHIVE_KEY_REJECTED':
    case 'ARCHIVE_UNWRITABLE':
    case 'DISK_FULL':
    case 'ARCHIVE_BUSY':
    case 'BUNDLE_NOT_FOUND':
    case 'BUNDLE_MALFORMED':
    case 'ATTACHMENT_DAMAGED':
    case 'ATTACHMENT_UNREADABLE':
    case 'BACKUP_NOT_FOUND':
      return exitCodes.damaged;
    case 'BACKUP_TAMPERED':
    case 'RESTORE_CHECK_FAILED':
    case 'INTERNAL':
      return exitCodes.checkFailed;
    default:
      return exitCodes.usage;
  }
}

async function readPassphrase(confirm: boolean): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = await readLineFromStdin();
    if (line === null || line === '') throw new UsageError('No passphrase on standard input.');
    return line;
  }
  const first = await promptHidden('Passphrase: ');
  if (confirm) {
    const second = await promptHidden('Repeat passphrase: ');
    if (second !== first) throw new UsageError('The two passphrases are not the same.');
  }
  return first;
}

function resourcesDir(): string {
  // Both electron/cli/main.ts (tsx) and out/cli/archive.mjs (built) sit two folders below the root.
  return fileURLToPath(new URL('../../resources', import.meta.url));
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let json = false;
  let core: ArchiveCore | undefined;
  try {
    const [command, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        name: { type: 'string' },
        training: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        output: { type: 'string', short: 'o' },
        to: { type: 'string', multiple: true },
        filter: { type: 'string', multiple: true },
        date: { type: 'string' },
        'confirm-restricted': { type: 'boolean', default: false },
        pubkey: { type: 'string' },
        identity: { type: 'string', short: 'i' },
        seen: { type: 'string' },
      },
    });
    json = values.json;
    if (command === undefined || command === '--help' || command === 'help') {
      out(usage);
      return command === undefined ? exitCodes.usage : exitCodes.ok;
    }
    if (!(command in commandFlags)) throw new UsageError(`Unknown command "${command}".`);
    const allowedFlags = commandFlags[command] ?? [];
    for (const [flag, value] of Object.entries(values)) {
      const given = Array.isArray(value) ? value.length > 0 : Boolean(value);
      if (given && flag !== 'json' && !allowedFlags.includes(flag)) throw new UsageError(`--${flag} is not an option of ${command}.`);
    }
    if (command === 'keygen' || command === 'verify' || command === 'decrypt') return await bundleCommand(command, values, positionals, out, json);
    if (command === 'restore') {
      if (values.user !== undefined) core = await createArchiveCore({ resourcesDir: resourcesDir(), initialFolder: resolve(values.output ?? '.') });
      return await runRestore(core, { user: values.user, output: values.output, pubkey: values.pubkey }, positionals, { out, err, json, readPassphrase: () => readPassphrase(false) });
    }
    if ((command === 'pubkey' || command === 'export' || command === 'backup') && !values.output) throw new UsageError(`-o is required for ${command}.`);
    if (command === 'import' && positionals.length !== 2) throw new UsageError('Give the archive folder and the records.json file.');
    // search takes the folder and then the query, whose words may arrive as separate arguments.
    const [folder, ...queryWords] = positionals;
    const query = queryWords.join(' ');
    if (folder === undefined || (command !== 'search' && command !== 'import' && queryWords.length > 0)) throw new UsageError('Give exactly one archive folder.');
    if (command === 'search' && query.trim() === '') throw new UsageError('Give the text to search for after the archive folder.');
    if (!values.user) throw new UsageError('--user is required.');
    if (command === 'init' && !values.name) throw new UsageError('--name is required for init.');
    if (command !== 'init' && values.name !== undefined) throw new UsageError('--name is only for init.');
    if (command !== 'init' && values.training) throw new UsageError('--training is only for init.');
    const dir = resolve(folder);
    // Refuse a wrong folder before asking for a passphrase: no secret is typed for nothing.
    if (command === 'init') {
      const paths = archivePaths(dir);
      if (existsSync(paths.keyring) || existsSync(paths.database)) throw new ArchiveError('ARCHIVE_EXISTS', 'This folder already holds an archive.');
    } else readKeyring(archivePaths(dir).keyring);
    // The file to import is read and checked before the passphrase too.
    const importFile = command === 'import' ? readImportFile(resolve(query)) : null;
    const exportFilters = command === 'export' ? parseFilters(values.filter ?? []) : null;
    const exportDate = values.date ?? new Date().toISOString().slice(0, 10);
    if (command === 'export' && !/^\d{4}-\d{2}-\d{2}$/.test(exportDate)) throw new UsageError('--date is a day: YYYY-MM-DD.');
    if (command === 'export') for (const r of values.to ?? []) parseRecipient(r);
    const passphrase = await readPassphrase(command === 'init');
    core = await createArchiveCore({ resourcesDir: resourcesDir(), initialFolder: dir });

    if (command === 'init') {
      const info = await core.sessions.create({
        username: values.user,
        displayName: values.name ?? '',
        passphrase,
        passphraseConfirm: passphrase,
        training: values.training,
      });
      await core.sessions.lock('quit');
      const result = { folder: dir, username: info.username, role: info.role, training: values.training };
      const kind = values.training ? 'training archive (fictional demo records)' : 'archive';
      out(json ? JSON.stringify(result) : `Created ${kind} in ${dir} with director ${info.username}.`);
      return exitCodes.ok;
    }
    await core.sessions.signIn(values.user, passphrase);
    const session = core.sessions.require();
    // A one-time passphrase (which the director knows) opens nothing but its own change, here as in the app.
    if (session.archive.user.mustChangePassphrase) {
      throw new ArchiveError('AUTH_PASSPHRASE_CHANGE_REQUIRED', 'This account still has its one-time passphrase: sign in to the app and choose your own first.');
    }
    if (command === 'pubkey') {
      const r = runPubkey(dir, values.output ?? '');
      out(json ? JSON.stringify(r) : `Wrote the archive's public key ${r.keyId} to ${r.file}.`);
      return exitCodes.ok;
    }
    if (exportFilters) {
      const r = await runExport(core, { to: values.to ?? [], filters: exportFilters, date: exportDate, confirmRestricted: values['confirm-restricted'], output: values.output ?? '', progress: (line) => err(line) });
      out(json ? JSON.stringify(r) : `Wrote bundle ${r.bundleId} (sequence ${r.sequence}) to ${r.destination}: ${r.counts.records} record(s), ${r.counts.excluded} excluded, ${r.counts.attachments} attachment(s).`);
      return exitCodes.ok;
    }
    if (command === 'backup') {
      const r = await runBackup(core, values.output ?? '', (line) => err(line));
      out(json ? JSON.stringify(r) : `Wrote backup ${r.backupId} to ${r.folder}: ${r.files} file(s), ${r.bytes} bytes; ${r.attachmentsCopied} attachment(s) copied, ${r.attachmentsReused} unchanged and not copied again. Signed by key ${r.keyId}.`);
      return exitCodes.ok;
    }
    if (command === 'info') {
      const info = await runInfo(session.archive);
      out(json ? JSON.stringify(info) : formatInfo(info));
      return exitCodes.ok;
    }
    if (command === 'search') {
      const items = await searchAll(createSearchService({ db: session.archive.db.kysely }), session.archive.user.role, query);
      if (json) out(JSON.stringify({ query, count: items.length, items }));
      else if (items.length > 0) out(items.map((i) => `${i.kind} ${i.id}`).join('\n'));
      return exitCodes.ok;
    }
    if (importFile) {
      const result = await importIntoArchive({ archive: session.archive, sodium: core.sodium, now: Date.now, reference: core.reference }, importFile, session.records.actor);
      if (json) out(JSON.stringify(result));
      else if (result.rejected.length === 0) {
        const n = result.imported;
        out(`Imported ${n.persons} person(s), ${n.testimonies} testimony(ies) and ${n.sessions} session(s).`);
      }
      else out(result.rejected.map((r) => `${r.collection}[${r.index ?? '-'}]${r.ref ? ` ${r.ref}` : ''}: ${r.code} ${r.detail}`).join('\n'));
      if (result.rejected.length === 0) return exitCodes.ok;
      err(`archive: import rejected: ${result.rejected.length} record(s) refused, nothing imported.`);
      return exitCodes.checkFailed;
    }
    const report = await checkArchive({ archive: session.archive, attachments: session.records.attachments, actor: session.records.actor });
    out(json ? JSON.stringify(report) : formatCheckReport(report));
    if (report.ok) return exitCodes.ok;
    // DESIGN.md section 8: one clear line on stderr for every failure, a failed check included. A part that could
    // not be read at all is a damaged archive (4); a check that ran and failed is 1.
    const unreadable = report.checks.some((c) => c.detail === 'unreadable');
    err(`archive: check failed (${failedNames(report).join(', ')}).`);
    return unreadable ? exitCodes.damaged : exitCodes.checkFailed;
  } catch (e) {
    if (e instanceof BundleCheckFailed) {
      err(`archive: ${e.message}`);
      return e.exit;
    }
    const [code, message, exit] =
      e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
        ? ['USAGE', e.message, exitCodes.usage]
        : isArchiveError(e)
          ? [e.code, e.message, exitCodeFor(e.code)]
          : ['INTERNAL', 'Unexpected failure.', exitCodes.checkFailed];
    if (json) out(JSON.stringify({ ok: false, error: { code, message } }));
    err(`archive: ${message}${exit === exitCodes.usage && code === 'USAGE' ? ' (archive --help)' : ''}`);
    return exit;
  } finally {
    await core?.sessions.lock('quit');
  }
}

/** Every match, page by page (ids and kinds only: titles stay out of terminals and logs). */
/** Reads and parses records.json; an unreadable, oversize or malformed file is ARCHIVE_DAMAGED-class (exit 4). */
function readImportFile(path: string): RecordsFileContent {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ArchiveError('ARCHIVE_NOT_FOUND', 'The records file cannot be read.');
  }
  if (size > maxImportBytes) throw new ArchiveError('ARCHIVE_DAMAGED', 'The records file is too large.');
  try {
    return parseRecordsFile(readFileSync(path, 'utf8'));
  } catch (e) {
    throw isArchiveError(e) ? new ArchiveError('ARCHIVE_DAMAGED', e.message) : e;
  }
}

async function searchAll(search: SearchService, role: Role, query: string): Promise<Array<Pick<SearchItem, 'kind' | 'id'>>> {
  const items: Array<Pick<SearchItem, 'kind' | 'id'>> = [];
  let cursor: string | null = null;
  do {
    const page = await search.search({ query, limit: 200, cursor, snippets: false }, { role });
    items.push(...page.items.map(({ kind, id }) => ({ kind, id })));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

function formatInfo(info: Awaited<ReturnType<typeof runInfo>>): string {
  return [
    `Archive ${info.archiveId}`,
    `Schema version ${info.schemaVersion}`,
    ...Object.entries(info.counts).map(([k, v]) => `${k}: ${v}`),
    'Users:',
    ...info.users.map((u) => `  ${u.username}  ${u.role}${u.disabled ? '  (disabled)' : ''}  ${u.displayName}`),
  ].join('\n');
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  void main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`)).then((code) => {
    process.exitCode = code;
  });
}
