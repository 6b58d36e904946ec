import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describeIfAvailable } from '../../support/describe-if-available.js';
import { REPO_ROOT } from '../../support/processes.js';
import { chromiumAvailable, CHROMIUM_MISSING_MESSAGE, CHROMIUM_PATH } from './chromium.js';

/** Screenshots and other files a browser test leaves for people to look at (git-ignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Tests run as root in CI, where Chromium's sandbox refuses to start; /dev/shm may be small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface DashboardPage {
  page: Page;
  context: BrowserContext;
  /**
   * Console errors and uncaught exceptions so far. A fetch the API refused shows in Chromium's
   * console as "Failed to load resource: … status of 409"; `allowStatuses` lets a test that
   * provokes such an answer on purpose leave those out.
   */
  consoleErrors: (options?: { allowStatuses?: number[] }) => string[];
}

export interface OpenPageOptions {
  viewport?: { width: number; height: number };
  /** What `prefers-color-scheme` answers; the dashboard follows it (default light). */
  colorScheme?: 'light' | 'dark';
  /**
   * Lets the test add scripts the page's Content-Security-Policy would refuse (an inline
   * <script>, as page.addScriptTag makes). Only for tools the test injects, such as axe-core.
   */
  bypassCSP?: boolean;
}

/** A fresh context (own storage, so no token leaks between tests) with a page that records console errors. */
export async function openPage(browser: Browser, options: OpenPageOptions = {}): Promise<DashboardPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return {
    page,
    context,
    consoleErrors({ allowStatuses = [] } = {}) {
      return errors.filter((text) => {
        const refused = /Failed to load resource: the server responded with a status of (\d+)/.exec(text);
        return !(refused && allowStatuses.includes(Number(refused[1])));
      });
    },
  };
}

/** Saves a full-page PNG under test-artifacts/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** True when the page is wider than the viewport: the body would scroll sideways. */
export function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** `describe` when Chromium is there; otherwise skipped, saying why (also said once by the global setup). */
export function describeWithBrowser(name: string, body: () => void): void {
  describeIfAvailable(chromiumAvailable ? null : CHROMIUM_MISSING_MESSAGE, name, body);
}
