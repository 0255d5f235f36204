// Accounts: the director adds, disables and resets users; everyone changes their own passphrase. Keyring + users table.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { codePointLength, limits, normaliseUsername, usernamePattern } from '../../../shared/domain/limits';
import type { Role } from '../../../shared/domain/roles';
import type { UserView } from '../../../shared/ipc/contract';
import { appendAudit } from '../audit/audit-chain';
import type { KdfCost } from '../crypto/kdf';
import { newBoxKeyPair, newSignKeyPair, wipeSecrets, type UserSecrets } from '../crypto/keys';
import { resealKey } from '../crypto/sealed-content';
import { wipe, type Sodium } from '../crypto/sodium';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError, isArchiveError } from '../errors';
import { archivePaths, readKeyring, type Keyring, type KeyringUser } from '../vault/keyring';
import { transactWithKeyring, type KeyringHooks } from '../vault/keyring-commit';
import type { PassphrasePolicy } from '../vault/passphrase-policy';
import { hashUsername, unwrapUserSecrets, wrapUserSecrets, type UnlockedArchive } from '../vault/vault';
import { granteesOf, recordAccess } from '../records/record-readers';
import { createUsersRepo } from './users-repo';

export type AccountsDeps = {
  sodium: Sodium;
  now: () => number;
  policy: PassphrasePolicy;
  kdfCost: KdfCost;
  keyringHooks?: KeyringHooks | undefined;
};

/** 20 symbols of a 32-letter alphabet without look-alikes (100 bits), in groups of four for reading aloud. */
const oneTimeAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

