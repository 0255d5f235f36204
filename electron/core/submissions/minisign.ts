// Minisign public keys and prehashed ("ED") signatures: signing and verifying submission files with the archive key.
// Format: https://jedisct1.github.io/minisign/ (signature = Ed25519 over BLAKE2b-512 of the file; the global signature
// covers that signature and the trusted comment). Interoperates with the minisign tool (0.10 and later).
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ArchiveError } from '../errors';

/** A public key as the verifier pins it: minisign's 8-byte key id (stored order) and the 32-byte Ed25519 key. */
export type MinisignPublicKey = { keyId: Uint8Array; publicKey: Uint8Array };

export type MinisignSignOptions = {
  /** Ed25519 secret key in libsodium's 64-byte layout (seed || public key), as the keyring stores it. */
  secretKey: Uint8Array;
  /** Defaults to keyIdOf(public key), so one archive key always carries the same id. */
  keyId?: Uint8Array;
  /** Signed: one line of printable text, shown by `minisign -V`. */
  trustedComment: string;
  /** Not signed; defaults to minisign's own wording. */
  untrustedComment?: string;
};

/** What a file may be given as: a path (read streaming) or a stream of its bytes. */
export type MinisignSource = string | AsyncIterable<Uint8Array>;

const KEY_ID_BYTES = 8;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
/** Limits of the reference tool (minisign.h, including its trailing NUL), so whatever we write it can read. */
const UNTRUSTED_COMMENT_MAX = 1023;
const TRUSTED_COMMENT_MAX = 8191;
const UNTRUSTED_PREFIX = 'untrusted comment: ';
const TRUSTED_PREFIX = 'trusted comment: ';
const ALG_LEGACY = 'Ed';
const ALG_PREHASHED = 'ED';
/** Signature files are a few hundred bytes; a bound keeps a planted giant file from costing the parser. */
const MAX_SIGNATURE_TEXT = 16 * 1024;

// DER wrappers that turn raw Ed25519 keys into node:crypto key objects (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const utf8 = new TextEncoder();

/** Key id of an archive key: the first 8 bytes of BLAKE2b-512 of the public key (deterministic, unlike minisign -G's random id). */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('blake2b512').update(publicKey).digest().subarray(0, KEY_ID_BYTES));
}

/** The key id as minisign prints it: the 8 stored bytes read as a little-endian integer, 16 upper-case hex digits. */
export function keyIdHex(keyId: Uint8Array): string {
  return Buffer.from(keyId).reverse().toString('hex').toUpperCase();
}

/** Standard base64 (RFC 4648 section 4) that decodes and re-encodes to itself: no lenient or alternative forms. */
function decodeBase64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? new Uint8Array(bytes) : null;
}
const encodeBase64 = (...parts: Uint8Array[]) => Buffer.concat(parts).toString('base64');

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: a comment must stay one visible line. */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

function checkComment(kind: 'trusted' | 'untrusted', text: string): void {
  const max = kind === 'trusted' ? TRUSTED_COMMENT_MAX : UNTRUSTED_COMMENT_MAX;
  if (hasControlCharacter(text)) throw new ArchiveError('INTERNAL', `The ${kind} comment must be one line without control characters.`);
  if (utf8.encode(text).length > max) throw new ArchiveError('INTERNAL', `The ${kind} comment is longer than ${max} bytes.`);
}

function checkKeyId(keyId: Uint8Array): void {
  if (keyId.length !== KEY_ID_BYTES) throw new ArchiveError('INTERNAL', `A minisign key id is ${KEY_ID_BYTES} bytes.`);
}

/** A public key file: untrusted comment line, then base64("Ed" || key id || public key). */
export function encodePublicKey(publicKey: Uint8Array, keyId: Uint8Array = keyIdOf(publicKey), untrustedComment?: string): string {
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new ArchiveError('INTERNAL', `An Ed25519 public key is ${PUBLIC_KEY_BYTES} bytes.`);
  checkKeyId(keyId);
  const comment = untrustedComment ?? `minisign public key ${keyIdHex(keyId)}`;
  checkComment('untrusted', comment);
  return `${UNTRUSTED_PREFIX}${comment}\n${encodeBase64(utf8.encode(ALG_LEGACY), keyId, publicKey)}\n`;
}

