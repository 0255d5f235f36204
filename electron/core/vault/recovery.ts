// The recovery kit (DESIGN.md section 3): a random recovery key split k-of-n, which re-opens the master key and
// one director's keys, so a forgotten director passphrase can be replaced while the archive is locked.
import { randomUUID } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import type { RecoveryKit } from '../../../shared/ipc/contract';
import { appendAudit } from '../audit/audit-chain';
import { createUsersRepo } from '../accounts/users-repo';
import { deriveKek, newKdfParams, unwrapKey, wrapKey, type KdfCost } from '../crypto/kdf';
import { decodeSecrets, encodeSecrets, wipeSecrets, type KeyPair, type UserSecrets } from '../crypto/keys';
import { wipe, type Sodium } from '../crypto/sodium';
import { migrate } from '../db/migrate';
import { mapSqliteError, openDatabase, type ArchiveDb } from '../db/open-database';
import { ArchiveError, isArchiveError } from '../errors';
import { archivePaths, readKeyring, wrapAd, type Keyring, type KeyringRecovery } from './keyring';
import { transactWithKeyring, type KeyringHooks } from './keyring-commit';
import type { PassphrasePolicy } from './passphrase-policy';
import { formatShare, parseShare, shareFingerprintBytes, shortId, type ShareFields } from './recovery-share';
import type { UnlockedArchive } from './vault';

/** What the recovery functions need; a VaultDeps object fits as it is. */
export type RecoveryDeps = {
  sodium: Sodium;
  /** Milliseconds since the epoch. */
  now: () => number;
  policy: PassphrasePolicy;
  /** Argon2id cost of the new passphrase's wrap (as for any passphrase). */
  kdfCost: KdfCost;
  nativeBinding?: string | undefined;
  keyringHooks?: KeyringHooks | undefined;
};

export type RecoveryKitOptions = { threshold: number; total: number };

export type RecoveryStatus = { kit: { kitId: string; threshold: number; total: number; createdAt: string; fingerprint: string } | null };

export const defaultKitOptions: RecoveryKitOptions = { threshold: 3, total: 5 };
export const kitLimits = { thresholdMin: 2, thresholdMax: 10, totalMax: 16 } as const;

const recoveryKeyBytes = 32;

type KitKeys = {
  /** X25519 pair the current master key is sealed to. */
  box: KeyPair;
  /** Wraps the director's secrets. */
  wrapKey: Uint8Array;
  /** Published in the keyring and (shortened) on every share: a combined key that does not match it is refused. */
  commitment: Uint8Array;
};

/**
 * Everything the recovery key stands for, each a keyed BLAKE2b-256 with its own context bound to archive and kit:
 * a key from one kit or archive never serves another, and knowing one derived value tells nothing of the others.
 */
function deriveKitKeys(sodium: Sodium, recoveryKey: Uint8Array, archiveId: string, kitId: string): KitKeys {
  const ctx = (purpose: string) => `testimony-archive/recovery/v1/${purpose}|${archiveId}|${kitId}`;
  const seed = sodium.crypto_generichash(32, ctx('box-seed'), recoveryKey);
  try {
    const kp = sodium.crypto_box_seed_keypair(seed);
    return {
      box: { publicKey: kp.publicKey, privateKey: kp.privateKey },
      wrapKey: sodium.crypto_generichash(32, ctx('wrap'), recoveryKey),
      commitment: sodium.crypto_generichash(32, ctx('commitment'), recoveryKey),
    };
  } finally {
    wipe(seed);
  }
}

function wipeKitKeys(k: KitKeys | undefined): void {
  if (k) wipe(k.box.privateKey, k.wrapKey);
}

