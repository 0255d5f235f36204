// The port the built renderer is served on for e2e (same rule as playwright.config.ts): E2E_PORT or 4179.
export const e2ePort = Number(process.env['E2E_PORT'] ?? 4179);
