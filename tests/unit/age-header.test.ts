// age header: strict parsing of hostile headers (each fault gets its named error) and stanza handling rules.
import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { ArchiveError } from '../../electron/core/errors';
import { decryptBytes, encryptBytes, parseHeader } from '../../electron/core/submissions/age/age';
import { encodeRawBase64 } from '../../electron/core/submissions/age/age-bytes';
import { encodeHeader, headerMac, wrapX25519 } from '../../electron/core/submissions/age/age-header';
import { generateIdentity, parseIdentity, parseRecipient } from '../../electron/core/submissions/age/age-keys';
import { payloadKey, sealChunk } from '../../electron/core/submissions/age/age-payload';
import { failure } from '../fixtures/errors';

const me = generateIdentity();
const ids = [parseIdentity(me.identity)];
const other = generateIdentity();

function x25519Stanza(fileKey: Buffer, recipient: string): string {
  const s = wrapX25519(fileKey, parseRecipient(recipient));
  return `-> X25519 ${s.args[0] ?? ''}\n${encodeRawBase64(s.body)}\n`;
}

/** A complete file from raw stanza text, with a correct MAC for `fileKey` and a one-chunk payload. */
function craft(fileKey: Buffer, stanzas: string, plain = Buffer.from('dëshmi')): Buffer {
  const macInput = Buffer.from(`age-encryption.org/v1\n${stanzas}---`, 'latin1');
  const nonce = randomBytes(16);
  return Buffer.concat([macInput, Buffer.from(` ${encodeRawBase64(headerMac(fileKey, macInput))}\n`, 'latin1'), nonce, sealChunk(payloadKey(fileKey, nonce), 0, true, plain)]);
}

/** Replaces the first occurrence of `from` (in the header) with `to`. */
function edit(file: Buffer, from: string, to: string): Buffer {
  const s = file.toString('latin1');
  const at = s.indexOf(from);
  if (at < 0) throw new Error(`"${from}" not in file`);
  return Buffer.from(s.slice(0, at) + to + s.slice(at + from.length), 'latin1');
}

function headerText(file: Buffer): string {
  const s = file.toString('latin1');
  return s.slice(0, s.indexOf('\n', s.indexOf('\n---') + 1) + 1);
}

test('a crafted file with a correct MAC decrypts (the crafting itself is right)', async () => {
  const fk = randomBytes(16);
  expect((await decryptBytes(ids, craft(fk, x25519Stanza(fk, me.recipient)))).toString()).toBe('dëshmi');
});

test('encodeHeader wraps bodies at 64 columns and ends a full body with an empty line; parseHeader reads it back', () => {
  const fk = randomBytes(16);
  const stanzas = [0, 1, 47, 48, 49, 96, 200].map((n) => ({ type: 'example.org/test', args: ['a', 'b=c'], body: randomBytes(n) }));
  const header = encodeHeader(stanzas, fk);
  const lines = header.toString('latin1').split('\n');
  expect(lines.every((l) => l.length <= 64)).toBe(true);
  // 48 bytes are exactly 64 columns, so that body is followed by an empty line.
  const at48 = lines.findIndex((l, i) => l.length === 64 && lines[i - 1]?.startsWith('-> ') === true);
  expect(lines[at48 + 1]).toBe('');
  const parsed = parseHeader(header);
  expect(parsed.length).toBe(header.length);
  expect(parsed.stanzas.map((s) => [s.type, s.args, s.body])).toEqual(stanzas.map((s) => [s.type, s.args, s.body]));
  expect(parsed.mac).toEqual(headerMac(fk, parsed.macInput));
  expect(parsed.macInput.toString('latin1').endsWith('\n---')).toBe(true);
});

