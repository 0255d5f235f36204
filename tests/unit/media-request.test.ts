// The app-media:// handler over an in-memory attachment source (a stand-in for the decrypting reader, not for
// crypto or the database): ranges, HEAD, methods, URLs, the error-code mapping and a read failing midway.
import { describe, expect, test } from 'vitest';
import { handleMediaRequest, mediaIdOf, mediaUrlOf, parseRange, type MediaDeps, type MediaResponse } from '../../electron/core/attachments/media-request';
import { ArchiveError } from '../../electron/core/errors';
import type { ErrorCode } from '../../shared/errors';

const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const url = `app-media://${id}`;
// 1000 bytes whose values follow their offsets, so any misplaced slice shows.
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) % 256);

/** An attachment source over a byte array; read() yields the asked slice in pieces of `piece` bytes. */
function memoryOpen(data: Uint8Array, opts: { mediaType?: string; piece?: number; failAt?: number } = {}) {
  const opened: string[] = [];
  const reads: Array<[number, number]> = [];
  const deps: MediaDeps = {
    open(openedId) {
      opened.push(openedId);
      return Promise.resolve({
        size: data.byteLength,
        mediaType: opts.mediaType ?? 'audio/ogg',
        async *read(start, endInclusive) {
          reads.push([start, endInclusive]);
          const piece = opts.piece ?? 64;
          for (let at = start; at <= endInclusive; at += piece) {
            if (opts.failAt !== undefined && at + piece > opts.failAt) throw new ArchiveError('ATTACHMENT_DAMAGED', 'chunk failed to decrypt');
            yield data.slice(at, Math.min(at + piece, endInclusive + 1));
          }
        },
      });
    },
  };
  return { deps, opened, reads };
}

async function bodyOf(res: MediaResponse): Promise<Uint8Array> {
  if (res.body === null) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  for await (const part of res.body) parts.push(part);
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

const get = (deps: MediaDeps, range?: string, method = 'GET', target = url) =>
  handleMediaRequest({ method, url: target, headers: range === undefined ? {} : { Range: range } }, deps);

function expectCommonHeaders(res: MediaResponse) {
  expect(res.headers['Cache-Control']).toBe('no-store');
  expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
}

describe('whole file', () => {
  test('GET without Range is 200 with length, type, Accept-Ranges and every byte', async () => {
    const { deps, opened } = memoryOpen(bytes);
    const res = await get(deps);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'Content-Length': '1000', 'Content-Type': 'audio/ogg', 'Accept-Ranges': 'bytes' });
    expect(res.headers['Content-Range']).toBeUndefined();
    expectCommonHeaders(res);
    expect(await bodyOf(res)).toEqual(bytes);
    expect(opened).toEqual([id]);
  });

  test('a trailing slash and an upper-case id name the same attachment', async () => {
    const { deps, opened } = memoryOpen(bytes);
    expect((await get(deps, undefined, 'GET', `${url}/`)).status).toBe(200);
    expect((await get(deps, undefined, 'GET', `app-media://${id.toUpperCase()}`)).status).toBe(200);
    expect(opened).toEqual([id, id]);
  });

  test('HEAD opens (access is checked) but sends headers only and reads nothing', async () => {
    const { deps, opened, reads } = memoryOpen(bytes);
    const res = await get(deps, undefined, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['Content-Length']).toBe('1000');
    expect(res.body).toBeNull();
    const ranged = await get(deps, 'bytes=10-19', 'HEAD');
    expect(ranged.status).toBe(206);
    expect(ranged.headers['Content-Range']).toBe('bytes 10-19/1000');
    expect(ranged.body).toBeNull();
    expect(opened).toHaveLength(2);
    expect(reads).toEqual([]);
  });

  test('an empty attachment is 200 with an empty body, and any range of it 416', async () => {
    const { deps, reads } = memoryOpen(new Uint8Array(0));
    const res = await get(deps);
    expect(res.status).toBe(200);
    expect(res.headers['Content-Length']).toBe('0');
    expect(await bodyOf(res)).toEqual(new Uint8Array(0));
    for (const range of ['bytes=0-', 'bytes=0-0', 'bytes=-1']) {
      const r = await get(deps, range);
      expect(r.status, range).toBe(416);
      expect(r.headers['Content-Range']).toBe('bytes */0');
    }
    expect(reads).toEqual([]);
  });

  test('a media type unfit for a header is served as opaque bytes', async () => {
    const { deps } = memoryOpen(bytes, { mediaType: 'text/html\r\nSet-Cookie: x=1' });
    expect((await get(deps)).headers['Content-Type']).toBe('application/octet-stream');
    const ok = memoryOpen(bytes, { mediaType: 'audio/webm; codecs=opus' });
    expect((await get(ok.deps)).headers['Content-Type']).toBe('audio/webm; codecs=opus');
  });
});

