// Sealing and opening batches of STREAM chunks (ChaCha20-Poly1305, age's construction) on worker threads.
//
// Why workers: one thread of OpenSSL ChaCha20-Poly1305 plus SHA-256 of the same bytes cannot keep up with the
// `age` CLI on the 2-core machines the NGO uses. STREAM chunks are independent (each has its own nonce from its
// counter), so batches of them are sealed on other cores while the calling thread reads, hashes and writes.
// The workers hold nothing between batches: each message carries its key, and the key copy is zeroed after use.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export type ChunkBatch = {
  /** The 32-byte ChaCha20-Poly1305 key of the stream. */
  key: Uint8Array;
  /** Counter of the first chunk of the batch. */
  firstCounter: number;
  /** Plaintext bytes per chunk (the last chunk of the batch may be shorter only when it is the stream's last). */
  chunkSize: number;
  /** Whether the batch's final chunk is the stream's last (its nonce carries the last flag). */
  endsStream: boolean;
};

/** Why a chunk failed to open; the caller turns it into its own named error. */
export type OpenFailure = { index: number };

type Request = { id: number; op: 'seal' | 'open'; key: Uint8Array; firstCounter: number; chunkSize: number; endsStream: boolean; data: ArrayBuffer; offset: number; length: number; out: ArrayBuffer };
type Reply =
  | { id: number; ok: true; data: ArrayBuffer; length: number; input: ArrayBuffer }
  | { id: number; ok: false; index: number; input: ArrayBuffer; out: ArrayBuffer; message?: string };

