// Decides whether a new passphrase is acceptable: length, the shipped common list, and zxcvbn-ts strength.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { codePointLength, limits } from '../../../shared/domain/limits';
import { ArchiveError } from '../errors';

export type PassphraseVerdict = {
  acceptable: boolean;
  /** zxcvbn score 0..4 (4 strongest). */
  score: number;
  problem: 'too-short' | 'too-long' | 'common' | 'weak' | null;
};

export type PassphrasePolicy = {
  assess(passphrase: string, userInputs?: string[]): PassphraseVerdict;
  /** Throws the ArchiveError matching the verdict's problem. */
  require(passphrase: string, userInputs?: string[]): void;
};

/** zxcvbn score required: 3 = "safely unguessable: moderate protection from offline slow-hash scenario". */
const minimumScore = 3;

function loadCommonList(resourcesDir: string): Set<string> {
  const text = readFileSync(join(resourcesDir, 'common-passwords.txt'), 'utf8');
  const set = new Set<string>();
  for (const line of text.split('\n')) {
    if (line && !line.startsWith('#')) set.add(line.normalize('NFKC').toLowerCase());
  }
  return set;
}

export function createPassphrasePolicy(deps: { resourcesDir: string }): PassphrasePolicy {
  const common = loadCommonList(deps.resourcesDir);
  const zxcvbn = new ZxcvbnFactory({
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    // The default explores so many l33t variants that one check of a long passphrase with i/l/1 took
    // ~300 ms of the main process; 15 keeps the same verdicts on our fixtures at ~40 ms.
    l33tMaxSubstitutions: 15,
    // Strength is judged on the first 64 characters: past that, a check took up to 1.5 s of the main process
    // (found by fuzzing passphrase.check, which anyone may call), and 64 characters that are weak stay weak.
    maxLength: 64,
  });

  function assess(raw: string, userInputs: string[] = []): PassphraseVerdict {
    const passphrase = raw.normalize('NFKC');
    // Count code points, not UTF-16 units, so Cyrillic or emoji are not favoured or penalised.
    const length = codePointLength(passphrase);
    if (length > limits.passphraseMax) return { acceptable: false, score: 0, problem: 'too-long' };
    if (length < limits.passphraseMin) return { acceptable: false, score: 0, problem: 'too-short' };
    if (common.has(passphrase.toLowerCase())) return { acceptable: false, score: 0, problem: 'common' };
    const score = zxcvbn.check(passphrase, userInputs).score;
    if (score < minimumScore) return { acceptable: false, score, problem: 'weak' };
    return { acceptable: true, score, problem: null };
  }

  return {
    assess,
    require(passphrase, userInputs) {
      const v = assess(passphrase, userInputs);
      switch (v.problem) {
        case null:
          return;
        case 'too-short':
          throw new ArchiveError('PASSPHRASE_TOO_SHORT', `The passphrase must have at least ${limits.passphraseMin} characters.`);
        case 'too-long':
          throw new ArchiveError('PASSPHRASE_TOO_LONG', `The passphrase may have at most ${limits.passphraseMax} characters.`);
        case 'common':
          throw new ArchiveError('PASSPHRASE_COMMON', 'This passphrase is on the list of commonly used passwords.');
        case 'weak':
          throw new ArchiveError('PASSPHRASE_WEAK', 'This passphrase is too easy to guess; add more unrelated words.');
      }
    },
  };
}
