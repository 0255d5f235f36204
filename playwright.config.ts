// End-to-end tests: the built renderer in Debian's Chromium, driven against the real router.
import { defineConfig } from '@playwright/test';

// Also read by tests/e2e/port.ts: several checkouts can run e2e side by side on different ports.
const port = Number(process.env['E2E_PORT'] ?? 4179);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // A fake microphone (a beep) granted without a prompt: the attachments spec records through it.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --outDir out/renderer --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
