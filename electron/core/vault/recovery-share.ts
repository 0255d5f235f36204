// The printed text of one recovery share: "TA1-" + Crockford base32 in groups of four, with its own checksum.
// Crockford base32: https://www.crockford.com/base32.html (no I, L, O, U; read I/L as 1 and O as 0 when parsing).
import type { Sodium } from '../crypto/sodium';

/** Format version, written as the prefix; the checksum covers it, so "TA2-..." data never parses as TA1. */
export const sharePrefix = 'TA1';

/** Bytes of one share's payload, by field (fixed layout, so a share's length alone says whether it is complete). */
const layout = { archive: 8, kit: 8, threshold: 1, total: 1, index: 1, fingerprint: 4, share: 33, checksum: 4 } as const;
const bodyBytes = layout.archive + layout.kit + layout.threshold + layout.total + layout.index + layout.fingerprint + layout.share;
const payloadBytes = bodyBytes + layout.checksum;
/** 60 bytes = 480 bits = exactly 96 base32 characters, so there is no padding to get wrong. */
export const shareChars = Math.ceil((payloadBytes * 8) / 5);
/** Bytes of the secret share itself: the 32-byte recovery key's polynomial values plus the x coordinate (shamir-secret-sharing). */
export const shareSecretBytes = layout.share;
/** Bytes of the archive and kit ids a share carries (their leading bytes: enough to tell archives and kits apart). */
export const shortIdBytes = layout.archive;
export const shareFingerprintBytes = layout.fingerprint;

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const decodeMap = new Map<string, number>(Array.from(alphabet, (c, i) => [c, i]));
for (const [alias, c] of [['O', '0'], ['I', '1'], ['L', '1']] as const) decodeMap.set(alias, decodeMap.get(c) ?? 0);

/** Separators people type or paste between groups: spaces, line breaks, ASCII and Unicode dashes. */
const separators = /[\s\-\u2010-\u2015\u2212]/gu;

export type ShareFields = {
  /** Leading bytes of the archive id (UUID bytes). */
  archive: Uint8Array;
  /** Leading bytes of the kit id (UUID bytes). */
  kit: Uint8Array;
  threshold: number;
  total: number;
  /** 1-based number printed on the share ("share 2 of 5"). */
  index: number;
  /** Leading bytes of the kit's commitment. */
  fingerprint: Uint8Array;
  /** The shamir-secret-sharing share (value bytes + x coordinate). */
  share: Uint8Array;
};

export type ShareParse = { ok: true; fields: ShareFields } | { ok: false; problem: string };

export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += alphabet.charAt((acc >>> bits) & 31);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet.charAt((acc << (5 - bits)) & 31);
  return out;
}

/** Decodes upper-case Crockford base32; null on a character outside the alphabet. Trailing partial bits are dropped. */
function decodeBase32(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const c of text) {
    const v = decodeMap.get(c);
    if (v === undefined) return null;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}

function checksum(sodium: Sodium, body: Uint8Array): Uint8Array {
  const prefix = new TextEncoder().encode(`testimony-archive/recovery-share|${sharePrefix}|`);
  const input = new Uint8Array(prefix.length + body.length);
  input.set(prefix);
  input.set(body, prefix.length);
  // BLAKE2b's shortest output is 16 bytes; the first four catch typing mistakes (1 in 4 billion slips through,
  // and then the commitment still refuses the combined key).
  return sodium.crypto_generichash(16, input, null).subarray(0, layout.checksum);
}

/** "TA1-ABCD-EFGH-...": the text printed on the share and put into its QR code (alphanumeric mode). */
export function formatShare(sodium: Sodium, f: ShareFields): string {
  if (f.archive.length !== layout.archive || f.kit.length !== layout.kit || f.fingerprint.length !== layout.fingerprint || f.share.length !== layout.share) {
    throw new Error('formatShare: a field has the wrong length');
  }
  const body = new Uint8Array(bodyBytes);
  let at = 0;
  const put = (bytes: Uint8Array) => {
    body.set(bytes, at);
    at += bytes.length;
  };
  put(f.archive);
  put(f.kit);
  put(Uint8Array.of(f.threshold, f.total, f.index));
  put(f.fingerprint);
  put(f.share);
  const payload = new Uint8Array(payloadBytes);
  payload.set(body);
  payload.set(checksum(sodium, body), bodyBytes);
  const chars = encodeBase32(payload);
  body.fill(0);
  payload.fill(0);
  return [sharePrefix, ...(chars.match(/.{1,4}/g) ?? [])].join('-');
}

/**
 * Reads a share as typed or scanned: case, spaces, line breaks and dashes do not matter, nor O/0 and I/L/1.
 * Returns the problem in plain words when it is not a whole, undamaged share.
 */
export function parseShare(sodium: Sodium, text: string): ShareParse {
  const cleaned = text.normalize('NFKC').replace(separators, '').toUpperCase();
  if (cleaned.length === 0) return { ok: false, problem: 'it is empty' };
  if (!cleaned.startsWith('TA')) return { ok: false, problem: 'it does not start with TA1' };
  // "TAI" or "TAL" is a misread "TA1", like inside the share.
  if (cleaned.slice(0, 3).replace(/[IL]$/, '1') !== sharePrefix) return { ok: false, problem: 'it was made by another version of the app (it does not start with TA1)' };
  const chars = cleaned.slice(sharePrefix.length);
  if (chars.length < shareChars) return { ok: false, problem: `it is incomplete: ${chars.length} of ${shareChars} characters` };
  if (chars.length > shareChars) return { ok: false, problem: `it is too long: ${chars.length} characters instead of ${shareChars}` };
  const bad = Array.from(chars).find((c) => !decodeMap.has(c));
  if (bad !== undefined) return { ok: false, problem: `it contains "${bad}", which shares never use` };
  const payload = decodeBase32(chars);
  if (!payload || payload.length !== payloadBytes) return { ok: false, problem: 'it is damaged' };
  const body = payload.subarray(0, bodyBytes);
  const expected = checksum(sodium, body);
  if (!sodium.memcmp(expected, payload.subarray(bodyBytes))) {
    payload.fill(0);
    return { ok: false, problem: 'its checksum does not match: a character was mistyped or the print is damaged' };
  }
  let at = 0;
  const take = (n: number) => {
    const part = body.slice(at, at + n);
    at += n;
    return part;
  };
  const archive = take(layout.archive);
  const kit = take(layout.kit);
  const [threshold = 0, total = 0, index = 0] = take(3);
  const fingerprint = take(layout.fingerprint);
  const share = take(layout.share);
  payload.fill(0);
  if (threshold < 2 || total < threshold || total > 16 || index < 1 || index > total) {
    share.fill(0);
    return { ok: false, problem: 'its numbers (share, threshold, total) are impossible' };
  }
  return { ok: true, fields: { archive, kit, threshold, total, index, fingerprint, share } };
}

/** The leading bytes of a UUID's 16 bytes, as shares carry them. */
export function shortId(uuid: string): Uint8Array {
  return Uint8Array.from(Buffer.from(uuid.replace(/-/g, ''), 'hex').subarray(0, shortIdBytes));
}
