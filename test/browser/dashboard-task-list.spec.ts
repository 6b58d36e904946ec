import { expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { describeWithBrowser, openPage } from './support/browser.js';
import { submitTask } from './support/dashboard-system.js';
import { listedTaskIds, UI_TIMEOUT } from './support/task-pages.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

/** No worker serves these names, so the tasks stay pending and no other test's tasks mix in. */
const PAGING_NAME = 'browser-paging';
const FILTER_NAME = 'browser-filter';

/** The task list: keyset paging both ways, filters kept in the URL, the first page refreshing itself. */
describeWithBrowser('the dashboard task list', () => {
  const system = useDashboardSystem();

  it('pages through 200 tasks with Next and Previous, each task seen once', async () => {
    const tasks = Array.from({ length: 200 }, (_, index) => ({ task_name: PAGING_NAME, payload: { index } }));
    const created = await system.api<{ ids: string[] }>('/tasks/batch', { method: 'POST', body: { tasks } });
    expect(created.status).toBe(201);

    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks?task_name=${PAGING_NAME}`);
    await page.getByLabel('Per page').selectOption('25');
    const pageNumber = page.getByTestId('page-number');
    const next = page.getByRole('button', { name: 'Next' });

    // Waits for the rows of page `n`: the number shown and a full set of rows other than the last page's.
    const readPage = async (n: number, previousIds: string[]) =>
      waitFor(
        `page ${n} of tasks`,
        async () => {
          if ((await pageNumber.textContent()) !== `Page ${n}`) return undefined;
          const ids = await listedTaskIds(page);
          return ids.length === 25 && ids.every((id) => !previousIds.includes(id)) ? ids : undefined;
        },
        UI_TIMEOUT,
      );

    const pages: string[][] = [await readPage(1, [])];
    for (let n = 2; n <= 8; n++) {
      await next.click();
      pages.push(await readPage(n, pages.at(-1)!));
    }
    expect(await next.isDisabled()).toBe(true);
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(200);
    expect([...seen].sort()).toEqual([...created.body.ids].sort());

    // Back through the same pages: each shows exactly what it showed on the way forward.
    const previous = page.getByRole('button', { name: 'Previous' });
    for (let n = 7; n >= 1; n--) {
      await previous.click();
      const ids = await readPage(n, pages[n]!);
      expect(ids).toEqual(pages[n - 1]);
    }
    expect(await previous.isDisabled()).toBe(true);

    // A reload lands on the same page: the way back lives in the URL.
    await next.click();
    await next.click();
    await readPage(3, pages[1]!);
    await page.reload();
    expect(await readPage(3, [])).toEqual(pages[2]);
    await page.getByRole('button', { name: 'First' }).click();
    expect(await readPage(1, [])).toEqual(pages[0]);
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('filters by status and task name, keeps the filters in the URL, and says when nothing matches', async () => {
    const pendingId = await submitTask(system, { task_name: FILTER_NAME });
    const cancelledId = await submitTask(system, { task_name: FILTER_NAME });
    expect((await system.api(`/tasks/${cancelledId}`, { method: 'DELETE' })).status).toBe(204);

    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks`);
    await page.getByLabel('Task name').fill(FILTER_NAME);
    await page.getByRole('button', { name: 'Apply' }).click();
    const both = [pendingId, cancelledId].sort().join();
    await waitFor('both tasks listed', async () => (await listedTaskIds(page)).sort().join() === both, UI_TIMEOUT);

    await page.getByRole('checkbox', { name: 'cancelled' }).check();
    await waitFor('only the cancelled task listed', async () => (await listedTaskIds(page)).join() === cancelledId, UI_TIMEOUT);
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/tasks?status=cancelled&task_name=${FILTER_NAME}`);

    await page.reload();
    await waitFor('the filtered list after a reload', async () => (await listedTaskIds(page)).join() === cancelledId, UI_TIMEOUT);
    expect(await page.getByRole('checkbox', { name: 'cancelled' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Task name').inputValue()).toBe(FILTER_NAME);

    await page.getByRole('checkbox', { name: 'cancelled' }).uncheck();
    await page.getByRole('checkbox', { name: 'completed' }).check();
    await page.getByText('No tasks match these filters.').waitFor();
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('shows the API refusing a bad filter', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks?status=finished`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('status must be one of pending, running, completed, failed, cancelled (got "finished")');
    expect(consoleErrors({ allowStatuses: [400] })).toEqual([]);
    await context.close();
  });

  it('refreshes the first page by itself: a new task appears without a reload', async () => {
    const name = 'browser-refresh';
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks?task_name=${name}`);
    await page.getByText('No tasks match these filters.').waitFor();
    const id = await submitTask(system, { task_name: name });
    await waitFor('the new task on the first page', async () => (await listedTaskIds(page)).includes(id), UI_TIMEOUT);
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });
});
