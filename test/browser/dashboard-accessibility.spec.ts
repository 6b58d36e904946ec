import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { axeViolations } from './support/axe.js';
import { describeWithBrowser, DESKTOP, openPage, PHONE, type OpenPageOptions } from './support/browser.js';
import { submitTask } from './support/dashboard-system.js';
import { listedTaskIds, UI_TIMEOUT, waitForShownStatus, waitForTask } from './support/task-pages.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

/** Far enough ahead that no worker claims it during a test. */
const FAR_FUTURE = '2099-01-01T09:00:00.000Z';
const TOKEN = 'dashboard-a11y-token-0123456789';
/** Playwright's waitFor options, as generous as UI_TIMEOUT is for polls. */
const UI_WAIT = { timeout: UI_TIMEOUT.timeoutMs };

/** Every page is checked in both colour schemes, on a desktop and on a phone. */
const LOOKS: ReadonlyArray<{ name: string } & OpenPageOptions> = [
  { name: 'light, desktop', colorScheme: 'light', viewport: DESKTOP },
  { name: 'dark, desktop', colorScheme: 'dark', viewport: DESKTOP },
  { name: 'light, phone', colorScheme: 'light', viewport: PHONE },
  { name: 'dark, phone', colorScheme: 'dark', viewport: PHONE },
];

/** A state of the dashboard to check: the page it is on (`#/…`), and how to reach the state once it has loaded. */
interface View {
  name: string;
  hash: string;
  ready(page: Page): Promise<void>;
}

/** Loads each view as a fresh document (no dialog or focus left over from the last) and collects axe's findings. */
async function violationsIn(page: Page, dashboardUrl: string, views: readonly View[]): Promise<string[]> {
  const found: string[] = [];
  for (const view of views) {
    await page.goto('about:blank');
    await page.goto(`${dashboardUrl}${view.hash}`);
    await view.ready(page);
    for (const violation of await axeViolations(page)) found.push(`${view.name}: ${violation}`);
  }
  return found;
}

/** What has focus, told the way a keyboard user would: the element, its text, and where it sits. */
function focusedElement(page: Page): Promise<{ tag: string; text: string; inTaskActions: boolean; inDialog: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: element?.textContent?.trim() ?? '',
      inTaskActions: Boolean(element?.closest('[role="group"][aria-label="Task actions"]')),
      inDialog: Boolean(element?.closest('dialog[open]')),
    };
  });
}

