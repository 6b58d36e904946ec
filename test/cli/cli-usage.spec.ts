import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../packages/core/src/index.js';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { REPO_ROOT } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { runCli } from './support/run-cli.js';

const SOME_ID = '6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f';
/** A port nothing listens on: a refused connection. (Not a well-known one such as 9: fetch refuses those itself.) */
const closedPort = await anyFreePort();
const NO_API = { API_URL: `http://127.0.0.1:${closedPort}` };

describe('taskforge without an API: help, usage errors, unreachable services', { timeout: 60_000 }, () => {
  it('runs through npx from the repository root, and its help lists the commands, the environment and the exit codes', async () => {
    const run = await runCli(['--help'], { command: ['npx', 'taskforge'], cwd: REPO_ROOT });
    expect(run.code, run.stderr).toBe(0);
    for (const text of [
      'Usage: taskforge',
      'tasks',
      'schedules',
      'stats',
      'migrate',
      'API_URL',
      'API_TOKEN',
      'DATABASE_URL',
      'Exit codes:',
      '5  tasks wait timed out',
    ]) {
      expect(run.stdout).toContain(text);
    }
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await runCli(['tasks', 'wait', '--help'])).stdout).toContain('--ids-file');
  });

  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['an unknown flag', ['tasks', 'list', '--colour']],
    ['a priority that is not an integer', ['tasks', 'add', 'noop', '--priority', 'high']],
    ['a payload that is not JSON', ['tasks', 'add', 'noop', '--payload', '{nope']],
    ['a run-at without a time zone', ['tasks', 'add', 'noop', '--run-at', '2030-01-01T09:00:00']],
    ['a task id that is not a UUID', ['tasks', 'get', '42']],
    ['a task name and --file together', ['tasks', 'add', 'noop', '--file', 'x.jsonl']],
    ['a file that does not exist', ['tasks', 'add', '--file', 'no-such-file.jsonl']],
    ['a timeout that is not a duration', ['tasks', 'wait', SOME_ID, '--timeout', 'soon']],
    ['an API URL that is not http', ['tasks', 'get', SOME_ID, '--api-url', 'ftp://example.com']],
    ['migrate without a database', ['migrate', 'up']],
  ])('exits 2 on %s, saying why on stderr and nothing on stdout', async (_, args) => {
    const run = await runCli([...args, '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/taskforge: |Usage: /);
  });

  it('exits 4 when the API cannot be reached, naming the address', async () => {
    for (const args of [
      ['tasks', 'get', SOME_ID],
      ['stats', '--once'],
      ['schedules', 'list'],
      ['tasks', 'wait', SOME_ID, '--timeout', '1s'],
    ]) {
      const run = await runCli(args, { env: NO_API });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(4);
      expect(run.stderr).toContain('cannot reach the API');
      expect(run.stderr).toContain(`127.0.0.1:${closedPort}`);
    }
  });
});

describe('taskforge migrate (straight on the database, no API)', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  const migrate = (...args: string[]) => runCli(['migrate', ...args], { env: { DATABASE_URL: db.url } });
  const ids = readMigrations().map((migration) => migration.id);

  async function hasTasksTable(): Promise<boolean> {
    const { rows } = await db.pool.query("select to_regclass('tasks') is not null as present");
    return rows[0].present;
  }

  it('goes up, reports the status, goes down one step and all the way, and up again', async () => {
    const before = await migrate('status', '--json');
    expect(before.json()[0].migrations.map((m: { applied_at: string | null }) => m.applied_at)).toEqual(ids.map(() => null));

    const up = await migrate('up', '--json');
    expect(up.code, up.stderr).toBe(0);
    expect(up.json()).toEqual([{ applied: ids }]);
    expect(await hasTasksTable()).toBe(true);
    const again = await migrate('up');
    expect(again).toMatchObject({ code: 0, stdout: 'nothing to apply: the database is up to date\n' });
    expect(
      (await migrate('status')).stdout
        .trim()
        .split('\n')
        .every((line) => line.startsWith('applied')),
    ).toBe(true);

    expect((await migrate('down', '--json')).json()).toEqual([{ reverted: [ids.at(-1)] }]);
    const all = await migrate('down', '--all', '--json');
    expect(all.json()).toEqual([{ reverted: ids.slice(0, -1).reverse() }]);
    expect(await hasTasksTable()).toBe(false);

    // --database-url wins over DATABASE_URL.
    const flag = await runCli(['migrate', 'up', '--database-url', db.url], {
      env: { DATABASE_URL: `postgres://nobody@127.0.0.1:${closedPort}/none` },
    });
    expect(flag.code, flag.stderr).toBe(0);
    expect(await hasTasksTable()).toBe(true);
  });

  it('exits 4 when the database cannot be reached, without showing its password', async () => {
    const run = await runCli(['migrate', 'up'], { env: { DATABASE_URL: `postgres://someone:secret@127.0.0.1:${closedPort}/none` } });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`cannot use the database at postgres://someone:***@127.0.0.1:${closedPort}/none`);
    expect(run.stderr).not.toContain('secret');
  });
});