// Plain CommonJS so it runs as an eval worker both in Node (tests, CLI) and in Electron's main process, with no
// separate bundle entry. Mirrors seal/open in attachments/stream-file.ts (same nonce layout, 16-byte tags).
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createCipheriv, createDecipheriv } = require('node:crypto');
const TAG = 16;
// OpenSSL's update() returns a fresh 64 KiB buffer per chunk, and V8 collects such external memory only once
// about 64 MB of it has piled up per thread. A young-generation collection after each batch (cheap: almost
// nothing is alive) frees them at once. The flag only adds a gc function to new contexts; none is exposed to
// the app's code.
let collect = () => {};
try {
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  if (typeof gc === 'function') collect = () => gc({ type: 'minor', execution: 'sync' });
} catch {}
function nonce(counter, last) {
  const n = Buffer.alloc(12);
  n.writeUIntBE(counter, 5, 6);
  n[11] = last ? 1 : 0;
  return n;
}
parentPort.on('message', (m) => {
  const input = Buffer.from(m.data, m.offset, m.length);
  const key = Buffer.from(m.key);
  try {
    if (m.op === 'seal') {
      const chunks = Math.max(1, Math.ceil(m.length / m.chunkSize));
      const out = Buffer.from(m.out, 0, m.length + chunks * TAG);
      let o = 0;
      for (let c = 0; c < chunks; c++) {
        const plain = input.subarray(c * m.chunkSize, Math.min((c + 1) * m.chunkSize, m.length));
        const cipher = createCipheriv('chacha20-poly1305', key, nonce(m.firstCounter + c, m.endsStream && c === chunks - 1), { authTagLength: TAG });
        o += cipher.update(plain).copy(out, o);
        o += cipher.final().copy(out, o);
        o += cipher.getAuthTag().copy(out, o);
      }
      parentPort.postMessage({ id: m.id, ok: true, data: m.out, length: o, input: m.data }, [m.out, m.data]);
    } else {
      const sealed = m.chunkSize + TAG;
      const chunks = Math.ceil(m.length / sealed);
      const out = Buffer.from(m.out, 0, Math.max(0, m.length - chunks * TAG));
      let o = 0;
      for (let c = 0; c < chunks; c++) {
        const part = input.subarray(c * sealed, Math.min((c + 1) * sealed, m.length));
        let ok = part.length >= TAG;
        if (ok) {
          const d = createDecipheriv('chacha20-poly1305', key, nonce(m.firstCounter + c, m.endsStream && c === chunks - 1), { authTagLength: TAG });
          d.setAuthTag(part.subarray(part.length - TAG));
          const body = d.update(part.subarray(0, part.length - TAG));
          try { d.final(); } catch { ok = false; }
          if (ok) o += body.copy(out, o);
        }
        if (!ok) {
          out.fill(0);
          parentPort.postMessage({ id: m.id, ok: false, index: c, input: m.data, out: m.out }, [m.data, m.out]);
          return;
        }
      }
      parentPort.postMessage({ id: m.id, ok: true, data: m.out, length: o, input: m.data }, [m.out, m.data]);
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, index: -1, message: String(e && e.message), input: m.data, out: m.out }, [m.data, m.out]);
  } finally {
    key.fill(0);
    collect();
  }
});
`;

type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; busy: number; pending: Map<number, Pending> };

/** Size of the recycled buffers: a batch of 16 chunks of 64 KiB with their tags, and some room. */
const BUFFER_BYTES = 16 * (64 * 1024 + 16) + 4096;
/** Spare buffers kept for reuse; enough for every batch in flight, so steady streaming allocates nothing. */
const MAX_SPARE = 24;

/**
 * A small pool of eval workers, started on first use and unref'd so an idle pool never keeps a process alive.
 * Batches go to an idle (else the least busy) worker; replies come back in any order and are matched by id.
 * Buffers travel by transfer, not copy, and come back to a spare list: without that, a 1 GiB import left
 * about 60 MB of dead 1 MiB buffers for the garbage collector.
 */
export class ChunkPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private spare: ArrayBuffer[] = [];

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  get workers(): number {
    return this.size;
  }

  /**
   * Seals `plain` (whole chunks, except a shorter final one when the batch ends the stream). The bytes are
   * copied, so `plain` stays the caller's. Give the result back with `recycle` once it is written.
   */
  async seal(batch: ChunkBatch, plain: Uint8Array): Promise<Buffer> {
    const reply = await this.send('seal', batch, plain);
    if (!reply.ok) throw new Error(`sealing failed: ${reply.message ?? `chunk ${reply.index}`}`);
    return Buffer.from(reply.data, 0, reply.length);
  }

  /**
   * Opens `sealed` (sealed chunks back to back). Returns the plaintext, or the batch-relative index of the
   * first chunk that failed authentication (no plaintext of a failed batch is returned).
   */
  async open(batch: ChunkBatch, sealed: Uint8Array): Promise<Buffer | OpenFailure> {
    const reply = await this.send('open', batch, sealed);
    if (reply.ok) return Buffer.from(reply.data, 0, reply.length);
    if (reply.index < 0) throw new Error(`opening failed: ${reply.message ?? ''}`);
    return { index: reply.index };
  }

  /**
   * Takes back a buffer returned by seal or open, once its bytes are no longer needed. Plaintext (what open
   * returned) is zeroed first; ciphertext is not worth the time.
   */
  recycle(buffer: Buffer, holds: 'plaintext' | 'ciphertext'): void {
    const ab = buffer.buffer;
    if (!(ab instanceof ArrayBuffer) || ab.byteLength !== BUFFER_BYTES || this.spare.length >= MAX_SPARE || this.spare.includes(ab)) return;
    if (holds === 'plaintext') new Uint8Array(ab).fill(0);
    this.spare.push(ab);
  }

  /** Stops the workers (tests and shutdown); the pool starts new ones if used again. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    this.spare = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private take(bytes: number): ArrayBuffer {
    if (bytes > BUFFER_BYTES) return new ArrayBuffer(bytes);
    return this.spare.pop() ?? new ArrayBuffer(BUFFER_BYTES);
  }

  private giveBack(ab: ArrayBuffer): void {
    if (ab.byteLength === BUFFER_BYTES && this.spare.length < MAX_SPARE) this.spare.push(ab);
  }

  private send(op: 'seal' | 'open', batch: ChunkBatch, data: Uint8Array): Promise<Reply> {
    const chunks = Math.max(1, Math.ceil(data.byteLength / (op === 'seal' ? batch.chunkSize : batch.chunkSize + 16)));
    const input = this.take(data.byteLength);
    new Uint8Array(input).set(data);
    const out = this.take(op === 'seal' ? data.byteLength + chunks * 16 : data.byteLength);
    const slot = this.pick();
    const id = this.nextId++;
    const request: Request = { id, op, key: batch.key, firstCounter: batch.firstCounter, chunkSize: batch.chunkSize, endsStream: batch.endsStream, data: input, offset: 0, length: data.byteLength, out };
    return new Promise<Reply>((resolve, reject) => {
      slot.pending.set(id, {
        resolve: (reply) => {
          // The input copy may hold plaintext (seal); it is zeroed before reuse.
          new Uint8Array(reply.input).fill(0);
          this.giveBack(reply.input);
          if (!reply.ok) this.giveBack(reply.out);
          resolve(reply);
        },
        reject,
      });
      slot.busy++;
      if (slot.busy === 1) slot.worker.ref();
      slot.worker.postMessage(request, [input, out]);
    });
  }

  private pick(): Slot {
    const idle = this.slots.find((s) => s.busy === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.start();
    let best: Slot | undefined;
    for (const s of this.slots) if (best === undefined || s.busy < best.busy) best = s;
    if (best === undefined) throw new Error('the chunk pool has no worker');
    return best;
  }

  private start(): Slot {
    const worker = new Worker(workerSource, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 } });
    const slot: Slot = { worker, busy: 0, pending: new Map() };
    worker.on('message', (reply: Reply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      slot.busy--;
      // An idle worker must not keep the process (a CLI command, a test file) alive.
      if (slot.busy === 0) worker.unref();
      p.resolve(reply);
    });
    const fail = (e: Error) => {
      this.slots = this.slots.filter((s) => s !== slot);
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a crypto worker stopped (exit code ${code})`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }
}