/** Splits text into lines as minisign reads them: LF separated, a CR before the LF dropped, one final newline optional. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function keyInvalid(detail: string): ArchiveError {
  return new ArchiveError('MINISIGN_KEY_INVALID', `The minisign public key is not valid: ${detail}.`);
}

/** The base64 line alone (as `minisign -P` takes it): "Ed" || key id || public key. */
export function parsePublicKeyBase64(line: string): MinisignPublicKey {
  const bytes = decodeBase64(line.trim());
  if (bytes === null) throw keyInvalid('the key line is not base64');
  if (bytes.length !== 2 + KEY_ID_BYTES + PUBLIC_KEY_BYTES) throw keyInvalid(`the key is ${bytes.length} bytes instead of ${2 + KEY_ID_BYTES + PUBLIC_KEY_BYTES}`);
  if (bytes[0] !== 0x45 || bytes[1] !== 0x64) throw keyInvalid('the algorithm is not Ed25519 ("Ed")');
  return { keyId: bytes.slice(2, 2 + KEY_ID_BYTES), publicKey: bytes.slice(2 + KEY_ID_BYTES) };
}

/** A public key file (two lines: untrusted comment, base64 key). */
export function parsePublicKey(text: string): MinisignPublicKey {
  if (text.length > MAX_SIGNATURE_TEXT) throw keyInvalid('the file is far too long');
  const lines = splitLines(text);
  if (lines.length !== 2) throw keyInvalid(`expected 2 lines (comment and key), found ${lines.length}`);
  const [comment = '', key = ''] = lines;
  if (!comment.startsWith(UNTRUSTED_PREFIX)) throw keyInvalid(`line 1 does not start with "${UNTRUSTED_PREFIX.trim()}"`);
  return parsePublicKeyBase64(key);
}

