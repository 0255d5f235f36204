// The app-media://<attachment id> request handler: method, URL and Range checked, access errors mapped to statuses,
// and decrypted bytes streamed for exactly the range asked (RFC 9110 sections 14 and 15.5.17). No Electron here.
import { isArchiveError } from '../errors';

export const mediaScheme = 'app-media';

/** What the handler sees of a request (header names in any case). */
export type MediaRequest = { method: string; url: string; headers: Record<string, string | undefined> };

/** One opened attachment: its plaintext size and sniffed type, and a reader of decrypted bytes. */
export type MediaSource = {
  size: number;
  mediaType: string;
  /** Decrypted bytes start..endInclusive; throws (an ArchiveError) when a chunk fails to decrypt. */
  read(start: number, endInclusive: number): AsyncIterable<Uint8Array>;
};

export type MediaDeps = {
  /**
   * Opens an attachment for the current session, checking access on every call (every request):
   * ArchiveError AUTH_REQUIRED (locked), AUTH_FORBIDDEN / CONTENT_NO_ACCESS, ATTACHMENT_NOT_FOUND,
   * ATTACHMENT_DAMAGED / ATTACHMENT_UNREADABLE.
   */
  open(id: string): Promise<MediaSource>;
};

export type MediaResponse = { status: number; headers: Record<string, string>; body: AsyncIterable<Uint8Array> | null };

/** The attachment id an app-media URL names, lower-cased (Chromium lower-cases the host of a standard scheme). */
const mediaUrlPattern = /^app-media:\/\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/**
 * The attachment id of `app-media://<uuid>` or `app-media://<uuid>/`, else null: a path, query,
 * fragment, port, credentials, encoding or other scheme is refused, so no URL can name a file.
 */
export function mediaIdOf(url: string): string | null {
  const match = mediaUrlPattern.exec(url);
  return match?.[1]?.toLowerCase() ?? null;
}

/** The URL the app plays an attachment from. */
export const mediaUrlOf = (id: string): string => `${mediaScheme}://${id}`;

/** A request header by name, whatever the case of the keys the caller built. */
function headerOf(request: MediaRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Headers on every answer, errors included: decrypted testimony is never cached or sniffed into another type. */
const baseHeaders = (): Record<string, string> => ({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });

function plain(status: number, text: string, method: string, extra: Record<string, string> = {}): MediaResponse {
  const body = new TextEncoder().encode(text);
  return {
    status,
    headers: { ...baseHeaders(), ...extra, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.byteLength) },
    body: method === 'HEAD' ? null : once(body),
  };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** Status and short body for a failed open: the code names the cause, never a path or a key. */
function failure(e: unknown, method: string): MediaResponse {
  const code = isArchiveError(e) ? e.code : 'INTERNAL';
  switch (code) {
    case 'AUTH_REQUIRED':
      return plain(401, code, method);
    case 'AUTH_FORBIDDEN':
    case 'CONTENT_NO_ACCESS':
      return plain(403, code, method);
    case 'ATTACHMENT_NOT_FOUND':
    case 'RECORD_NOT_FOUND':
      return plain(404, code, method);
    // The request was fine; the stored attachment cannot be turned into media.
    case 'ATTACHMENT_DAMAGED':
    case 'ATTACHMENT_UNREADABLE':
      return plain(422, code, method);
    default:
      return plain(500, 'INTERNAL', method);
  }
}

export type ByteRange = { start: number; end: number };

/**
 * The one range a Range header asks of a body of `size` bytes: null when there is no header or its
 * unit is not bytes (RFC 9110 14.2: ignore it and send the whole body), 'unsatisfiable' for a
 * malformed byte range, start past the end, first > last, a zero suffix, any range of an empty body,
 * or more than one range. Several ranges are refused rather than served as multipart/byteranges:
 * media elements never ask for them, and RFC 9110 15.5.17 lets a server reject them.
 *
 * @example parseRange('bytes=-500', 1000) // { start: 500, end: 999 }
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const eq = header.indexOf('=');
  if (eq < 0) return 'unsatisfiable';
  if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') return null;
  const spec = header.slice(eq + 1).trim();
  // Digits only, at most 16 of them (9 PB): longer numbers would lose precision in a double.
  const match = /^(\d{0,16})-(\d{0,16})$/.exec(spec);
  if (!match) return 'unsatisfiable';
  const [, first = '', last = ''] = match;
  if (size === 0) return 'unsatisfiable';
  if (first === '') {
    if (last === '') return 'unsatisfiable';
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  if (last === '') return { start, end: size - 1 };
  const end = Number(last);
  if (end < start) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/** A Content-Type safe to put in a header: a plain type/subtype (with parameters), else opaque bytes. */
const safeMediaType = (type: string): string =>
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9-]+=[a-z0-9._-]+)*$/i.test(type) ? type : 'application/octet-stream';

/**
 * Passes the source's bytes through while counting them: more or fewer bytes than the range asked
 * is an error that ends the stream, so a wrong reader can never pass off garbage as the file.
 */
async function* exactly(source: AsyncIterable<Uint8Array>, length: number): AsyncIterable<Uint8Array> {
  let sent = 0;
  for await (const chunk of source) {
    if (chunk.byteLength === 0) continue;
    if (sent + chunk.byteLength > length) throw new Error('media: the attachment reader returned more bytes than asked');
    sent += chunk.byteLength;
    yield chunk;
  }
  if (sent !== length) throw new Error('media: the attachment reader ended early');
}

/**
 * Answers one app-media request: 405 for methods other than GET and HEAD, 400 for any URL that is
 * not `app-media://<uuid>[/]`, then `open` (which checks the session every time) and 200, 206 or
 * 416 by the Range header. A failure while streaming (a damaged chunk) ends the body with an error,
 * which the caller must pass on as a broken stream, never as a short, successful one.
 */
export async function handleMediaRequest(request: MediaRequest, deps: MediaDeps): Promise<MediaResponse> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method not allowed', method, { Allow: 'GET, HEAD' });
  const id = mediaIdOf(request.url);
  if (id === null) return plain(400, 'Bad request', method);

  let source: MediaSource;
  try {
    source = await deps.open(id);
  } catch (e) {
    return failure(e, method);
  }
  const size = source.size;
  if (!Number.isSafeInteger(size) || size < 0) return plain(500, 'INTERNAL', method);

  const range = parseRange(headerOf(request, 'range'), size);
  if (range === 'unsatisfiable') return plain(416, 'Range not satisfiable', method, { 'Content-Range': `bytes */${size}` });

  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = end - start + 1;
  const headers: Record<string, string> = {
    ...baseHeaders(),
    'Content-Type': safeMediaType(source.mediaType),
    'Content-Length': String(length),
    'Accept-Ranges': 'bytes',
  };
  if (range !== null) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const status = range === null ? 200 : 206;
  // HEAD and an empty file open (and so check access) but never read.
  if (method === 'HEAD' || length === 0) return { status, headers, body: null };
  return { status, headers, body: exactly(source.read(start, end), length) };
}
