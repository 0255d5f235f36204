// app-media:// in main: the scheme's privileges, registration on a fake `protocol`, and the Fetch-API adapter
// (streamed ranges, errors as statuses, a failing read as a broken stream) over an in-memory attachment source.
import { describe, expect, test } from 'vitest';
import type { MediaDeps } from '../../electron/core/attachments/media-request';
import { ArchiveError } from '../../electron/core/errors';
import { createMediaProtocolHandler, mediaSchemePrivileges, registerMediaProtocol, streamOf, type MediaProtocolLike } from '../../electron/main/media-protocol';

const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 13 + 1) % 256);

/** An attachment source over bytes, in 50-byte pieces; `failAt` makes the piece holding that offset fail. */
const memoryOpen =
  (data: Uint8Array, failAt?: number): MediaDeps['open'] =>
  (openedId) => {
    if (openedId !== id) return Promise.reject(new ArchiveError('ATTACHMENT_NOT_FOUND', 'no such attachment'));
    return Promise.resolve({
      size: data.byteLength,
      mediaType: 'video/webm',
      async *read(start, end) {
        for (let at = start; at <= end; at += 50) {
          if (failAt !== undefined && at + 50 > failAt) throw new ArchiveError('ATTACHMENT_DAMAGED', 'chunk failed');
          yield data.slice(at, Math.min(at + 50, end + 1));
        }
      },
    });
  };

describe('registration', () => {
  test('app-media is standard, secure and streamed, without fetch and without bypassing the CSP', () => {
    expect(mediaSchemePrivileges).toEqual({
      scheme: 'app-media',
      privileges: { standard: true, secure: true, stream: true, supportFetchAPI: false, bypassCSP: false },
    });
  });

  test('registerMediaProtocol handles exactly the app-media scheme with the given open', async () => {
    const handled: Array<[string, (request: Request) => Promise<Response>]> = [];
    const protocol: MediaProtocolLike = { handle: (scheme, handler) => void handled.push([scheme, handler]) };
    registerMediaProtocol(protocol, memoryOpen(bytes));
    expect(handled.map(([scheme]) => scheme)).toEqual(['app-media']);
    const handler = handled[0]?.[1];
    if (!handler) throw new Error('no handler');
    const res = await handler(new Request(`app-media://${id}/`));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });
});

describe('the Fetch-API adapter', () => {
  const handle = createMediaProtocolHandler(memoryOpen(bytes));

  test('a Range request is 206 with the header set and exactly those bytes', async () => {
    const res = await handle(new Request(`app-media://${id}`, { headers: { Range: 'bytes=120-219' } }));
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 120-219/300');
    expect(res.headers.get('content-length')).toBe('100');
    expect(res.headers.get('content-type')).toBe('video/webm');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(120, 220));
  });

  test('HEAD, 416, 400, 405 and a failing open come through with their statuses', async () => {
    const head = await handle(new Request(`app-media://${id}`, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const unsatisfiable = await handle(new Request(`app-media://${id}`, { headers: { Range: 'bytes=300-' } }));
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe('bytes */300');
    expect((await handle(new Request(`app-media://${id}/../keyring.json`))).status).toBe(400);
    expect((await handle(new Request(`app-media://${id}`, { method: 'POST', body: 'x' }))).status).toBe(405);
    const missing = await handle(new Request('app-media://6ba7b810-9dad-41d1-80b4-00c04fd430c8'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('ATTACHMENT_NOT_FOUND');
  });

  test('a read failing midway errors the response body after the good bytes, never completing it', async () => {
    const broken = createMediaProtocolHandler(memoryOpen(bytes, 160));
    const res = await broken(new Request(`app-media://${id}`));
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('expected a body');
    const got: number[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          got.push(...value);
        }
      })(),
    ).rejects.toMatchObject({ code: 'ATTACHMENT_DAMAGED' });
    expect(got).toEqual([...bytes.slice(0, 150)]);
  });

  test('cancelling the stream (a seek, a closed player) stops the source', async () => {
    let finished = false;
    async function* source() {
      try {
        for (;;) yield new Uint8Array([1]);
      } finally {
        finished = true;
      }
    }
    const reader = streamOf(source()).getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
