// The CLI's submission commands: pubkey and export (signed in), keygen, verify and decrypt (no archive needed).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { testimonyStatuses } from '../../shared/records/schemas';
import { sessionStatuses } from '../../shared/records/session-schemas';
import type { BundleReport } from '../../shared/submissions/bundle';
import { submissionFiltersSchema, type SubmissionFilters } from '../../shared/submissions/schemas';
import type { ArchiveCore } from '../core/archive-core';
import { ArchiveError } from '../core/errors';
import { generateIdentity, identityFileText, parseIdentityFile, parseRecipient } from '../core/submissions/age/age';
import { archivePublicKeyText, exportBundle, type ExportResult } from '../core/submissions/bundle-writer';
import { verifyBundle, type SeenBundles } from '../core/submissions/bundle-verifier';
import { parsePublicKey, type MinisignPublicKey } from '../core/submissions/minisign';
import { archivePaths, readKeyring } from '../core/vault/keyring';

export class CliUsageError extends Error {}

const maxSmallFile = 64 * 1024;

function readSmallText(path: string, what: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ArchiveError('BUNDLE_NOT_FOUND', `The ${what} file cannot be read.`);
  }
  if (size > maxSmallFile) throw new ArchiveError('BUNDLE_MALFORMED', `The ${what} file is too large to be one.`);
  return readFileSync(path, 'utf8');
}

/** Writes a new file; an existing one is never overwritten (a key or a pinned key could be lost). */
function writeNewFile(path: string, text: string, mode: number): void {
  if (existsSync(path)) throw new CliUsageError(`${path} already exists; choose another file name.`);
  writeFileSync(path, text, { mode, flag: 'wx' });
}

/** `--filter key=value` (repeatable) into the app's filter shape; every key may repeat. */
export function parseFilters(specs: readonly string[]): SubmissionFilters {
  const f = { kinds: [] as string[], actTypes: [] as string[], period: null as string | null, placeIds: [] as string[], affectedGroups: [] as string[], testimonyStatuses: [] as string[], sessionStatuses: [] as string[] };
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new CliUsageError(`--filter ${spec}: write key=value.`);
    const key = spec.slice(0, eq);
    const value = spec.slice(eq + 1);
    switch (key) {
      case 'kind':
        f.kinds.push(value);
        break;
      case 'act':
        f.actTypes.push(value);
        break;
      case 'period':
        if (f.period !== null) throw new CliUsageError('--filter period= may be given once.');
        f.period = value;
        break;
      case 'place':
        f.placeIds.push(value);
        break;
      case 'group':
        f.affectedGroups.push(value);
        break;
      case 'status':
        if ((testimonyStatuses as readonly string[]).includes(value)) f.testimonyStatuses.push(value);
        if ((sessionStatuses as readonly string[]).includes(value)) f.sessionStatuses.push(value);
        if (!(testimonyStatuses as readonly string[]).includes(value) && !(sessionStatuses as readonly string[]).includes(value)) throw new CliUsageError(`--filter status=${value}: not a testimony or session status.`);
        break;
      default:
        throw new CliUsageError(`--filter ${key}=: unknown filter (kind, act, period, place, group, status).`);
    }
  }
  if (f.kinds.length === 0) f.kinds = ['testimony', 'session'];
  const parsed = submissionFiltersSchema.safeParse({ ...f, kinds: [...new Set(f.kinds)] });
  if (!parsed.success) throw new CliUsageError(`--filter: ${parsed.error.issues[0]?.message ?? 'invalid'} (at ${parsed.error.issues[0]?.path.join('.') ?? '?'}).`);
  return parsed.data;
}

export function runKeygen(output: string): { recipient: string; file: string } {
  const { identity, recipient } = generateIdentity();
  const file = resolve(output);
  writeNewFile(file, identityFileText(identity), 0o600);
  return { recipient, file };
}

export function runPubkey(folder: string, output: string): { keyId: string; file: string } {
  const keyring = readKeyring(archivePaths(folder).keyring);
  const text = archivePublicKeyText(keyring);
  const file = resolve(output);
  writeNewFile(file, text, 0o644);
  return { keyId: parsePublicKeyId(text), file };
}

const parsePublicKeyId = (text: string) => Buffer.from(parsePublicKey(text).keyId).reverse().toString('hex').toUpperCase();

