// The IPC router: sender check -> method lookup -> zod parse -> permission -> handler -> Result.
// A plain function, so ipcMain in the app and the Playwright harness call exactly the same code.
import type { z } from 'zod';
import type { Role } from '../../shared/domain/roles';
import type { ErrorInfo, Result } from '../../shared/errors';
import { contract } from '../../shared/ipc/contract';
import type { MethodName } from '../../shared/ipc/methods';
import { beforePassphraseChange, isAllowed } from '../core/access/policy';
import { mapSqliteError } from '../core/db/open-database';
import { isArchiveError, type ErrorDetails } from '../core/errors';
import type { Handlers } from './handlers';

/** Who sent the call: the frame's URL and whether it is the main frame. */
export type Sender = { url: string; isMainFrame: boolean };

export type RouterDeps = {
  handlers: Handlers;
  /** The signed-in user's role and whether their passphrase is a one-time one; null when locked. */
  currentUser: () => { role: Role; mustChangePassphrase: boolean } | null;
  isTrustedSender: (sender: Sender) => boolean;
  /** Where unexpected failures are reported: codes and error class names only, never content. */
  report?: (line: string) => void;
};

export type Router = (sender: Sender, method: unknown, input: unknown) => Promise<Result<unknown>>;

const fail = (code: ErrorInfo['code'], message: string, details: ErrorDetails = {}): Result<never> => ({
  ok: false,
  error: { code, message, ...details },
});

function isMethod(method: unknown): method is MethodName {
  // Own properties only: 'constructor', '__proto__' and 'toString' are not methods.
  return typeof method === 'string' && method.length <= 64 && Object.hasOwn(contract, method);
}

/** Describes what was wrong with an input by path and rule, never echoing the values (they may be secrets). */
function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.code}`);
  return `Invalid input (${parts.join('; ')}).`;
}

export function createRouter(deps: RouterDeps): Router {
  return async function route(sender, method, input) {
    if (!deps.isTrustedSender(sender)) return fail('IPC_FORBIDDEN_SENDER', 'Calls are accepted only from the application window.');
    if (!isMethod(method)) return fail('IPC_UNKNOWN_METHOD', 'Unknown method.');
    const spec = contract[method];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) return fail('IPC_BAD_INPUT', describeIssues(parsed.error));
    const user = deps.currentUser();
    if (!isAllowed(user?.role ?? null, method)) {
      return user === null ? fail('AUTH_REQUIRED', 'Sign in first.') : fail('AUTH_FORBIDDEN', 'Your role does not allow this.');
    }
    if (user?.mustChangePassphrase && !beforePassphraseChange.has(method)) {
      return fail('AUTH_PASSPHRASE_CHANGE_REQUIRED', 'Choose your own passphrase first: the one you were given works only once.');
    }
    try {
      // The mapped Handlers type pairs each method with its own input type; TypeScript cannot follow
      // the correlation through an indexed access, hence this one widening.
      const handler = deps.handlers[method] as (i: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      const out = spec.output.safeParse(value);
      if (!out.success) {
        deps.report?.(`router: output of ${method} does not match the contract`);
        return fail('INTERNAL', 'Internal error.');
      }
      return { ok: true, value: out.data };
    } catch (e) {
      if (isArchiveError(e)) return fail(e.code, e.message, e.details);
      // A SQLite failure that escaped its service (a full disk, a damaged file) still gets its own code.
      const mapped = mapSqliteError(e);
      if (isArchiveError(mapped)) return fail(mapped.code, mapped.message, mapped.details);
      deps.report?.(`router: ${method} failed with ${e instanceof Error ? e.name : typeof e}`);
      return fail('INTERNAL', 'Internal error.');
    }
  };
}
