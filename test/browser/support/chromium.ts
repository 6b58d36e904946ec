import { existsSync } from 'node:fs';

/**
 * Debian's chromium package, which `.ci/run` installs when missing; CHROMIUM_PATH points
 * elsewhere. Playwright's own browser download cannot run on this project's machines.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

export const CHROMIUM_MISSING_MESSAGE =
  `browser tests skipped: no Chromium at ${CHROMIUM_PATH} ` + '(install it with `apt-get install -y chromium`, or set CHROMIUM_PATH)';
