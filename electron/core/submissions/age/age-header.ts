// The age v1 header: strict parsing and encoding of stanzas and MAC, and the X25519 stanza's wrap and unwrap.
//
// Spec: https://github.com/C2SP/C2SP/blob/main/age.md#header. The header is hostile input: every line is
// checked against the ABNF (LF only, VCHAR arguments, canonical unpadded base64 wrapped at 64 columns, the body
// ending in a line shorter than 64), with limits on size and stanza count, and errors name the line.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual, generateKeyPairSync } from 'node:crypto';
import { ArchiveError } from '../../errors';
import { decodeRawBase64, encodeRawBase64 } from './age-bytes';
import { rawPublicKey, x25519, type Identity } from './age-keys';

export const VERSION_LINE = 'age-encryption.org/v1';
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_STANZAS = 1000;
export const FILE_KEY_SIZE = 16;
const COLUMNS = 64;
const X25519_INFO = 'age-encryption.org/v1/X25519';

export type Stanza = { readonly type: string; readonly args: readonly string[]; readonly body: Buffer };

export type Header = {
  readonly stanzas: readonly Stanza[];
  readonly mac: Buffer;
  /** The header bytes the MAC covers: up to and including the final "---". */
  readonly macInput: Buffer;
  /** The header's length in bytes, final LF included: the payload starts here. */
  readonly length: number;
};

const malformed = (message: string) => new ArchiveError('AGE_HEADER_MALFORMED', message);

function isVchars(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** HMAC-SHA-256 keyed with HKDF(file key, salt empty, info "header"). */
export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Buffer {
  const key = Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), 'header', 32));
  return createHmac('sha256', key).update(macInput).digest();
}

function stanzaText(s: Stanza): string {
  for (const a of [s.type, ...s.args]) if (!isVchars(a)) throw malformed('a stanza argument must be printable ASCII without spaces');
  const b64 = encodeRawBase64(s.body);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += COLUMNS) lines.push(b64.slice(i, i + COLUMNS));
  // The body ends with a line shorter than 64 columns, so a body filling its last line gets an empty one.
  if (b64.length % COLUMNS === 0) lines.push('');
  return `-> ${[s.type, ...s.args].join(' ')}\n${lines.join('\n')}\n`;
}

/** The full header for these stanzas, MAC'd with the file key. */
export function encodeHeader(stanzas: readonly Stanza[], fileKey: Uint8Array): Buffer {
  if (stanzas.length === 0) throw malformed('a header needs at least one recipient stanza');
  const macInput = Buffer.from(`${VERSION_LINE}\n${stanzas.map(stanzaText).join('')}---`, 'latin1');
  return Buffer.concat([macInput, Buffer.from(` ${encodeRawBase64(headerMac(fileKey, macInput))}\n`, 'latin1')]);
}

/**
 * Where the header ends in `bytes` (the index after the LF of its "---" line), or undefined when that line is
 * not there yet. Stanza lines start with "->" or a base64 character, so the first line starting with "---" is
 * the MAC line.
 */
export function findHeaderEnd(bytes: Buffer): number | undefined {
  const mark = bytes.indexOf('\n---');
  if (mark < 0) return undefined;
  const lf = bytes.indexOf(0x0a, mark + 4);
  return lf < 0 ? undefined : lf + 1;
}

/**
 * Parses a complete header from the start of `bytes` (payload bytes may follow). Throws AGE_HEADER_MALFORMED
 * naming the line and the fault; a header cut short is reported as such.
 */
export function parseHeader(bytes: Buffer): Header {
  if (bytes.length === 0) throw malformed('the file is empty');
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | undefined => {
    if (pos >= bytes.length) return undefined;
    const lf = bytes.indexOf(0x0a, pos);
    if (lf < 0) throw malformed(bytes.length > MAX_HEADER_BYTES ? `the header is longer than ${MAX_HEADER_BYTES / 1024} KiB` : `the file ends inside header line ${lineNo + 1}`);
    if (lf + 1 > MAX_HEADER_BYTES) throw malformed(`the header is longer than ${MAX_HEADER_BYTES / 1024} KiB`);
    const line = bytes.toString('latin1', pos, lf);
    pos = lf + 1;
    lineNo++;
    return line;
  };

  const version = nextLine();
  if (version === undefined) throw malformed('the file ends inside the version line');
  if (version !== VERSION_LINE) {
    if (version.startsWith('age-encryption.org/')) throw malformed(`line 1: unsupported age version "${isVchars(version) ? version.slice(19, 40) : '?'}" (only v1 is supported)`);
    throw malformed('line 1: not an age file (no "age-encryption.org/v1" version line)');
  }

  const stanzas: Stanza[] = [];
  for (;;) {
    const start = pos;
    const line = nextLine();
    if (line === undefined) throw malformed(`the header ends after line ${lineNo} without its "---" MAC line`);
    if (line.startsWith('---')) {
      if (stanzas.length === 0) throw malformed(`line ${lineNo}: the header has no recipient stanza`);
      if (!line.startsWith('--- ')) throw malformed(`line ${lineNo}: the MAC line must be "--- " and the MAC`);
      const mac = decodeRawBase64(line.slice(4));
      if (mac === undefined) throw malformed(`line ${lineNo}: the header MAC is not canonical unpadded base64`);
      if (mac.length !== 32) throw malformed(`line ${lineNo}: the header MAC is ${mac.length} bytes, expected 32`);
      return { stanzas, mac, macInput: bytes.subarray(0, start + 3), length: pos };
    }
    if (!line.startsWith('-> ')) throw malformed(`line ${lineNo}: expected a "-> " stanza line or the "---" MAC line`);
    if (stanzas.length >= MAX_STANZAS) throw malformed(`the header has more than ${MAX_STANZAS} stanzas`);
    const args = line.slice(3).split(' ');
    for (const a of args) {
      if (!isVchars(a)) throw malformed(`line ${lineNo}: a stanza argument is empty or holds a character that is not printable ASCII`);
    }
    const argLine = lineNo;
    const b64: string[] = [];
    for (;;) {
      const body = nextLine();
      if (body === undefined) throw malformed(`the header ends inside the body of the stanza on line ${argLine}`);
      if (body.length > COLUMNS) throw malformed(`line ${lineNo}: a stanza body line is longer than ${COLUMNS} columns`);
      if (!/^[A-Za-z0-9+/]*$/.test(body)) throw malformed(`line ${lineNo}: the stanza body holds a character that is not base64 (or padding)`);
      b64.push(body);
      if (body.length < COLUMNS) break;
    }
    const decoded = decodeRawBase64(b64.join(''));
    if (decoded === undefined) throw malformed(`the body of the stanza on line ${argLine} is not canonical base64`);
    const [type, ...rest] = args;
    stanzas.push({ type: type ?? '', args: rest, body: decoded });
  }
}