test('a byte changed in the version line, MAC, or the header structure is AGE_HEADER_MALFORMED naming the line', async () => {
  const file = await encryptBytes([me.recipient], Buffer.from('x'));
  const mac = headerText(file).split('\n').at(-2)?.slice(4) ?? '';
  const macFlip = (mac[10] === 'A' ? 'B' : 'A');
  const cases: [Buffer, RegExp][] = [
    [edit(file, 'age-encryption.org/v1', 'age-encryption.org/v2'), /line 1: unsupported age version "v2"/],
    [edit(file, 'age-encryption.org/v1', 'agf-encryption.org/v1'), /line 1: not an age file/],
    [edit(file, 'age-encryption.org/v1\n', 'age-encryption.org/v1\r\n'), /line 1/],
    [edit(file, mac, mac.slice(0, 10) + macFlip + mac.slice(11)), /MAC does not match/],
    [edit(file, `--- ${mac}`, `---${mac}`), /line 4: the MAC line/],
    [edit(file, `--- ${mac}`, `--- ${mac} `), /line 4: the header MAC is not canonical/],
    [edit(file, `--- ${mac}`, `--- ${mac}=`), /line 4: the header MAC is not canonical/],
    [edit(file, `--- ${mac}`, `--- ${mac.slice(0, 40)}`), /line 4: the header MAC is 30 bytes/],
    [edit(file, '-> X25519', '->X25519'), /line 2: expected a "-> " stanza line/],
    [edit(file, '-> X25519 ', '-> X25519  '), /line 2: a stanza argument is empty/],
    [edit(file, '-> X25519 ', '-> X25519 \u00e9'), /line 2: a stanza argument .* not printable ASCII/],
  ];
  for (const [bad, reason] of cases) {
    const got = await failure(decryptBytes(ids, bad));
    expect(got, reason.source).toMatch(/^AGE_HEADER_MALFORMED: /);
    expect(got, reason.source).toMatch(reason);
  }
});

test('a changed stanza type, argument or body no longer matches: AGE_NO_IDENTITY', async () => {
  const file = await encryptBytes([me.recipient], Buffer.from('x'));
  const [, argLine = '', body = ''] = headerText(file).split('\n');
  const share = argLine.slice('-> X25519 '.length);
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  for (const bad of [edit(file, '-> X25519', '-> X25518'), edit(file, share, flip(share, 5)), edit(file, `\n${body}\n`, `\n${flip(body, 20)}\n`)]) {
    expect(await failure(decryptBytes(ids, bad))).toMatch(/^AGE_NO_IDENTITY: /);
  }
  expect(await failure(decryptBytes([parseIdentity(other.identity)], file))).toMatch(/^AGE_NO_IDENTITY: none of the 1 identities matches the 1 recipient stanzas/);
});

test('stanza bodies must be canonical unpadded base64 wrapped at 64 columns', async () => {
  const fk = randomBytes(16);
  const good = x25519Stanza(fk, me.recipient);
  const unknown = (body: string) => `-> example.org/other 1 2\n${body}\n`;
  const b64of = (n: number) => encodeRawBase64(Buffer.alloc(n, 0x5a));
  const cases: [string, RegExp][] = [
    [unknown(`${b64of(40)}=`), /not base64 \(or padding\)/],
    [unknown(`${b64of(40).slice(0, 20)}*${b64of(40).slice(21)}`), /not base64/],
    [unknown(`${b64of(40).slice(0, 20)} ${b64of(40).slice(21)}`), /not base64/],
    // "Zb" is two characters for one byte whose last 4 bits must be zero: "Zb" sets them.
    [unknown('Zb'), /not canonical base64/],
    [unknown('Z'), /not canonical base64/],
    [unknown(b64of(60)), /longer than 64 columns/],
    // 48 bytes fill a line exactly; without the empty line after it the body runs into the next stanza.
    [`-> example.org/other\n${b64of(48)}\n`, /expected a "-> " stanza line or the "---"|not base64/],
  ];
  for (const [stanza, reason] of cases) {
    const got = await failure(decryptBytes(ids, craft(fk, stanza + good)));
    expect(got, reason.source).toMatch(/^AGE_HEADER_MALFORMED: /);
    expect(got, reason.source).toMatch(reason);
  }
  // The same unknown stanza with a well-formed body is skipped, and the X25519 one after it is used.
  expect((await decryptBytes(ids, craft(fk, unknown(b64of(40)) + `-> example.org/full\n${b64of(48)}\n\n` + good))).toString()).toBe('dëshmi');
});

