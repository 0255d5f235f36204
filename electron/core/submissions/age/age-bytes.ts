// Byte plumbing shared by the age modules: strict base64 both ways and a pull reader over an async byte source.

const B64_CHARS = /^[A-Za-z0-9+/]*$/;

/**
 * Unpadded, canonical base64 (https://github.com/C2SP/C2SP/blob/main/age.md#conventions-used-in-this-document).
 * Node's decoder silently skips bad characters and ignores stray bits, so the input is checked by charset and
 * by re-encoding: only the one canonical spelling of the bytes comes back unchanged. Returns undefined if not.
 */
export function decodeRawBase64(text: string): Buffer | undefined {
  if (!B64_CHARS.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes : undefined;
}

export function encodeRawBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64').replace(/=+$/, '');
}

/** Padded canonical base64 (the ASCII armor, RFC 7468). */
export function decodePaddedBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Pulls bytes from an async source on demand. Holds only what was asked for plus the rest of the last piece
 * the source gave, so memory is bounded by the caller's largest request and the source's piece size.
 */
export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private parts: Buffer[] = [];
  private size = 0;
  private ended = false;
  /** Bytes handed out by take() so far (offsets for error messages). */
  consumed = 0;

  /** Errors of the source itself (a read failing) pass through unchanged: they are not a fault of the format. */
  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  get buffered(): number {
    return this.size;
  }

  get atEnd(): boolean {
    return this.ended && this.size === 0;
  }

  /** Reads until at least n bytes are buffered or the source ends; true if n bytes are there. */
  async fill(n: number): Promise<boolean> {
    while (this.size < n && !this.ended) {
      const r = await this.it.next();
      if (r.done === true) this.ended = true;
      else if (r.value.length > 0) {
        this.parts.push(toBuffer(r.value));
        this.size += r.value.length;
      }
    }
    return this.size >= n;
  }

  /** Reads one more piece from the source; false at its end. */
  async more(): Promise<boolean> {
    if (this.ended) return false;
    const before = this.size;
    await this.fill(this.size + 1);
    return this.size > before;
  }

  /** The buffered bytes as one buffer, without consuming them (joins the parts once). */
  peek(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts, this.size)];
    return this.parts[0] ?? Buffer.alloc(0);
  }

  /** Consumes n buffered bytes; a view when they lie in one piece, else one copy. */
  take(n: number): Buffer {
    if (n > this.size) throw new RangeError(`take(${n}) with ${this.size} buffered`);
    this.size -= n;
    this.consumed += n;
    const first = this.parts[0];
    if (first !== undefined && first.length >= n) {
      if (first.length === n) this.parts.shift();
      else this.parts[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const p = this.parts[0];
      if (p === undefined) break;
      const k = Math.min(p.length, n - off);
      p.copy(out, off, 0, k);
      off += k;
      if (k === p.length) this.parts.shift();
      else this.parts[0] = p.subarray(k);
    }
    return out;
  }

  /** Everything not yet taken: the buffered bytes, then the rest of the source. */
  async *rest(): AsyncGenerator<Buffer> {
    while (this.parts.length > 0) {
      const p = this.parts.shift();
      if (p !== undefined) {
        this.size -= p.length;
        this.consumed += p.length;
        yield p;
      }
    }
    while (await this.more()) yield this.take(this.size);
  }
}
