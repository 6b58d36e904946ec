import type { Page } from 'playwright-core';
import { waitFor } from '../../support/wait-for.js';
import type { DashboardSystem } from './dashboard-system.js';

/** Generous: a loaded 2-core machine runs the API, a worker, PostgreSQL and Chromium at once. */
export const UI_TIMEOUT = { timeoutMs: 30_000, intervalMs: 100 } as const;

/** The status the task detail page shows in its heading's badge. */
export function shownStatus(page: Page): Promise<string | null> {
  return page.locator('h1 .badge').getAttribute('data-status', { timeout: 1_000 });
}

/** Waits until the detail page's heading shows `status`. */
export async function waitForShownStatus(page: Page, status: string): Promise<void> {
  await waitFor(`the page to show the task ${status}`, async () => (await shownStatus(page)) === status, UI_TIMEOUT);
}

/** Waits until the API reports the task in a state `accept` takes, and returns it. */
export async function waitForTask(
  system: DashboardSystem,
  id: string,
  accept: (task: Record<string, any>) => boolean,
  description: string,
): Promise<Record<string, any>> {
  return waitFor(
    `task ${id} to be ${description}`,
    async () => {
      const { body } = await system.api(`/tasks/${id}`);
      return accept(body) ? body : undefined;
    },
    UI_TIMEOUT,
  );
}

/** The full ids of the task rows on the list page, read from their links (`#/tasks/<id>`). */
export function listedTaskIds(page: Page): Promise<string[]> {
  return page
    .locator('table tbody tr td:first-child a')
    .evaluateAll((links) => links.map((link) => (link.getAttribute('href') ?? '').replace(/^#\/tasks\//, '')));
}
