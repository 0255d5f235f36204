// The app-media:// protocol in Electron: the scheme's privileges and the Fetch-API adapter around handleMediaRequest.
import { handleMediaRequest, mediaScheme, type MediaDeps } from '../core/attachments/media-request';

/**
 * Registration data for `protocol.registerSchemesAsPrivileged` (before app ready).
 * standard: `app-media://<id>` parses with the id as host; secure: playable from the secure app://
 * page without mixed-content blocking; stream: media elements get ranged, streamed responses (seeking).
 * No fetch API: only <audio>, <video> and <img> load it (connect-src 'none' anyway). Not bypassCSP.
 */
export const mediaSchemePrivileges = {
  scheme: mediaScheme,
  privileges: { standard: true, secure: true, stream: true, supportFetchAPI: false, bypassCSP: false },
} as const;

/** The part of Electron's `protocol` that registerMediaProtocol uses. */
export type MediaProtocolLike = { handle(scheme: string, handler: (request: Request) => Promise<Response>): void };

/**
 * A web ReadableStream over an AsyncIterable, pulled one chunk at a time (so a multi-GB file is never
 * held in memory). An error from the source errors the stream, so Chromium sees a broken response,
 * never a short successful one; a cancelled stream (seek, element gone) stops the source.
 */
export function streamOf(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done === true) controller.close();
          else controller.enqueue(next.value);
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The Fetch-API handler for `protocol.handle('app-media', ...)`: Request -> handleMediaRequest -> Response. */
export function createMediaProtocolHandler(open: MediaDeps['open']): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const answer = await handleMediaRequest({ method: request.method, url: request.url, headers }, { open });
    return new Response(answer.body === null ? null : streamOf(answer.body), { status: answer.status, headers: answer.headers });
  };
}

/**
 * Serves app-media:// with `open` from the attachments service, which checks the session on every
 * request. Which pages may load it is decided per request in security.ts (hardenSession).
 */
export function registerMediaProtocol(protocol: MediaProtocolLike, open: MediaDeps['open']): void {
  protocol.handle(mediaScheme, createMediaProtocolHandler(open));
}