/** The process-wide pool: workers are costly to start (about 30 ms), so attachments and bundles share them. */
export const chunkPool = new ChunkPool();

/** Chunks per batch handed to a worker (1 MiB of plaintext at 64 KiB chunks): large enough that messaging costs little. */
export const SEAL_BATCH_CHUNKS = 16;

/**
 * Seals a whole stream with STREAM (counter from 0, last flag on the final chunk; an empty stream is one empty
 * final chunk) on the pool, calling `emit` with each sealed batch in order, one at a time; a batch's buffer is
 * recycled once its emit resolves, so `emit` must be done with it by then. `onPiece` sees every plaintext piece
 * first (hashing, size limits; a throw stops the stream). At most two batches per worker are in flight, so
 * memory does not grow with the stream. Returns the plaintext size.
 */
export async function sealStream(
  key: Uint8Array,
  chunkSize: number,
  source: AsyncIterable<Uint8Array>,
  emit: (sealed: Buffer) => Promise<void>,
  onPiece?: (piece: Uint8Array) => void,
  pool: ChunkPool = chunkPool,
): Promise<number> {
  const batchBytes = SEAL_BATCH_CHUNKS * chunkSize;
  const maxInFlight = pool.workers * 2;
  const staging = Buffer.alloc(batchBytes);
  const inFlight: Array<Promise<Buffer>> = [];
  let writing: Promise<void> = Promise.resolve();
  let filled = 0;
  let counter = 0;
  let size = 0;
  const emitNext = async () => {
    const next = inFlight.shift();
    if (!next) return;
    const sealed = await next;
    await writing;
    writing = emit(sealed).then(() => pool.recycle(sealed, 'ciphertext'));
    writing.catch(() => undefined); // awaited later; this only keeps a failure from counting as unhandled meanwhile
  };
  // A full batch is sent only once the next byte arrives, because whether its final chunk is the stream's last
  // decides that chunk's nonce. The pool copies the staging buffer, so it is refilled at once.
  const dispatch = async (endsStream: boolean) => {
    const sealing = pool.seal({ key, firstCounter: counter, chunkSize, endsStream }, staging.subarray(0, filled));
    sealing.catch(() => undefined);
    inFlight.push(sealing);
    counter += Math.max(1, Math.ceil(filled / chunkSize));
    filled = 0;
    while (inFlight.length >= maxInFlight) await emitNext();
  };
  try {
    for await (const piece of source) {
      onPiece?.(piece);
      size += piece.length;
      let off = 0;
      while (off < piece.length) {
        if (filled === batchBytes) await dispatch(false);
        const n = Math.min(batchBytes - filled, piece.length - off);
        staging.set(piece.subarray(off, off + n), filled);
        filled += n;
        off += n;
      }
    }
    await dispatch(true);
    while (inFlight.length > 0) await emitNext();
    await writing;
    return size;
  } catch (e) {
    await Promise.allSettled(inFlight);
    await writing.catch(() => undefined);
    throw e;
  } finally {
    staging.fill(0);
  }
}
