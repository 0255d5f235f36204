// age keys: Bech32 recipients and identities, identity files as age-keygen writes them, fingerprints.
import { createHash } from 'node:crypto';
import { bech32, bech32m } from 'bech32';
import { expect, test } from 'vitest';
import { ArchiveError } from '../../electron/core/errors';
import { encodeIdentity, encodeRecipient, generateIdentity, identityFileText, parseIdentity, parseIdentityFile, parseRecipient, recipientFingerprint } from '../../electron/core/submissions/age/age-keys';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ArchiveError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

test('the spec example identity yields the spec example recipient', () => {
  // https://github.com/C2SP/C2SP/blob/main/age.md#the-x25519-recipient-type
  const id = parseIdentity('AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX');
  expect(id.secret).toEqual(Buffer.alloc(32, 0x42));
  expect(id.recipient).toBe('age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj');
  expect(parseRecipient(id.recipient)).toEqual(id.publicKey);
  expect(encodeIdentity(id.secret)).toBe('AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX');
});

test('a generated identity is uppercase, its recipient lowercase, and they belong together', () => {
  const a = generateIdentity();
  const b = generateIdentity();
  expect(a.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
  expect(a.recipient).toMatch(/^age1[0-9a-z]{58}$/);
  expect(parseIdentity(a.identity).recipient).toBe(a.recipient);
  expect(a.identity).not.toBe(b.identity);
});

test('bad recipients are refused with AGE_KEY_INVALID and a reason', () => {
  const { recipient, identity } = generateIdentity();
  const flipped = recipient.slice(0, 20) + (recipient[20] === 'q' ? 'p' : 'q') + recipient.slice(21);
  const cases: [string, RegExp][] = [
    ['', /starts with "age1"/],
    [recipient.toUpperCase(), /starts with "age1"/],
    [`${recipient.slice(0, 10)}${recipient.slice(10).toUpperCase()}`, /lowercase/],
    [flipped, /not valid Bech32/],
    [recipient.slice(0, -1), /not valid Bech32/],
    [identity, /secret key/],
    [bech32.encode('age', bech32.toWords(Buffer.alloc(31, 1))), /31 bytes/],
    [bech32m.encode('age', bech32.toWords(Buffer.alloc(32, 1))), /not valid Bech32/],
    [bech32.encode('age1pq', bech32.toWords(Buffer.alloc(32, 1))), /prefix "age1pq"/],
  ];
  for (const [text, reason] of cases) {
    const got = codeOf(() => parseRecipient(text));
    expect(got, text).toMatch(/^AGE_KEY_INVALID: /);
    expect(got, text).toMatch(reason);
  }
});

test('bad identities are refused without quoting the key', () => {
  const { identity, recipient } = generateIdentity();
  const cases = [identity.toLowerCase(), recipient, identity.slice(0, -2), `${identity.slice(0, 30)}Q${identity.slice(31)}`, encodeIdentity(Buffer.alloc(32)).replace('AGE-SECRET-KEY-1', 'AGE-SECRET-KEY-2')];
  for (const text of cases) {
    const got = codeOf(() => parseIdentity(text));
    expect(got).toMatch(/^AGE_KEY_INVALID: /);
    expect(got).not.toContain(identity.slice(16, 40));
  }
  expect(codeOf(() => parseIdentity(encodeRecipient(Buffer.alloc(32, 3)).toUpperCase()))).toMatch(/AGE-SECRET-KEY-1/);
});

test('identity files: age-keygen layout, comments, blank lines, CRLF, several keys', () => {
  const a = generateIdentity();
  const b = generateIdentity();
  const text = identityFileText(a.identity, new Date('2026-01-02T03:04:05.678Z'));
  expect(text).toBe(`# created: 2026-01-02T03:04:05Z\n# public key: ${a.recipient}\n${a.identity}\n`);
  const both = parseIdentityFile(`${text}\n\r\n# another\r\n${b.identity}\r\n   \n`);
  expect(both.map((i) => i.recipient)).toEqual([a.recipient, b.recipient]);
});

test('identity files that hold no key or a bad line are refused, naming the line', () => {
  const a = generateIdentity();
  expect(codeOf(() => parseIdentityFile('# only a comment\n\n'))).toMatch(/^AGE_KEY_INVALID: .*no identity/);
  expect(codeOf(() => parseIdentityFile(''))).toMatch(/^AGE_KEY_INVALID: /);
  expect(codeOf(() => parseIdentityFile(`# created\n${a.identity}\n${a.recipient}\n`))).toMatch(/^AGE_KEY_INVALID: identity file line 3: /);
  expect(codeOf(() => parseIdentityFile(` ${a.identity}x\n`))).toMatch(/^AGE_KEY_INVALID: identity file line 1: /);
  expect(codeOf(() => parseIdentityFile('#'.repeat(70_000)))).toMatch(/^AGE_KEY_INVALID: .*larger than/);
});

test('a fingerprint is eight groups of hex from the SHA-256 of the public key', () => {
  const a = generateIdentity();
  const b = generateIdentity();
  const fp = recipientFingerprint(a.recipient);
  expect(fp).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  const hex = createHash('sha256').update(parseRecipient(a.recipient)).digest('hex');
  expect(fp.replaceAll(' ', '')).toBe(hex.slice(0, 32));
  expect(recipientFingerprint(b.recipient)).not.toBe(fp);
  expect(codeOf(() => recipientFingerprint('age1nope'))).toMatch(/^AGE_KEY_INVALID/);
});
