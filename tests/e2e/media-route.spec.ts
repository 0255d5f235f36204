// The e2e stand-in for app-media://: Chromium's own <audio> loads, seeks with Range requests and reports a
// damaged attachment as an error, through the same handler as the app (over an in-memory WAV source).
import type { Page } from '@playwright/test';
import type { MediaSource } from '../../electron/core/attachments/media-request';
import { ArchiveError } from '../../electron/core/errors';
import { e2eMediaUrl, expect, test } from './harness';

const id = '2c1f7a3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b';

/** A mono 8-bit PCM WAV of `seconds` of silence at 8 kHz (http://soundfile.sapp.org/doc/WaveFormat/). */
function wav(seconds: number): Uint8Array {
  const rate = 8000;
  const samples = rate * seconds;
  const out = Buffer.alloc(44 + samples, 0x80);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate, 28);
  out.writeUInt16LE(1, 32);
  out.writeUInt16LE(8, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples, 40);
  return new Uint8Array(out);
}

function source(data: Uint8Array, reads: Array<[number, number]>, failAt?: number): MediaSource {
  return {
    size: data.byteLength,
    mediaType: 'audio/wav',
    async *read(start, end) {
      reads.push([start, end]);
      for (let at = start; at <= end; at += 4096) {
        if (failAt !== undefined && at + 4096 > failAt) throw new ArchiveError('ATTACHMENT_DAMAGED', 'chunk failed');
        yield data.slice(at, Math.min(at + 4096, end + 1));
      }
    },
  };
}

/** Puts an <audio> on the page and waits for its first of loadedmetadata or error. */
const loadAudio = (page: Page, src: string) =>
  page.evaluate(
    (url) =>
      new Promise<{ event: string; duration: number }>((resolve) => {
        const audio = document.createElement('audio');
        audio.id = 'probe';
        audio.preload = 'metadata';
        audio.addEventListener('loadedmetadata', () => resolve({ event: 'loadedmetadata', duration: audio.duration }), { once: true });
        audio.addEventListener('error', () => resolve({ event: 'error', duration: Number.NaN }), { once: true });
        audio.src = url;
        document.body.append(audio);
      }),
    src,
  );

test('an attachment plays and seeks through /__media/<id>, with ranges', async ({ page, harness }) => {
  // Ten minutes (4.8 MB): more than Chromium buffers ahead, so the seek has to ask for a later range.
  const data = wav(600);
  const reads: Array<[number, number]> = [];
  const opened: string[] = [];
  harness.mediaOpen = (openedId) => {
    opened.push(openedId);
    return Promise.resolve(source(data, reads));
  };
  await page.goto('/index.html');
  expect(await loadAudio(page, e2eMediaUrl(id))).toEqual({ event: 'loadedmetadata', duration: 600 });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const audio = document.getElementById('probe') as HTMLAudioElement;
        audio.addEventListener('seeked', () => resolve(), { once: true });
        audio.currentTime = 540;
      }),
  );
  expect(opened.length).toBeGreaterThan(0);
  expect(new Set(opened)).toEqual(new Set([id]));
  // Every read stayed inside the file, the first from the start, and the seek asked from near 540 s.
  expect(reads[0]?.[0]).toBe(0);
  expect(reads.every(([s, e]) => s >= 0 && e < data.byteLength && s <= e)).toBe(true);
  expect(reads.some(([s]) => s > 44 + 8000 * 500)).toBe(true);
});

test('a missing and a damaged attachment are errors on the player, not sound', async ({ page, harness }) => {
  const data = wav(2);
  harness.mediaOpen = (openedId) =>
    openedId === id ? Promise.resolve(source(data, [], 0)) : Promise.reject(new ArchiveError('ATTACHMENT_NOT_FOUND', 'none'));
  const answers: Array<[string, number | 'failed']> = [];
  page.on('response', (r) => {
    if (r.url().includes('/__media/')) answers.push([r.url(), r.status()]);
  });
  page.on('requestfailed', (r) => {
    if (r.url().includes('/__media/')) answers.push([r.url(), 'failed']);
  });
  await page.goto('/index.html');
  expect((await loadAudio(page, e2eMediaUrl(id))).event).toBe('error');
  const missing = e2eMediaUrl('6ba7b810-9dad-41d1-80b4-00c04fd430c8');
  expect((await loadAudio(page, missing)).event).toBe('error');
  // The damaged body was aborted, never fulfilled; the missing one was a 404.
  expect(answers).toContainEqual([e2eMediaUrl(id), 'failed']);
  expect(answers).toContainEqual([missing, 404]);
  expect(answers.filter(([url]) => url === e2eMediaUrl(id)).every(([, status]) => status === 'failed')).toBe(true);
});