export function createAccountsService(deps: AccountsDeps) {
  const { sodium } = deps;
  const iso = () => new Date(deps.now()).toISOString();
  const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

  function oneTimePassphrase(): string {
    const bytes = sodium.randombytes_buf(20);
    const chars = Array.from(bytes, (b) => oneTimeAlphabet[b % oneTimeAlphabet.length] ?? 'a');
    bytes.fill(0);
    // 256 is not a multiple of 31, so the first symbols are slightly likelier; 20 symbols still give > 98 bits.
    return [0, 4, 8, 12, 16].map((i) => chars.slice(i, i + 4).join('')).join('-');
  }

  function requireDirector(archive: UnlockedArchive): void {
    if (archive.user.role !== 'director') throw new ArchiveError('AUTH_FORBIDDEN', 'Only a director manages accounts.');
  }

  function entryOf(keyring: Keyring, id: string): KeyringUser {
    const entry = keyring.users.find((u) => u.id === id);
    if (!entry) throw new ArchiveError('ACCOUNT_NOT_FOUND', 'There is no such account.');
    return entry;
  }

  async function view(db: Kysely<ArchiveSchema>, id: string): Promise<UserView> {
    const row = await createUsersRepo(db).byId(id);
    if (!row || row.removed_at !== null) throw new ArchiveError('ACCOUNT_NOT_FOUND', 'There is no such account.');
    return toView(row);
  }

  function toView(row: { id: string; username: string; display_name: string; role: Role; disabled_at: string | null; must_change_passphrase: number; created_at: string }): UserView {
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      disabled: row.disabled_at !== null,
      mustChangePassphrase: row.must_change_passphrase === 1,
      createdAt: row.created_at,
    };
  }

  /** Refuses acting on oneself, and leaving the archive without an active director. */
  async function guardOther(db: Kysely<ArchiveSchema>, archive: UnlockedArchive, id: string, disabling: boolean): Promise<void> {
    if (id === archive.user.id) throw new ArchiveError('ACCOUNT_SELF', 'You cannot do this to your own account.');
    const target = await createUsersRepo(db).byId(id);
    if (!target || target.removed_at !== null) throw new ArchiveError('ACCOUNT_NOT_FOUND', 'There is no such account.');
    if (disabling && target.role === 'director' && target.disabled_at === null) {
      const others = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'director')
        .where('disabled_at', 'is', null)
        .where('removed_at', 'is', null)
        .where('id', '!=', id)
        .executeTakeFirstOrThrow();
      if (others.n === 0) throw new ArchiveError('ACCOUNT_LAST_DIRECTOR', 'The archive must keep at least one active director.');
    }
  }

  /**
   * Runs the database part in a transaction with the keyring change: both land or neither does, even across a
   * crash (keyring-commit.ts).
   */
  async function withKeyring<T>(archive: UnlockedArchive, work: (trx: Kysely<ArchiveSchema>, keyring: Keyring) => Promise<T>): Promise<T> {
    return transactWithKeyring(archive.db.kysely, archive.folder, deps.keyringHooks, async (trx, keyring) => {
      // Accounts made or rekeyed now would miss the pending rotation's sealed keys (see rotation.ts).
      if (keyring.rotation) throw new ArchiveError('ARCHIVE_BUSY', 'A user removal is still being finished: lock the archive and sign in again first.');
      return work(trx, keyring);
    });
  }

  function newSecrets(archive: UnlockedArchive, role: Role): { secrets: UserSecrets; boxPublicKey: Uint8Array; signPublicKey: Uint8Array } {
    const box = newBoxKeyPair(sodium);
    const sign = newSignKeyPair(sodium);
    const signing = role === 'director' ? archive.secrets.archiveSigningSecretKey : null;
    return {
      secrets: { masterKey: archive.secrets.masterKey.slice(), boxSecretKey: box.privateKey, signSecretKey: sign.privateKey, archiveSigningSecretKey: signing ? signing.slice() : null },
      boxPublicKey: box.publicKey,
      signPublicKey: sign.publicKey,
    };
  }

  /** Seals every content the acting director holds a copy of to `to` (a new director); returns how many. */
  async function sealEverythingTo(trx: Kysely<ArchiveSchema>, archive: UnlockedArchive, to: { userId: string; boxPublicKey: Uint8Array }): Promise<number> {
    const me = { publicKey: sodium.crypto_scalarmult_base(archive.secrets.boxSecretKey), privateKey: archive.secrets.boxSecretKey };
    const mine = await trx.selectFrom('sealed_keys').select(['content_id', 'sealed_key']).where('user_id', '=', archive.user.id).execute();
    for (const { content_id, sealed_key } of mine) {
      const copy = resealKey(sodium, sealed_key, me, to);
      await trx.insertInto('sealed_keys').values({ content_id, user_id: to.userId, sealed_key: copy.sealedKey }).execute();
    }
    return mine.length;
  }

  /**
   * Seals to `user` every content they should read but hold no copy of, from the acting director's copies: what
   * was written while they were disabled (disabled users get no new copies). Directors read everything; others
   * what they authored or were granted. Returns how many copies were added.
   */
  async function resealMissing(trx: Kysely<ArchiveSchema>, archive: UnlockedArchive, user: { id: string; role: Role; boxPublicKey: Uint8Array }): Promise<number> {
    const me = { publicKey: sodium.crypto_scalarmult_base(archive.secrets.boxSecretKey), privateKey: archive.secrets.boxSecretKey };
    const contents = await trx
      .selectFrom('sealed_contents as c')
      .innerJoin('sealed_keys as mine', (j) => j.onRef('mine.content_id', '=', 'c.id').on('mine.user_id', '=', archive.user.id))
      .leftJoin('sealed_keys as theirs', (j) => j.onRef('theirs.content_id', '=', 'c.id').on('theirs.user_id', '=', user.id))
      .select(['c.id', 'c.record_kind', 'c.record_id', 'mine.sealed_key'])
      .where('theirs.user_id', 'is', null)
      .execute();
    let added = 0;
    for (const c of contents) {
      if (user.role !== 'director') {
        if (c.record_kind !== 'testimony' && c.record_kind !== 'person' && c.record_kind !== 'session') continue;
        const access = await recordAccess(trx, c.record_kind, c.record_id);
        if (access?.authorId !== user.id && !(await granteesOf(trx, c.record_kind, c.record_id)).includes(user.id)) continue;
      }
      const copy = resealKey(sodium, c.sealed_key, me, { userId: user.id, boxPublicKey: user.boxPublicKey });
      await trx.insertInto('sealed_keys').values({ content_id: c.id, user_id: user.id, sealed_key: copy.sealedKey }).execute();
      added++;
    }
    return added;
  }

  return {
    async list(archive: UnlockedArchive): Promise<UserView[]> {
      requireDirector(archive);
      const rows = await archive.db.kysely.selectFrom('users').selectAll().where('removed_at', 'is', null).orderBy('username').execute();
      return rows.map(toView);
    },

    /** Adds an account with a generated one-time passphrase that must be changed at first sign-in. */
    async create(archive: UnlockedArchive, input: { username: string; displayName: string; role: Role }): Promise<{ user: UserView; oneTimePassphrase: string }> {
      requireDirector(archive);
      const username = normaliseUsername(input.username);
      const displayName = input.displayName.normalize('NFC').trim();
      const len = codePointLength(username);
      if (len < limits.usernameMin || len > limits.usernameMax || !usernamePattern.test(username)) {
        throw new ArchiveError('IPC_BAD_INPUT', 'The username may hold letters, digits, dot, dash and underscore (3 to 64).');
      }
      if (!displayName || codePointLength(displayName) > limits.displayNameMax) throw new ArchiveError('IPC_BAD_INPUT', 'A display name is required (at most 120 characters).');
      const id = randomUUID();
      const passphrase = oneTimePassphrase();
      const made = newSecrets(archive, input.role);
      try {
        await withKeyring(archive, async (trx, keyring) => {
          // Removed accounts keep their row (and name): a new account cannot take a name the records still show.
          const taken = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
          const hash = hashUsername(sodium, username, keyring.usernameKdf);
          const inKeyring = keyring.users.some((u) => sodium.memcmp(hash, Buffer.from(u.usernameHash, 'base64')));
          if (taken || inKeyring) throw new ArchiveError('ACCOUNT_EXISTS', 'An account with this username exists or existed.');
          const wrap = wrapUserSecrets(sodium, deps.kdfCost, { archiveId: archive.archiveId, userId: id, role: input.role }, passphrase, made.secrets);
          await createUsersRepo(trx).insert({ id, username, display_name: displayName, role: input.role, created_at: iso(), must_change_passphrase: 1 });
          // A director reads all restricted content: everything written before them is sealed to them now.
          const sealed = input.role === 'director' ? await sealEverythingTo(trx, archive, { userId: id, boxPublicKey: made.boxPublicKey }) : 0;
          await appendAudit(trx, { at: iso(), actor: archive.user.id, action: 'account.create', subjectKind: 'user', subjectId: id, detail: { role: input.role, sealedCopies: sealed } });
          keyring.users.push({
            id,
            usernameHash: b64(hash),
            role: input.role,
            kdf: wrap.kdf,
            secrets: wrap.secrets,
            boxPublicKey: b64(made.boxPublicKey),
            signPublicKey: b64(made.signPublicKey),
            disabled: false,
          });
          wipe(hash);
        });
      } finally {
        wipeSecrets(made.secrets);
      }
      return { user: await view(archive.db.kysely, id), oneTimePassphrase: passphrase };
    },

    async setDisabled(archive: UnlockedArchive, id: string, disabled: boolean): Promise<UserView> {
      requireDirector(archive);
      await guardOther(archive.db.kysely, archive, id, disabled);
      await withKeyring(archive, async (trx, keyring) => {
        const entry = entryOf(keyring, id);
        const row = await createUsersRepo(trx).byId(id);
        // Compared with the database row as well: a keyring ahead of it (an earlier failed commit) is put right.
        if (entry.disabled === disabled && (row?.disabled_at !== null) === disabled) return;
        entry.disabled = disabled;
        await trx.updateTable('users').set({ disabled_at: disabled ? iso() : null }).where('id', '=', id).execute();
        const resealed = disabled ? 0 : await resealMissing(trx, archive, { id, role: entry.role, boxPublicKey: Buffer.from(entry.boxPublicKey, 'base64') });
        await appendAudit(trx, { at: iso(), actor: archive.user.id, action: disabled ? 'account.disable' : 'account.enable', subjectKind: 'user', subjectId: id, detail: disabled ? {} : { resealed } });
      });
      return view(archive.db.kysely, id);
    },

    /**
     * A forgotten passphrase: the user's old keys cannot be opened without it, so the user gets new key pairs and a
     * one-time passphrase, and every sealed copy they held is sealed again from the director's own copy. Their
     * drafts (sealed to the old key alone) are lost; copies the director does not hold are counted as lost.
     */
    async resetPassphrase(archive: UnlockedArchive, id: string): Promise<{ user: UserView; oneTimePassphrase: string }> {
      requireDirector(archive);
      await guardOther(archive.db.kysely, archive, id, false);
      const passphrase = oneTimePassphrase();
      const me = { publicKey: sodium.crypto_scalarmult_base(archive.secrets.boxSecretKey), privateKey: archive.secrets.boxSecretKey };
      await withKeyring(archive, async (trx, keyring) => {
        const entry = entryOf(keyring, id);
        const made = newSecrets(archive, entry.role);
        try {
          const copies = await trx.selectFrom('sealed_keys').select('content_id').where('user_id', '=', id).execute();
          let resealed = 0;
          let lost = 0;
          for (const { content_id } of copies) {
            const mine = await trx.selectFrom('sealed_keys').select('sealed_key').where('content_id', '=', content_id).where('user_id', '=', archive.user.id).executeTakeFirst();
            if (!mine) {
              lost++;
              await trx.deleteFrom('sealed_keys').where('content_id', '=', content_id).where('user_id', '=', id).execute();
              continue;
            }
            const copy = resealKey(sodium, mine.sealed_key, me, { userId: id, boxPublicKey: made.boxPublicKey });
            await trx.updateTable('sealed_keys').set({ sealed_key: copy.sealedKey }).where('content_id', '=', content_id).where('user_id', '=', id).execute();
            resealed++;
          }
          const drafts = await trx.deleteFrom('drafts').where('user_id', '=', id).executeTakeFirst();
          await trx.updateTable('users').set({ must_change_passphrase: 1 }).where('id', '=', id).execute();
          await appendAudit(trx, {
            at: iso(),
            actor: archive.user.id,
            action: 'account.reset',
            subjectKind: 'user',
            subjectId: id,
            detail: { resealed, lost, draftsDeleted: Number(drafts.numDeletedRows) },
          });
          const wrap = wrapUserSecrets(sodium, deps.kdfCost, { archiveId: archive.archiveId, userId: id, role: entry.role }, passphrase, made.secrets);
          keyring.retiredSignKeys = [...(keyring.retiredSignKeys ?? []), { userId: id, publicKey: entry.signPublicKey, retiredAt: iso() }];
          // The kit wraps this director's old keys: it could no longer recover them, so it goes (and says so).
          if (keyring.recovery?.directorId === id) {
            delete keyring.recovery;
            await appendAudit(trx, { at: iso(), actor: archive.user.id, action: 'recovery.kit-dropped', subjectKind: 'user', subjectId: id, detail: { reason: 'passphrase-reset' } });
          }
          entry.kdf = wrap.kdf;
          entry.secrets = wrap.secrets;
          entry.boxPublicKey = b64(made.boxPublicKey);
          entry.signPublicKey = b64(made.signPublicKey);
          delete entry.sealedMaster;
        } finally {
          wipeSecrets(made.secrets);
        }
      });
      return { user: await view(archive.db.kysely, id), oneTimePassphrase: passphrase };
    },

    /** Anyone changes their own passphrase: a new wrap of the same keys, nothing re-encrypted. */
    async changeOwnPassphrase(archive: UnlockedArchive, current: string, next: string, nextConfirm: string): Promise<void> {
      const user = archive.user;
      const keyringNow = readKeyring(archivePaths(archive.folder).keyring);
      const entry = entryOf(keyringNow, user.id);
      try {
        wipeSecrets(unwrapUserSecrets(sodium, keyringNow, entry, current));
      } catch (e) {
        if (isArchiveError(e) && e.code === 'AUTH_FAILED') throw new ArchiveError('AUTH_FAILED', 'The current passphrase is not right.');
        throw e;
      }
      deps.policy.require(next, [user.username, user.displayName]);
      if (next.normalize('NFKC') !== nextConfirm.normalize('NFKC')) throw new ArchiveError('PASSPHRASE_MISMATCH', 'The two passphrases are not the same.');
      if (next.normalize('NFKC') === current.normalize('NFKC')) throw new ArchiveError('PASSPHRASE_UNCHANGED', 'Choose a passphrase different from the current one.');
      await withKeyring(archive, async (trx, keyring) => {
        const mine = entryOf(keyring, user.id);
        const wrap = wrapUserSecrets(sodium, deps.kdfCost, { archiveId: archive.archiveId, userId: user.id, role: mine.role }, next, archive.secrets);
        mine.kdf = wrap.kdf;
        mine.secrets = wrap.secrets;
        // The wrap now holds the current master key itself.
        delete mine.sealedMaster;
        await trx.updateTable('users').set({ must_change_passphrase: 0 }).where('id', '=', user.id).execute();
        await appendAudit(trx, { at: iso(), actor: user.id, action: 'account.passphrase-changed', subjectKind: 'user', subjectId: user.id, detail: { firstSignIn: user.mustChangePassphrase } });
      });
      user.mustChangePassphrase = false;
    },

    /** Checks before a removal (which the vault performs, since it rekeys the database). */
    async checkRemovable(archive: UnlockedArchive, id: string): Promise<void> {
      requireDirector(archive);
      await guardOther(archive.db.kysely, archive, id, true);
      entryOf(readKeyring(archivePaths(archive.folder).keyring), id);
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
