// The one error type core throws; the router and the CLI turn its code into a Result or an exit code.
import type { ErrorCode } from '../../shared/errors';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { retryAt?: number } = {},
  ) {
    super(message);
  }
}

export function isArchiveError(e: unknown): e is ArchiveError {
  return e instanceof ArchiveError;
}
