import pg from 'pg';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { describeWithBrowser, openPage, saveScreenshot } from './support/browser.js';
import { submitTask } from './support/dashboard-system.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

/** Long enough for a loaded machine to run the tasks and for a few 3-second refreshes. */
const SLOW = { timeoutMs: 30_000, intervalMs: 100 };

/** The number on a status tile, which is a link named by its label. */
function tileValue(page: Page, label: string): Promise<string | null> {
  return page.getByRole('link', { name: label }).locator('.value').textContent();
}

describeWithBrowser('the overview page', () => {
  const system = useDashboardSystem();

  async function statusOf(id: string): Promise<string> {
    return (await system.api<{ status: string }>(`/tasks/${id}`)).body.status;
  }

  it('shows counts per status, throughput and the live worker with the task it runs, and refreshes itself', async () => {
    const finishing = [
      ...(await Promise.all([1, 2, 3].map(() => submitTask(system, { task_name: 'noop' })))),
      await submitTask(system, { task_name: 'fail', max_retries: 0 }),
    ];
    // Runs until the worker stops at the end of the file.
    const sleeper = await submitTask(system, { task_name: 'sleep', payload: { ms: 600_000 } });
    await waitFor(
      'the tasks to finish and the sleeper to run',
      async () => {
        const statuses = await Promise.all([...finishing, sleeper].map(statusOf));
        return statuses.join() === 'completed,completed,completed,failed,running';
      },
      SLOW,
    );

    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(system.dashboardUrl);
    const expected = { Pending: '0', Running: '1', Completed: '3', 'Failed, awaiting retry': '0', 'Failed for good': '1', Cancelled: '0' };
    for (const [label, value] of Object.entries(expected)) {
      await waitFor(`the ${label} tile to show ${value}`, async () => (await tileValue(page, label)) === value, SLOW);
    }
    expect(await page.getByRole('link', { name: 'Pending' }).getAttribute('href')).toBe('#/tasks?status=pending');
    expect(await page.getByRole('link', { name: 'Failed for good' }).getAttribute('href')).toBe('#/tasks?status=failed');
    await page.getByText('Queue lag').waitFor();

    const chart = page.getByRole('img', { name: /Throughput chart/ });
    expect(await chart.getAttribute('aria-label')).toContain('3 completed, 1 failed for good');

    const workerRow = page.getByRole('row', { name: new RegExp(system.workerId) });
    await workerRow.waitFor();
    expect(await workerRow.textContent()).toMatch(/\d+ s ago/);
    const runningLink = workerRow.getByRole('link', { name: new RegExp(sleeper.slice(0, 8)) });
    expect(await runningLink.getAttribute('href')).toBe(`#/tasks/${sleeper}`);

    const health = page.getByRole('region', { name: 'Table health' });
    for (const fact of ['Dead tuples', 'Total size', 'Last autovacuum', 'Oldest open transaction', 'Prepared transactions']) {
      await health.getByText(fact).waitFor();
    }

    // New work shows up by itself: no reload (the marker would be gone), the same canvas updated.
    await page.evaluate(() => ((window as unknown as { overviewMarker: number }).overviewMarker = 1));
    const canvas = await chart.elementHandle();
    await Promise.all([1, 2].map(() => submitTask(system, { task_name: 'noop' })));
    await waitFor('the Completed tile to show 5', async () => (await tileValue(page, 'Completed')) === '5', SLOW);
    await waitFor('the chart label to count 5', async () => (await chart.getAttribute('aria-label'))?.includes('5 completed'), SLOW);
    expect(await page.evaluate(() => (window as unknown as { overviewMarker?: number }).overviewMarker)).toBe(1);
    expect(await canvas!.evaluate((node) => node.isConnected)).toBe(true);

    await saveScreenshot(page, 'overview-page');
    await runningLink.click();
    await waitFor('the running task to open', () => page.url().endsWith(`#/tasks/${sleeper}`));
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('names the session whose open transaction holds back vacuum, with its age', async () => {
    const holder = new pg.Client({ connectionString: system.db.url, application_name: 'overview-spec-holder' });
    await holder.connect();
    const { page, context, consoleErrors } = await openPage(system.browser);
    try {
      await holder.query('begin isolation level repeatable read');
      await holder.query('select count(*) from tasks');
      await page.goto(system.dashboardUrl);
      const health = page.getByRole('region', { name: 'Table health' });
      await health.getByText('overview-spec-holder').waitFor({ timeout: 30_000 });
      expect(await health.textContent()).toMatch(
        /Oldest open transaction\d+(\.\d)? s · overview-spec-holder \(pid \d+, idle in transaction\)/,
      );
      await holder.query('commit');
      await health.getByText('none open longer than 1 s').waitFor({ timeout: 30_000 });
    } finally {
      await holder.end();
    }
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });
});
