// age X25519 keys: generation, Bech32 `age1...` recipients and `AGE-SECRET-KEY-1...` identities, identity files, fingerprints.
//
// Spec: https://github.com/C2SP/C2SP/blob/main/age.md#the-x25519-recipient-type. Bech32 (BIP173, not Bech32m)
// comes from the `bech32` package (bitcoinjs). As in age, identities must be all uppercase and recipients all
// lowercase; the checksum is over the lowercase form either way.
import { createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { bech32 } from 'bech32';
import { ArchiveError } from '../../errors';

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';
/** BIP173 caps strings at 90 characters; age lifts the cap. Ours are 62 and 74, so this only bounds hostile input. */
const BECH32_LIMIT = 1000;
/** An identity file is a few lines; a larger one is not an identity file. */
const MAX_IDENTITY_FILE = 64 * 1024;

// DER prefixes that wrap a raw 32-byte X25519 key for node:crypto (RFC 8410).
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

export type Identity = {
  /** The 32-byte secret scalar (before clamping, as age stores it). */
  readonly secret: Buffer;
  /** The matching 32-byte public key. */
  readonly publicKey: Buffer;
  /** Its `age1...` recipient string. */
  readonly recipient: string;
  /** For X25519 with node:crypto. */
  readonly privateKey: KeyObject;
};

const invalid = (message: string) => new ArchiveError('AGE_KEY_INVALID', message);

export function x25519PrivateKey(secret: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, secret]), format: 'der', type: 'pkcs8' });
}

export function x25519PublicKey(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, publicKey]), format: 'der', type: 'spki' });
}

export function rawPublicKey(privateKey: KeyObject): Buffer {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

export function rawPrivateKey(privateKey: KeyObject): Buffer {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return der.subarray(der.length - 32);
}

/** X25519(secret, public). OpenSSL refuses a low-order point (an all-zero result); both come back as undefined. */
export function x25519(privateKey: KeyObject, publicKey: Uint8Array): Buffer | undefined {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey: x25519PublicKey(publicKey) });
  } catch {
    return undefined;
  }
  return shared.every((b) => b === 0) ? undefined : shared;
}

export function encodeRecipient(publicKey: Uint8Array): string {
  return bech32.encode(RECIPIENT_HRP, bech32.toWords(publicKey), BECH32_LIMIT);
}

export function encodeIdentity(secret: Uint8Array): string {
  return bech32.encode(IDENTITY_HRP, bech32.toWords(secret), BECH32_LIMIT).toUpperCase();
}

function decodeBech32(text: string, hrp: string, what: string): Buffer {
  let words: number[];
  let prefix: string;
  try {
    ({ prefix, words } = bech32.decode(text, BECH32_LIMIT));
  } catch {
    throw invalid(`the ${what} is not valid Bech32 (mistyped or cut off)`);
  }
  if (prefix !== hrp) {
    // A recipient is public, so the prefix found helps; an identity's is not quoted (errors reach terminals and logs).
    throw invalid(hrp === IDENTITY_HRP ? `the ${what} does not have the prefix "${hrp}"` : `the ${what} has the prefix "${prefix}", expected "${hrp}"`);
  }
  let bytes: number[];
  try {
    bytes = bech32.fromWords(words);
  } catch {
    throw invalid(`the ${what} is not valid Bech32 (bad padding)`);
  }
  if (bytes.length !== 32) throw invalid(`the ${what} holds ${bytes.length} bytes, expected 32`);
  return Buffer.from(bytes);
}

/** The 32-byte public key of an `age1...` recipient; AGE_KEY_INVALID otherwise. */
export function parseRecipient(text: string): Buffer {
  const t = text.trim();
  if (t.startsWith('AGE-SECRET-KEY-')) throw invalid('this is a secret key (identity), not a recipient; give the age1... public key');
  if (!t.startsWith('age1')) throw invalid('a recipient starts with "age1"');
  if (t !== t.toLowerCase()) throw invalid('a recipient is written in lowercase');
  return decodeBech32(t, RECIPIENT_HRP, 'recipient');
}

/** One `AGE-SECRET-KEY-1...` identity; AGE_KEY_INVALID otherwise. The message never quotes the key. */
export function parseIdentity(text: string): Identity {
  const t = text.trim();
  if (!t.toUpperCase().startsWith('AGE-SECRET-KEY-1')) throw invalid('an identity starts with "AGE-SECRET-KEY-1"');
  if (t !== t.toUpperCase()) throw invalid('an identity is written in uppercase');
  return identityFromSecret(decodeBech32(t, IDENTITY_HRP, 'identity'));
}

export function identityFromSecret(secret: Uint8Array): Identity {
  if (secret.length !== 32) throw invalid(`an identity is 32 bytes, not ${secret.length}`);
  const privateKey = x25519PrivateKey(secret);
  const publicKey = rawPublicKey(privateKey);
  return { secret: Buffer.from(secret), publicKey, recipient: encodeRecipient(publicKey), privateKey };
}

/** A fresh identity and its recipient, as `age-keygen` makes them. */
export function generateIdentity(): { identity: string; recipient: string } {
  const { privateKey } = generateKeyPairSync('x25519');
  return { identity: encodeIdentity(rawPrivateKey(privateKey)), recipient: encodeRecipient(rawPublicKey(privateKey)) };
}

/** The text of an identity file in the layout `age-keygen` writes (created date, public key, secret key). */
export function identityFileText(identity: string, created: Date = new Date()): string {
  const id = parseIdentity(identity);
  const stamp = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `# created: ${stamp}\n# public key: ${id.recipient}\n${identity.trim()}\n`;
}

/**
 * The identities of an identity file as `age-keygen` writes it: `#` comment lines and blank lines are skipped,
 * every other line must be one identity (LF or CRLF endings). At least one identity is required.
 */
export function parseIdentityFile(text: string): Identity[] {
  if (text.length > MAX_IDENTITY_FILE) throw invalid(`the identity file is larger than ${MAX_IDENTITY_FILE / 1024} KiB; it is not an identity file`);
  const out: Identity[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    try {
      out.push(parseIdentity(line));
    } catch (e) {
      if (e instanceof ArchiveError) throw invalid(`identity file line ${i + 1}: ${e.message}`);
      throw e;
    }
  }
  if (out.length === 0) throw invalid('the identity file holds no identity (no AGE-SECRET-KEY-1... line)');
  return out;
}

/**
 * A short form of a recipient to read aloud or compare out of band: SHA-256 of the 32-byte public key, the
 * first 16 bytes as eight groups of four hex digits. Collisions would need 2^64 work, enough for a human check.
 */
export function recipientFingerprint(recipient: string): string {
  const hex = createHash('sha256').update(parseRecipient(recipient)).digest('hex').slice(0, 32);
  return (hex.match(/.{4}/g) ?? []).join(' ');
}