function privateKeyOf(secretKey: Uint8Array): { key: KeyObject; publicKey: Uint8Array } {
  if (secretKey.length !== 64) throw new ArchiveError('INTERNAL', 'The signing key must be a 64-byte Ed25519 secret key.');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, secretKey.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  const derived = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
  const publicKey = secretKey.slice(32);
  // The second half of a libsodium secret key is its public key; a mismatch means the stored key is damaged.
  if (!derived.equals(publicKey)) throw new ArchiveError('INTERNAL', 'The signing key is damaged: its two halves do not belong together.');
  return { key, publicKey };
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** BLAKE2b-512 of the file, streaming: memory stays one read buffer whatever the size. */
async function prehash(source: MinisignSource): Promise<Buffer> {
  const hash = createHash('blake2b512');
  const stream = typeof source === 'string' ? createReadStream(source) : source;
  for await (const chunk of stream) hash.update(chunk as Uint8Array);
  return hash.digest();
}

/**
 * Signs a file (prehashed, "ED") and returns the signature file's text, which `minisign -Vm <file> -p <key>` accepts.
 * @example const sig = await signFile('payload.age', { secretKey, trustedComment: 'bundle 7 of archive X' });
 */
export async function signFile(source: MinisignSource, opts: MinisignSignOptions): Promise<string> {
  return signDigest(await prehash(source), opts);
}

/**
 * The signature file's text for a BLAKE2b-512 digest the caller computed while writing the file (bundle export
 * hashes payload.age as it writes it, instead of reading it back).
 */
export function signDigest(digest: Uint8Array, opts: MinisignSignOptions): string {
  const { key, publicKey } = privateKeyOf(opts.secretKey);
  const keyId = opts.keyId ?? keyIdOf(publicKey);
  checkKeyId(keyId);
  checkComment('trusted', opts.trustedComment);
  const untrusted = opts.untrustedComment ?? 'signature from minisign secret key';
  checkComment('untrusted', untrusted);
  if (digest.length !== 64) throw new ArchiveError('INTERNAL', 'A prehashed minisign signature signs a 64-byte BLAKE2b-512 digest.');
  const signature = sign(null, digest, key);
  const globalSignature = sign(null, Buffer.concat([signature, utf8.encode(opts.trustedComment)]), key);
  return (
    `${UNTRUSTED_PREFIX}${untrusted}\n${encodeBase64(utf8.encode(ALG_PREHASHED), keyId, signature)}\n` +
    `${TRUSTED_PREFIX}${opts.trustedComment}\n${encodeBase64(globalSignature)}\n`
  );
}

type ParsedSignature = { keyId: Uint8Array; signature: Uint8Array; trustedComment: string; globalSignature: Uint8Array };

function malformed(detail: string): ArchiveError {
  return new ArchiveError('MINISIGN_SIGNATURE_MALFORMED', `The minisign signature is malformed: ${detail}.`);
}

function parseSignature(text: string): ParsedSignature {
  if (text.length > MAX_SIGNATURE_TEXT) throw malformed('the file is far too long');
  const lines = splitLines(text);
  if (lines.length !== 4) throw malformed(`expected 4 lines, found ${lines.length}`);
  const [untrusted = '', sigLine = '', trusted = '', globalLine = ''] = lines;
  if (!untrusted.startsWith(UNTRUSTED_PREFIX)) throw malformed(`line 1 does not start with "${UNTRUSTED_PREFIX.trim()}"`);
  if (utf8.encode(untrusted).length - UNTRUSTED_PREFIX.length > UNTRUSTED_COMMENT_MAX) throw malformed('the untrusted comment (line 1) is too long');
  const sig = decodeBase64(sigLine);
  if (sig === null) throw malformed('the signature (line 2) is not base64');
  if (sig.length !== 2 + KEY_ID_BYTES + SIGNATURE_BYTES) throw malformed(`the signature (line 2) is ${sig.length} bytes instead of ${2 + KEY_ID_BYTES + SIGNATURE_BYTES}`);
  const alg = String.fromCharCode(sig[0] ?? 0, sig[1] ?? 0);
  // Legacy signatures sign the whole file, not its hash: verifying them would hold the file in memory, and this app never
  // writes them. Refused like `minisign -V -H` refuses them.
  if (alg === ALG_LEGACY) throw malformed('it is a legacy (not prehashed) signature; only prehashed "ED" signatures are accepted');
  if (alg !== ALG_PREHASHED) throw malformed('the signature algorithm (line 2) is not "ED"');
  if (!trusted.startsWith(TRUSTED_PREFIX)) throw malformed(`line 3 does not start with "${TRUSTED_PREFIX.trim()}"`);
  const trustedComment = trusted.slice(TRUSTED_PREFIX.length);
  if (utf8.encode(trustedComment).length > TRUSTED_COMMENT_MAX) throw malformed('the trusted comment (line 3) is too long');
  const globalSignature = decodeBase64(globalLine);
  if (globalSignature === null) throw malformed('the global signature (line 4) is not base64');
  if (globalSignature.length !== SIGNATURE_BYTES) throw malformed(`the global signature (line 4) is ${globalSignature.length} bytes instead of ${SIGNATURE_BYTES}`);
  return { keyId: sig.slice(2, 2 + KEY_ID_BYTES), signature: sig.slice(2 + KEY_ID_BYTES), trustedComment, globalSignature };
}

/**
 * Verifies a prehashed minisign signature of a file against the pinned key. Returns the trusted comment and the
 * file's BLAKE2b-512 (the hash it signs), so a caller need not read the file twice.
 * Throws MINISIGN_SIGNATURE_MALFORMED (structure), MINISIGN_KEY_MISMATCH (signed by another key) or
 * MINISIGN_SIGNATURE_INVALID (the file or its signature was altered, or the trusted comment was).
 */
export async function verifyFile(source: MinisignSource, signatureText: string, pinned: MinisignPublicKey): Promise<{ trustedComment: string; keyId: Uint8Array; blake2b512: Buffer }> {
  const parsed = parseSignature(signatureText);
  if (pinned.publicKey.length !== PUBLIC_KEY_BYTES || pinned.keyId.length !== KEY_ID_BYTES) throw keyInvalid('the pinned key has the wrong length');
  if (!Buffer.from(parsed.keyId).equals(pinned.keyId)) {
    throw new ArchiveError('MINISIGN_KEY_MISMATCH', `The signature was made by key ${keyIdHex(parsed.keyId)}, not by the expected key ${keyIdHex(pinned.keyId)}.`);
  }
  const key = publicKeyObject(pinned.publicKey);
  // Same order as minisign: the file signature first, so a changed file is named as such, then the trusted comment.
  const digest = await prehash(source);
  if (!verify(null, digest, key, parsed.signature)) {
    throw new ArchiveError('MINISIGN_SIGNATURE_INVALID', 'The file signature does not match: the file or its signature was altered.');
  }
  if (!verify(null, Buffer.concat([parsed.signature, utf8.encode(parsed.trustedComment)]), key, parsed.globalSignature)) {
    throw new ArchiveError('MINISIGN_SIGNATURE_INVALID', 'The global signature does not match: the trusted comment or the global signature was altered.');
  }
  return { trustedComment: parsed.trustedComment, keyId: parsed.keyId, blake2b512: Buffer.from(digest) };
}
