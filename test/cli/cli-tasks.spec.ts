import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { CLI_TOKEN, useCliSystem } from './support/cli-system.js';
import { runCli } from './support/run-cli.js';

/** One task at a time through the built CLI, against a real API and worker: every command, its --json and its exit code. */
describe('taskforge tasks (one task at a time)', { timeout: 120_000 }, () => {
  const system = useCliSystem();
  const cli = system.cli;

  async function add(...args: string[]): Promise<string> {
    const run = await cli(['tasks', 'add', ...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [created] = run.json<{ id: string; created: boolean }>();
    expect(created!.created).toBe(true);
    return created!.id;
  }

  async function status(id: string): Promise<string> {
    const { rows } = await system.db.pool.query('select status from tasks where id = $1', [id]);
    return rows[0].status;
  }

  it('adds a task with every option; get --json shows them; wait exits 0 once it completed', async () => {
    const plain = await cli([
      'tasks',
      'add',
      'noop',
      '--payload',
      '{"n":1}',
      '--priority',
      '7',
      '--max-retries',
      '2',
      '--timeout-ms',
      '5000',
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    const id = plain.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const wait = await cli(['tasks', 'wait', id, '--timeout', '60s']);
    expect(wait.code, wait.stderr + wait.stdout).toBe(0);
    expect(wait.stdout).toContain('1 completed');

    const get = await cli(['tasks', 'get', id, '--json']);
    expect(get.code).toBe(0);
    const [task] = get.json();
    expect(task).toMatchObject({
      id,
      task_name: 'noop',
      payload: { n: 1 },
      priority: 7,
      max_retries: 2,
      timeout_ms: 5000,
      status: 'completed',
      attempts: 1,
    });
    expect(get.stderr).toBe('');

    const human = await cli(['tasks', 'get', id]);
    expect(human.stdout).toMatch(/status\s+completed/);
    expect(human.stdout).toMatch(/#\s+OUTCOME\s+WORKER/);
  });

  it('an idempotency key gives the same task twice, the second time with created: false', async () => {
    const first = await cli(['tasks', 'add', 'noop', '--idempotency-key', 'cli-key-1', '--json']);
    const second = await cli(['tasks', 'add', 'noop', '--idempotency-key', 'cli-key-1', '--json']);
    expect(first.json()[0]).toMatchObject({ created: true });
    expect(second.json()[0]).toEqual({ id: first.json()[0].id, created: false });
    expect(second.stderr).toContain('idempotency key is held');
  });

  it('reschedules, runs now, cancels and retries a task, refusing (exit 3) what its state does not allow', async () => {
    const id = await add('noop', '--run-at', '2030-01-01T09:00:00Z');
    const moved = await cli(['tasks', 'reschedule', id, '2031-06-01T09:00:00+02:00', '--json']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.json()[0]).toMatchObject({ id, status: 'pending', scheduled_at: '2031-06-01T07:00:00.000Z' });

    expect((await cli(['tasks', 'cancel', id])).code).toBe(0);
    expect(await status(id)).toBe('cancelled');
    const again = await cli(['tasks', 'cancel', id, '--json']);
    expect(again.code).toBe(3);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/409.*cancelled/);

    const retried = await cli(['tasks', 'retry', id, '--json']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.json()[0]).toMatchObject({ id, status: 'pending' });
    expect((await cli(['tasks', 'wait', id])).code).toBe(0);

    const later = await add('noop', '--run-at', '2030-01-01T09:00:00Z');
    const now = await cli(['tasks', 'run-now', later]);
    expect(now.code, now.stderr).toBe(0);
    expect((await cli(['tasks', 'wait', later])).code).toBe(0);
  });

  it('force-cancels a running task; waiting on it then exits 1, with outcome cancelled in --json', async () => {
    const id = await add('sleep', '--payload', '{"ms":600000}', '--max-retries', '0');
    await waitFor('running', async () => (await status(id)) === 'running', { timeoutMs: 30_000 });
    expect((await cli(['tasks', 'cancel', id])).code).toBe(3);
    const forced = await cli(['tasks', 'cancel', id, '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.json()).toEqual([{ id, status: 'cancelled' }]);
    const wait = await cli(['tasks', 'wait', id, '--json']);
    expect(wait.code).toBe(1);
    expect(wait.json()).toEqual([
      expect.objectContaining({ id, outcome: 'cancelled', task: expect.objectContaining({ status: 'cancelled' }) }),
    ]);
  });

  it('tasks wait exits 1 for a failed task, 3 for an unknown id, 5 on timeout, and ranks them 3 > 1 > 5', async () => {
    const failed = await add('fail', '--payload', '{"message":"boom"}', '--max-retries', '0');
    const never = await add('noop', '--run-at', '2030-01-01T09:00:00Z');
    const unknown = '6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f';

    const failedRun = await cli(['tasks', 'wait', failed]);
    expect(failedRun.code).toBe(1);
    expect(failedRun.stdout).toContain(`${failed}  failed  boom`);

    const timeout = await cli(['tasks', 'wait', never, '--timeout', '1s', '--json']);
    expect(timeout.code).toBe(5);
    expect(timeout.json()).toEqual([
      expect.objectContaining({ id: never, outcome: 'timed_out', task: expect.objectContaining({ status: 'pending' }) }),
    ]);

    expect((await cli(['tasks', 'wait', never, failed, '--timeout', '1s'])).code).toBe(1);
    const missing = await cli(['tasks', 'wait', unknown, never, failed, '--timeout', '1s', '--json']);
    expect(missing.code).toBe(3);
    expect(missing.json().map((line) => line.outcome)).toEqual(['not_found', 'timed_out', 'failed']);
  });

  it('lists tasks as a table or JSON-lines, filtered by status and name, paging past 500', async () => {
    const batch = Array.from({ length: 620 }, (_, i) =>
      JSON.stringify({ task_name: 'list-only', payload: { i }, scheduled_at: '2030-01-01T00:00:00Z' }),
    ).join('\n');
    expect((await cli(['tasks', 'add', '--file', '-'], { input: batch })).code).toBe(0);

    const many = await cli(['tasks', 'list', '--name', 'list-only', '--status', 'pending', '--limit', '600', '--json']);
    expect(many.code, many.stderr).toBe(0);
    const tasks = many.json();
    expect(tasks).toHaveLength(600);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(600);
    expect(tasks.every((task) => task.task_name === 'list-only' && task.status === 'pending')).toBe(true);

    const all = await cli(['tasks', 'list', '--name', 'list-only', '--all', '--json', '--order', 'asc']);
    // One batch is one transaction: one created_at, so the order within it is by id, not by line.
    expect(
      all
        .json()
        .map((task) => task.payload.i)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 620 }, (_, i) => i));

    const table = await cli(['tasks', 'list', '--name', 'list-only', '--limit', '3']);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+ATTEMPTS/);
    expect(lines).toHaveLength(4);
    expect(table.stderr).toContain('showing the first 3');

    const none = await cli(['tasks', 'list', '--status', 'running', '--name', 'nobody', '--json']);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect((await cli(['tasks', 'list', '--status', 'sleeping'])).code).toBe(2);
  });

  it('refuses a wrong token with 3, takes --token and --api-url over the environment, and reads a .env', async () => {
    const wrong = await cli(['tasks', 'list', '--token', 'not-the-token-at-all']);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('401');
    const flags = await cli(['tasks', 'list', '--json', '--limit', '1', '--api-url', system.apiUrl, '--token', CLI_TOKEN], {
      env: { API_URL: 'http://127.0.0.1:1', API_TOKEN: 'wrong-token-wrong-token' },
    });
    expect(flags.code, flags.stderr).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), 'taskforge-cli-env-'));
    writeFileSync(join(dir, '.env'), `API_URL=${system.apiUrl}\nAPI_TOKEN=${CLI_TOKEN}\n`);
    const fromFile = await runCli(['tasks', 'list', '--limit', '1', '--json'], { cwd: dir });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.json()).toHaveLength(1);
  });

  it("manages schedules by id or name: add, list, get, pause, resume, delete, with the API's refusals as exit 3", async () => {
    const add = await cli([
      'schedules',
      'add',
      'cli-nightly',
      '--cron',
      '0 3 * * *',
      '--timezone',
      'Europe/Berlin',
      '--task',
      'noop',
      '--payload',
      '{"a":1}',
      '--priority',
      '4',
      '--json',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const [created] = add.json();
    expect(created).toMatchObject({
      name: 'cli-nightly',
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      task_name: 'noop',
      payload: { a: 1 },
      priority: 4,
      paused: false,
    });

    const duplicate = await cli(['schedules', 'add', 'cli-nightly', '--cron', '0 3 * * *', '--task', 'noop']);
    expect(duplicate.code).toBe(3);
    expect(duplicate.stderr).toContain('409');
    const badCron = await cli(['schedules', 'add', 'cli-bad', '--cron', '0 25 * * *', '--task', 'noop']);
    expect(badCron.code).toBe(3);
    expect(badCron.stderr).toContain('Invalid value for hour');
    expect((await cli(['schedules', 'add', 'cli-no-cron', '--task', 'noop'])).code).toBe(2);

    const list = await cli(['schedules', 'list', '--json']);
    expect(list.json().map((schedule) => schedule.name)).toEqual(['cli-nightly']);
    expect((await cli(['schedules', 'list'])).stdout).toMatch(/^NAME\s+CRON\s+TIMEZONE/);
    expect((await cli(['schedules', 'get', 'cli-nightly', '--json'])).json()[0].id).toBe(created.id);
    expect((await cli(['schedules', 'get', created.id])).stdout).toMatch(/state\s+active/);

    expect((await cli(['schedules', 'pause', 'cli-nightly', '--json'])).json()[0]).toMatchObject({ id: created.id, paused: true });
    expect((await cli(['schedules', 'resume', created.id, '--json'])).json()[0]).toMatchObject({ paused: false });
    const deleted = await cli(['schedules', 'delete', 'cli-nightly', '--json']);
    expect(deleted.json()).toEqual([{ id: created.id, name: 'cli-nightly', deleted: true }]);
    expect((await cli(['schedules', 'get', 'cli-nightly'])).code).toBe(3);
    expect((await cli(['schedules', 'delete', created.id])).code).toBe(3);
  });

  it('stats --once prints one frame; --json one object with stats, workers and throughput; no terminal means one frame', async () => {
    const json = await cli(['stats', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const [snapshot] = json.json();
    const { rows } = await system.db.pool.query('select count(*)::int as n from tasks');
    expect(snapshot.stats.total).toBe(rows[0].n);
    expect(snapshot.workers.map((worker: { id: string }) => worker.id)).toEqual([expect.stringMatching(/^cli-worker-/)]);
    expect(snapshot.throughput).toHaveLength(60);

    for (const args of [['stats', '--once'], ['stats']]) {
      const frame = await cli(args);
      expect(frame.code, frame.stderr).toBe(0);
      expect(frame.stdout).toMatch(/^taskforge stats {2}http:\/\/127\.0\.0\.1:\d+/);
      expect(frame.stdout).toMatch(/pending\s+running\s+completed\s+failed\s+cancelled\s+total/);
      expect(frame.stdout).toContain('Workers (1 live)');
      expect(frame.stdout).not.toContain('\x1b[');
    }
  });
});
