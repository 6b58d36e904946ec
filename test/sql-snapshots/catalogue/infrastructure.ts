import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { checkDatabase } from '../../../packages/core/src/db/check-database.js';
import { startEmbeddedPostgres } from '../../../packages/core/src/embedded/embedded-postgres.js';
import { anyFreePort } from '../../../packages/core/src/embedded/ports.js';
import { CANCEL_CHANNEL, TASKS_CHANNEL } from '../../../packages/core/src/notify/channel.js';
import { ChannelListener, type ChannelSubscription } from '../../../packages/core/src/notify/channel-listener.js';
import { TaskNotifier } from '../../../packages/core/src/notify/task-notifier.js';
import { SCHEDULES_CHANNEL } from '../../../packages/core/src/schedules/schedule-hints.js';
import { migrateDown, migrateUp, type Migration } from '../../../packages/core/src/schema/migrate.js';
import { RETENTION_LOCK_KEY, RetentionSweeper } from '../../../packages/core/src/maintenance/retention-sweeper.js';
import { waitFor } from '../../support/wait-for.js';
import { refusedWith, scenario, type ModuleScenarios } from './scenario.js';

const silent = pino({ level: 'silent' });
const DAY_MS = 86_400_000;

const FAILING_MIGRATION: Migration = { id: '900_fails', version: 900, name: 'fails', up: 'select 1 / 0', down: 'select 1' };

const EMBEDDED_BINARIES = `@embedded-postgres/${process.platform}-${process.arch}`;

/** The statements of packages/core/src/{db,embedded,notify,schema,worker}/: connections, LISTEN/NOTIFY, migrations, retention. */
export const INFRASTRUCTURE_SCENARIOS: ModuleScenarios[] = [
  {
    module: 'db/check-database.ts',
    scenarios: [scenario({ call: 'checkDatabase(db)', run: ({ pool }) => checkDatabase(pool) })],
  },
  {
    module: 'embedded/embedded-postgres.ts',
    scenarios: [
      scenario({
        call: 'startEmbeddedPostgres({ dataDir, port }) on a new data directory, then stop()',
        unavailable: async () =>
          import(EMBEDDED_BINARIES).then(
            () => null,
            () => `the embedded PostgreSQL (${EMBEDDED_BINARIES}) is not installed here`,
          ),
        run: async () => {
          const dir = mkdtempSync(join(tmpdir(), 'taskforge-sql-snapshot-'));
          // The server runs as the postgres user when we are root: it must reach the folder.
          chmodSync(dir, 0o755);
          try {
            const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await anyFreePort() });
            await server.stop();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      }),
    ],
  },
  {
    module: 'notify/channel-listener.ts',
    scenarios: [
      scenario({
        call: 'ChannelListener: start() subscribed to two channels, subscribe() to a third once listening, then a ping',
        run: async ({ pool, url }) => {
          const applicationName = 'taskforge-sql-snapshot-listener';
          const listener = new ChannelListener({ connectionString: url }, silent, { applicationName, pingIntervalMs: 10 });
          const quiet: ChannelSubscription = { notified: () => undefined };
          let connected = false;
          listener.subscribe(TASKS_CHANNEL, {
            ...quiet,
            // Called as soon as the connection listens, before any ping: the third LISTEN comes next.
            listening: () => {
              if (!connected) listener.subscribe(CANCEL_CHANNEL, quiet);
              connected = true;
            },
          });
          listener.subscribe(SCHEDULES_CHANNEL, quiet);
          listener.start();
          try {
            await waitFor('the listening connection to be pinged', async () => {
              const { rows } = await pool.query(`select 1 from pg_stat_activity where application_name = $1 and query = 'select 1'`, [
                applicationName,
              ]);
              return rows.length > 0;
            });
          } finally {
            await listener.stop();
          }
        },
      }),
    ],
  },
  {
    module: 'notify/task-notifier.ts',
    scenarios: [
      scenario({
        call: 'new TaskNotifier(db).tasksAdded(0)',
        run: async ({ pool }) => {
          const failures: unknown[] = [];
          new TaskNotifier(pool, 10, (error) => failures.push(error)).tasksAdded(0);
          await waitFor('the notification to be sent', () => pool.waitingCount === 0 && pool.idleCount === pool.totalCount);
          if (failures.length > 0) throw new Error('the notification failed', { cause: failures[0] });
        },
      }),
    ],
  },
  {
    module: 'schema/migrate.ts',
    scenarios: [
      scenario({ call: 'migrateUp(pool) with every migration applied already: nothing to do', run: ({ pool }) => migrateUp(pool) }),
      scenario({
        call: 'migrateUp(pool) on a database without any',
        setup: ({ pool }) => migrateDown(pool, { all: true }),
        run: ({ pool }) => migrateUp(pool),
      }),
      scenario({
        call: 'migrateUp(pool, [a migration whose statement fails]): its step rolled back',
        run: ({ pool }) => refusedWith(Error, migrateUp(pool, [FAILING_MIGRATION])),
      }),
      scenario({ call: 'migrateDown(pool): the latest migration reverted', run: ({ pool }) => migrateDown(pool) }),
      scenario({ call: 'migrateDown(pool, { all: true })', run: ({ pool }) => migrateDown(pool, { all: true }) }),
    ],
  },
  {
    module: 'maintenance/retention-sweeper.ts',
    scenarios: [
      scenario({
        call: 'new RetentionSweeper({ pool, completedRetentionMs: 7 days, failedRetentionMs: 30 days, … }).sweep()',
        run: ({ pool }) => sweeper(pool).sweep(),
      }),
      scenario({
        call: 'RetentionSweeper.sweep() while another sweeper holds the retention lock: it yields',
        setup: async ({ url }) => {
          const holder = new pg.Client({ connectionString: url });
          await holder.connect();
          await holder.query('begin');
          await holder.query('select pg_advisory_xact_lock($1)', [RETENTION_LOCK_KEY]);
          return holder;
        },
        run: async ({ pool }, holder) => {
          try {
            const { yielded } = await sweeper(pool).sweep();
            if (!yielded) throw new Error('the sweeper did not yield to the lock holder');
          } finally {
            await holder.end();
          }
        },
      }),
    ],
  },
];

function sweeper(pool: pg.Pool): RetentionSweeper {
  return new RetentionSweeper({
    pool,
    completedRetentionMs: 7 * DAY_MS,
    failedRetentionMs: 30 * DAY_MS,
    intervalMs: 60_000,
    logger: silent,
  });
}
