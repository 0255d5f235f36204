// Names a file's media type from its first bytes (magic numbers), never from its name or a declared type.
//
// Signatures after the WHATWG MIME Sniffing standard (https://mimesniff.spec.whatwg.org/#matching-a-mime-type-pattern)
// and the ISO base media file format's `ftyp` brands; anything unknown is application/octet-stream.

/** How many leading bytes sniffing looks at (enough for a WebM header's track types). */
export const sniffBytes = 4096;

/** Signatures are ASCII, so one char code per byte. */
const codes = (text: string) => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
const ascii = (b: Uint8Array, at: number, text: string) => bytes(b, at, codes(text));
const bytes = (b: Uint8Array, at: number, sig: readonly number[]) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

function indexOf(b: Uint8Array, sig: readonly number[], limit = b.length): number {
  const end = Math.min(limit, b.length) - sig.length;
  for (let i = 0; i <= end; i++) if (bytes(b, i, sig)) return i;
  return -1;
}

/** Matroska/WebM: the EBML header's DocType, then a TrackType of 1 (video) anywhere in the header bytes. */
function matroska(b: Uint8Array): string {
  const webm = indexOf(b, [0x42, 0x82, 0x84, ...codes('webm')], 64) >= 0;
  // TrackType element id 0x83, size 1 (0x81), value 1 = video; audio-only files carry only 2.
  const video = indexOf(b, [0x83, 0x81, 0x01]) >= 0;
  if (webm) return video ? 'video/webm' : 'audio/webm';
  return video ? 'video/x-matroska' : 'audio/x-matroska';
}

/** ISO BMFF (MP4, M4A, HEIC): the major brand and compatible brands of the `ftyp` box. */
function isoBmff(b: Uint8Array): string | null {
  if (!ascii(b, 4, 'ftyp') || b.length < 12) return null;
  const size = ((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0);
  const end = Math.min(b.length, Math.max(16, size));
  const brands: string[] = [];
  for (let at = 8; at + 4 <= end; at += 4) if (at !== 12) brands.push(String.fromCharCode(...b.subarray(at, at + 4)));
  if (brands.some((x) => ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(x))) return 'image/heic';
  if (brands.some((x) => ['M4A ', 'M4B ', 'M4P '].includes(x))) return 'audio/mp4';
  if (brands.some((x) => x === 'qt  ')) return 'video/quicktime';
  return 'video/mp4';
}

/** MPEG audio: an ID3v2 tag, or a frame sync (11 set bits) with a valid layer and bitrate. */
function mp3(b: Uint8Array): boolean {
  if (ascii(b, 0, 'ID3')) return true;
  const b0 = b[0] ?? 0;
  const b1 = b[1] ?? 0;
  const b2 = b[2] ?? 0;
  return b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c;
}

/** The media type of content beginning with `head` (pass at least the first `sniffBytes`, or the whole of a shorter file). */
export function sniffMediaType(head: Uint8Array): string {
  const b = head;
  if (bytes(b, 0, [0x1a, 0x45, 0xdf, 0xa3])) return matroska(b);
  if (ascii(b, 0, 'OggS')) return ascii(b, 28, 'OpusHead') || ascii(b, 29, 'vorbis') ? 'audio/ogg' : ascii(b, 29, 'theora') ? 'video/ogg' : 'audio/ogg';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return 'audio/wav';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'image/webp';
  if (ascii(b, 0, 'fLaC')) return 'audio/flac';
  const iso = isoBmff(b);
  if (iso) return iso;
  if (bytes(b, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'image/gif';
  if (bytes(b, 0, [0x49, 0x49, 0x2a, 0x00]) || bytes(b, 0, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (ascii(b, 0, '%PDF-')) return 'application/pdf';
  if (mp3(b)) return 'audio/mpeg';
  return 'application/octet-stream';
}
