// Restricted content: encrypted with a per-record data key that is sealed to each reader's X25519 key
// (DESIGN.md section 3). Whoever holds no sealed copy cannot read it, database key or not.
import { ArchiveError } from '../errors';
import { wipe, type Sodium } from './sodium';

export type Reader = { userId: string; boxPublicKey: Uint8Array };
export type SealedKey = { userId: string; sealedKey: Uint8Array };
export type SealedEnvelope = { nonce: Uint8Array; ciphertext: Uint8Array; keys: SealedKey[] };
export type BoxKeyPair = { publicKey: Uint8Array; privateKey: Uint8Array };

/**
 * Encrypts `plaintext` with a fresh data key (XChaCha20-Poly1305, `ad` binding it to its record) and seals
 * that key to every reader with crypto_box_seal. The data key is wiped before returning.
 */
export function sealContent(sodium: Sodium, plaintext: Uint8Array, ad: string, readers: readonly Reader[]): SealedEnvelope {
  if (readers.length === 0) throw new ArchiveError('INTERNAL', 'Restricted content needs at least one reader.');
  const dataKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  try {
    const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, dataKey);
    const seen = new Set<string>();
    const keys: SealedKey[] = [];
    for (const r of readers) {
      if (seen.has(r.userId)) continue;
      seen.add(r.userId);
      keys.push({ userId: r.userId, sealedKey: sodium.crypto_box_seal(dataKey, r.boxPublicKey) });
    }
    return { nonce, ciphertext, keys };
  } finally {
    wipe(dataKey);
  }
}

function openDataKey(sodium: Sodium, sealedKey: Uint8Array | undefined, me: BoxKeyPair): Uint8Array {
  if (!sealedKey) throw new ArchiveError('CONTENT_NO_ACCESS', 'This content is restricted and has not been shared with you.');
  try {
    return sodium.crypto_box_seal_open(sealedKey, me.publicKey, me.privateKey);
  } catch {
    // A copy sealed to someone else, or altered: either way this user cannot read it.
    throw new ArchiveError('CONTENT_NO_ACCESS', 'This content is restricted and has not been shared with you.');
  }
}

/** Decrypts with the reader's own sealed copy of the data key. */
export function openContent(
  sodium: Sodium,
  envelope: { nonce: Uint8Array; ciphertext: Uint8Array },
  sealedKey: Uint8Array | undefined,
  ad: string,
  me: BoxKeyPair,
): Uint8Array {
  const dataKey = openDataKey(sodium, sealedKey, me);
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, envelope.ciphertext, ad, envelope.nonce, dataKey);
  } catch {
    throw new ArchiveError('ARCHIVE_DAMAGED', 'Restricted content failed its integrity check.');
  } finally {
    wipe(dataKey);
  }
}

/** Grants: a reader who holds a copy seals the same data key to another reader. */
export function resealKey(sodium: Sodium, sealedKey: Uint8Array | undefined, me: BoxKeyPair, to: Reader): SealedKey {
  const dataKey = openDataKey(sodium, sealedKey, me);
  try {
    return { userId: to.userId, sealedKey: sodium.crypto_box_seal(dataKey, to.boxPublicKey) };
  } finally {
    wipe(dataKey);
  }
}
