// Small vocabularies of the contract that other shared modules also build on (kept apart so they import no cycle).

export const checkStates = ['running', 'finished', 'cancelled', 'failed'] as const;
/** Why a file failed its check: it does not decrypt, its bytes hash differently than at intake, or it cannot be read. */
export const damageReasons = ['decryption-failed', 'hash-mismatch', 'unreadable'] as const;