describe('ranges', () => {
  const cases: Array<[string, string, number, number]> = [
    ['start', 'bytes=0-99', 0, 99],
    ['first byte', 'bytes=0-0', 0, 0],
    ['middle', 'bytes=300-549', 300, 549],
    ['end', 'bytes=900-999', 900, 999],
    ['last byte', 'bytes=999-999', 999, 999],
    ['end past the size is clamped', 'bytes=900-5000', 900, 999],
    ['open-ended', 'bytes=250-', 250, 999],
    ['open-ended from 0 (what media elements send first)', 'bytes=0-', 0, 999],
    ['suffix', 'bytes=-100', 900, 999],
    ['suffix longer than the file', 'bytes=-5000', 0, 999],
    ['unit in another case', 'Bytes=1-2', 1, 2],
  ];
  for (const [name, range, start, end] of cases) {
    test(`${name}: ${range} is 206 with exactly bytes ${start}-${end}`, async () => {
      const { deps, reads } = memoryOpen(bytes, { piece: 37 });
      const res = await get(deps, range);
      expect(res.status).toBe(206);
      expect(res.headers['Content-Range']).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers['Content-Length']).toBe(String(end - start + 1));
      expect(res.headers['Accept-Ranges']).toBe('bytes');
      expectCommonHeaders(res);
      expect(await bodyOf(res)).toEqual(bytes.slice(start, end + 1));
      expect(reads).toEqual([[start, end]]);
    });
  }

  test('the header name is found whatever its case', async () => {
    const { deps } = memoryOpen(bytes);
    const res = await handleMediaRequest({ method: 'GET', url, headers: { range: 'bytes=5-9' } }, deps);
    expect(res.status).toBe(206);
    expect(await bodyOf(res)).toEqual(bytes.slice(5, 10));
  });

  test('unsatisfiable, malformed and multiple ranges are 416 with the size, and nothing is read', async () => {
    const { deps, reads } = memoryOpen(bytes);
    for (const range of [
      'bytes=1000-',
      'bytes=1000-1001',
      'bytes=5000-6000',
      'bytes=20-10',
      'bytes=-0',
      'bytes=-',
      'bytes=',
      'bytes=a-b',
      'bytes=1.5-2',
      'bytes=-1-2',
      'bytes=0-1,5-9',
      'bytes=0-1, 5-9',
      'bytes 0-1',
      'bytes',
      '',
      'bytes=99999999999999999999-',
    ]) {
      const res = await get(deps, range);
      expect(res.status, range).toBe(416);
      expect(res.headers['Content-Range'], range).toBe('bytes */1000');
      expectCommonHeaders(res);
      expect(new TextDecoder().decode(await bodyOf(res))).toBe('Range not satisfiable');
    }
    expect(reads).toEqual([]);
  });

  test('a Range in another unit is ignored (RFC 9110 14.2): the whole file, 200', async () => {
    const { deps } = memoryOpen(bytes);
    const res = await get(deps, 'items=0-1');
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual(bytes);
  });

  test('parseRange on its own', () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange('bytes=-500', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=3-3', 4)).toEqual({ start: 3, end: 3 });
    expect(parseRange('bytes=4-', 4)).toBe('unsatisfiable');
  });
});

