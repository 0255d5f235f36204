// Signed checkpoints of the audit trail: entry count + head hash as a C2SP signed note, signed at every lock and
// export, and their verification against known keys and the log as it is now. Format: https://c2sp.org/signed-note
import type { Kysely } from 'kysely';
import sodium from 'libsodium-wrappers-sumo';
import { z } from 'zod';
import type { AuditVerify, checkpointProblems } from '../../../shared/ipc/contract';
import { inTransaction } from '../db/in-transaction';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError } from '../errors';
import type { Keyring } from '../vault/keyring';
import type { UnlockedArchive } from '../vault/vault';
import { auditHashBytes, type ChainReport } from './audit-chain';

export const checkpointReasons = ['lock', 'export', 'manual'] as const;
export type CheckpointReason = (typeof checkpointReasons)[number];
export type CheckpointProblem = (typeof checkpointProblems)[number];

/** Who signs: a C2SP key name and a 64-byte Ed25519 secret key (libsodium layout, seed || public key). */
export type CheckpointSigner = { name: string; secretKey: Uint8Array };
/** A key the verifier trusts: its name and 32-byte Ed25519 public key. */
export type CheckpointKey = { name: string; publicKey: Uint8Array };

export type SignedCheckpoint = { id: number; at: string; reason: CheckpointReason; count: number; head: Uint8Array; note: string };

/** Key name of the archive signing key; also the origin line of every checkpoint of the archive. */
export const archiveKeyName = (archiveId: string): string => `testimony-archive/${archiveId}`;
/** Key name of one user's own Ed25519 key (recorders and auditors sign their lock checkpoint with it). */
export const userKeyName = (archiveId: string, userId: string): string => `testimony-archive/${archiveId}/user/${userId}`;

/** Notes are a few hundred bytes; a bound keeps a planted giant row from costing the verifier anything. */
const maxNoteLength = 8192;
const maxSignatures = 100;
const ed25519Type = 0x01;
const utf8 = new TextEncoder();
const genesis = new Uint8Array(auditHashBytes);

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && sodium.memcmp(a, b);

/** Standard base64 (RFC 4648 section 4) that decodes and re-encodes to itself: no lenient or alternative forms. */
function decodeBase64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? new Uint8Array(bytes) : null;
}
const encodeBase64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');

/** The spec's syntax for names: non-empty, no Unicode space, no plus. */
const validKeyName = (name: string) => name.length > 0 && !/[\s+]/u.test(name);

/** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4] (signed-note, Ed25519 signatures). */
export function keyIdOf(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = utf8.encode(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = ed25519Type;
  input.set(publicKey, nameBytes.length + 2);
  return sodium.crypto_hash_sha256(input).slice(0, 4);
}

/** The note text of a checkpoint: origin, entry count, base64 head hash, one per line (c2sp.org/tlog-checkpoint's shape). */
export function checkpointBody(origin: string, count: number, head: Uint8Array): string {
  return `${origin}\n${count}\n${encodeBase64(head)}\n`;
}

/** Signs `text` (ending in a newline) and returns the whole signed note: text, blank line, one signature line. */
export function signNote(text: string, signer: CheckpointSigner): string {
  if (!validKeyName(signer.name)) throw new ArchiveError('INTERNAL', 'A key name must be non-empty, without spaces or plus signs.');
  if (signer.secretKey.length !== sodium.crypto_sign_SECRETKEYBYTES) throw new ArchiveError('INTERNAL', 'The signing key must be a 64-byte Ed25519 secret key.');
  const publicKey = sodium.crypto_sign_ed25519_sk_to_pk(signer.secretKey);
  const signature = sodium.crypto_sign_detached(utf8.encode(text), signer.secretKey);
  const blob = new Uint8Array(4 + signature.length);
  blob.set(keyIdOf(signer.name, publicKey));
  blob.set(signature, 4);
  return `${text}\n\u2014 ${signer.name} ${encodeBase64(blob)}\n`;
}

/** Any ASCII control character other than newline (the spec forbids them anywhere in a note). */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

export type NoteSignature = { name: string; keyId: Uint8Array; signature: Uint8Array };
export type ParsedNote = { text: string; signatures: NoteSignature[] };

/** Splits a signed note into its text and signature lines; null when it is not a well-formed note. */
export function parseSignedNote(note: string): ParsedNote | null {
  if (note.length === 0 || note.length > maxNoteLength || !note.endsWith('\n')) return null;
  // Valid UTF-8 (no lone surrogates) and no control characters other than newline.
  if (new TextDecoder().decode(utf8.encode(note)) !== note || hasControlCharacter(note)) return null;
  // The text is separated from the signatures by the last blank line; the text keeps its final newline.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > maxSignatures) return null;
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const name = m?.[1];
    const blob = m?.[2] === undefined ? null : decodeBase64(m[2]);
    if (name === undefined || !validKeyName(name) || !blob || blob.length < 5) return null;
    signatures.push({ name, keyId: blob.slice(0, 4), signature: blob.slice(4) });
  }
  return { text, signatures };
}

