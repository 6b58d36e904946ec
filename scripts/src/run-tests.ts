import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * `npm test`: runs Vitest (extra arguments pass through), then prints the plain total
 * `N passed, N failed, N skipped` as the last line, which CI tooling reads, and exits with
 * Vitest's own exit code.
 */
const report = 'test-artifacts/vitest-report.json';
mkdirSync('test-artifacts', { recursive: true });
const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json');
const vitest = join(dirname(vitestPackage), 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let summary = 'no test report was written';
try {
  const result = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  summary = `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numPendingTests + result.numTodoTests} skipped`;
} catch {
  // Vitest died before reporting; its exit code below says so.
}
console.log(summary);
process.exit(run.status ?? 1);
