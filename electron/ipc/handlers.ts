// One handler per contract method; the mapped type makes a missing handler a type error.
import type { z } from 'zod';
import type { Contract, MethodOutput } from '../../shared/ipc/contract';
import type { MethodName } from '../../shared/ipc/methods';
import type { ArchiveCore } from '../core/archive-core';

export type Handlers = {
  [M in MethodName]: (input: z.output<Contract[M]['input']>) => Promise<MethodOutput<M>>;
};

export function createHandlers(core: ArchiveCore): Handlers {
  const { sessions, policy } = core;
  return {
    'app.status': async () => sessions.status(),
    'archive.chooseFolder': () => sessions.chooseFolder(),
    'archive.create': (input) => sessions.create(input),
    'passphrase.check': async ({ passphrase }) => policy.assess(passphrase),
    'session.signIn': ({ username, passphrase }) => sessions.signIn(username, passphrase),
    'session.info': async () => sessions.info(),
    'session.lock': async () => {
      await sessions.lock('manual');
      return { locked: true as const };
    },
    'settings.get': async () => ({ idleTimeoutMinutes: sessions.require().idleTimeoutMinutes }),
    'settings.setIdleTimeout': async ({ minutes }) => ({ idleTimeoutMinutes: await sessions.setIdleTimeout(minutes) }),
  };
}
