// `archive check` as a user runs it: every part in text and --json, exit 1 naming what failed (a damaged attachment
// by its id, a rewritten audit entry, a keyring that disagrees with the database), exit 4 for an unreadable database page.
import { cpSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attachmentPath } from '../../electron/core/attachments/file-store';
import type { ArchiveCheck } from '../../shared/maintenance/archive-check';
import { createInput, director, makeCore, tempDir } from '../fixtures/archive';
import { archive, type Run } from '../fixtures/cli';
import { flipByte } from '../fixtures/files';
import { personInput, testimonyInput } from '../fixtures/records';
import { addUser, recorder } from '../fixtures/users';

const dir = tempDir('ta-cli-check-');
const healthy = join(dir.path, 'healthy');
const pass = `${director.passphrase}\n`;
const user = ['--user', director.username];
let attachmentId = '';
let recorderId = '';
afterAll(() => dir.cleanup());

/** Opens `folder` as the director, changes it with `damage`, and locks it again. */
async function damaged(name: string, damage: (core: Awaited<ReturnType<typeof makeCore>>) => void | Promise<void>): Promise<string> {
  const folder = join(dir.path, name);
  cpSync(healthy, folder, { recursive: true });
  const core = await makeCore(folder);
  await core.sessions.signIn(director.username, director.passphrase);
  await damage(core);
  await core.sessions.lock('quit');
  return folder;
}

const report = (r: Run) => JSON.parse(r.stdout) as { ok: boolean; cancelled: boolean; checks: ArchiveCheck[] };

beforeAll(async () => {
  const core = await makeCore(healthy);
  await core.sessions.create(createInput(director));
  const s = core.sessions.require();
  recorderId = await addUser(core.sodium, s.archive, recorder, 'recorder');
  const p = await s.records.persons.create(personInput(), s.records.actor);
  const t = await s.records.testimonies.create(testimonyInput(p.id, p.id, { sensitivity: 'restricted' }), s.records.actor);
  mkdirSync(join(dir.path, 'files'));
  writeFileSync(join(dir.path, 'files', 'deklarata.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  attachmentId = (await s.records.attachments.importFile(s.records.actor, 'testimony', t.id, join(dir.path, 'files', 'deklarata.pdf'))).id;
  await core.sessions.lock('quit');
}, 60_000);

test('a healthy archive: every part passes, attachments included, in text and in JSON (exit 0)', async () => {
  const [text, json] = await Promise.all([archive(['check', healthy, ...user], pass), archive(['check', healthy, ...user, '--json'], pass)]);
  expect(text).toMatchObject({ code: 0, stderr: '' });
  const lines = text.stdout.trim().split('\n');
  for (const l of lines) expect(l).toMatch(/^PASS {2}/);
  expect(lines).toContain('PASS  attachment hashes: 1 of 1 checked, none damaged');
  expect(lines.some((l) => l.startsWith('PASS  database integrity: '))).toBe(true);
  expect(lines.some((l) => l.startsWith('PASS  keyring consistency: 2 user(s)'))).toBe(true);
  expect(json).toMatchObject({ code: 0, stderr: '' });
  const doc = report(json);
  expect(doc.ok).toBe(true);
  expect(doc.checks.map((c) => c.name)).toEqual(['database-integrity', 'schema-version', 'keyring', 'archive-identity', 'audit-chain', 'audit-checkpoints', 'attachments']);
  expect(doc.checks.at(-1)).toMatchObject({ detail: 'attachments-sound', params: { checked: 1, total: 1, damaged: 0, skippedNoKey: 0, skippedNotShared: 0 } });
}, 120_000);

test('a flipped byte in an attachment, a rewritten audit entry and a keyring that disagrees each fail with exit 1; an unreadable page exits 4', async () => {
  const badFile = await damaged('bad-file', () => {
    const file = attachmentPath(join(dir.path, 'bad-file'), attachmentId);
    flipByte(file, statSync(file).size - 3);
  });
  const badAudit = await damaged('bad-audit', (core) => {
    core.sessions.require().archive.db.sqlite.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET subject_id = 'someone-else' WHERE seq = 2`);
  });
  const badKeyring = await damaged('bad-keyring', (core) => {
    core.sessions.require().archive.db.sqlite.prepare(`UPDATE users SET role = 'auditor' WHERE id = ?`).run(recorderId);
  });
  // A flipped byte in a database page unlocking does not read: the integrity check cannot read it (exit 4).
  const badPage = join(dir.path, 'bad-page');
  cpSync(healthy, badPage, { recursive: true });
  flipByte(join(badPage, 'archive.db'), 4096 + 200);
  const [file, fileJson, audit, keyring, page] = await Promise.all([
    archive(['check', badFile, ...user], pass),
    archive(['check', badFile, ...user, '--json'], pass),
    archive(['check', badAudit, ...user], pass),
    archive(['check', badKeyring, ...user], pass),
    archive(['check', badPage, ...user], pass),
  ]);

  expect(file.code).toBe(1);
  expect(file.stderr).toBe('archive: check failed (attachment hashes).\n');
  expect(file.stdout).toContain('FAIL  attachment hashes: 1 of 1 checked are damaged');
  expect(file.stdout).toContain(`damaged attachment ${attachmentId} (decryption-failed)`);
  expect(fileJson.code).toBe(1);
  const doc = report(fileJson);
  expect(doc.ok).toBe(false);
  expect(doc.checks.find((c) => c.name === 'attachments')?.damaged).toEqual([{ id: attachmentId, reason: 'decryption-failed' }]);

  expect(audit.code).toBe(1);
  expect(audit.stderr).toBe('archive: check failed (audit chain).\n');
  expect(audit.stdout).toContain('FAIL  audit chain: entry 2 was changed after it was written');

  expect(keyring.code).toBe(1);
  expect(keyring.stderr).toBe('archive: check failed (keyring consistency).\n');
  expect(keyring.stdout).toContain('FAIL  keyring consistency: 1 keyring entr(ies) without a matching user, 0 user(s) without keys');

  expect(page.code).toBe(4);
  expect(page.stderr).toMatch(/^archive: check failed \(database integrity[^\n]*\)\.\n$/);
  expect(page.stdout).toContain('FAIL  database integrity: could not be read');
  // The other parts still ran: the attachment was checked.
  expect(page.stdout).toContain('PASS  attachment hashes: 1 of 1 checked, none damaged');
}, 240_000);