test('malformed X25519 stanzas are rejected, not skipped', async () => {
  const fk = randomBytes(16);
  const s = wrapX25519(fk, parseRecipient(me.recipient));
  const share = s.args[0] ?? '';
  const body = encodeRawBase64(s.body);
  const cases: [string, RegExp][] = [
    [`-> X25519 ${share} extra\n${body}\n`, /has 2 arguments, expected 1/],
    [`-> X25519\n${body}\n`, /has 0 arguments/],
    [`-> X25519 ${encodeRawBase64(randomBytes(31))}\n${body}\n`, /share is not canonical base64 of 32 bytes/],
    [`-> X25519 ${share}\n${encodeRawBase64(Buffer.concat([s.body, Buffer.from([0])]))}\n`, /body is 33 bytes, expected 32/],
    [`-> X25519 ${encodeRawBase64(Buffer.alloc(32))}\n${body}\n`, /low-order point/],
  ];
  for (const [stanza, reason] of cases) {
    const got = await failure(decryptBytes(ids, craft(fk, stanza)));
    expect(got, reason.source).toMatch(/^AGE_HEADER_MALFORMED: stanza 1 /);
    expect(got, reason.source).toMatch(reason);
  }
});

test('an scrypt stanza must be alone: mixed is malformed, alone it is not ours', async () => {
  const fk = randomBytes(16);
  const scrypt = `-> scrypt ${encodeRawBase64(randomBytes(16))} 18\n${encodeRawBase64(randomBytes(32))}\n`;
  expect(await failure(decryptBytes(ids, craft(fk, x25519Stanza(fk, me.recipient) + scrypt)))).toMatch(/^AGE_HEADER_MALFORMED: stanza 2 is a passphrase \(scrypt\) stanza mixed/);
  expect(await failure(decryptBytes(ids, craft(fk, scrypt)))).toMatch(/^AGE_NO_IDENTITY: .*passphrase/);
});

test('empty files, missing parts and oversized headers are AGE_HEADER_MALFORMED', async () => {
  const fk = randomBytes(16);
  const good = x25519Stanza(fk, me.recipient);
  const filler = encodeHeader([{ type: 'example.org/pad', args: [], body: randomBytes(200) }], fk).toString('latin1').split('\n').slice(1, -2).join('\n') + '\n';
  const cases: [Buffer, RegExp][] = [
    [Buffer.alloc(0), /the file is empty/],
    [Buffer.from('age-encryption.org/v1'), /ends inside header line 1/],
    [Buffer.from(`age-encryption.org/v1\n${good}`), /without its "---" MAC line/],
    [Buffer.from('age-encryption.org/v1\n--- AAAA\n'), /line 2: the header has no recipient stanza/],
    [Buffer.from(`age-encryption.org/v1\n-> X25519 abc\n`), /ends inside the body of the stanza on line 2/],
    [randomBytes(100_000).fill(0x41), /longer than 64 KiB|line 1/],
    [craft(fk, filler.repeat(300) + good), /longer than 64 KiB/],
    [craft(fk, '-> a\n\n'.repeat(1001) + good), /more than 1000 stanzas/],
  ];
  for (const [bad, reason] of cases) {
    const got = await failure(decryptBytes(ids, bad));
    expect(got, reason.source).toMatch(/^AGE_HEADER_MALFORMED: /);
    expect(got, reason.source).toMatch(reason);
  }
  // At the limits it still works: 999 skipped stanzas and ours.
  expect((await decryptBytes(ids, craft(fk, '-> a\n\n'.repeat(999) + good))).toString()).toBe('dëshmi');
});

test('parseHeader reports which line is wrong', () => {
  const msg = (b: string) => {
    try {
      parseHeader(Buffer.from(b, 'latin1'));
    } catch (e) {
      return e instanceof ArchiveError ? `${e.code}: ${e.message}` : 'other';
    }
    return 'no error';
  };
  expect(msg('age-encryption.org/v1\n-> a\nAAAA\n-> b\nAA=A\n--- x\n')).toBe('AGE_HEADER_MALFORMED: line 5: the stanza body holds a character that is not base64 (or padding)');
  expect(msg('age-encryption.org/v1\n-> a\n\n+++\n')).toBe('AGE_HEADER_MALFORMED: line 4: expected a "-> " stanza line or the "---" MAC line');
});