/** Associated data of the director's secrets in the kit: a wrap moved to another archive, kit or user fails. */
function directorSecretsAd(archiveId: string, kitId: string, directorId: string): string {
  return `testimony-archive/recovery/v1|${archiveId}|${kitId}|${directorId}`;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromB64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

/** The human fingerprint printed on every share and shown in the app: "3F2A 91C0 7B44 E1D2" (commitment's first 8 bytes). */
export function kitFingerprint(recovery: Pick<KeyringRecovery, 'commitment'>): string {
  const hex = Buffer.from(recovery.commitment, 'base64').subarray(0, 8).toString('hex').toUpperCase();
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}

/**
 * Seals `masterKey` to the kit's public key (crypto_box_seal), as keyring.recovery.sealedMaster. A master-key
 * rotation calls this for the new key, so the kit keeps working without anyone holding the shares.
 */
export function sealMasterForRecovery(sodium: Sodium, recovery: Pick<KeyringRecovery, 'publicKey'>, masterKey: Uint8Array): string {
  return b64(sodium.crypto_box_seal(masterKey, fromB64(recovery.publicKey)));
}

/** The kit as the keyring describes it (never the shares: they exist only on paper). */
export function recoveryStatus(folder: string): RecoveryStatus {
  const r = readKeyring(archivePaths(folder).keyring).recovery;
  return { kit: r ? { kitId: r.kitId, threshold: r.threshold, total: r.total, createdAt: r.createdAt, fingerprint: kitFingerprint(r) } : null };
}

function checkKitOptions(o: RecoveryKitOptions): void {
  const { threshold, total } = o;
  if (!Number.isInteger(threshold) || !Number.isInteger(total) || threshold < kitLimits.thresholdMin || threshold > kitLimits.thresholdMax || total < threshold || total > kitLimits.totalMax) {
    throw new ArchiveError(
      'IPC_BAD_INPUT',
      `A recovery kit needs between ${kitLimits.thresholdMin} and ${kitLimits.thresholdMax} shares to recover, and between that number and ${kitLimits.totalMax} shares in all.`,
    );
  }
}

/**
 * Makes a new recovery kit for the signed-in director and replaces any earlier one (its shares stop working).
 * Returns the share texts to print; they are not stored anywhere.
 *
 * @example const kit = await createRecoveryKit(deps, session.archive, { threshold: 3, total: 5 });
 */
export async function createRecoveryKit(
  deps: Pick<RecoveryDeps, 'sodium' | 'now' | 'keyringHooks'>,
  archive: UnlockedArchive,
  options: RecoveryKitOptions = defaultKitOptions,
): Promise<RecoveryKit> {
  const { sodium } = deps;
  if (archive.user.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director can make a recovery kit.');
  checkKitOptions(options);
  const { threshold, total } = options;
  const path = archivePaths(archive.folder).keyring;
  const keyring = readKeyring(path);
  const self = keyring.users.find((u) => u.id === archive.user.id);
  if (!self || self.role !== 'director' || self.disabled) throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director can make a recovery kit.');
  // A half-done master-key rotation would leave the kit sealing a key that is about to be replaced.
  if (keyring.rotation) throw new ArchiveError('ARCHIVE_BUSY', 'A user removal is still being completed; try again when it has finished.');

  const kitId = randomUUID();
  const createdAt = new Date(deps.now()).toISOString();
  const recoveryKey = sodium.randombytes_buf(recoveryKeyBytes);
  let keys: KitKeys | undefined;
  let raw: Uint8Array[] = [];
  const parsedShares: Uint8Array[] = [];
  try {
    keys = deriveKitKeys(sodium, recoveryKey, keyring.archiveId, kitId);
    const blob = encodeSecrets(archive.secrets);
    let directorSecrets: KeyringRecovery['directorSecrets'];
    try {
      directorSecrets = wrapKey(sodium, keys.wrapKey, blob, directorSecretsAd(keyring.archiveId, kitId, archive.user.id));
    } finally {
      wipe(blob);
    }
    const recovery: KeyringRecovery = {
      kitId,
      createdAt,
      threshold,
      total,
      publicKey: b64(keys.box.publicKey),
      commitment: b64(keys.commitment),
      sealedMaster: '',
      directorId: archive.user.id,
      directorSecrets,
    };
    recovery.sealedMaster = sealMasterForRecovery(sodium, recovery, archive.secrets.masterKey);

    raw = await split(recoveryKey, total, threshold);
    const common = { archive: shortId(keyring.archiveId), kit: shortId(kitId), threshold, total, fingerprint: keys.commitment.slice(0, shareFingerprintBytes) };
    const shares = raw.map((share, i) => ({ index: i + 1, text: formatShare(sodium, { ...common, index: i + 1, share }) }));

    // Read every printed text back and recombine before anything is written: a kit that could not recover is never saved.
    for (const s of shares) {
      const p = parseShare(sodium, s.text);
      if (!p.ok || p.fields.index !== s.index) throw new ArchiveError('INTERNAL', 'A recovery share did not read back.');
      parsedShares.push(p.fields.share);
    }
    const check = await combine(parsedShares.slice(total - threshold));
    const same = check.length === recoveryKey.length && sodium.memcmp(check, recoveryKey);
    wipe(check);
    if (!same) throw new ArchiveError('INTERNAL', 'The recovery shares did not recombine.');

    // The audit entry and the kit in the keyring land together or not at all (keyring-commit.ts).
    await transactWithKeyring(archive.db.kysely, archive.folder, deps.keyringHooks, async (trx, fresh) => {
      await appendAudit(trx, { at: createdAt, actor: archive.user.id, action: 'recovery.kit-created', subjectKind: 'recovery-kit', subjectId: kitId, detail: { kitId, threshold, total } });
      if (fresh.rotation) throw new ArchiveError('ARCHIVE_BUSY', 'A user removal is still being completed; try again when it has finished.');
      fresh.recovery = recovery;
    });
    return { kitId, archiveId: keyring.archiveId, threshold, total, createdAt, fingerprint: kitFingerprint(recovery), shares };
  } catch (e) {
    throw mapSqliteError(e);
  } finally {
    wipe(recoveryKey, ...raw, ...parsedShares);
    wipeKitKeys(keys);
  }
}

/** A share as given, checked against the keyring's kit; `position` is its 1-based place in the input. */
type GivenShare = { position: number; fields: ShareFields };

/** Reads and checks each share on its own, then as a set; every refusal names the share by its place in the input. */
function checkShares(sodium: Sodium, keyring: Keyring, kit: KeyringRecovery, texts: readonly string[]): GivenShare[] {
  const archiveShort = shortId(keyring.archiveId);
  const kitShort = shortId(kit.kitId);
  const fingerprint = fromB64(kit.commitment).subarray(0, shareFingerprintBytes);
  const given: GivenShare[] = [];
  const byIndex = new Map<number, number>();
  const byX = new Map<number, number>();
  const dropAll = () => {
    for (const g of given) wipe(g.fields.share);
  };
  try {
    for (const [i, text] of texts.entries()) {
      const position = i + 1;
      const p = parseShare(sodium, text);
      if (!p.ok) throw new ArchiveError('RECOVERY_SHARE_DAMAGED', `Share ${position} cannot be read: ${p.problem}.`, { share: position });
      given.push({ position, fields: p.fields });
      const f = p.fields;
      if (!sodium.memcmp(f.archive, archiveShort)) {
        throw new ArchiveError('RECOVERY_SHARE_OTHER_ARCHIVE', `Share ${position} belongs to another archive, not to this one.`, { share: position });
      }
      if (!sodium.memcmp(f.kit, kitShort) || !sodium.memcmp(f.fingerprint, fingerprint) || f.threshold !== kit.threshold || f.total !== kit.total) {
        throw new ArchiveError(
          'RECOVERY_SHARES_MISMATCH',
          `Share ${position} belongs to an earlier recovery kit of this archive, which was replaced on ${kit.createdAt.slice(0, 10)}; only shares with the fingerprint ${kitFingerprint(kit)} work.`,
          { share: position },
        );
      }
      const x = f.share[f.share.length - 1] ?? 0;
      const earlier = byIndex.get(f.index) ?? byX.get(x);
      if (earlier !== undefined) {
        throw new ArchiveError('RECOVERY_SHARE_DUPLICATE', `Shares ${earlier} and ${position} are the same share (number ${f.index} of ${f.total}); each share may be used once.`, { share: position });
      }
      byIndex.set(f.index, position);
      byX.set(x, position);
    }
    if (given.length < kit.threshold) {
      throw new ArchiveError(
        'RECOVERY_TOO_FEW_SHARES',
        `${kit.threshold} different shares of this kit are needed to recover; ${given.length === 1 ? 'only 1 was' : `only ${given.length} were`} given.`,
        { needed: kit.threshold },
      );
    }
    return given;
  } catch (e) {
    dropAll();
    throw e;
  }
}

/** Opens the database with the first candidate master key that the file accepts, and migrates it as unlock does. */
async function openWithCandidates(deps: RecoveryDeps, folder: string, candidates: Uint8Array[]): Promise<{ db: ArchiveDb; masterKey: Uint8Array }> {
  for (const masterKey of candidates) {
    let db: ArchiveDb;
    try {
      db = openDatabase(archivePaths(folder).database, masterKey, { nativeBinding: deps.nativeBinding });
    } catch (e) {
      if (isArchiveError(e) && e.code === 'ARCHIVE_KEY_REJECTED') continue;
      throw e;
    }
    try {
      await migrate(db.kysely, () => new Date(deps.now()));
      return { db, masterKey };
    } catch (e) {
      await db.close();
      throw mapSqliteError(e);
    }
  }
  throw new ArchiveError('ARCHIVE_DAMAGED', 'The archive database is damaged, missing or was replaced: the recovered key does not open it.');
}

/**
 * Sets a new passphrase for the kit's director from `threshold` shares, while the archive is locked. Every check
 * (shares, commitment, the account, the new passphrase) passes before anything is written; the kit stays valid.
 */
export async function recoverWithShares(
  deps: RecoveryDeps,
  folder: string,
  shareTexts: readonly string[],
  passphrase: string,
  passphraseConfirm: string,
): Promise<{ username: string }> {
  const { sodium } = deps;
  const path = archivePaths(folder).keyring;
  const keyring = readKeyring(path);
  const kit = keyring.recovery;
  if (!kit) throw new ArchiveError('RECOVERY_NO_KIT', 'This archive has no recovery kit.');
  const entry = keyring.users.find((u) => u.id === kit.directorId);
  if (!entry || entry.role !== 'director') {
    throw new ArchiveError('RECOVERY_NO_KIT', 'The director this recovery kit was made for is no longer a director of this archive; a director must make a new kit.');
  }
  // A kit must not undo another director's decision: a disabled account is enabled by a director, not by shares.
  if (entry.disabled) throw new ArchiveError('RECOVERY_NO_KIT', 'The account this recovery kit was made for is disabled; a director must enable it first.');
  if (shareTexts.length > kitLimits.totalMax) throw new ArchiveError('IPC_BAD_INPUT', `At most ${kitLimits.totalMax} shares can be given.`);

  const given = checkShares(sodium, keyring, kit, shareTexts);
  let recoveryKey: Uint8Array | undefined;
  let keys: KitKeys | undefined;
  let kitSecrets: UserSecrets | undefined;
  const masters: Uint8Array[] = [];
  let db: ArchiveDb | undefined;
  let kek: Uint8Array | undefined;
  let blob: Uint8Array | undefined;
  try {
    recoveryKey = await combine(given.map((g) => g.fields.share));
    keys = deriveKitKeys(sodium, recoveryKey, keyring.archiveId, kit.kitId);
    // The library returns whatever the numbers interpolate to; only the commitment tells a right key from a wrong one.
    if (recoveryKey.length !== recoveryKeyBytes || !sodium.memcmp(keys.commitment, fromB64(kit.commitment))) {
      throw new ArchiveError('RECOVERY_SHARES_MISMATCH', `These ${given.length} shares do not combine to this archive's recovery key: at least one of them was altered.`);
    }
    if (!sodium.memcmp(keys.box.publicKey, fromB64(kit.publicKey))) throw new ArchiveError('ARCHIVE_DAMAGED', 'The recovery kit in the keyring is damaged.');

    try {
      kitSecrets = decodeSecrets(unwrapKey(sodium, keys.wrapKey, kit.directorSecrets, directorSecretsAd(keyring.archiveId, kit.kitId, kit.directorId)));
    } catch (e) {
      throw isArchiveError(e) && e.code === 'AUTH_FAILED' ? new ArchiveError('ARCHIVE_DAMAGED', 'The recovery kit in the keyring is damaged.') : e;
    }
    // The kit holds the director's own key pairs; if the account's keys were replaced since, the kit is stale.
    const boxPublic = sodium.crypto_scalarmult_base(kitSecrets.boxSecretKey);
    if (!sodium.memcmp(boxPublic, fromB64(entry.boxPublicKey))) {
      throw new ArchiveError('RECOVERY_NO_KIT', "The recovery kit no longer matches the director's keys; a director must make a new kit.");
    }

    // The kit's sealed master key is kept current by rotations; while one is unfinished, its new key is tried too.
    for (const sealed of [kit.sealedMaster, keyring.rotation?.recoverySealedMaster ?? null]) {
      if (sealed === null) continue;
      try {
        masters.push(sodium.crypto_box_seal_open(fromB64(sealed), keys.box.publicKey, keys.box.privateKey));
      } catch {
        // Not sealed to this kit (damaged): the other candidate, or ARCHIVE_DAMAGED below.
      }
    }
    if (masters.length === 0) throw new ArchiveError('ARCHIVE_DAMAGED', 'The recovery kit in the keyring is damaged.');
    const opened = await openWithCandidates(deps, folder, masters);
    db = opened.db;
    const row = await createUsersRepo(db.kysely).byId(kit.directorId);
    if (!row || row.role !== 'director') {
      throw new ArchiveError('RECOVERY_NO_KIT', 'The director this recovery kit was made for is no longer a director of this archive; a director must make a new kit.');
    }

    deps.policy.require(passphrase, [row.username, row.display_name]);
    if (passphrase.normalize('NFKC') !== passphraseConfirm.normalize('NFKC')) {
      throw new ArchiveError('PASSPHRASE_MISMATCH', 'The two passphrases are not the same.');
    }

    const kdf = newKdfParams(sodium, deps.kdfCost);
    kek = deriveKek(sodium, passphrase, kdf);
    blob = encodeSecrets({ ...kitSecrets, masterKey: opened.masterKey });
    const secrets = wrapKey(sodium, kek, blob, wrapAd(keyring.archiveId, kit.directorId, 'director'));
    const at = new Date(deps.now()).toISOString();
    // The database changes and the new wrap land together or not at all (keyring-commit.ts).
    await transactWithKeyring(db.kysely, folder, deps.keyringHooks, async (trx, fresh) => {
      await trx.updateTable('users').set({ must_change_passphrase: 0 }).where('id', '=', kit.directorId).execute();
      await appendAudit(trx, { at, actor: null, action: 'account.recovered', subjectKind: 'user', subjectId: kit.directorId, detail: { kitId: kit.kitId, shares: given.length } });
      // Read after a change interrupted by a crash was settled: the kit must still be the one the shares belong to.
      const target = fresh.users.find((u) => u.id === kit.directorId);
      if (fresh.recovery?.kitId !== kit.kitId || !target || target.role !== 'director') {
        throw new ArchiveError('ARCHIVE_BUSY', 'The keyring changed during recovery; try again.');
      }
      target.kdf = kdf;
      target.secrets = secrets;
      // The wrap above holds the current master key, so an override from an earlier rotation no longer applies.
      delete target.sealedMaster;
      fresh.throttle = { failures: 0, lastFailureAt: null };
    });
    return { username: row.username };
  } catch (e) {
    throw mapSqliteError(e);
  } finally {
    await db?.close();
    for (const g of given) wipe(g.fields.share);
    wipe(recoveryKey, kek, blob, ...masters);
    wipeKitKeys(keys);
    if (kitSecrets) wipeSecrets(kitSecrets);
  }
}
