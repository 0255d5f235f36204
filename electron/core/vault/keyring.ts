// The keyring file beside the database: wrapped keys, KDF parameters, hashed usernames, throttle counter.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { roleSchema, type Role } from '../../../shared/domain/roles';
import { kdfParamsSchema, wrappedSchema } from '../crypto/kdf';
import { ArchiveError } from '../errors';
import { writeFileAtomic, type AtomicWriteHooks } from './atomic-file';
import { writeFailure } from '../files/write-errors';

export const keyringFileName = 'keyring.json';
export const databaseFileName = 'archive.db';
export const keyringFormat = 'testimony-archive-keyring';
export const keyringVersion = 1;

/** Where an archive folder keeps its two files. */
export function archivePaths(folder: string) {
  return { keyring: join(folder, keyringFileName), database: join(folder, databaseFileName) };
}

const b64 = (bytes: number) => z.string().refine((s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && Buffer.from(s, 'base64').length === bytes && Buffer.from(s, 'base64').toString('base64') === s, `expected ${bytes} bytes of base64`);

const keyringUserSchema = z.strictObject({
  id: z.uuid(),
  /** Argon2id(normalised username, archive salt): the file does not list who works here. */
  usernameHash: b64(32),
  role: roleSchema,
  kdf: kdfParamsSchema,
  /** Master key + the user's X25519 and Ed25519 secrets (+ archive signing key for directors). */
  secrets: wrappedSchema,
  boxPublicKey: b64(32),
  signPublicKey: b64(32),
  disabled: z.boolean(),
  /**
   * The current master key sealed (crypto_box_seal) to boxPublicKey. Written when the master key was rotated
   * (a user removed) after this user's wrap was made: it then overrides the master key inside `secrets`.
   */
  sealedMaster: b64(80).optional(),
});

/** A user removal in progress (DESIGN.md section 3): the new master key, sealed to each remaining user. */
const rotationSchema = z.strictObject({
  removeUserId: z.uuid(),
  startedAt: z.iso.datetime(),
  sealedMasters: z.record(z.uuid(), b64(80)),
  /** The new master key sealed to the recovery kit's public key, when a kit exists. */
  recoverySealedMaster: b64(80).nullable(),
});

/**
 * The recovery kit: a random recovery key, split k-of-n, that unwraps the master key and one director's keys.
 * Only public parts and wraps are stored; the key itself exists only in the printed shares.
 */
const recoverySchema = z.strictObject({
  kitId: z.uuid(),
  createdAt: z.iso.datetime(),
  threshold: z.number().int().min(2).max(16),
  total: z.number().int().min(2).max(16),
  /** X25519 public key derived from the recovery key: rotations re-seal the master key to it without the shares. */
  publicKey: b64(32),
  /** BLAKE2b-256 commitment to the recovery key, also printed on every share. */
  commitment: b64(32),
  sealedMaster: b64(80),
  /** The director whose passphrase recovery resets, and their secrets wrapped with a key derived from the recovery key. */
  directorId: z.uuid(),
  directorSecrets: wrappedSchema,
});

export const keyringSchema = z.strictObject({
  format: z.literal(keyringFormat),
  version: z.number().int(),
  archiveId: z.uuid(),
  createdAt: z.iso.datetime(),
  usernameKdf: kdfParamsSchema,
  signing: z.strictObject({ keyId: z.string().regex(/^[0-9A-F]{16}$/), publicKey: b64(32) }),
  users: z.array(keyringUserSchema).min(1).max(10_000),
  /** Failed sign-ins since the last success, archive-wide, so the delay survives restarts. */
  throttle: z.strictObject({ failures: z.number().int().min(0), lastFailureAt: z.number().int().min(0).nullable() }),
  /**
   * A training archive (fictional demo records only). Kept here, not in the database, because the UI must say so
   * even while the archive is locked; it is not sensitive. Absent in ordinary archives.
   */
  training: z.literal(true).optional(),
  rotation: rotationSchema.optional(),
  /**
   * Signing keys no longer in use (a passphrase reset makes new keys; a removal deletes the entry): kept so that
   * audit checkpoints they signed still verify.
   */
  retiredSignKeys: z.array(z.strictObject({ userId: z.uuid(), publicKey: b64(32), retiredAt: z.iso.datetime() })).max(100_000).optional(),
  recovery: recoverySchema.optional(),
  /**
   * Id of the database transaction that wrote this keyring, also kept in archive_meta (keyring-commit.ts): tells a
   * committed pending keyring from one whose transaction rolled back. Absent in archives made before it existed.
   */
  commit: z.uuid().optional(),
});

export type Keyring = z.infer<typeof keyringSchema>;
export type KeyringUser = z.infer<typeof keyringUserSchema>;
export type KeyringRotation = z.infer<typeof rotationSchema>;
export type KeyringRecovery = z.infer<typeof recoverySchema>;

/** Associated data of a user's wrap: binds archive, user id and role, so a wrap copied to another entry fails. */
export function wrapAd(archiveId: string, userId: string, role: Role): string {
  return `testimony-archive/keyring/v1|${archiveId}|${userId}|${role}`;
}

export function keyringExists(path: string): boolean {
  return existsSync(path);
}

/** Reads and validates the keyring. A missing file is ARCHIVE_NOT_FOUND; anything unparsable is ARCHIVE_DAMAGED. */
export function readKeyring(path: string): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'code' in e && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) {
      throw new ArchiveError('ARCHIVE_NOT_FOUND', 'This folder does not hold a Testimony Archive.');
    }
    throw new ArchiveError('ARCHIVE_DAMAGED', 'The keyring file cannot be read.');
  }
  if (text.length > 16 * 1024 * 1024) throw new ArchiveError('ARCHIVE_DAMAGED', 'The keyring file is too large.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ArchiveError('ARCHIVE_DAMAGED', 'The keyring file is not valid JSON.');
  }
  if (typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'number' && json.version > keyringVersion) {
    throw new ArchiveError('ARCHIVE_TOO_NEW', 'The keyring was written by a newer version of Testimony Archive.');
  }
  const parsed = keyringSchema.safeParse(json);
  if (!parsed.success) throw new ArchiveError('ARCHIVE_DAMAGED', 'The keyring file is damaged.');
  return parsed.data;
}

/** True when the folder holds a training archive; false for an ordinary one and for anything unreadable. */
export function isTrainingArchive(path: string): boolean {
  if (!keyringExists(path)) return false;
  try {
    return readKeyring(path).training === true;
  } catch {
    // A damaged keyring is reported when someone signs in; the status line only needs a yes or no.
    return false;
  }
}

export function writeKeyring(path: string, keyring: Keyring, hooks?: AtomicWriteHooks): void {
  try {
    writeFileAtomic(path, `${JSON.stringify(keyring, null, 2)}\n`, hooks);
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw writeFailure(e, 'archive') ?? new ArchiveError('ARCHIVE_UNWRITABLE', 'The keyring could not be written (folder read-only or disk full).');
  }
}
