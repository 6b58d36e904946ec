import { expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { describeWithBrowser, DESKTOP, openPage, overflowsHorizontally, PHONE } from './support/browser.js';
import { submitTask } from './support/dashboard-system.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

const PAGES = ['Overview', 'Tasks', 'Submit', 'Schedules'] as const;

/** The dashboard as a whole: served by the API, every page reachable, readable on a desktop and a phone. */
describeWithBrowser('the dashboard shell', () => {
  const system = useDashboardSystem();

  it('is served at /dashboard, and /dashboard redirects to /dashboard/', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    const response = await page.goto(`${system.apiUrl}/dashboard`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(system.dashboardUrl);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  for (const [viewportName, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
    it(`opens every page from the navigation without console errors or sideways scrolling (${viewportName})`, async () => {
      // Some tasks, so tables and charts have rows to lay out.
      for (const task_name of ['noop', 'fail']) await submitTask(system, { task_name, max_retries: 0 });
      const { page, context, consoleErrors } = await openPage(system.browser, { viewport });
      await page.goto(system.dashboardUrl);
      const nav = page.getByRole('navigation', { name: 'Pages' });
      for (const name of PAGES) {
        await nav.getByRole('link', { name, exact: true }).click();
        await waitFor(`the ${name} link to be marked current`, () =>
          nav.getByRole('link', { name, exact: true }).getAttribute('aria-current'),
        );
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await waitFor(`the title to name ${name}`, async () => (await page.title()).startsWith(name));
        expect(await overflowsHorizontally(page), `${name} scrolls sideways at ${viewport.width}px`).toBe(false);
      }
      expect(consoleErrors()).toEqual([]);
      await context.close();
    });
  }

  it('can be used from the keyboard: a skip link, then the navigation', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(system.dashboardUrl);
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Brand, then the four page links, in order.
    await page.keyboard.press('Tab');
    const focused: string[] = [];
    for (let i = 0; i < PAGES.length; i++) {
      await page.keyboard.press('Tab');
      focused.push((await page.evaluate(() => document.activeElement?.textContent)) ?? '');
    }
    expect(focused).toEqual([...PAGES]);
    await page.keyboard.press('Enter');
    await waitFor('the Schedules page', async () => page.url().endsWith('#/schedules'));
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });

  it('says so when a page does not exist', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    await page.goto(`${system.dashboardUrl}#/nowhere`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(consoleErrors()).toEqual([]);
    await context.close();
  });
});
