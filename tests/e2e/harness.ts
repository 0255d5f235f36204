// Playwright fixture: a fresh archive folder per test and the real router exposed to the page as
// window.archive (what the preload builds in the app), so the real UI runs against the real engine.
import { test as base, type Page } from '@playwright/test';
import { createArchiveCore } from '../../electron/core/archive-core';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter } from '../../electron/ipc/router';
import { methodNames } from '../../shared/ipc/methods';
import { resourcesDir, tempDir, testKdf } from '../fixtures/archive';
import { e2ePort } from './port';

type ArchiveCore = Awaited<ReturnType<typeof createArchiveCore>>;

export type Harness = {
  core: ArchiveCore;
  folder: string;
  /** Folders the (fake) native picker will return, in order; null = cancelled. */
  pickerAnswers: Array<string | null>;
};

declare global {
  // Set by the init script below; called by the harness to deliver main's lock event.
  var __archiveLocked: ((reason: string) => void) | undefined;
  var __archiveInvoke: ((method: string, input: unknown) => Promise<unknown>) | undefined;
}

async function installArchiveApi(page: Page, harness: { core: ArchiveCore }): Promise<void> {
  const router = createRouter({
    handlers: createHandlers(harness.core),
    currentUser: () => harness.core.sessions.caller(),
    // The page's own main frame is the trusted sender, as app://archive is in the app.
    isTrustedSender: (s) => s.isMainFrame && s.url.startsWith(`http://127.0.0.1:${e2ePort}/`),
  });
  await page.exposeBinding('__archiveInvoke', (source, method: unknown, input: unknown) =>
    router({ url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, method, input),
  );
  await page.addInitScript((names: string[]) => {
    let listener: ((reason: string) => void) | null = null;
    const api: Record<string, unknown> = {};
    for (const name of names) api[name] = (input: unknown) => globalThis.__archiveInvoke?.(name, input);
    api['onLocked'] = (l: (reason: string) => void) => {
      listener = l;
      return () => {
        if (listener === l) listener = null;
      };
    };
    globalThis.__archiveLocked = (reason: string) => listener?.(reason);
    Object.defineProperty(globalThis, 'archive', { value: Object.freeze(api), writable: false });
  }, [...methodNames]);
}

export const test = base.extend<{ harness: Harness }>({
  // auto: every test gets window.archive, even one that never touches the harness itself.
  harness: [async ({ page }, use) => {
    const dir = tempDir('ta-e2e-');
    const folder = `${dir.path}/archive`;
    const pickerAnswers: Array<string | null> = [];
    let pageRef: Page | null = page;
    const core = await createArchiveCore({
      resourcesDir,
      initialFolder: folder,
      ...testKdf,
      pickFolder: () => Promise.resolve(pickerAnswers.length ? (pickerAnswers.shift() ?? null) : null),
      onLocked: (reason) => {
        void pageRef?.evaluate((r) => globalThis.__archiveLocked?.(r), reason).catch(() => undefined);
      },
    });
    const harness = { core, folder, pickerAnswers };
    await installArchiveApi(page, harness);
    await use(harness);
    pageRef = null;
    await core.sessions.lock('quit');
    dir.cleanup();
  }, { auto: true }],
});

export { expect } from '@playwright/test';
