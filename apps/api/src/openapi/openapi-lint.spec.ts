import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClientApi } from '../../../../test/support/client-api.js';

/** Redocly's CLI, a devDependency, run on the Node running the tests (CI: 20 and 24). */
const REDOCLY_CLI = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer: string }[];
}

/**
 * `redocly lint` with its recommended rules, offline: no telemetry (REDOCLY_TELEMETRY=off), no
 * look for a newer version (REDOCLY_SUPPRESS_UPDATE_NOTICE), run from an empty folder so no
 * redocly.yaml is picked up. The document refers to nothing outside itself, so lint fetches nothing.
 */
function redoclyLint(file: string): {
  code: number | null;
  totals: { errors: number; warnings: number };
  problems: LintProblem[];
  said: string;
} {
  const run = spawnSync(process.execPath, [REDOCLY_CLI, 'lint', file, '--extends', 'recommended', '--format', 'json'], {
    cwd: dirname(file),
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
  return { code: run.status, totals: report.totals, problems: report.problems, said: run.stderr };
}

/** Sends `request` as raw bytes (what fetch would refuse to send) and returns the raw answer. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer within 10 s; so far: ${answer}`)));
  });
}

/** The document /docs-json serves, as outside tools see it. */
describe('the OpenAPI document under redocly lint', { timeout: 90_000 }, () => {
  const api = useClientApi();
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-openapi-lint-'));
  const file = join(dir, 'openapi.json');
  let document: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

  beforeAll(async () => {
    const response = await fetch(`${api.baseUrl}/docs-json`);
    expect(response.status).toBe(200);
    const text = await response.text();
    document = JSON.parse(text) as typeof document;
    writeFileSync(file, text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds no error and no warning with the recommended rules', () => {
    const lint = redoclyLint(file);
    const listed = lint.problems.map(
      (problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`,
    );
    // Its summary (less the framed notice Redocly prints on Node 20 about that line's end of life), then each problem.
    const summary = lint.said.split('\n').filter((line) => line.trim() !== '' && !/[║╔╚]/.test(line));
    console.log(['redocly lint --extends recommended:', ...summary, ...listed].join('\n'));
    expect(listed, lint.said).toEqual([]);
    expect(lint.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(lint.code).toBe(0);
  });

  it('answers a malformed request to GET /monitor/health with the 400 it documents, in the shared error body', async () => {
    expect(Object.keys(document.paths['/monitor/health']!.get!.responses)).toContain('400');
    const port = new URL(api.baseUrl).port;
    const answer = await rawRequest(
      Number(port),
      'GET /monitor/health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
  });
});