/** axe-core on every page, with tasks in each state and schedules present, then the keyboard alone steering a task. */
describeWithBrowser('the dashboard, for people using assistive technology or the keyboard', () => {
  const system = useDashboardSystem();
  const ids = { completed: '', failed: '', running: '', pending: '', cancelled: '' };

  beforeAll(async () => {
    ids.completed = await submitTask(system, { task_name: 'noop', payload: { hello: 'world' } });
    ids.failed = await submitTask(system, { task_name: 'fail', payload: { message: 'upstream answered 502' }, max_retries: 0 });
    // Runs until the worker stops at the end of the file.
    ids.running = await submitTask(system, { task_name: 'sleep', payload: { ms: 600_000 } });
    ids.pending = await submitTask(system, { task_name: 'noop', scheduled_at: FAR_FUTURE });
    ids.cancelled = await submitTask(system, { task_name: 'noop', scheduled_at: FAR_FUTURE });
    expect((await system.api(`/tasks/${ids.cancelled}`, { method: 'DELETE' })).status).toBe(204);
    for (const name of ['nightly-report', 'hourly-sync']) {
      const created = await system.api<{ id: string }>('/schedules', {
        method: 'POST',
        body: { name, cron: '0 * * * *', task_name: 'noop' },
      });
      expect(created.status).toBe(201);
      if (name === 'hourly-sync') {
        expect((await system.api(`/schedules/${created.body.id}`, { method: 'PATCH', body: { paused: true } })).status).toBe(200);
      }
    }
    await waitForTask(system, ids.completed, (task) => task.status === 'completed', 'completed');
    await waitForTask(system, ids.failed, (task) => task.status === 'failed' && task.next_retry_at === null, 'failed for good');
    await waitForTask(system, ids.running, (task) => task.status === 'running', 'running');
  });

  const views: View[] = [
    {
      name: 'overview',
      hash: '',
      ready: async (page) => {
        await page.getByRole('cell', { name: system.workerId }).waitFor(UI_WAIT);
        await page.getByRole('img', { name: /Throughput chart/ }).waitFor(UI_WAIT);
      },
    },
    {
      name: 'tasks list',
      hash: '#/tasks',
      ready: async (page) => {
        await waitFor('the five tasks listed', async () => (await listedTaskIds(page)).length >= 5, UI_TIMEOUT);
      },
    },
    {
      name: 'task detail with a stack open',
      get hash() {
        return `#/tasks/${ids.failed}`;
      },
      ready: async (page) => {
        await waitForShownStatus(page, 'failed');
        await page.getByTestId('attempt-row').locator('summary').click();
        await page.getByTestId('attempt-row').locator('pre.stack').waitFor(UI_WAIT);
      },
    },
    {
      name: 'submit',
      hash: '#/submit',
      ready: async (page) => {
        const options = page.getByLabel('Task name').locator('option');
        await waitFor('the live task names', async () => (await options.allTextContents()).includes('noop'), UI_TIMEOUT);
      },
    },
    {
      name: 'schedules',
      hash: '#/schedules',
      ready: async (page) => {
        await page
          .getByRole('row', { name: /hourly-sync/ })
          .getByText('paused')
          .first()
          .waitFor(UI_WAIT);
        await page.getByRole('row', { name: /nightly-report/ }).waitFor(UI_WAIT);
      },
    },
    ...['Reschedule', 'Cancel'].map((action) => ({
      name: `the ${action} dialog`,
      get hash() {
        return `#/tasks/${ids.pending}`;
      },
      ready: async (page: Page) => {
        await waitForShownStatus(page, 'pending');
        await page.getByRole('group', { name: 'Task actions' }).getByRole('button', { name: action, exact: true }).click();
        await page.getByRole('dialog', { name: action }).waitFor(UI_WAIT);
      },
    })),
  ];

  for (const look of LOOKS) {
    it(`breaks no WCAG A/AA or best-practice rule axe-core checks, on any page or dialog (${look.name})`, async () => {
      // bypassCSP: the page's CSP refuses the inline script that brings axe-core in (see support/axe.ts).
      const { page, context, consoleErrors } = await openPage(system.browser, { ...look, bypassCSP: true });
      const violations = await violationsIn(page, system.dashboardUrl, views);
      expect(violations.join('\n'), 'axe-core found violations').toBe('');
      expect(consoleErrors()).toEqual([]);
      await context.close();
    });
  }

  it("cancels a task from the keyboard alone, and focus lands on the task's remaining action", async () => {
    const id = await submitTask(system, { task_name: 'noop', scheduled_at: FAR_FUTURE });
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/tasks/${id}`);
    await waitForShownStatus(page, 'pending');

    // Tab from the top of the page until the Cancel action has focus.
    for (let presses = 0; ; presses++) {
      const focused = await focusedElement(page);
      if (focused.inTaskActions && focused.text === 'Cancel') break;
      if (presses === 40) throw new Error(`40 Tabs never reached the Cancel action (last focused: ${JSON.stringify(focused)})`);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Cancel' }).waitFor(UI_WAIT);
    // The dialog takes focus, on the harmless choice first.
    expect(await focusedElement(page)).toMatchObject({ tag: 'button', text: 'Back', inDialog: true });
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toMatchObject({ tag: 'button', text: 'Confirm', inDialog: true });
    await page.keyboard.press('Enter');

    await waitForShownStatus(page, 'cancelled');
    expect((await system.api(`/tasks/${id}`)).body.status).toBe('cancelled');
    expect(await page.getByRole('dialog').count()).toBe(0);
    // The Cancel button is gone with the state that allowed it; focus moves to what is left
    // in the same place (Retry), not back to the top of the page.
    await waitFor(
      'focus on the Retry action',
      async () => {
        const focused = await focusedElement(page);
        return focused.inTaskActions && focused.tag === 'button' && focused.text === 'Retry';
      },
      UI_TIMEOUT,
    );
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });
});

describeWithBrowser('the token prompt, for people using assistive technology', () => {
  const system = useDashboardSystem({ apiToken: TOKEN });

  const views: View[] = [
    { name: 'token prompt', hash: '', ready: (page) => page.getByLabel('Token', { exact: true }).waitFor(UI_WAIT) },
    {
      name: 'token prompt after a wrong token',
      hash: '',
      ready: async (page) => {
        await page.getByLabel('Token', { exact: true }).fill('not-the-token');
        await page.getByRole('button', { name: 'Save token' }).click();
        await page.getByText('The API did not accept the stored token').waitFor(UI_WAIT);
      },
    },
  ];

  for (const look of LOOKS) {
    it(`breaks no WCAG A/AA or best-practice rule axe-core checks (${look.name})`, async () => {
      // bypassCSP: the page's CSP refuses the inline script that brings axe-core in (see support/axe.ts).
      const { page, context, consoleErrors } = await openPage(system.browser, { ...look, bypassCSP: true });
      const violations = await violationsIn(page, system.dashboardUrl, views);
      expect(violations.join('\n'), 'axe-core found violations').toBe('');
      expect(consoleErrors({ allowStatuses: [401] })).toEqual([]);
      await context.close();
    });
  }
});
