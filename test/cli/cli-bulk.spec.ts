import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { describeIfAvailable } from '../support/describe-if-available.js';
import { CLI_TOKEN, useCliSystem } from './support/cli-system.js';
import { CLI_BIN } from './support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'taskforge-cli-bulk-'));

function jsonLines(name: string, tasks: readonly object[]): string {
  const path = join(dir, name);
  writeFileSync(path, tasks.map((task) => JSON.stringify(task)).join('\n') + '\n');
  return path;
}

const scriptMissing = spawnSync('script', ['--version']).error
  ? 'script (util-linux) is not installed: the pseudo-terminal progress-bar tests are skipped'
  : null;

/** `tasks add --file` and `tasks wait` over many ids, through the built CLI against a real API and worker. */
describe('taskforge tasks add --file and tasks wait over many ids', { timeout: 180_000 }, () => {
  const system = useCliSystem();
  const cli = system.cli;

  async function countTasks(name: string): Promise<number> {
    const { rows } = await system.db.pool.query('select count(*)::int as n from tasks where task_name = $1', [name]);
    return rows[0].n;
  }

  it('submits 1,000 lines in batches (keyed lines one by one), ids in line order on stdout, then waits for them all', async () => {
    const tasks = Array.from({ length: 1_000 }, (_, i) => ({
      task_name: 'noop',
      payload: { i },
      ...(i % 400 === 7 ? { idempotency_key: `bulk-${i}` } : {}),
    }));
    const file = jsonLines('thousand.jsonl', tasks);
    const add = await cli(['tasks', 'add', '--file', file, '--batch-size', '300', '--json']);
    expect(add.code, add.stderr).toBe(0);
    const stored = add.json<{ line: number; id: string }>();
    expect(stored.map((entry) => entry.line)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(new Set(stored.map((entry) => entry.id)).size).toBe(1_000);
    expect(add.stderr).toContain('submitted 1000 tasks');
    // stderr is no terminal here: plain progress lines, no escape codes.
    expect(add.stderr).toMatch(/^submitting \d+\/1000 \(\d+%\)$/m);
    expect(add.stderr).not.toContain('\x1b[');

    const { rows } = await system.db.pool.query<{ id: string; payload: { i: number }; idempotency_key: string | null }>(
      'select id, payload, idempotency_key from tasks where id = any($1)',
      [stored.map((entry) => entry.id)],
    );
    expect(rows).toHaveLength(1_000);
    for (const row of rows) expect(row.id).toBe(stored[row.payload.i]!.id);
    expect(
      rows
        .filter((row) => row.idempotency_key)
        .map((row) => row.payload.i)
        .sort((a, b) => a - b),
    ).toEqual([7, 407, 807]);

    writeFileSync(join(dir, 'submitted.jsonl'), add.stdout);
    const wait = await cli(['tasks', 'wait', '--ids-file', join(dir, 'submitted.jsonl'), '--timeout', '150s', '--json']);
    expect(wait.code, wait.stderr).toBe(0);
    const waited = wait.json();
    expect(waited).toHaveLength(1_000);
    expect(waited.every((line) => line.outcome === 'completed' && line.task.status === 'completed')).toBe(true);
    expect(waited.map((line) => line.id)).toEqual(stored.map((entry) => entry.id));
  });

  it('refuses a file with bad lines before sending anything, naming each line (exit 2)', async () => {
    const good = JSON.stringify({ task_name: 'bulk-bad' });
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      [
        good,
        '{"task_name": "bulk-bad",}',
        '',
        JSON.stringify({ task_name: 'bulk-bad', priority: 1.5 }),
        JSON.stringify({ name: 'x' }),
        good,
      ].join('\n'),
    );
    const run = await cli(['tasks', 'add', '--file', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/line 2: not valid JSON/);
    expect(run.stderr).toMatch(/line 4: priority must be an integer/);
    expect(run.stderr).toMatch(/line 5: task_name is required; name is not a known field/);
    expect(run.stderr).toContain('3 lines are not a valid task: nothing was submitted');
    expect(await countTasks('bulk-bad')).toBe(0);
  });

  it('stops at a batch the API refuses: stdout holds exactly the stored lines, stderr says which went in (exit 3)', async () => {
    const tasks = Array.from({ length: 1_200 }, (_, i) => ({
      task_name: i === 1_099 ? 'bulk-\u0000refused' : 'bulk-refused',
      payload: { i },
    }));
    const run = await cli(['tasks', 'add', '--file', jsonLines('refused.jsonl', tasks), '--batch-size', '500', '--json']);
    expect(run.code).toBe(3);
    expect(run.json().map((entry) => entry.line)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(run.stderr).toContain('stopped at line 1001: the API answered 400 for lines 1001-1200');
    expect(run.stderr).toMatch(/line 1100: task_name must not contain the character U\+0000/);
    expect(run.stderr).toContain('stored: lines 1-1000 (1000 tasks)');
    expect(run.stderr).toContain('refused, not stored: lines 1001-1200');
    expect(await countTasks('bulk-refused')).toBe(1_000);
  });

  it('reads the file from stdin with -, and says which lines were not sent when the API cannot be reached (exit 4)', async () => {
    const input = ['{"task_name":"bulk-stdin","payload":1}', '{"task_name":"bulk-stdin","payload":2}'].join('\r\n');
    const run = await cli(['tasks', 'add', '--file', '-'], { input });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(2);
    expect(await countTasks('bulk-stdin')).toBe(2);

    const tasks = Array.from({ length: 30 }, () => ({ task_name: 'bulk-unreachable' }));
    const down = await cli(['tasks', 'add', '--file', jsonLines('down.jsonl', tasks), '--batch-size', '10'], {
      env: { API_URL: `http://127.0.0.1:${await anyFreePort()}` },
    });
    expect(down.code).toBe(4);
    expect(down.stdout).toBe('');
    expect(down.stderr).toContain('not stored (the API was not reached): lines 1-10');
    expect(down.stderr).toContain('not sent: lines 11-30');
  });

  it('waits over many ids where some fail: exit 1, one line per task that did not complete', async () => {
    const tasks = [
      ...Array.from({ length: 40 }, () => ({ task_name: 'noop' })),
      ...Array.from({ length: 3 }, () => ({ task_name: 'fail', max_retries: 0 })),
    ];
    const add = await cli(['tasks', 'add', '--file', jsonLines('mixed.jsonl', tasks)]);
    expect(add.code, add.stderr).toBe(0);
    writeFileSync(join(dir, 'mixed.ids'), add.stdout);
    const wait = await cli(['tasks', 'wait', '--ids-file', join(dir, 'mixed.ids'), '--timeout', '120s']);
    expect(wait.code).toBe(1);
    expect(wait.stdout).toContain('43 tasks: 40 completed, 3 failed');
    expect(wait.stdout.match(/ failed {2}failed on purpose$/gm)).toHaveLength(3);
    expect((await cli(['tasks', 'wait', '--ids-file', join(dir, 'missing.ids')])).code).toBe(2);
  });

  describeIfAvailable(scriptMissing, 'the progress bars on a terminal', () => {
    /** Runs a shell command under `script`, so stderr is a pseudo-terminal while stdout goes to a file. */
    function onTerminal(command: string): { code: number | null; terminal: string } {
      const run = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', API_URL: system.apiUrl, API_TOKEN: CLI_TOKEN },
        cwd: dir,
        encoding: 'utf8',
        timeout: 150_000,
      });
      return { code: run.status, terminal: run.stdout };
    }

    it('draw in place on stderr and never reach the --json stdout', { timeout: 180_000 }, () => {
      const file = jsonLines(
        'tty.jsonl',
        Array.from({ length: 1_000 }, (_, i) => ({ task_name: 'noop', payload: { i } })),
      );
      const add = onTerminal(
        `stty cols 100; ${process.execPath} ${CLI_BIN} tasks add --file ${file} --batch-size 100 --json > tty-out.jsonl`,
      );
      expect(add.code, add.terminal).toBe(0);
      expect(add.terminal).toContain('\r\x1b[Ksubmitting [');
      expect(add.terminal).toMatch(/1000\/1000 100%/);
      const stored = readFileSync(join(dir, 'tty-out.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(stored).toHaveLength(1_000);

      const wait = onTerminal(
        `${process.execPath} ${CLI_BIN} tasks wait --ids-file tty-out.jsonl --timeout 150s --json > tty-waited.jsonl`,
      );
      expect(wait.code, wait.terminal).toBe(0);
      expect(wait.terminal).toContain('\r\x1b[Kwaiting [');
      const waited = readFileSync(join(dir, 'tty-waited.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(waited.filter((line) => line.outcome === 'completed')).toHaveLength(1_000);
    });
  });
});
