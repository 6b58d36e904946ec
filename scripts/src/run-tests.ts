import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/**
 * `npm test`: runs Vitest (extra arguments pass through), then prints the plain total
 * `N passed, N failed, N skipped` as the last line, which CI tooling reads, and exits with
 * Vitest's own exit code.
 *
 * The Node that runs this script runs everything: Vitest and its forks use process.execPath,
 * and so do the services the tests spawn; a folder holding only a `node` link to it goes first
 * on PATH so that a plain `node` (a CLI's `#!/usr/bin/env node`, npm's own) is the same one,
 * without putting the rest of its folder ahead of node_modules/.bin. CI runs this once on
 * Node 20 and once on 24.
 */
const report = 'test-artifacts/vitest-report.json';
mkdirSync('test-artifacts', { recursive: true });
const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json');
const vitest = join(dirname(vitestPackage), 'vitest.mjs');
const nodeOnPath = mkdtempSync(join(tmpdir(), 'taskforge-test-node-'));
symlinkSync(process.execPath, join(nodeOnPath, 'node'));
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, PATH: [nodeOnPath, process.env.PATH].join(delimiter) } },
);
rmSync(nodeOnPath, { recursive: true, force: true });

let summary = 'no test report was written';
try {
  const result = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: Array<{ status: string; assertionResults: Array<{ status: string }> }>;
  };
  // A file that failed outside its tests (a beforeAll, an import) reports them skipped, or
  // none at all: count its tests that did not pass as failed (at least one), so that the
  // total never says 0 failed for a failing run.
  let [failed, skipped] = [result.numFailedTests, result.numPendingTests + result.numTodoTests];
  for (const file of result.testResults.filter((f) => f.status === 'failed')) {
    if (file.assertionResults.some((test) => test.status === 'failed')) continue;
    const notRun = file.assertionResults.filter((test) => test.status !== 'passed').length;
    failed += Math.max(1, notRun);
    skipped -= notRun;
  }
  summary = `${result.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
} catch {
  // Vitest died before reporting; its exit code below says so.
}
console.log(summary);
process.exit(run.status ?? 1);
