// The passphrase policy with the shipped common list and zxcvbn-ts: length in code points, NFKC, list, strength.
import { describe, expect, test } from 'vitest';
import { limits } from '../../shared/domain/limits';
import { createPassphrasePolicy } from '../../electron/core/vault/passphrase-policy';
import { director, directorCyrillic, resourcesDir } from '../fixtures/archive';
import { expectArchiveError } from '../fixtures/errors';

const policy = createPassphrasePolicy({ resourcesDir });

describe('assess', () => {
  test('the fixtures’ passphrases are acceptable', () => {
    for (const p of [director.passphrase, directorCyrillic.passphrase, 'correct horse battery staple']) {
      const v = policy.assess(p);
      expect(v, p).toMatchObject({ acceptable: true, problem: null });
      expect(v.score).toBeGreaterThanOrEqual(3);
    }
  });

  test('length is counted in code points after NFKC, at both bounds', () => {
    expect(policy.assess('a'.repeat(limits.passphraseMin - 1)).problem).toBe('too-short');
    expect(policy.assess('a'.repeat(limits.passphraseMin)).problem).not.toBe('too-short');
    // 11 emoji are 22 UTF-16 units but 11 characters: still too short.
    expect(policy.assess('😀'.repeat(limits.passphraseMin - 1)).problem).toBe('too-short');
    // 11 Cyrillic letters: too short; 12 are not.
    expect(policy.assess('ж'.repeat(limits.passphraseMin - 1)).problem).toBe('too-short');
    expect(policy.assess('ж'.repeat(limits.passphraseMin)).problem).not.toBe('too-short');
    // Decomposed diacritics are composed first, so "ë" typed as e + U+0308 counts once.
    expect(policy.assess('e\u0308'.repeat(limits.passphraseMin - 1)).problem).toBe('too-short');
    expect(policy.assess('x'.repeat(limits.passphraseMax + 1)).problem).toBe('too-long');
    expect(policy.assess('x'.repeat(limits.passphraseMax)).problem).not.toBe('too-long');
  });

  test('the common list matches after NFKC and lower-casing', () => {
    for (const p of ['passwordpassword', 'PasswordPassword', 'ＰＡＳＳＷＯＲＤＰＡＳＳＷＯＲＤ']) {
      expect(policy.assess(p), p).toEqual({ acceptable: false, score: 0, problem: 'common' });
    }
  });

  test('long but guessable passphrases are weak, and words from the user’s own name count against it', () => {
    for (const p of ['aaaaaaaaaaaaaaaa', 'qwertyuiopasdfgh', '12345678901234', 'abcdefghijkl']) {
      const v = policy.assess(p);
      expect(v, p).toMatchObject({ acceptable: false, problem: 'weak' });
      expect(v.score).toBeLessThan(3);
    }
    expect(policy.assess('drita.krasniqi2024').acceptable).toBe(true);
    expect(policy.assess('drita.krasniqi2024', [director.username, director.displayName])).toMatchObject({ acceptable: false, problem: 'weak' });
  });

  test('a 1024-character passphrase is assessed (the longest the policy accepts)', () => {
    expect(policy.assess('Lumi i Drinit '.repeat(80).slice(0, limits.passphraseMax)).problem).not.toBe('too-long');
  });
});

describe('require', () => {
  test.each([
    ['too short', 'PASSPHRASE_TOO_SHORT', 'kratko'],
    ['too long', 'PASSPHRASE_TOO_LONG', 'x'.repeat(limits.passphraseMax + 1)],
    ['common', 'PASSPHRASE_COMMON', 'passwordpassword'],
    ['weak', 'PASSPHRASE_WEAK', 'aaaaaaaaaaaaaaaa'],
  ] as const)('%s: throws %s, without repeating the passphrase', async (_label, code, passphrase) => {
    const e = await expectArchiveError(() => policy.require(passphrase), code);
    expect(e.message).not.toContain(passphrase);
  });

  test('returns quietly for an acceptable passphrase', () => {
    expect(() => policy.require(director.passphrase, [director.username])).not.toThrow();
  });
});