describe('methods and URLs', () => {
  test('methods other than GET and HEAD are 405 and never open', async () => {
    const { deps, opened } = memoryOpen(bytes);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE']) {
      const res = await get(deps, undefined, method);
      expect(res.status, method).toBe(405);
      expect(res.headers['Allow']).toBe('GET, HEAD');
      expectCommonHeaders(res);
    }
    expect(opened).toEqual([]);
  });

  test('anything but app-media://<uuid>[/] is 400 and never opens', async () => {
    const { deps, opened } = memoryOpen(bytes);
    for (const target of [
      `${url}/../../etc/passwd`,
      `${url}/..`,
      `${url}/%2e%2e/secret`,
      `app-media://${id}/file.ogg`,
      `app-media://${id}//`,
      `${url}?download=1`,
      `${url}/?x`,
      `${url}#t=10`,
      `app-media://../../etc/passwd`,
      'app-media://%2e%2e%2fkeyring.json',
      `app-media://${id.replaceAll('-', '')}`,
      `app-media://${id}0`,
      `app-media://x${id}`,
      `app-media://${id.slice(0, -1)}g`,
      `app-media://user@${id}`,
      `app-media://${id}:8080`,
      'app-media://',
      'app-media:///etc/passwd',
      `app-media:${id}`,
      `app://archive/${id}`,
      `file:///${id}`,
      `https://example.com/${id}`,
      `http://127.0.0.1/__media/${id}`,
      ` ${url}`,
      `${url}\n`,
      '',
    ]) {
      const res = await get(deps, undefined, 'GET', target);
      expect(res.status, target).toBe(400);
      expectCommonHeaders(res);
    }
    expect(opened).toEqual([]);
  });

  test('mediaIdOf and mediaUrlOf agree', () => {
    expect(mediaIdOf(mediaUrlOf(id))).toBe(id);
    expect(mediaIdOf(`${mediaUrlOf(id)}/`)).toBe(id);
    expect(mediaIdOf(`${mediaUrlOf(id)}/x`)).toBeNull();
  });
});

describe('errors', () => {
  const failing = (error: Error): MediaDeps => ({ open: () => Promise.reject(error) });
  const mapping: Array<[ErrorCode, number]> = [
    ['AUTH_REQUIRED', 401],
    ['AUTH_FORBIDDEN', 403],
    ['CONTENT_NO_ACCESS', 403],
    ['ATTACHMENT_NOT_FOUND', 404],
    ['RECORD_NOT_FOUND', 404],
    ['ATTACHMENT_DAMAGED', 422],
    ['ATTACHMENT_UNREADABLE', 422],
    ['ARCHIVE_DAMAGED', 500],
    ['INTERNAL', 500],
  ];
  for (const [code, status] of mapping) {
    test(`${code} is ${status} with a short plain body and no content`, async () => {
      const res = await get(failing(new ArchiveError(code, 'secret detail /home/x/archive')), 'bytes=0-');
      expect(res.status).toBe(status);
      expect(res.headers['Content-Type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['Content-Range']).toBeUndefined();
      expect(res.headers['Accept-Ranges']).toBeUndefined();
      expectCommonHeaders(res);
      const text = new TextDecoder().decode(await bodyOf(res));
      expect(text).toBe(status === 500 ? 'INTERNAL' : code);
      expect(res.headers['Content-Length']).toBe(String(text.length));
    });
  }

  test('an error that is not an ArchiveError is 500 and says nothing of itself', async () => {
    const res = await get(failing(new Error('ENOENT /home/x/archive/attachments/abc')));
    expect(res.status).toBe(500);
    expect(new TextDecoder().decode(await bodyOf(res))).toBe('INTERNAL');
  });

  test('HEAD of a failing open has the status and no body', async () => {
    const res = await get(failing(new ArchiveError('AUTH_REQUIRED', 'locked')), undefined, 'HEAD');
    expect(res.status).toBe(401);
    expect(res.body).toBeNull();
  });

  test('a read failing midway ends the stream with the error after the good bytes only', async () => {
    const { deps } = memoryOpen(bytes, { piece: 100, failAt: 450 });
    const res = await get(deps);
    expect(res.status).toBe(200);
    const body = res.body;
    if (body === null) throw new Error('expected a body');
    const got: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const part of body) got.push(part);
      })(),
    ).rejects.toMatchObject({ code: 'ATTACHMENT_DAMAGED' });
    expect(Uint8Array.from(got.flatMap((p) => [...p]))).toEqual(bytes.slice(0, 400));
  });

  test('a reader that yields more or fewer bytes than asked ends the stream with an error', async () => {
    const wrong = (extra: number): MediaDeps => ({
      open: () =>
        Promise.resolve({
          size: 10,
          mediaType: 'audio/ogg',
          async *read(start, end) {
            yield new Uint8Array(end - start + 1 + extra);
          },
        }),
    });
    await expect(bodyOf(await get(wrong(1), 'bytes=0-4'))).rejects.toThrow(/more bytes/);
    await expect(bodyOf(await get(wrong(-1), 'bytes=0-4'))).rejects.toThrow(/ended early/);
  });
});
