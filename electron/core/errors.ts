// The one error type core throws; the router and the CLI turn its code into a Result or an exit code.
import type { ErrorCode } from '../../shared/errors';

/** Facts the UI words in the user's language: a retry time, or which recovery share (1-based) and how many are needed. */
export type ErrorDetails = { retryAt?: number; share?: number; needed?: number };

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export function isArchiveError(e: unknown): e is ArchiveError {
  return e instanceof ArchiveError;
}
