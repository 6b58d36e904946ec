import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** axe-core's browser bundle, injected into the page under test. */
export const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

/**
 * The rules checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices
 * (one main landmark, headings in order, all content inside landmarks…).
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;

/**
 * Runs axe-core on the page as it is now and returns one line per rule it broke: the rule,
 * what it asks for, and every element that breaks it. Empty when the page passes.
 *
 * The dashboard's Content-Security-Policy (`default-src 'self'`) refuses the inline <script>
 * that page.addScriptTag adds (Chromium blocks it and logs the violation), so the page must
 * come from a context opened with `bypassCSP` (see openPage). That switches the policy off
 * for the whole context; the policy itself is checked by the shell spec, which keeps it.
 */
export async function axeViolations(page: Page, tags: readonly string[] = AXE_TAGS): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  // A plain function returning a promise, not an async one: the test transpiler would turn
  // `async` into a call to a helper that exists only on the Node side.
  const violations = await page.evaluate((values) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }).then((results) =>
      results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '' })),
      })),
    );
  }, tags);
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes.map((node) => `    at ${node.target}\n      ${node.summary.replace(/\n/g, '\n      ')}`).join('\n'),
  );
}
