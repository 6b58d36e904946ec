import type { Page } from 'playwright-core';
import { beforeEach, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { describeWithBrowser, openPage } from './support/browser.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

const SLOW = { timeoutMs: 20_000, intervalMs: 100 };
const NEXT_RUN = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00 \((in [^)]+|[^)]+ ago)\)/;

interface ScheduleBody {
  id: string;
  name: string;
  paused: boolean;
  next_run_at: string | null;
  [field: string]: unknown;
}

describeWithBrowser('the schedules page', () => {
  const system = useDashboardSystem();

  beforeEach(async () => {
    await system.db.pool.query('truncate task_schedules');
  });

  async function storedSchedules(): Promise<ScheduleBody[]> {
    return (await system.api<{ schedules: ScheduleBody[] }>('/schedules')).body.schedules;
  }

  async function openSchedules(page: Page): Promise<void> {
    await page.goto(`${system.dashboardUrl}#/schedules`);
    await page.getByRole('heading', { name: 'New schedule' }).waitFor();
  }

  it('creates a schedule through the form, lists it with its next run, pauses, resumes and deletes it', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    await openSchedules(page);
    await page.getByText('No schedules yet').waitFor();

    // The time zone starts as the browser's; task names come from what live workers serve.
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(await page.getByLabel('Time zone').inputValue()).toBe(browserZone);
    await waitFor('the served task names as suggestions', async () => {
      const names = await page
        .locator('#schedule-task-names option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      return names.includes('noop') && names.includes('sleep');
    });

    await page.getByLabel('Name', { exact: true }).fill('every-minute');
    await page.getByLabel('Cron expression').fill('* * * * *');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Task name').fill('noop');
    await page.getByLabel('Payload (JSON)').fill('{"from": "browser"}');
    await page.getByLabel('Priority').fill('3');
    await page.getByLabel('Max retries').fill('1');
    await page.getByRole('button', { name: 'Create schedule' }).click();

    const row = page.getByRole('row', { name: /every-minute/ });
    await row.waitFor();
    await page.getByRole('status').getByText('Created every-minute').waitFor();
    const [stored] = await storedSchedules();
    expect(stored).toMatchObject({
      name: 'every-minute',
      cron: '* * * * *',
      timezone: 'Europe/Berlin',
      task_name: 'noop',
      payload: { from: 'browser' },
      priority: 3,
      max_retries: 1,
      paused: false,
    });
    // Next run: the absolute time on the minute, and how far off it is (just past, should the tick be firing).
    expect(await row.textContent()).toMatch(NEXT_RUN);
    expect(await row.textContent()).toContain('active');

    await row.getByRole('button', { name: 'Pause every-minute' }).click();
    await row.getByRole('button', { name: 'Resume every-minute' }).waitFor();
    expect(await row.textContent()).toContain('paused');
    expect((await storedSchedules())[0]).toMatchObject({ paused: true });

    await row.getByRole('button', { name: 'Resume every-minute' }).click();
    await row.getByRole('button', { name: 'Pause every-minute' }).waitFor();
    await waitFor('the next run time to show again', async () => NEXT_RUN.test((await row.textContent()) ?? ''), SLOW);
    const resumed = (await storedSchedules())[0]!;
    expect(resumed.paused).toBe(false);
    expect(Date.parse(resumed.next_run_at!)).toBeGreaterThan(Date.now() - 60_000);

    await row.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete' });
    await dialog.getByText('Delete the schedule every-minute?').waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('No schedules yet').waitFor();
    // The focused Delete button went with its row; focus stays on the list, not back at the top of the page.
    const list = page.getByRole('region', { name: /All schedules/ });
    await waitFor('focus on the schedule list', () => list.evaluate((node) => node === document.activeElement));
    expect(await storedSchedules()).toEqual([]);
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it("checks the payload's JSON before sending, and shows the API's message when it refuses", async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/schedules')) posts.push(request.url());
    });
    await openSchedules(page);

    await page.getByLabel('Name', { exact: true }).fill('broken');
    await page.getByLabel('Cron expression').fill('* * * *');
    await page.getByLabel('Task name').fill('noop');
    const payload = page.getByLabel('Payload (JSON)');
    await payload.fill('{"oops": ');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByRole('alert').getByText('payload is not valid JSON').waitFor();
    expect(await payload.getAttribute('aria-invalid')).toBe('true');
    expect(await payload.evaluate((node) => node === document.activeElement)).toBe(true);
    expect(posts).toEqual([]);

    await payload.fill('{"ok": true}');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'The API refused' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('cron must have 5 fields');
    expect(posts).toHaveLength(1);
    expect(await storedSchedules()).toEqual([]);
    // What was typed stays, so it can be corrected.
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('broken');
    expect(consoleErrors({ allowStatuses: [400] })).toEqual([]);
    await context.close();
  });
});
