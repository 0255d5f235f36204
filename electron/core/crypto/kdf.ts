// Passphrase -> key-encryption key (Argon2id) and key wrapping (XChaCha20-Poly1305 with bound data).
import { z } from 'zod';
import { ArchiveError } from '../errors';
import type { Sodium } from './sodium';

/** Argon2id cost. Stored per user in the keyring, so parameters can be raised later without breaking old wraps. */
export const kdfParamsSchema = z.strictObject({
  alg: z.literal('argon2id13'),
  opsLimit: z.number().int().min(1).max(64),
  // 8 KiB .. 4 GiB; an absurd value in a hostile keyring must not make us allocate it.
  memLimitBytes: z.number().int().min(8192).max(4 * 1024 ** 3),
  salt: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
});
export type KdfParams = z.infer<typeof kdfParamsSchema>;
export type KdfCost = Pick<KdfParams, 'opsLimit' | 'memLimitBytes'>;

/** DESIGN.md section 3: ops 3, 256 MiB (about 1-2 s here). */
export const defaultKdfCost: KdfCost = { opsLimit: 3, memLimitBytes: 256 * 1024 * 1024 };

export function newKdfParams(sodium: Sodium, cost: KdfCost): KdfParams {
  return {
    alg: 'argon2id13',
    ...cost,
    salt: Buffer.from(sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES)).toString('base64'),
  };
}

/** Derives the 32-byte key-encryption key. The passphrase is NFKC-normalised so that the same
 *  visible text typed on different keyboards (composed or decomposed diacritics) unlocks. */
export function deriveKek(sodium: Sodium, passphrase: string, params: KdfParams): Uint8Array {
  const pw = Buffer.from(passphrase.normalize('NFKC'), 'utf8');
  try {
    return sodium.crypto_pwhash(
      32,
      pw,
      Buffer.from(params.salt, 'base64'),
      params.opsLimit,
      params.memLimitBytes,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
  } finally {
    pw.fill(0);
  }
}

export type Wrapped = { nonce: string; ciphertext: string };

export const wrappedSchema = z.strictObject({
  nonce: z.string().regex(/^[A-Za-z0-9+/]{32}$/),
  ciphertext: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(4096),
});

/** XChaCha20-Poly1305 with associated data, so a wrap moved to another user or role fails to open. */
export function wrapKey(sodium: Sodium, kek: Uint8Array, plaintext: Uint8Array, ad: string): Wrapped {
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, kek);
  return { nonce: Buffer.from(nonce).toString('base64'), ciphertext: Buffer.from(ct).toString('base64') };
}

/** Opens a wrap; any failure (wrong key, altered bytes, other user's data) is AUTH_FAILED. */
export function unwrapKey(sodium: Sodium, kek: Uint8Array, wrapped: Wrapped, ad: string): Uint8Array {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      Buffer.from(wrapped.ciphertext, 'base64'),
      ad,
      Buffer.from(wrapped.nonce, 'base64'),
      kek,
    );
  } catch {
    throw new ArchiveError('AUTH_FAILED', 'Wrong username or passphrase.');
  }
}
