import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { parseProcessArguments, ScriptCommand } from './command-line.js';

/**
 * `npm run screenshots`: runs the screenshot spec in headless Chromium (it saves PNGs under
 * test-artifacts/) and copies them to docs/screenshots/, where the README and docs/guides/dashboard.md show them.
 */
const SPEC = 'test/browser/dashboard-screenshots.spec.ts';
const IMAGES = ['overview.png', 'task-detail.png'];

parseProcessArguments(
  new ScriptCommand(
    'screenshots',
    'npm run screenshots --',
    `Takes the dashboard's screenshots in headless Chromium (${SPEC}) and copies them to docs/screenshots/.`,
  ).addHelpText('after', '\nUses the Chromium at CHROMIUM_PATH (default /usr/bin/chromium).'),
  () => undefined,
);

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  // The spec would be skipped and stale images copied: refuse instead.
  console.error(`no Chromium at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  process.exit(1);
}

const run = spawnSync(process.execPath, ['scripts/dist/run-tests.js', SPEC], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
mkdirSync('docs/screenshots', { recursive: true });
for (const image of IMAGES) {
  copyFileSync(`test-artifacts/${image}`, `docs/screenshots/${image}`);
  console.log(`docs/screenshots/${image}`);
}
