import { expect, it } from 'vitest';
import { describeWithBrowser, openPage } from './support/browser.js';
import { useDashboardSystem } from './support/use-dashboard-system.js';

const TOKEN = 'dashboard-test-token-0123456789';

/** With API_TOKEN set, the page asks for the token once and sends it as a bearer header. */
describeWithBrowser('the dashboard behind API_TOKEN', () => {
  const system = useDashboardSystem({ apiToken: TOKEN });

  it('serves the page without a token, but no data', async () => {
    const page = await fetch(system.dashboardUrl);
    expect(page.status).toBe(200);
    expect((await fetch(`${system.apiUrl}/monitor/stats`)).status).toBe(401);
  });

  it('asks for the token, says when it is wrong, then remembers the right one across reloads', async () => {
    const { page, context, consoleErrors } = await openPage(system.browser);
    const authorizations: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/monitor/')) authorizations.push(request.headers().authorization ?? '');
    });
    await page.goto(system.dashboardUrl);
    const tokenField = page.getByLabel('Token', { exact: true });
    await tokenField.waitFor();

    await tokenField.fill('not-the-token');
    await page.getByRole('button', { name: 'Save token' }).click();
    await page.getByText('The API did not accept the stored token').waitFor();

    await page.getByLabel('Token', { exact: true }).fill(TOKEN);
    await page.getByRole('button', { name: 'Save token' }).click();
    await page.getByRole('button', { name: 'Forget token' }).waitFor();
    await page.getByLabel('Token', { exact: true }).waitFor({ state: 'detached' });
    expect(authorizations).toContain(`Bearer ${TOKEN}`);

    // Once: a reload reads the stored token and never shows the prompt.
    authorizations.length = 0;
    await page.reload();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await page.waitForRequest((request) => request.url().includes('/monitor/'));
    expect(await page.getByLabel('Token', { exact: true }).count()).toBe(0);

    // Forgetting it brings the prompt back.
    await page.getByRole('button', { name: 'Forget token' }).click();
    await page.getByLabel('Token', { exact: true }).waitFor();
    expect(authorizations.filter((header) => header !== `Bearer ${TOKEN}`).length).toBeGreaterThan(0);
    expect(consoleErrors({ allowStatuses: [401] })).toEqual([]);
    await context.close();
  });
});
