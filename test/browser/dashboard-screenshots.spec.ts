import { expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { describeWithBrowser, DESKTOP, openPage, saveScreenshot } from './support/browser.js';
import { submitTask } from './support/dashboard-system.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

const SLOW = { timeoutMs: 60_000, intervalMs: 200 };

/**
 * The docs' pictures of the dashboard (`npm run screenshots` copies them to docs/screenshots/): the overview
 * of a busy queue and the detail of a task that failed for good. Everything on screen comes from
 * tasks the worker really ran, except the throughput chart's earlier minutes: an hour of
 * finished rows is inserted first, because a test cannot wait an hour for the chart to fill.
 */
describeWithBrowser('the dashboard screenshots', () => {
  const system = useDashboardSystem({ workerEnv: { WORKER_MAX_CONCURRENT_TASKS: '8' } });

  /** An hour of history: a few hundred finished tasks a minute, in waves, a few of them failed for good. */
  async function insertFinishedHistory(): Promise<void> {
    await system.db.pool.query(
      `insert into tasks (task_name, status, max_retries, attempts, created_at, scheduled_at, started_at, finished_at, last_error)
       select name, status, 3, 1, at, at, at, at, case when status = 'failed' then 'upstream timed out' end
         from generate_series(1, 59) as minute,
              lateral (select now() - minute * interval '1 minute' + interval '5 seconds' as at) t,
              lateral generate_series(1, 120 + (80 * sin(minute / 6.0))::int) as n,
              lateral (select (array['send-email', 'resize-image', 'sync-invoices'])[1 + n % 3] as name,
                              case when n % 97 = 0 then 'failed' else 'completed' end as status) s`,
    );
  }

  it('saves the overview of a busy queue and the detail of a task that failed for good', async () => {
    await insertFinishedHistory();
    for (let i = 0; i < 40; i++) await submitTask(system, { task_name: 'noop', payload: { order: i } });
    for (let i = 0; i < 3; i++) await submitTask(system, { task_name: 'sleep', payload: { ms: 600_000 } });
    const later = new Date(Date.now() + 2 * 3600_000).toISOString();
    for (let i = 0; i < 12; i++) await submitTask(system, { task_name: 'noop', scheduled_at: later });
    for (let i = 0; i < 3; i++) await submitTask(system, { task_name: 'fail', payload: { message: 'card declined' }, max_retries: 20 });
    const failed = await submitTask(system, { task_name: 'fail', payload: { message: 'payment provider answered 502' }, max_retries: 2 });
    expect(
      (await system.api('/schedules', { method: 'POST', body: { name: 'nightly-report', cron: '0 2 * * *', task_name: 'noop' } })).status,
    ).toBe(201);

    await waitFor(
      'the task to fail for good after three attempts',
      async () => {
        const task = (await system.api(`/tasks/${failed}`)).body;
        return task.status === 'failed' && task.next_retry_at === null && task.attempts === 3;
      },
      SLOW,
    );
    await waitFor(
      'three sleepers running and the noops done',
      async () => {
        const stats = (await system.api('/monitor/stats')).body;
        return stats.running === 3 && stats.by_task_name.noop.completed === 40;
      },
      SLOW,
    );

    const { page, context, consoleErrors } = await openPage(system.browser, { viewport: DESKTOP });
    await page.goto(system.dashboardUrl);
    await page.getByRole('cell', { name: system.workerId }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('img', { name: /Throughput chart/ }).waitFor();
    const overview = await saveScreenshot(page, 'overview');

    await page.goto(`${system.dashboardUrl}#/tasks/${failed}`);
    await page.getByText('payment provider answered 502').first().waitFor({ timeout: 30_000 });
    // Show one stack trace open, as someone reading the failure would.
    await page
      .locator('details')
      .first()
      .evaluate((details) => details.setAttribute('open', ''));
    const detail = await saveScreenshot(page, 'task-detail');

    expect([overview, detail].map((path) => path.split('/').pop())).toEqual(['overview.png', 'task-detail.png']);
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });
});
