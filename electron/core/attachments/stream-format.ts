// The on-disk format of one encrypted attachment: header, key derivation, chunk nonces and the size arithmetic.
//
// Layout (all integers big-endian):
//   header  32 bytes  magic "TAATTACH" (8) | version u8 = 1 | 3 zero bytes | chunk size u32 | attachment id (16, the uuid)
//   mac     32 bytes  HMAC-SHA256(HKDF(file key, info "header"), header)
//   chunks  ...       the age STREAM construction (https://github.com/C2SP/C2SP/blob/main/age.md#payload):
//                     plaintext cut into chunks of `chunk size` bytes, each sealed with ChaCha20-Poly1305 under
//                     the payload key, nonce = 11-byte chunk counter || last flag (0x01 on the last chunk only),
//                     ciphertext followed by its 16-byte tag. The last chunk may be full; it is empty only when
//                     the whole plaintext is empty, so an empty file is one empty last chunk (16 bytes).
//
// Why this and not libsodium's crypto_secretstream_xchacha20poly1305 (which the issue names): Node's native
// chacha20-poly1305 (OpenSSL) runs about 6x faster than libsodium's WASM build, and an hour of audio or a video
// of several GB must import about as fast as the `age` CLI (the bench's attachment_import_ratio_to_age). STREAM gives the same guarantees secretstream is
// chosen for: every chunk authenticated before use, chunks cannot be reordered, dropped or duplicated (the
// counter is in the nonce) and the end cannot be cut off unnoticed (the last flag). Chunk k of the file is at a
// computable offset, so a range request decrypts only the chunks it needs.
//
// Binding: the payload key is HKDF-SHA256(file key, salt = header, info "payload"), and the header carries its
// own MAC, so a file from another attachment, a swapped header or an edited chunk size never decrypts.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ArchiveError } from '../errors';

export const MAGIC = Buffer.from('TAATTACH', 'latin1');
export const FORMAT_VERSION = 1;
export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const HEADER_SIZE = 32;
export const MAC_SIZE = 32;
/** Bytes before the first chunk. */
export const PREAMBLE_SIZE = HEADER_SIZE + MAC_SIZE;
/** A header may declare another chunk size (a future writer); the reader accepts a sane range only. */
const MIN_CHUNK = 1024;
const MAX_CHUNK = 16 * 1024 * 1024;

export type AttachmentKey = { key: Uint8Array; attachmentId: string };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isAttachmentId(id: string): boolean {
  return uuidPattern.test(id);
}

export function idBytes(id: string): Buffer {
  if (!isAttachmentId(id)) throw new ArchiveError('IPC_BAD_INPUT', `not an attachment id: ${JSON.stringify(id)}`);
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function checkKey(key: Uint8Array): void {
  if (key.length !== 32) throw new ArchiveError('IPC_BAD_INPUT', `an attachment key is 32 bytes, not ${key.length}`);
}

export function encodeHeader(attachmentId: string, chunkSize = CHUNK_SIZE): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 8);
  header.writeUInt32BE(chunkSize, 12);
  idBytes(attachmentId).copy(header, 16);
  return header;
}

/** Header plus its MAC: the first PREAMBLE_SIZE bytes of the file. */
export function encodePreamble(k: AttachmentKey): { preamble: Buffer; payloadKey: Buffer; chunkSize: number } {
  checkKey(k.key);
  const header = encodeHeader(k.attachmentId);
  const preamble = Buffer.concat([header, headerMac(k.key, header)]);
  return { preamble, payloadKey: payloadKey(k.key, header), chunkSize: CHUNK_SIZE };
}

function headerMac(key: Uint8Array, header: Buffer): Buffer {
  const macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'testimony-archive attachment header', 32));
  return createHmac('sha256', macKey).update(header).digest();
}

function payloadKey(key: Uint8Array, header: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, header, 'testimony-archive attachment payload', 32));
}

const damaged = (message: string) => new ArchiveError('ATTACHMENT_DAMAGED', message);

/** The chunk size of an unauthenticated header (only to compute a size from a file's length). */
export function readChunkSize(header: Buffer): number {
  if (header.length === 0) throw damaged('the file is empty (not even a header)');
  if (header.length < HEADER_SIZE) throw damaged('the file ends inside its header');
  if (!header.subarray(0, 8).equals(MAGIC)) throw damaged('the file is not an attachment file (bad header)');
  const chunkSize = header.readUInt32BE(12);
  if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) throw damaged(`the header declares an unsupported chunk size ${chunkSize} (bad header)`);
  return chunkSize;
}

/**
 * Checks a preamble read from a file against the expected attachment and key; returns the payload key.
 * The id is compared before the MAC so that a file of another attachment is named as such.
 */
export function openPreamble(preamble: Buffer, k: AttachmentKey): { payloadKey: Buffer; chunkSize: number } {
  checkKey(k.key);
  if (preamble.length === 0) throw damaged('the file is empty (not even a header)');
  if (preamble.length < PREAMBLE_SIZE) throw damaged('the file ends inside its header');
  const header = preamble.subarray(0, HEADER_SIZE);
  if (!header.subarray(0, 8).equals(MAGIC)) throw damaged('the file is not an attachment file (bad header)');
  const version = header.readUInt8(8);
  if (version !== FORMAT_VERSION) throw damaged(`the file has an unknown format version ${version} (bad header)`);
  if (!header.subarray(16, 32).equals(idBytes(k.attachmentId))) throw damaged('the file belongs to another attachment');
  const mac = preamble.subarray(HEADER_SIZE, PREAMBLE_SIZE);
  if (!timingSafeEqual(mac, headerMac(k.key, header))) throw damaged('the header failed authentication (altered header or wrong key)');
  const chunkSize = header.readUInt32BE(12);
  // Checked after the MAC: a verified header came from our writer, so this only guards against a future one.
  if (header.readUIntBE(9, 3) !== 0 || chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) throw damaged(`the header declares an unsupported chunk size ${chunkSize} (bad header)`);
  return { payloadKey: payloadKey(k.key, header), chunkSize };
}

/** 11-byte big-endian counter || last flag. 2^88 chunks is far beyond any file, so the counter never wraps. */
export function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6); // counters up to 2^48: the upper 5 bytes stay zero
  nonce[11] = last ? 1 : 0;
  return nonce;
}

export type Layout = { chunkSize: number; chunks: number; plaintextSize: number; lastPlainSize: number };

/**
 * Where the chunks are, from the file's length alone. A length whose remainder is a partial tag cannot come
 * from our writer; a cut exactly at a chunk boundary yields a valid-looking layout, but its last chunk was
 * sealed without the last flag, so it fails when read (see stream-file.ts).
 */
export function layoutOf(fileLength: number, chunkSize: number): Layout {
  if (fileLength < PREAMBLE_SIZE) throw damaged('the file ends inside its header');
  const payload = fileLength - PREAMBLE_SIZE;
  if (payload === 0) throw damaged('the file ends before its first chunk');
  const sealed = chunkSize + TAG_SIZE;
  const full = Math.floor(payload / sealed);
  const rest = payload % sealed;
  if (rest === 0) return { chunkSize, chunks: full, plaintextSize: full * chunkSize, lastPlainSize: chunkSize };
  if (rest < TAG_SIZE) throw damaged('the file ends inside a chunk');
  return { chunkSize, chunks: full + 1, plaintextSize: full * chunkSize + rest - TAG_SIZE, lastPlainSize: rest - TAG_SIZE };
}

export function chunkOffset(index: number, chunkSize: number): number {
  return PREAMBLE_SIZE + index * (chunkSize + TAG_SIZE);
}