/** Export from the command line: recipients by their age1 keys (registered on first use, audited like the app). */
export async function runExport(core: ArchiveCore, opts: { to: readonly string[]; filters: SubmissionFilters; date: string; confirmRestricted: boolean; output: string; progress: (line: string) => void }): Promise<ExportResult> {
  if (opts.to.length === 0) throw new CliUsageError('Give at least one recipient with --to age1...');
  for (const r of opts.to) parseRecipient(r);
  const session = core.sessions.require();
  const actor = session.records.actor;
  const registered = await core.submissions.listRecipients();
  const ids: string[] = [];
  for (const r of opts.to) {
    const found = registered.find((x) => x.recipient === r && !x.retired);
    ids.push(found ? found.id : (await core.submissions.addRecipient(actor, { label: `Recipient ${r.slice(0, 12)}… (command line)`, kind: 'other', recipient: r })).id);
  }
  let last = -1;
  return exportBundle(
    { db: session.archive.db.kysely, archive: session.archive, records: session.records, reference: core.reference, keyring: () => readKeyring(archivePaths(session.archive.folder).keyring), now: Date.now },
    actor,
    { filters: opts.filters, exportDate: opts.date, confirmRestricted: opts.confirmRestricted, recipientIds: ids, destination: opts.output },
    {
      onProgress: (p) => {
        const pct = p.totalBytes > 0 ? Math.floor((100 * p.doneBytes) / p.totalBytes) : 0;
        if (pct >= last + 10 || p.phase !== 'writing') {
          last = pct;
          opts.progress(`export: ${p.phase} ${pct}%`);
        }
      },
    },
  );
}

/** The sequence memory of the CLI: a small JSON file the auditor keeps (`--seen`), created on first use. */
export function seenFile(path: string): SeenBundles {
  type Entry = { keyId: string; sequence: number; bundleId: string; manifestSha256: string };
  const load = async (): Promise<Entry[]> => {
    if (!existsSync(path)) return [];
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as unknown;
      if (!Array.isArray(data)) throw new Error('not a list');
      return data.filter((e): e is Entry => typeof e === 'object' && e !== null && typeof (e as Entry).keyId === 'string' && Number.isSafeInteger((e as Entry).sequence));
    } catch {
      throw new ArchiveError('BUNDLE_MALFORMED', `The --seen file ${path} is not a list written by this command.`);
    }
  };
  return {
    lookup: async (keyId, sequence) => (await load()).find((e) => e.keyId === keyId && e.sequence === sequence) ?? null,
    highest: async (keyId) => {
      const seqs = (await load()).filter((e) => e.keyId === keyId).map((e) => e.sequence);
      return seqs.length ? Math.max(...seqs) : null;
    },
    remember: async (entry) => {
      const all = await load();
      all.push(entry);
      await writeFile(path, `${JSON.stringify(all, null, 1)}\n`, { mode: 0o644 });
    },
  };
}

export function pinnedFrom(path: string): MinisignPublicKey {
  return parsePublicKey(readSmallText(path, 'public key'));
}

export async function runVerify(bundle: string, opts: { pubkey: string; identity?: string; seen?: string }): Promise<BundleReport> {
  const identities = opts.identity ? parseIdentityFile(readSmallText(opts.identity, 'identity')) : undefined;
  const result = await verifyBundle(bundle, { pinnedKey: pinnedFrom(opts.pubkey), ...(identities ? { identities } : {}), ...(opts.seen ? { seen: seenFile(resolve(opts.seen)) } : {}) });
  return result.report;
}

/**
 * Decrypts into `output` (only when every check passes). Without --pubkey the signatures are checked against the
 * bundle's own archive.pub, which proves nothing about who made it: the report says so.
 */
export async function runDecrypt(bundle: string, opts: { identity: string; output: string; pubkey?: string }): Promise<{ report: BundleReport; pinned: boolean }> {
  const identities = parseIdentityFile(readSmallText(opts.identity, 'identity'));
  const pinned = opts.pubkey !== undefined;
  const key = pinnedFrom(opts.pubkey ?? join(resolve(bundle), 'archive.pub'));
  const result = await verifyBundle(bundle, { pinnedKey: key, identities, extractTo: opts.output });
  return { report: result.report, pinned };
}

export function formatReport(report: BundleReport): string {
  const mark = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' } as const;
  return [
    ...report.checks.map((c) => `${mark[c.status]}  ${c.name}: ${c.detail}`),
    report.ok ? `Bundle ${report.bundleId ?? '?'} (sequence ${report.sequence ?? '?'}) verified.` : 'The bundle did NOT verify.',
  ].join('\n');
}
