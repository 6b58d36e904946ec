import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docExample } from '../../../../test/support/doc-example.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import type { Pool } from '../index.js';
import type { TaskNotifier } from '../notify/task-notifier.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const GUIDE = 'docs/guides/enqueue-from-code.md';
const MARKER = '<!-- enqueue-example -->';
/** Git-ignored, and outside every tsconfig's sources, so a leftover never reaches a build. */
const generatedPath = join(repoRoot, 'test-artifacts', `docs-enqueue-example-${process.pid}.generated.ts`);

/** Type-checks `file` with the project's compiler settings, '@taskforge/core' mapped to core's sources. */
function typeCheck(file: string): string[] {
  const configPath = join(repoRoot, 'tsconfig.base.json');
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot, undefined, configPath);
  const program = ts.createProgram({
    rootNames: [file],
    options: {
      ...parsed.options,
      noEmit: true,
      composite: false,
      declaration: false,
      rootDir: repoRoot,
      paths: { '@taskforge/core': [join(repoRoot, 'packages/core/src/index.ts')] },
    },
  });
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`the program does not contain ${file}`);
  return [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
    (diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
  );
}

type PlaceOrder = (pool: Pool, notifier: TaskNotifier, customerId: string, total: number) => Promise<string>;

describe(`the transactional enqueue example of ${GUIDE}`, () => {
  const db = useTestDatabase({ truncateEach: true });
  const source = docExample(GUIDE, MARKER);
  let placeOrder: PlaceOrder;

  beforeAll(async () => {
    mkdirSync(dirname(generatedPath), { recursive: true });
    writeFileSync(generatedPath, source);
    ({ placeOrder } = (await import(/* @vite-ignore */ generatedPath)) as { placeOrder: PlaceOrder });
    // The application's own tables. The foreign key is checked at COMMIT, so an unknown customer
    // fails the transaction after the task was added: the rollback has a task to undo.
    await db.pool.query(`
      create table customers (id text primary key);
      create table orders (
        id uuid primary key default gen_random_uuid(),
        customer_id text not null references customers (id) deferrable initially deferred,
        total numeric not null
      );
      insert into customers values ('alice');`);
  });

  afterAll(() => {
    rmSync(generatedPath, { force: true });
  });

  /** A notifier that records, when it is called, whether the task is visible to other connections. */
  function observingNotifier(): { notifier: TaskNotifier; visibleAtCall: Promise<number>[] } {
    const visibleAtCall: Promise<number>[] = [];
    const notifier = {
      tasksAdded: () => {
        visibleAtCall.push(
          db.pool.query(`select count(*)::int as n from tasks where task_name = 'send-receipt'`).then((res) => res.rows[0].n),
        );
      },
    } as unknown as TaskNotifier;
    return { notifier, visibleAtCall };
  }

  async function openTransactions(): Promise<number> {
    const { rows } = await db.pool.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
    );
    return rows[0].n;
  }

  it('type-checks with the project’s compiler settings', () => {
    expect(typeCheck(generatedPath)).toEqual([]);
  });

  it('committed: the order and its task both exist, and workers are woken only after the commit', async () => {
    const { notifier, visibleAtCall } = observingNotifier();
    const orderId = await placeOrder(db.pool, notifier, 'alice', 42);
    const { rows: orders } = await db.pool.query('select customer_id, total from orders where id = $1', [orderId]);
    expect(orders).toEqual([{ customer_id: 'alice', total: '42' }]);
    const { rows: tasks } = await db.pool.query('select task_name, status, payload, max_retries from tasks');
    expect(tasks).toEqual([{ task_name: 'send-receipt', status: 'pending', payload: { orderId }, max_retries: 5 }]);
    expect(await Promise.all(visibleAtCall)).toEqual([1]);
    expect(await openTransactions()).toBe(0);
  });

  it('rolled back: neither the order nor its task exists, and no worker is woken', async () => {
    const { notifier, visibleAtCall } = observingNotifier();
    await expect(placeOrder(db.pool, notifier, 'nobody', 7)).rejects.toMatchObject({ code: '23503' });
    expect((await db.pool.query(`select count(*)::int as n from orders where customer_id = 'nobody'`)).rows[0].n).toBe(0);
    expect((await db.pool.query('select count(*)::int as n from tasks')).rows[0].n).toBe(0);
    expect(visibleAtCall).toEqual([]);
    expect(await openTransactions()).toBe(0);
  });
});
