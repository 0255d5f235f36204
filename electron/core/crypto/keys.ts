// Key generation and the fixed binary layout of the secrets a user's passphrase wraps.
import { ArchiveError } from '../errors';
import { wipe, type Sodium } from './sodium';

export type UserSecrets = {
  masterKey: Uint8Array;
  boxSecretKey: Uint8Array;
  signSecretKey: Uint8Array;
  /** Only directors hold the archive signing key. */
  archiveSigningSecretKey: Uint8Array | null;
};

export type KeyPair = { publicKey: Uint8Array; privateKey: Uint8Array };

const layoutVersion = 1;
const base = 1 + 32 + 32 + 64;

export function newMasterKey(sodium: Sodium): Uint8Array {
  return sodium.randombytes_buf(32);
}
export function newBoxKeyPair(sodium: Sodium): KeyPair {
  const kp = sodium.crypto_box_keypair();
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}
export function newSignKeyPair(sodium: Sodium): KeyPair {
  const kp = sodium.crypto_sign_keypair();
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}

/** version(1) | master(32) | box secret(32) | sign secret(64) | [archive signing secret(64)] */
export function encodeSecrets(s: UserSecrets): Uint8Array {
  const out = new Uint8Array(base + (s.archiveSigningSecretKey ? 64 : 0));
  out[0] = layoutVersion;
  out.set(s.masterKey, 1);
  out.set(s.boxSecretKey, 33);
  out.set(s.signSecretKey, 65);
  if (s.archiveSigningSecretKey) out.set(s.archiveSigningSecretKey, base);
  return out;
}

/** Splits a decrypted secrets blob into copies and wipes the blob. */
export function decodeSecrets(blob: Uint8Array): UserSecrets {
  try {
    if (blob[0] !== layoutVersion || (blob.length !== base && blob.length !== base + 64)) {
      throw new ArchiveError('ARCHIVE_DAMAGED', 'The wrapped keys have an unknown layout.');
    }
    return {
      masterKey: blob.slice(1, 33),
      boxSecretKey: blob.slice(33, 65),
      signSecretKey: blob.slice(65, 129),
      archiveSigningSecretKey: blob.length === base + 64 ? blob.slice(base, base + 64) : null,
    };
  } finally {
    wipe(blob);
  }
}

export function wipeSecrets(s: UserSecrets): void {
  wipe(s.masterKey, s.boxSecretKey, s.signSecretKey, s.archiveSigningSecretKey);
}

/** The minisign key id: 8 random bytes, shown as 16 upper-case hex digits (minisign's own display). */
export function newKeyId(sodium: Sodium): string {
  return Buffer.from(sodium.randombytes_buf(8)).toString('hex').toUpperCase();
}