export type CheckpointBody = { origin: string; count: number; head: Uint8Array };

/** Reads the three lines of a checkpoint's text; null when any is missing, extra or malformed. */
export function parseCheckpointBody(text: string): CheckpointBody | null {
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 3) return null;
  const [origin = '', countText = '', headText = ''] = lines;
  const head = decodeBase64(headText);
  if (origin.length === 0 || !/^(0|[1-9][0-9]{0,14})$/.test(countText) || !head || head.length !== auditHashBytes) return null;
  return { origin, count: Number(countText), head };
}

/**
 * Checks a note's signatures against `keys`, as the spec says: a signature counts only when both its key name and
 * key ID match a known key; a known key's signature that fails rejects the note; no known signature rejects it too.
 */
export function checkNoteSignatures(note: ParsedNote, keys: readonly CheckpointKey[]): 'bad-signature' | 'unknown-key' | null {
  const message = utf8.encode(note.text);
  const known = keys.map((k) => {
    if (k.publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES) throw new ArchiveError('INTERNAL', 'A verification key must be a 32-byte Ed25519 public key.');
    return { ...k, keyId: keyIdOf(k.name, k.publicKey) };
  });
  let verified = false;
  for (const sig of note.signatures) {
    for (const k of known) {
      if (k.name !== sig.name || !equal(k.keyId, sig.keyId)) continue;
      const ok = sig.signature.length === sodium.crypto_sign_BYTES && sodium.crypto_sign_verify_detached(sig.signature, message, k.publicKey);
      if (!ok) return 'bad-signature';
      verified = true;
    }
  }
  return verified ? null : 'unknown-key';
}

const isoInstant = z.iso.datetime({ offset: true });

/**
 * Signs the log's current head (entry count + hash of the last entry) and stores the note. Reading the head and
 * storing the checkpoint happen in one transaction (or the caller's), so the note names a head that existed.
 *
 * @example await signCheckpoint(db, { archiveId, at: new Date().toISOString(), reason: 'export', signer: { name: archiveKeyName(archiveId), secretKey } });
 */
export async function signCheckpoint(
  db: Kysely<ArchiveSchema>,
  input: { archiveId: string; at: string; reason: CheckpointReason; signer: CheckpointSigner },
): Promise<SignedCheckpoint> {
  await sodium.ready;
  if (!checkpointReasons.includes(input.reason)) throw new ArchiveError('INTERNAL', 'A checkpoint reason is lock, export or manual.');
  if (!isoInstant.safeParse(input.at).success) throw new ArchiveError('INTERNAL', 'A checkpoint time must be an ISO 8601 instant.');
  return inTransaction(db, async (trx) => {
    const { count } = await trx.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const head = last ? new Uint8Array(last.hash) : genesis;
    const note = signNote(checkpointBody(archiveKeyName(input.archiveId), count, head), input.signer);
    const row = await trx
      .insertInto('audit_checkpoints')
      .values({ at: input.at, reason: input.reason, count, head, note })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, at: input.at, reason: input.reason, count, head, note };
  });
}

/**
 * Who signs the checkpoint when `archive`'s user locks: the archive signing key when they hold it (directors) and
 * it is the keyring's; otherwise their own key, when the keyring lists it. Null when neither matches the keyring
 * (a checkpoint no verifier would accept is not worth writing).
 */
