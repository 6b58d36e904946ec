import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';

/**
 * CI runs the suite once on Node 20 and once on Node 24 (`.ci/run`); services are spawned with
 * process.execPath, but a CLI's `#!/usr/bin/env node` and npm itself take `node` from PATH.
 * scripts/src/run-tests.ts puts the runner's Node first there: this pins that down.
 */
describe('the Node.js on PATH while the tests run', () => {
  it('is the one running the tests', () => {
    const run = spawnSync('node', ['-p', 'process.version'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(process.version);
  });

  it("is the one npm runs on, and npm's scripts run with", () => {
    const run = spawnSync('npm', ['exec', '--offline', '--', 'node', '-p', 'process.version'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(process.version);
  });
});
