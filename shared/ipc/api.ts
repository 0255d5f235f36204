// The shape of window.archive: one function per contract method, plus the lock notification.
import type { Result } from '../errors';
import type { MethodInput, MethodOutput } from './contract';
import type { MethodName } from './methods';

export type ArchiveApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
} & {
  /** Registers the one listener told when main locks the archive; returns an unsubscribe function. */
  onLocked: (listener: (reason: string) => void) => () => void;
};
