import { join } from 'node:path';
import { expect, test } from 'vitest';
import { director, makeCore, tempDir } from '../fixtures/archive';

test('smoke', async () => {
  const dir = tempDir();
  const core = await makeCore(join(dir.path, 'a'));
  const info = await core.sessions.create({ ...director, passphraseConfirm: director.passphrase });
  expect(info.role).toBe('director');
  await core.sessions.lock('manual');
  const again = await core.sessions.signIn(director.username, director.passphrase);
  expect(again.displayName).toBe('Drita Krasniqi');
  await core.sessions.lock('manual');
  dir.cleanup();
});
