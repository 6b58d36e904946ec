import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { REPO_ROOT, startNodeScript, waitFor, type ServiceProcess } from '../support/processes.js';
import { installPackedWorkspaces, readmeJsBlock, type ConsumerProject } from '../support/packaging/consumer-project.js';
import { consumerTypeErrors } from '../support/packaging/type-check.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const OUR_PACKAGES = ['@taskforge/core', '@taskforge/client', 'taskforge'];

/**
 * The packages as a user gets them: `npm pack`ed, installed from the tarballs into an empty
 * project outside the repository, and used from plain JavaScript run by node (no TypeScript,
 * no build, nothing of the repository on the module path), and from a strict TypeScript file.
 */
describe('the packed packages, installed into an empty project', { timeout: 180_000 }, () => {
  let project: ConsumerProject;

  beforeAll(async () => {
    // @types/node, as any TypeScript project on Node has it; the version the repository builds with.
    project = await installPackedWorkspaces(['packages/model', 'packages/core', 'packages/client', 'packages/cli'], ['@types/node@^20.19']);
  }, 300_000);
  afterAll(() => project?.remove());

  describe('@taskforge/core', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ migrate: false });
    });
    afterAll(() => db?.drop());

    it("runs its README's first example: migrates a fresh database, enqueues, claims and completes a task", async () => {
      const script = project.write('library.mjs', readmeJsBlock(join(REPO_ROOT, 'packages/core/README.md'), 'core-library-example'));
      const run = await project.run([script], { DATABASE_URL: db.url });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('completed { sent: true }');
      // The migrations it ran came from the tarball: the schema is all there.
      const { rows } = await db.pool.query('select count(*)::int as n from taskforge_migrations');
      expect(rows[0].n).toBeGreaterThanOrEqual(5);
    });

    it("runs its README's Worker example: a handler runs the task to completed", async () => {
      const script = project.write('worker.mjs', readmeJsBlock(join(REPO_ROOT, 'packages/core/README.md'), 'core-worker-example'));
      const run = await project.run([script], { DATABASE_URL: db.url });
      expect(run.stdout.trim()).toBe("completed { sent: 'ada@example.com', attempt: 1 }");
      expect(run.code).toBe(0);
    });
  });

  describe('@taskforge/client and the taskforge command, against a running API', () => {
    let db: TestDatabase;
    let api: ServiceProcess;
    let apiUrl: string;
    beforeAll(async () => {
      db = await createTestDatabase();
      const port = await anyFreePort();
      apiUrl = `http://127.0.0.1:${port}`;
      api = startNodeScript('apps/api/dist/main.js', { DATABASE_URL: db.url, API_PORT: String(port), LOG_LEVEL: 'warn' });
      await waitFor('the API to be healthy', async () => ((await fetch(`${apiUrl}/monitor/health`)).ok ? true : undefined), {
        timeoutMs: 60_000,
      });
    }, 120_000);
    afterAll(async () => {
      if (api && api.child.exitCode === null) {
        api.child.kill('SIGTERM');
        await api.exited;
      }
      await db?.drop();
    });

    it('submits a task with the client and reads it back, and the command line finds it', async () => {
      const script = project.write(
        'client.mjs',
        `import { NotFoundError, TaskforgeClient } from '@taskforge/client';

const client = new TaskforgeClient({ baseUrl: process.env.API_URL });
const { id, created } = await client.submit({ task_name: 'noop', payload: { from: 'the packed client' } });
const task = await client.get(id);
const missing = await client.get('00000000-0000-4000-8000-000000000000').catch((error) => error instanceof NotFoundError);
console.log(JSON.stringify({ id, created, got: task.id, status: task.status, payload: task.payload, missing }));
`,
      );
      const run = await project.run([script], { API_URL: apiUrl });
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { id: string };
      expect(result).toEqual({
        id: expect.any(String),
        created: true,
        got: result.id,
        status: 'pending',
        payload: { from: 'the packed client' },
        missing: true,
      });

      // The bin npm linked, run through its #!/usr/bin/env node line.
      const cli = await project.run([
        join(project.dir, 'node_modules/.bin/taskforge'),
        'tasks',
        'get',
        result.id,
        '--json',
        '--api-url',
        apiUrl,
      ]);
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ id: result.id, task_name: 'noop' });
    });
  });

  it.each(['node16', 'bundler'] as const)(
    'type-checks a strict TypeScript consumer against the shipped .d.ts files (%s resolution)',
    (resolution) => {
      const file = project.write(
        `consumer-${resolution}.ts`,
        `import { addTask, createPool, migrateUp, type Task } from '@taskforge/core';
import { NotFoundError, TaskforgeClient, type SubmittedTask } from '@taskforge/client';
import { run } from 'taskforge';

const pool = createPool({ connectionString: 'postgres://127.0.0.1/none' });
await migrateUp(pool);
const task: Task = await addTask(pool, { task_name: 'noop', max_retries: 0 });
const status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' = task.status;
// @ts-expect-error max_retries is required: the types are real, not any
await addTask(pool, { task_name: 'noop' });

const client = new TaskforgeClient({ baseUrl: 'http://127.0.0.1:3001' });
const submitted: SubmittedTask = await client.submit({ task_name: 'noop' });
const created: boolean = submitted.created;
// @ts-expect-error task_name is required
await client.submit({});
const statusOf = (error: unknown): number | undefined => (error instanceof NotFoundError ? error.status : undefined);

const exitCode: number = await run(['--version']);
export { status, created, statusOf, exitCode };
`,
      );
      expect(consumerTypeErrors(file, resolution, OUR_PACKAGES)).toEqual([]);
    },
  );
});
