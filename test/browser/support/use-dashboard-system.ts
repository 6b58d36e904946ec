import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { startDashboardSystem, type DashboardSystem, type DashboardSystemOptions } from './dashboard-system.js';

/** A running dashboard system and the Chromium that looks at it. */
export interface BrowserTestSystem extends DashboardSystem {
  browser: Browser;
}

/**
 * Gives the calling describe block a dashboard system and a Chromium for all its tests: both
 * started (side by side) before the first, closed after the last. The returned object forwards
 * to the live system and browser, so tests read `system.api(…)` and `openPage(system.browser)`.
 */
export function useDashboardSystem(options: DashboardSystemOptions = {}): BrowserTestSystem {
  let system: DashboardSystem | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // Settled, not raced: when one fails to start, the other is still closed by afterAll.
    const [started, launched] = await Promise.allSettled([startDashboardSystem(options), launchChromium()]);
    if (started.status === 'fulfilled') system = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const live = () => {
    if (!system || !browser) throw new Error('the dashboard system runs only inside tests and hooks');
    return { system, browser };
  };
  return {
    get db() {
      return live().system.db;
    },
    get apiUrl() {
      return live().system.apiUrl;
    },
    get dashboardUrl() {
      return live().system.dashboardUrl;
    },
    get workerId() {
      return live().system.workerId;
    },
    get browser() {
      return live().browser;
    },
    api: (path, init) => live().system.api(path, init),
    output: () => live().system.output(),
    stop: () => live().system.stop(),
  };
}
