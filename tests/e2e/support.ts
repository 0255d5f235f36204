// Shared e2e helpers: calling the real router as the signed-in page does, and the accessibility check of a screen.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { Result } from '../../shared/errors';
import type { MethodInput, MethodOutput } from '../../shared/ipc/contract';
import type { MethodName } from '../../shared/ipc/methods';

/** Calls one method on the page's window.archive (the real router), as the renderer does; throws when refused. */
export async function callArchive<M extends MethodName>(page: Page, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = (await page.evaluate(
    ([m, i]) => (globalThis as unknown as { archive: Record<string, (input: unknown) => Promise<unknown>> }).archive[m]?.(i),
    [method as string, input as unknown] as const,
  )) as Result<MethodOutput<M>> | undefined;
  if (!r?.ok) throw new Error(`${method} refused: ${JSON.stringify(r?.error)}`);
  return r.value;
}

/** axe (WCAG 2.0/2.1 A and AA, best practice) finds nothing on the screen as it is now. */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(results.violations.map((v) => `${screen}: ${v.id} (${v.nodes.length})`)).toEqual([]);
}
