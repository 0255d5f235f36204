// Hashing a stream on a worker thread, so the thread that writes a bundle is not the one hashing it.
//
// Why: minisign signs the BLAKE2b-512 of a file, and OpenSSL's BLAKE2b runs at about 550 MiB/s here, slower
// than age encrypts: hashing payload.age on the writing thread halved export speed. The bytes are copied into
// a transferred buffer (a copy costs a fraction of the hash) and hashed in order; a few batches in flight at most.
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = workerData.algorithms.map((a) => createHash(a));
parentPort.on('message', (m) => {
  if (m.done) {
    parentPort.postMessage({ digests: hashes.map((h) => h.digest()) });
    return;
  }
  const b = Buffer.from(m.data, 0, m.length);
  for (const h of hashes) h.update(b);
  parentPort.postMessage({ ack: true });
});
`;

const MAX_IN_FLIGHT = 8;

export type StreamHasher = {
  /** Queues a copy of `bytes`; resolves once few enough batches are waiting (back-pressure). */
  update(bytes: Uint8Array): Promise<void>;
  /** The digests, in the order of the algorithms; the worker stops. */
  digest(): Promise<Buffer[]>;
  /** Stops the worker without digests (after a failure). */
  abort(): Promise<void>;
};

export function startHashing(algorithms: readonly string[]): StreamHasher {
  const worker = new Worker(workerSource, { eval: true, workerData: { algorithms } });
  let inFlight = 0;
  let waiting: (() => void) | null = null;
  let finished: ((d: Buffer[]) => void) | null = null;
  let failure = null as Error | null;
  let failed: ((e: Error) => void) | null = null;
  worker.on('message', (m: { ack?: true; digests?: Uint8Array[] }) => {
    if (m.ack) {
      inFlight--;
      const w = waiting;
      waiting = null;
      w?.();
    } else if (m.digests) finished?.(m.digests.map((d) => Buffer.from(d)));
  });
  const fail = (e: Error) => {
    failure ??= e;
    failed?.(e);
    const w = waiting;
    waiting = null;
    w?.();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!finished) fail(new Error(`the hashing worker stopped (exit code ${code})`));
  });
  // Read through a function: the worker's handlers set it between awaits.
  const failedWith = () => failure;
  return {
    async update(bytes) {
      if (failure) throw failure;
      const copy = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(copy).set(bytes);
      inFlight++;
      worker.postMessage({ data: copy, length: bytes.byteLength }, [copy]);
      while (inFlight > MAX_IN_FLIGHT && !failedWith()) await new Promise<void>((r) => (waiting = r));
      const e = failedWith();
      if (e) throw e;
    },
    async digest() {
      if (failure) throw failure;
      const digests = await new Promise<Buffer[]>((resolve, reject) => {
        finished = resolve;
        failed = reject;
        worker.postMessage({ done: true });
      });
      await worker.terminate();
      return digests;
    },
    async abort() {
      finished = () => undefined;
      await worker.terminate();
    },
  };
}