export function lockCheckpointSigner(keyring: Keyring, archive: Pick<UnlockedArchive, 'archiveId' | 'user' | 'secrets'>): CheckpointSigner | null {
  const matches = (secretKey: Uint8Array, publicKeyB64: string) =>
    secretKey.length === sodium.crypto_sign_SECRETKEYBYTES && equal(sodium.crypto_sign_ed25519_sk_to_pk(secretKey), Buffer.from(publicKeyB64, 'base64'));
  const archiveKey = archive.secrets.archiveSigningSecretKey;
  if (archiveKey && matches(archiveKey, keyring.signing.publicKey)) return { name: archiveKeyName(archive.archiveId), secretKey: archiveKey };
  const entry = keyring.users.find((u) => u.id === archive.user.id);
  if (entry && matches(archive.secrets.signSecretKey, entry.signPublicKey)) return { name: userKeyName(archive.archiveId, archive.user.id), secretKey: archive.secrets.signSecretKey };
  return null;
}

/** The keys a verifier trusts for this archive: the archive signing key and every account's own key. */
export function checkpointKeys(keyring: Keyring): CheckpointKey[] {
  return [
    { name: archiveKeyName(keyring.archiveId), publicKey: new Uint8Array(Buffer.from(keyring.signing.publicKey, 'base64')) },
    ...keyring.users.map((u) => ({ name: userKeyName(keyring.archiveId, u.id), publicKey: new Uint8Array(Buffer.from(u.signPublicKey, 'base64')) })),
    // Keys replaced by a passphrase reset or dropped with a removed account still vouch for what they signed then.
    ...(keyring.retiredSignKeys ?? []).map((k) => ({ name: userKeyName(keyring.archiveId, k.userId), publicKey: new Uint8Array(Buffer.from(k.publicKey, 'base64')) })),
  ];
}

export type CheckpointsReport = AuditVerify['checkpoints'];

function problemMessage(problem: CheckpointProblem, id: number, count: number | null, entries: number): string {
  switch (problem) {
    case 'malformed':
      return `Checkpoint ${id} cannot be read: it is not a well-formed signed checkpoint of this archive.`;
    case 'unknown-key':
      return `Checkpoint ${id} is not signed by the archive key or by any account of this archive.`;
    case 'bad-signature':
      return `Checkpoint ${id} does not match its signature: it was altered or forged after signing.`;
    case 'count-beyond-log':
      return `Checkpoint ${id} covers ${count ?? 0} entries, but the log now holds only ${entries}: entries were removed after it was signed.`;
    case 'head-mismatch':
      return `The log up to entry ${count ?? 0} is not the one checkpoint ${id} signed: entries up to there were changed, removed or replaced.`;
  }
}

/**
 * Checks every stored checkpoint, oldest first: a well-formed note of this archive (`origin`, when given), signed by
 * a key in `keys`, whose count the log still reaches and whose head is the log's hash at that position. `chain` is
 * the log's own report (verifyAuditChain) from the same read transaction, so both see one state of the log.
 * `latest` is the newest checkpoint that holds.
 */
export async function verifyCheckpoints(db: Kysely<ArchiveSchema>, keys: readonly CheckpointKey[], chain: ChainReport, options: { origin?: string } = {}): Promise<CheckpointsReport> {
  await sodium.ready;
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('id', 'asc').execute();
  // The hash at each position in stored order: the position a checkpoint's count names.
  const hashes = (await db.selectFrom('audit_log').select('hash').orderBy('seq', 'asc').execute()).map((r) => new Uint8Array(r.hash));
  let valid = 0;
  let firstBad: CheckpointsReport['firstBad'] = null;
  let latest: CheckpointsReport['latest'] = null;
  for (const row of rows) {
    const parsed = parseSignedNote(row.note);
    const body = parsed ? parseCheckpointBody(parsed.text) : null;
    let problem: CheckpointProblem | null = null;
    // The columns repeat the note for listing; a row whose columns disagree with its note was edited.
    if (!parsed || !body || (options.origin !== undefined && body.origin !== options.origin) || body.count !== row.count || !equal(body.head, new Uint8Array(row.head))) {
      problem = 'malformed';
    } else {
      problem = checkNoteSignatures(parsed, keys);
      const signedHead = body.count === 0 ? genesis : hashes[body.count - 1];
      if (!problem && body.count > chain.entries) problem = 'count-beyond-log';
      if (!problem && (!signedHead || !equal(signedHead, body.head))) problem = 'head-mismatch';
    }
    if (problem) {
      firstBad ??= { id: row.id, count: body?.count ?? null, problem, message: problemMessage(problem, row.id, body?.count ?? null, chain.entries) };
    } else if (body) {
      valid++;
      latest = { id: row.id, count: body.count, at: row.at, reason: row.reason };
    }
  }
  return { total: rows.length, valid, firstBad, latest };
}
