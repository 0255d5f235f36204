// Playwright fixture: a fresh archive folder per test and the real router exposed to the page as
// window.archive (what the preload builds in the app), so the real UI runs against the real engine.
import { test as base, type Page } from '@playwright/test';
import { createArchiveCore } from '../../electron/core/archive-core';
import { handleMediaRequest, type MediaDeps } from '../../electron/core/attachments/media-request';
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
  /** Files the (fake) native file picker will return for attachments.import, in order; null = cancelled. */
  fileAnswers: Array<string | null>;
  /**
   * What serves `/__media/<id>` (app-media://<id> in the app): the attachments service's open, which the
   * fixture must set once it exists; until then every attachment is ATTACHMENT_NOT_FOUND (404).
   */
  mediaOpen: MediaDeps['open'];
};

/** The path the page fetches attachments from in e2e, where app-media:// cannot be served over http. */
export const e2eMediaPath = '/__media/';

/** The core's `mediaUrl(id)` in e2e: the same origin as the page. In the app it is mediaUrlOf (app-media://<id>). */
export const e2eMediaUrl = (id: string): string => `http://127.0.0.1:${e2ePort}${e2eMediaPath}${id}`;

/**
 * Serves `/__media/<rest>` through the app's own handler as `app-media://<rest>` (so the same URL,
 * method, range and error rules apply), for the page's own requests only. Playwright fulfils whole
 * bodies, so a read failing midway aborts the request instead of sending a short one. A PDF's frame (a child of the
 * main frame) is served too, as in the app.
 */
async function installMediaRoute(page: Page, harness: { mediaOpen: MediaDeps['open'] }): Promise<void> {
  await page.route(`**${e2eMediaPath}**`, async (route) => {
    const request = route.request();
    const url = request.url();
    const rest = url.slice(url.indexOf(e2eMediaPath) + e2eMediaPath.length);
    // The page itself, or (a PDF) the navigation of a frame the page holds: as the app's guard allows subFrame.
    const frame = request.frame();
    const fromPage = frame === page.mainFrame() || (request.isNavigationRequest() && frame.parentFrame() === page.mainFrame());
    if (!url.startsWith(`http://127.0.0.1:${e2ePort}${e2eMediaPath}`) || !fromPage) {
      await route.abort('accessdenied');
      return;
    }
    const answer = await handleMediaRequest(
      { method: request.method(), url: `app-media://${rest}`, headers: await request.allHeaders() },
      { open: (id) => harness.mediaOpen(id) },
    );
    const parts: Uint8Array[] = [];
    try {
      if (answer.body !== null) for await (const part of answer.body) parts.push(part);
    } catch {
      await route.abort('failed');
      return;
    }
    await route.fulfill({ status: answer.status, headers: answer.headers, body: Buffer.concat(parts) });
  });
}

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
    const fileAnswers: Array<string | null> = [];
    let pageRef: Page | null = page;
    const core = await createArchiveCore({
      resourcesDir,
      initialFolder: folder,
      ...testKdf,
      pickFolder: () => Promise.resolve(pickerAnswers.length ? (pickerAnswers.shift() ?? null) : null),
      pickFile: () => Promise.resolve(fileAnswers.length ? (fileAnswers.shift() ?? null) : null),
      mediaUrl: e2eMediaUrl,
      onLocked: (reason) => {
        void pageRef?.evaluate((r) => globalThis.__archiveLocked?.(r), reason).catch(() => undefined);
      },
    });
    const harness: Harness = {
      core,
      folder,
      pickerAnswers,
      fileAnswers,
      mediaOpen: core.openMedia,
    };
    await installArchiveApi(page, harness);
    await installMediaRoute(page, harness);
    await use(harness);
    pageRef = null;
    await core.sessions.lock('quit');
    dir.cleanup();
  }, { auto: true }],
});

export { expect } from '@playwright/test';
