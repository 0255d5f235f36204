// The age ASCII armor (strict PEM, "AGE ENCRYPTED FILE"): streaming detection, decoding and encoding.
//
// Spec: https://github.com/C2SP/C2SP/blob/main/age.md#ascii-armor and RFC 7468 section 3 (strict). Armor is
// malleable unless parsed strictly, so we accept only: optional whitespace, the BEGIN line, lines of exactly 64
// base64 columns and one last line of 1-64, canonical padded base64 (padding only at the very end), the END
// line, optional whitespace. LF or CRLF line endings. Anything else is AGE_ARMOR_MALFORMED naming the line.
import { ArchiveError } from '../../errors';
import type { ByteReader} from './age-bytes';
import { decodePaddedBase64 } from './age-bytes';

export const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
export const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const BYTES_PER_LINE = 48;
/** Decoded bytes are handed on in pieces of about this size. */
const YIELD_BYTES = 64 * 1024;
/** Whitespace allowed around the PEM block is bounded, so a file of blanks cannot keep us reading forever. */
const MAX_WHITESPACE = 64 * 1024;

const malformed = (message: string) => new ArchiveError('AGE_ARMOR_MALFORMED', message);
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** True if the input (after leading whitespace) starts like a PEM block; its label is checked when decoding. */
export async function looksArmored(reader: ByteReader): Promise<boolean> {
  const probe = '-----BEGIN';
  for (;;) {
    const b = reader.peek();
    let i = 0;
    while (i < b.length && isSpace(b[i] ?? 0)) i++;
    if (b.length - i >= probe.length) return b.toString('latin1', i, i + probe.length) === probe;
    if (i > MAX_WHITESPACE || !(await reader.more())) {
      const rest = reader.peek();
      return rest.length - i > 0 && probe.startsWith(rest.toString('latin1', i));
    }
  }
}

type Line = { text: string; eol: boolean };

/** One line without its LF or CRLF; undefined at the end of input. Lines longer than `max` fail. */
async function readLine(reader: ByteReader, max: number, lineNo: number): Promise<Line | undefined> {
  for (;;) {
    const b = reader.peek();
    const lf = b.subarray(0, max + 2).indexOf(0x0a);
    if (lf >= 0) {
      const raw = reader.take(lf + 1);
      const end = lf > 0 && raw[lf - 1] === 0x0d ? lf - 1 : lf;
      return { text: raw.toString('latin1', 0, end), eol: true };
    }
    if (b.length > max + 1) throw malformed(`line ${lineNo} is longer than ${COLUMNS} columns`);
    if (!(await reader.more())) {
      if (reader.buffered === 0) return undefined;
      const raw = reader.take(reader.buffered);
      return { text: raw.toString('latin1'), eol: false };
    }
  }
}

async function skipWhitespace(reader: ByteReader): Promise<number> {
  let skipped = 0;
  for (;;) {
    const b = reader.peek();
    let i = 0;
    while (i < b.length && isSpace(b[i] ?? 0)) i++;
    reader.take(i);
    skipped += i;
    if (skipped > MAX_WHITESPACE) throw malformed('too much whitespace around the armored block');
    if (i < b.length || !(await reader.more())) return skipped;
  }
}

/**
 * The bytes inside an armored age file, decoded as they stream in. Throws AGE_ARMOR_MALFORMED at the first
 * fault; bytes already yielded are only ciphertext, which the age reader authenticates anyway.
 */
export async function* dearmor(reader: ByteReader): AsyncGenerator<Buffer> {
  await skipWhitespace(reader);
  let lineNo = 1;
  const begin = await readLine(reader, ARMOR_BEGIN.length + 1, lineNo);
  if (begin === undefined || begin.text !== ARMOR_BEGIN || !begin.eol) throw malformed(`line ${lineNo}: expected "${ARMOR_BEGIN}" on a line of its own`);
  let out: Buffer[] = [];
  let outBytes = 0;
  let dataLines = 0;
  let mustEnd = false;
  for (;;) {
    lineNo++;
    const line = await readLine(reader, COLUMNS + 1, lineNo);
    if (line === undefined) throw malformed(`the armor ends after line ${lineNo - 1} without its END line`);
    if (line.text === ARMOR_END) {
      if (dataLines === 0) throw malformed(`line ${lineNo}: the armor holds no data`);
      break;
    }
    if (mustEnd) throw malformed(`line ${lineNo}: expected the END line after the short (or padded) line ${lineNo - 1}`);
    if (!line.eol) throw malformed(`line ${lineNo}: the armor ends inside a line, without its END line`);
    if (line.text.length === 0) throw malformed(`line ${lineNo}: empty line inside the armor`);
    if (line.text.length > COLUMNS) throw malformed(`line ${lineNo} is longer than ${COLUMNS} columns`);
    const bytes = decodePaddedBase64(line.text);
    if (bytes === undefined) throw malformed(`line ${lineNo}: not canonical padded base64 (bad character, whitespace or padding)`);
    if (line.text.length < COLUMNS || line.text.endsWith('=')) mustEnd = true;
    dataLines++;
    out.push(bytes);
    outBytes += bytes.length;
    if (outBytes >= YIELD_BYTES) {
      yield Buffer.concat(out, outBytes);
      out = [];
      outBytes = 0;
    }
  }
  // Only whitespace may follow the END line.
  await skipWhitespace(reader);
  if (reader.buffered > 0) throw malformed(`data follows the END line (line ${lineNo})`);
  if (outBytes > 0) yield Buffer.concat(out, outBytes);
}

/** Streaming armor writer: bytes in, armored text out (as latin1 buffers). */
export class ArmorEncoder {
  private carry = Buffer.alloc(0);
  private started = false;

  push(bytes: Buffer): Buffer {
    const head = this.started ? '' : `${ARMOR_BEGIN}\n`;
    this.started = true;
    const all = this.carry.length > 0 ? Buffer.concat([this.carry, bytes]) : bytes;
    const whole = all.length - (all.length % BYTES_PER_LINE);
    this.carry = Buffer.from(all.subarray(whole));
    const b64 = all.subarray(0, whole).toString('base64');
    let text = head;
    for (let i = 0; i < b64.length; i += COLUMNS) text += `${b64.slice(i, i + COLUMNS)}\n`;
    return Buffer.from(text, 'latin1');
  }

  end(): Buffer {
    const head = this.started ? '' : `${ARMOR_BEGIN}\n`;
    const last = this.carry.length > 0 ? `${this.carry.toString('base64')}\n` : '';
    return Buffer.from(`${head}${last}${ARMOR_END}\n`, 'latin1');
  }
}
