// Stable error codes: the only error vocabulary that crosses the IPC boundary and the CLI.
export const errorCodes = [
  'IPC_UNKNOWN_METHOD',
  'IPC_BAD_INPUT',
  'IPC_FORBIDDEN_SENDER',
  'AUTH_REQUIRED',
  'AUTH_FORBIDDEN',
  'AUTH_FAILED',
  'AUTH_LOCKED_OUT',
  'PASSPHRASE_TOO_SHORT',
  'PASSPHRASE_TOO_LONG',
  'PASSPHRASE_COMMON',
  'PASSPHRASE_WEAK',
  'PASSPHRASE_MISMATCH',
  'PASSPHRASE_UNCHANGED',
  'ARCHIVE_EXISTS',
  'ARCHIVE_NOT_FOUND',
  'ARCHIVE_TOO_NEW',
  'ARCHIVE_DAMAGED',
  'ARCHIVE_KEY_REJECTED',
  'ARCHIVE_UNWRITABLE',
  'ARCHIVE_BUSY',
  'RECORD_INVALID_DATE',
  'RECORD_UNKNOWN_CODE',
  'RECORD_UNKNOWN_PLACE',
  'RECORD_UNKNOWN_REFERENCE',
  'RECORD_NOT_FOUND',
  'RECORD_SEALED',
  'RECORD_CONFLICT',
  'CONTENT_NO_ACCESS',
  'DRAFTS_TOO_MANY',
  'TRAINING_DATA_INVALID',
  'AUTH_PASSPHRASE_CHANGE_REQUIRED',
  'ACCOUNT_EXISTS',
  'ACCOUNT_NOT_FOUND',
  'ACCOUNT_SELF',
  'ACCOUNT_LAST_DIRECTOR',
  'GRANT_NOT_RESTRICTED',
  'RECOVERY_NO_KIT',
  'RECOVERY_TOO_FEW_SHARES',
  'RECOVERY_SHARE_DAMAGED',
  'RECOVERY_SHARE_DUPLICATE',
  'RECOVERY_SHARE_OTHER_ARCHIVE',
  'RECOVERY_SHARES_MISMATCH',
  'ATTACHMENT_TOO_LARGE',
  'ATTACHMENT_UNREADABLE',
  'ATTACHMENT_DAMAGED',
  'ATTACHMENT_NOT_FOUND',
  'RECORDING_NOT_FOUND',
  'RECORDING_OUT_OF_ORDER',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** What crosses IPC when a call fails: a stable code and an English message for logs; the UI translates by code. */
export type ErrorInfo = {
  code: ErrorCode;
  message: string;
  /** Milliseconds since the epoch when a throttled sign-in may be tried again (AUTH_LOCKED_OUT only). */
  retryAt?: number;
  /** The recovery share at fault, by its place in the list the user gave (1-based). */
  share?: number;
  /** How many recovery shares are needed (RECOVERY_TOO_FEW_SHARES). */
  needed?: number;
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
