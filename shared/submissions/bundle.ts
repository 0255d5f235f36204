// A submission bundle's manifest (signed, readable without decrypting) and the verifier's report of a bundle.
import { z } from 'zod';
import type { ErrorCode } from '../errors';

export const bundleFormat = 'testimony-archive/bundle';
/** 2: the payload is listed by its BLAKE2b-512 (`b2sum`), the hash its minisign signature covers, not SHA-256. */
export const bundleFormatVersion = 2;

/** The files of a bundle folder, besides an optional copy of the archive's public key (never trusted from there). */
export const bundleFiles = { manifest: 'manifest.json', manifestSig: 'manifest.json.minisig', payload: 'payload.age', payloadSig: 'payload.age.minisig', publicKey: 'archive.pub' } as const;

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const label = z.string().min(1).max(200);

/** Names inside the payload tar: the fixed files and attachments/<uuid>.<ext>. Nothing else is ever accepted. */
export const payloadFileNames = ['records.json', 'records.schema.json', 'records.csv', 'summary.html'] as const;
export const attachmentEntryPattern = /^attachments\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[a-z0-9]{1,8}$/;
export const isPayloadEntryName = (name: string): boolean => (payloadFileNames as readonly string[]).includes(name) || attachmentEntryPattern.test(name);

/** One person's consent as the bundle's basis for including a record, under the person's label in this bundle. */
export const consentBasisSchema = z.strictObject({
  person: z.string().min(1).max(64),
  role: z.enum(['deponent', 'participant', 'victim']),
  /** What the person allowed for the commission; null for a victim without a consent row on the record. */
  scope: z.enum(['named', 'pseudonymised', 'none']).nullable(),
  anonymity: z.string().max(64).nullable(),
  withdrawal: z.strictObject({ date: z.string().max(32), scope: z.enum(['all', 'commission', 'public', 'media']) }).nullable(),
  embargoUntil: z.string().max(32).nullable(),
  formVersion: z.string().max(64).nullable(),
  minor: z.boolean(),
  identity: z.enum(['named', 'pseudonymised']).nullable(),
});
export type ConsentBasisEntry = z.output<typeof consentBasisSchema>;

export const manifestSchema = z.strictObject({
  format: z.literal(bundleFormat),
  version: z.literal(bundleFormatVersion),
  bundleId: uuid,
  sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  createdAt: z.iso.datetime(),
  archive: z.strictObject({ id: uuid, keyId: hex(8) }),
  recipients: z.array(z.strictObject({ label, kind: z.enum(['commission', 'auditor', 'other']), recipient: z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/), fingerprint: z.string().max(100) })).min(1).max(100),
  counts: z.strictObject({ records: count, testimonies: count, sessions: count, named: count, pseudonymised: count, excluded: count, attachments: count, attachmentBytes: count }),
  /** payload.age by size and BLAKE2b-512: the digest minisign signs, and what `b2sum payload.age` prints. */
  payload: z.strictObject({ file: z.literal(bundleFiles.payload), bytes: count, blake2b512: hex(64) }),
  /** Every file inside the payload, with the SHA-256 of its plaintext (attachments: their intake hash). */
  files: z.array(z.strictObject({ path: z.string().max(200).refine(isPayloadEntryName, 'not a payload file name'), bytes: count, sha256: hex(32) })).min(1).max(1_000_000),
  /** Per record, by its label in records.json: the identity level it was submitted at and every person's consent. */
  consent: z.array(z.strictObject({ kind: z.enum(['testimony', 'session']), ref: z.string().min(1).max(64), identity: z.enum(['named', 'pseudonymised']), restricted: z.boolean(), basis: z.array(consentBasisSchema).max(1000) })).max(1_000_000),
  /** The archive's audit trail as of the export: a C2SP signed note by the archive key (origin, count, head). */
  checkpoint: z.strictObject({ note: z.string().min(1).max(8192), count, head: hex(32) }),
});
export type BundleManifest = z.output<typeof manifestSchema>;

/** The verifier's checks, in the order they run. */
export const bundleCheckNames = ['files', 'manifest-signature', 'manifest', 'payload-signature', 'payload-hash', 'sequence', 'checkpoint', 'decryption', 'contents', 'records'] as const;
export type BundleCheckName = (typeof bundleCheckNames)[number];

/** pass/fail, or skipped (a check that needs what an earlier one failed, or an identity that was not given). */
export type BundleCheck = { name: BundleCheckName; status: 'pass' | 'fail' | 'skipped'; code?: ErrorCode; detail: string };

export type BundleReport = {
  ok: boolean;
  bundleId: string | null;
  sequence: number | null;
  archiveId: string | null;
  createdAt: string | null;
  checks: BundleCheck[];
};