/** A fresh random file key. */
export function newFileKey(): Buffer {
  return randomBytes(FILE_KEY_SIZE);
}

function wrapKey(shared: Buffer, ephemeralShare: Uint8Array, recipient: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralShare, recipient]), X25519_INFO, 32));
}

const ZERO_NONCE = Buffer.alloc(12);

/** The X25519 stanza that wraps `fileKey` to one recipient's 32-byte public key, with a new ephemeral key. */
export function wrapX25519(fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  const { privateKey } = generateKeyPairSync('x25519');
  const share = rawPublicKey(privateKey);
  const shared = x25519(privateKey, recipient);
  // A low-order recipient point yields no secret: such a "recipient" could never decrypt.
  if (shared === undefined) throw new ArchiveError('AGE_KEY_INVALID', 'the recipient key is not a usable X25519 public key');
  const cipher = createCipheriv('chacha20-poly1305', wrapKey(shared, share, recipient), ZERO_NONCE, { authTagLength: 16 });
  const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
  return { type: 'X25519', args: [encodeRawBase64(share)], body };
}

/**
 * The file key from an X25519 stanza if it was made for `identity`, else undefined. A malformed X25519 stanza
 * (argument count, share length, body length: checked before decrypting, as the spec asks against partitioning
 * oracles) or a low-order share is rejected with AGE_HEADER_MALFORMED.
 */
export function unwrapX25519(stanza: Stanza, identity: Identity, index: number): Buffer | undefined {
  if (stanza.args.length !== 1) throw malformed(`stanza ${index + 1} (X25519) has ${stanza.args.length} arguments, expected 1`);
  const share = decodeRawBase64(stanza.args[0] ?? '');
  if (share === undefined || share.length !== 32) throw malformed(`stanza ${index + 1} (X25519): the ephemeral share is not canonical base64 of 32 bytes`);
  if (stanza.body.length !== FILE_KEY_SIZE + 16) throw malformed(`stanza ${index + 1} (X25519): the body is ${stanza.body.length} bytes, expected 32`);
  const shared = x25519(identity.privateKey, share);
  if (shared === undefined) throw malformed(`stanza ${index + 1} (X25519): the ephemeral share is a low-order point`);
  const decipher = createDecipheriv('chacha20-poly1305', wrapKey(shared, share, identity.publicKey), ZERO_NONCE, { authTagLength: 16 });
  decipher.setAuthTag(stanza.body.subarray(FILE_KEY_SIZE));
  const key = decipher.update(stanza.body.subarray(0, FILE_KEY_SIZE));
  try {
    decipher.final();
  } catch {
    return undefined;
  }
  return key;
}

/**
 * The file key of a parsed header for one of `identities`, its MAC checked. Unknown stanza types are skipped;
 * an scrypt stanza must stand alone (spec), and we hold no passphrase, so it never matches.
 */
export function unlockHeader(header: Header, identities: readonly Identity[]): Buffer {
  const scrypt = header.stanzas.findIndex((s) => s.type === 'scrypt');
  if (scrypt >= 0 && header.stanzas.length > 1) throw malformed(`stanza ${scrypt + 1} is a passphrase (scrypt) stanza mixed with other stanzas, which age forbids`);
  let fileKey: Buffer | undefined;
  for (let i = 0; i < header.stanzas.length && fileKey === undefined; i++) {
    const s = header.stanzas[i];
    if (s === undefined || s.type !== 'X25519') continue;
    for (const id of identities) {
      fileKey = unwrapX25519(s, id, i);
      if (fileKey !== undefined) break;
    }
  }
  if (fileKey === undefined) {
    if (scrypt >= 0) throw new ArchiveError('AGE_NO_IDENTITY', 'the file is encrypted with a passphrase (scrypt), not to a key');
    throw new ArchiveError('AGE_NO_IDENTITY', `none of the ${identities.length} identities matches the ${header.stanzas.length} recipient stanzas of the file`);
  }
  if (!timingSafeEqual(headerMac(fileKey, header.macInput), header.mac)) throw malformed('the header MAC does not match: the header was altered');
  return fileKey;
}
