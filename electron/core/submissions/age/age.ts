// Public API of the age v1 implementation (X25519 recipients): streaming encryption to recipients and decryption with identities.
//
// Spec: https://github.com/C2SP/C2SP/blob/main/age.md. Files it writes decrypt with `age -d -i`, and files from
// `age -e -r` (binary or `-a` armored) decrypt here. Memory stays bounded by one chunk, one 1 MiB write batch and
// the source's piece size, whatever the size of the data.
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { ArchiveError } from '../../errors';
import { writeAll } from '../../files/durable-io';
import { ArmorEncoder, dearmor, looksArmored } from './age-armor';
import { ByteReader } from './age-bytes';
import { encodeHeader, findHeaderEnd, MAX_HEADER_BYTES, newFileKey, parseHeader, unlockHeader, wrapX25519, type Header } from './age-header';
import { parseRecipient, type Identity } from './age-keys';
import { BatchWriter, decryptPayload, encryptPayload, PAYLOAD_NONCE_SIZE, payloadKey, type Sink } from './age-payload';

export { generateIdentity, identityFileText, parseIdentity, parseIdentityFile, parseRecipient, recipientFingerprint, type Identity } from './age-keys';
export { parseHeader, type Header, type Stanza } from './age-header';
export { openChunk, sealChunk, CHUNK_SIZE, type Sink } from './age-payload';

export type EncryptOptions = {
  /** Write the ASCII-armored form (PEM "AGE ENCRYPTED FILE") instead of binary. */
  armor?: boolean;
};

/** A sink that wraps its batches in armor before passing them on. */
function armoredSink(sink: Sink): { sink: Sink; end(): Promise<void> } {
  const enc = new ArmorEncoder();
  return {
    sink: (parts) => sink([enc.push(Buffer.concat(parts))]),
    end: () => sink([enc.end()]),
  };
}

/**
 * Encrypts `source` to every recipient (`age1...`) and hands header then payload to `sink`, in order and in
 * batches of about 1 MiB; the next batch is encrypted while the sink writes the last. Resolves with the
 * plaintext size once the sink has taken everything. AGE_KEY_INVALID for a bad recipient (before the first output).
 */
export async function encryptStream(recipients: readonly string[], source: AsyncIterable<Uint8Array>, sink: Sink, opts: EncryptOptions = {}): Promise<{ size: number }> {
  if (recipients.length === 0) throw new ArchiveError('AGE_KEY_INVALID', 'encryption needs at least one recipient');
  const keys = recipients.map((r, i) => {
    try {
      return parseRecipient(r);
    } catch (e) {
      if (e instanceof ArchiveError) throw new ArchiveError(e.code, `recipient ${i + 1}: ${e.message}`);
      throw e;
    }
  });
  const fileKey = newFileKey();
  const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
  const key = payloadKey(fileKey, nonce);
  const armor = opts.armor === true ? armoredSink(sink) : undefined;
  const out = new BatchWriter(armor?.sink ?? sink);
  try {
    const header = encodeHeader(
      keys.map((k) => wrapX25519(fileKey, k)),
      fileKey,
    );
    await out.push([header, nonce]);
    const size = await encryptPayload(key, source, out);
    await out.end();
    await armor?.end();
    return { size };
  } catch (e) {
    await out.settle();
    throw e;
  } finally {
    fileKey.fill(0);
    key.fill(0);
  }
}

/** Reads the header from the reader (leaving it at the payload). Bounded to MAX_HEADER_BYTES. */
async function readHeader(reader: ByteReader): Promise<Header> {
  for (;;) {
    const buf = reader.peek();
    const end = findHeaderEnd(buf.subarray(0, MAX_HEADER_BYTES + 1));
    if (end !== undefined) {
      const header = parseHeader(buf.subarray(0, end));
      reader.take(end);
      return header;
    }
    // parseHeader names the fault of what is there (wrong version line, bad stanza, cut short, too long).
    if (buf.length > MAX_HEADER_BYTES || !(await reader.more())) {
      parseHeader(reader.peek().subarray(0, MAX_HEADER_BYTES + 1));
      throw new ArchiveError('AGE_HEADER_MALFORMED', 'the header has no "---" MAC line');
    }
  }
}

/**
 * Decrypts an age file (binary or armored, detected) from `source` with the first identity that matches a
 * stanza, handing authenticated plaintext to `sink` in batches. Every chunk is authenticated before its bytes
 * go out; still, a damaged or cut file fails only when the reader gets there, so the caller must treat the
 * output as incomplete until this resolves. Errors: AGE_ARMOR_MALFORMED, AGE_HEADER_MALFORMED,
 * AGE_NO_IDENTITY, AGE_PAYLOAD_DAMAGED.
 */
export async function decryptStream(identities: readonly Identity[], source: AsyncIterable<Uint8Array>, sink: Sink): Promise<{ size: number }> {
  if (identities.length === 0) throw new ArchiveError('AGE_KEY_INVALID', 'decryption needs at least one identity');
  let reader = new ByteReader(source);
  if (await looksArmored(reader)) reader = new ByteReader(dearmor(reader));
  const header = await readHeader(reader);
  const fileKey = unlockHeader(header, identities);
  const out = new BatchWriter(sink);
  try {
    const size = await decryptPayload(fileKey, reader, out);
    await out.end();
    return { size };
  } catch (e) {
    await out.settle();
    throw e;
  } finally {
    fileKey.fill(0);
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function collector(): { sink: Sink; result(): Buffer } {
  const parts: Buffer[] = [];
  return {
    sink: (batch) => {
      // Copies: the encryptor reuses its buffers once the sink returns.
      parts.push(...batch.map((b) => Buffer.from(b)));
      return Promise.resolve();
    },
    result: () => Buffer.concat(parts),
  };
}

/** Small data in memory (keys, manifests, tests); use encryptStream for files. */
export async function encryptBytes(recipients: readonly string[], plain: Uint8Array, opts: EncryptOptions = {}): Promise<Buffer> {
  const c = collector();
  await encryptStream(recipients, once(plain), c.sink, opts);
  return c.result();
}

/** Small data in memory; use decryptStream for files. */
export async function decryptBytes(identities: readonly Identity[], file: Uint8Array): Promise<Buffer> {
  const c = collector();
  await decryptStream(identities, once(file), c.sink);
  return c.result();
}

/** A sink writing to an open file with writev (no joining of batches), retrying short writes. */
export function fileSink(fh: FileHandle): Sink {
  return (parts) => writeAll(fh, parts);
}
