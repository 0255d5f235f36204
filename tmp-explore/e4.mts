import { makeCore, tempDir, createInput, director } from '/work/main/tests/fixtures/archive';
import { join } from 'node:path';
const d = tempDir();
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  const core = await makeCore(join(d.path, 'a' + i));
  console.log('makeCore', performance.now() - t); t = performance.now();
  await core.sessions.create(createInput(director));
  console.log('create', performance.now() - t); t = performance.now();
  await core.sessions.lock('manual');
  console.log('lock', performance.now() - t); t = performance.now();
  await core.sessions.signIn(director.username, director.passphrase);
  console.log('signIn', performance.now() - t); t = performance.now();
  await core.sessions.lock('manual');
  t = performance.now();
  core.policy.assess(director.passphrase); console.log('assess', performance.now() - t);
}
d.cleanup();
