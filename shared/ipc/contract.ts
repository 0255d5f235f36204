// The IPC contract: per method an input schema, an output schema and the action it needs.
import { z } from 'zod';
import { limits, usernamePattern } from '../domain/limits';
import { roleSchema, type Action } from '../domain/roles';
import type { MethodName } from './methods';

const username = z.string().min(limits.usernameMin).max(limits.usernameMax).regex(usernamePattern);
// The passphrase is bounded here so a 10 MB string is refused before it reaches the KDF;
// the policy (length, common list, strength) is decided in core after NFKC.
const passphrase = z.string().min(1).max(limits.passphraseMax);
const displayName = z.string().trim().min(1).max(limits.displayNameMax);
const empty = z.strictObject({});

export const sessionInfoSchema = z.strictObject({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  /** Actions this user may perform, from the policy table; the UI hides what is not listed. */
  allowed: z.array(z.string()),
  idleTimeoutMinutes: z.number().int(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const appStatusSchema = z.strictObject({
  state: z.enum(['no-archive', 'locked', 'unlocked']),
  folder: z.string(),
  session: sessionInfoSchema.nullable(),
});
export type AppStatus = z.infer<typeof appStatusSchema>;

export const passphraseProblems = ['too-short', 'too-long', 'common', 'weak'] as const;

type MethodSpec = { input: z.ZodType; output: z.ZodType; action: Action };

export const contract = {
  'app.status': { input: empty, output: appStatusSchema, action: 'public' },
  'archive.chooseFolder': {
    input: empty,
    output: z.strictObject({ folder: z.string(), containsArchive: z.boolean(), cancelled: z.boolean() }),
    action: 'public',
  },
  'archive.create': {
    input: z.strictObject({ username, displayName, passphrase, passphraseConfirm: passphrase }),
    output: sessionInfoSchema,
    action: 'public',
  },
  'passphrase.check': {
    input: z.strictObject({ passphrase }),
    output: z.strictObject({
      acceptable: z.boolean(),
      score: z.number().int().min(0).max(4),
      problem: z.enum(passphraseProblems).nullable(),
    }),
    action: 'public',
  },
  'session.signIn': {
    input: z.strictObject({ username: z.string().min(1).max(limits.usernameMax), passphrase }),
    output: sessionInfoSchema,
    action: 'public',
  },
  'session.info': { input: empty, output: sessionInfoSchema, action: 'session' },
  'session.lock': { input: empty, output: z.strictObject({ locked: z.literal(true) }), action: 'session' },
  'settings.get': {
    input: empty,
    output: z.strictObject({ idleTimeoutMinutes: z.number().int() }),
    action: 'session',
  },
  'settings.setIdleTimeout': {
    input: z.strictObject({
      minutes: z.number().int().min(limits.idleMinutesMin).max(limits.idleMinutesMax),
    }),
    output: z.strictObject({ idleTimeoutMinutes: z.number().int() }),
    action: 'settings.write',
  },
} as const satisfies Record<MethodName, MethodSpec>;

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
