import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';

/**
 * `npm run screenshots`: runs the screenshot spec in headless Chromium (it saves PNGs under
 * test-artifacts/) and copies them to docs/screenshots/, where the README shows them.
 */
const SPEC = 'test/browser/dashboard-screenshots.spec.ts';
const IMAGES = ['overview.png', 'task-detail.png'];

const run = spawnSync(process.execPath, ['scripts/dist/run-tests.js', SPEC], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
mkdirSync('docs/screenshots', { recursive: true });
for (const image of IMAGES) {
  copyFileSync(`test-artifacts/${image}`, `docs/screenshots/${image}`);
  console.log(`docs/screenshots/${image}`);
}
