import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { describeWithBrowser, openPage, overflowsHorizontally, PHONE, saveScreenshot } from './support/browser.js';
import { submitTask } from './support/dashboard-system.js';
import { shownStatus, UI_TIMEOUT, waitForShownStatus, waitForTask } from './support/task-pages.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

const TASK_URL = /#\/tasks\/([0-9a-f-]{36})$/;
/** Far enough ahead that no worker claims it during a test. */
const FAR_FUTURE = '2099-01-01T09:00:00.000Z';

/** Submitting through the form, and steering a task from its detail page: cancel, retry, a refusal. */
describeWithBrowser('the dashboard task pages', () => {
  const system = useDashboardSystem();

  /** Opens the action's dialog and confirms it. */
  async function confirmAction(page: Page, label: string): Promise<void> {
    await page.getByRole('group', { name: 'Task actions' }).getByRole('button', { name: label, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: label });
    await dialog.getByRole('button', { name: 'Confirm' }).click();
  }

  it('submits a noop task through the form and shows it reach completed', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/submit`);
    const options = page.getByLabel('Task name').locator('option');
    await waitFor('noop among the live task names', async () => (await options.allTextContents()).includes('noop'), UI_TIMEOUT);
    await page.getByLabel('Task name').selectOption('noop');

    // The payload is checked as it is typed: submit waits until it parses.
    const payload = page.getByLabel('Payload (JSON)');
    const submit = page.getByRole('button', { name: 'Submit task' });
    await payload.fill('{\n  "greeting": "hello",\n}');
    await page.getByText(/Not valid JSON: .*\(line 3, column 1\)/).waitFor();
    expect(await submit.isDisabled()).toBe(true);
    await payload.fill('{\n  "greeting": "hello"\n}');
    await waitFor('submit enabled', () => submit.isEnabled(), UI_TIMEOUT);

    await submit.click();
    await page.waitForURL(TASK_URL);
    const id = TASK_URL.exec(page.url())![1]!;
    await waitForShownStatus(page, 'completed');
    expect(await page.getByLabel('Payload').textContent()).toBe(JSON.stringify({ greeting: 'hello' }, null, 2));
    const timeline = page.locator('ol.timeline');
    expect(await timeline.textContent()).toContain('Attempt 1 completed');
    expect(await waitForTask(system, id, (task) => task.status === 'completed', 'completed')).toMatchObject({
      task_name: 'noop',
      payload: { greeting: 'hello' },
    });
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('shows the API naming the field it refused beside that field', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/submit?task_name=noop`);
    await waitFor('noop chosen from the URL', async () => (await page.getByLabel('Task name').inputValue()) === 'noop', UI_TIMEOUT);
    await page.getByLabel('Max retries').fill('1.5');
    await page.getByRole('button', { name: 'Submit task' }).click();
    await page.locator('#submit-max-retries-error').getByText('must be an integer').waitFor();
    expect(await page.getByLabel('Max retries').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toMatch(/#\/submit/);
    expect(consoleErrors({ allowStatuses: [400] })).toEqual([]);
    await context.close();
  });

  it('cancels a scheduled task through the confirmation dialog', async () => {
    const id = await submitTask(system, { task_name: 'noop', scheduled_at: FAR_FUTURE });
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks/${id}`);
    await waitForShownStatus(page, 'pending');
    await confirmAction(page, 'Cancel');
    await waitForShownStatus(page, 'cancelled');
    expect((await system.api(`/tasks/${id}`)).body.status).toBe('cancelled');
    // Once cancelled, only Retry is left.
    const actions = page.getByRole('group', { name: 'Task actions' }).getByRole('button');
    await waitFor('only Retry offered', async () => (await actions.allTextContents()).join() === 'Retry', UI_TIMEOUT);
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('force-cancels a running task, its attempt recorded as cancelled', async () => {
    const id = await submitTask(system, { task_name: 'sleep', payload: { ms: 600_000 } });
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks/${id}`);
    await waitForShownStatus(page, 'running');
    await confirmAction(page, 'Force cancel');
    await waitForShownStatus(page, 'cancelled');
    expect(await page.getByTestId('attempt-row').textContent()).toContain('cancelled');
    expect((await system.api(`/tasks/${id}`)).body).toMatchObject({ status: 'cancelled', locked_by: null });
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('retries a task that failed for good and shows it run again', async () => {
    const id = await submitTask(system, { task_name: 'fail', payload: { message: 'broken on purpose' }, max_retries: 0 });
    await waitForTask(system, id, (task) => task.status === 'failed' && task.next_retry_at === null, 'failed for good');
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks/${id}`);
    await waitForShownStatus(page, 'failed');
    expect(await page.locator('h1 .badge').textContent()).toContain('for good');
    const attempts = page.getByTestId('attempt-row');
    expect(await attempts.count()).toBe(1);

    await confirmAction(page, 'Retry');
    // It ran again (a second attempt recorded) and, still failing, failed for good again.
    await waitFor('a second attempt on the page', async () => (await attempts.count()) === 2, UI_TIMEOUT);
    await waitForShownStatus(page, 'failed');
    const timeline = (await page.locator('ol.timeline').textContent()) ?? '';
    expect(timeline).toContain('Put back in the queue by a retry');
    expect(timeline.match(/Attempt 1 failed/g)).toHaveLength(2);
    const task = await waitForTask(system, id, (t) => t.attempt_history.length === 2, 'tried twice');
    expect(task).toMatchObject({ status: 'failed', next_retry_at: null, attempts: 1 });

    // For people to look at: a retried task, its attempts with a stack opened. Not task-detail.png,
    // which the docs' screenshot spec (dashboard-screenshots.spec.ts) writes.
    await attempts.last().locator('summary').click();
    await page.locator('pre.stack').first().waitFor();
    await saveScreenshot(page, 'task-detail-retried');
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('shows the API refusing an action the task no longer allows, in the dialog', async () => {
    const id = await submitTask(system, { task_name: 'noop', scheduled_at: FAR_FUTURE });
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks/${id}`);
    await waitForShownStatus(page, 'pending');
    await page.getByRole('group', { name: 'Task actions' }).getByRole('button', { name: 'Reschedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reschedule' });
    await dialog.getByLabel('Due at').fill('2098-06-01T12:00');

    // Someone else cancels it meanwhile; the open dialog still offers the reschedule.
    expect((await system.api(`/tasks/${id}`, { method: 'DELETE' })).status).toBe(204);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      `The API refused: cannot reschedule task ${id}: its status is cancelled, only a pending task can be`,
    );
    expect(await dialog.isVisible()).toBe(true);

    // Backing out, the page catches up with the task.
    await dialog.getByRole('button', { name: 'Back' }).click();
    await waitForShownStatus(page, 'cancelled');
    expect(consoleErrors({ allowStatuses: [409] })).toEqual([]);
    await context.close();
  });

  it('reads on a phone: a failed task with its stack, the list and the form stay within the screen', async () => {
    const id = await submitTask(system, { task_name: 'fail', payload: { message: 'x'.repeat(300) }, max_retries: 0 });
    await waitForTask(system, id, (task) => task.status === 'failed' && task.next_retry_at === null, 'failed for good');
    const { page, context, consoleErrors } = await openPage(system.browser, { viewport: PHONE });
    await page.goto(`${system.dashboardUrl}#/tasks/${id}`);
    await waitForShownStatus(page, 'failed');
    await page.getByTestId('attempt-row').locator('summary').click();
    await page.locator('pre.stack').first().waitFor();
    expect(await overflowsHorizontally(page), 'the task detail page scrolls sideways').toBe(false);
    for (const hash of ['#/tasks', '#/submit']) {
      await page.goto(`${system.dashboardUrl}${hash}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await overflowsHorizontally(page), `${hash} scrolls sideways`).toBe(false);
    }
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('says plainly when there is no such task', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('heading', { name: 'No such task' }).waitFor();
    expect(await shownStatus(page).catch(() => null)).toBeNull();
    expect(consoleErrors({ allowStatuses: [404] })).toEqual([]);
    await context.close();
  });
});
