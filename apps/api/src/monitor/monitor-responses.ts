import { z } from 'zod';

/** The monitor endpoints' answers as the OpenAPI spec shows them, beside the controller that sends them. */
export const healthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const healthFailureResponse = z
  .object({
    status: z.literal('error'),
    statusCode: z.literal(503),
    error: z.string(),
    message: z.string().meta({ example: 'database unreachable: connect ECONNREFUSED 127.0.0.1:5432' }),
  })
  .meta({ id: 'HealthFailure' });

const count = z.int().min(0);

const statusCounts = {
  pending: count,
  running: count,
  completed: count,
  failed: count,
  cancelled: count,
  failed_awaiting_retry: count.meta({ description: 'Failed tasks that will be tried again (part of failed)' }),
  failed_permanently: count.meta({ description: 'Failed tasks with no retries left (part of failed)' }),
  total: count,
};

const timestamp = z.string().meta({ format: 'date-time' });
const finishedCounts = z.object({ completed: count, failed: count.meta({ description: 'Failed for good' }) });

/** Loose: the fields listed are always there; more may be added without breaking clients. */
export const taskStatsResponse = z
  .looseObject({
    ...statusCounts,
    counts: z.enum(['exact', 'estimated']).meta({
      description:
        'estimated above 100,000 live rows: finished tasks are then estimated from a sample; queued and running ones are always exact',
    }),
    by_task_name: z.record(z.string(), z.object(statusCounts)).meta({ description: 'The same counts per task name' }),
    queue_lag_ms: count.meta({ description: 'Age of the oldest due, unclaimed task; 0 when none waits' }),
    running_by_worker: z.record(z.string(), count).meta({ description: 'Tasks held per worker id' }),
    throughput: z.object({ last_minute: finishedCounts, last_hour: finishedCounts }),
    table: z.object({
      n_live_tup: count,
      n_dead_tup: count,
      last_vacuum: timestamp.nullable(),
      last_autovacuum: timestamp.nullable(),
      last_analyze: timestamp.nullable(),
      last_autoanalyze: timestamp.nullable(),
      total_bytes: count,
      autovacuum_enabled: z.boolean().meta({
        description: 'false when autovacuum is off server-wide or for the tasks table: dead tuples are then never reclaimed',
      }),
    }),
    vacuum_horizon: z.object({
      oldest_transaction: z
        .object({ age_seconds: z.number(), pid: z.int(), state: z.string().nullable(), application_name: z.string().nullable() })
        .nullable()
        .meta({ description: 'The session whose open snapshot holds back vacuum longest; null when none' }),
      prepared_transactions: count,
      replication_slots_holding_xmin: count,
    }),
  })
  .meta({ id: 'QueueStats' });

export const liveWorkersResponse = z
  .object({
    workers: z.array(
      z.object({
        id: z.string(),
        host: z.string(),
        pid: z.int(),
        started_at: timestamp,
        last_seen_at: timestamp,
        concurrency: z.int(),
        task_names: z.array(z.string()),
        running: count.meta({ description: 'Handlers running at its last heartbeat' }),
        held_tasks: count.meta({ description: 'Tasks locked by it now, from the tasks table' }),
        running_tasks: z
          .array(z.object({ id: z.uuid(), task_name: z.string(), started_at: timestamp.nullable(), attempts: count }))
          .meta({ description: 'Up to 20 of the tasks it holds, the latest started first' }),
      }),
    ),
  })
  .meta({ id: 'LiveWorkers' });

export const throughputResponse = z
  .object({
    minutes: z.array(
      z.object({
        minute: timestamp.meta({ description: 'Start of the one-minute window; the last one ends at the time of the request' }),
        completed: count,
        failed: count.meta({ description: 'Failed for good' }),
      }),
    ),
  })
  .meta({ id: 'Throughput' });
