// Loads libsodium (sumo build: the only one with Argon2id) once, and zeroes key buffers.
import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;

/** The initialised libsodium instance; WASM initialisation happens once per process. */
export function loadSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}

/** Overwrites key material in place; used on lock and after every temporary copy. */
export function wipe(...buffers: Array<Uint8Array | undefined | null>): void {
  for (const b of buffers) b?.fill(0);
}
