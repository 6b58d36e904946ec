import { hostname } from 'node:os';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses an integer within bounds; the message says what was expected. */
function parseInteger(raw: string, min: number, max: number, ctx: z.RefinementCtx, unsetHint = ''): number {
  const value = Number(raw.trim());
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}${unsetHint}, got "${raw}"` });
    return z.NEVER;
  }
  return value;
}

/** An integer variable within bounds, with a default. */
function integer(defaultValue: number, min: number, max: number) {
  return z
    .string()
    .default(String(defaultValue))
    .transform((raw, ctx) => parseInteger(raw, min, max, ctx));
}

/** An integer variable within bounds that may stay unset (undefined). */
function optionalInteger(min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => (raw === undefined ? undefined : parseInteger(raw, min, max, ctx, ' (or unset)')));
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `30s`, `15m`, `12h`, `7d` or `0` into milliseconds. */
function parseDuration(raw: string, ctx: z.RefinementCtx, expected: string): number {
  const text = raw.trim().toLowerCase();
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  const ms = text === '0' ? 0 : match ? Number(match[1]) * DURATION_UNITS_MS[match[2]!]! : NaN;
  if (!Number.isSafeInteger(ms) || ms > 100 * 365 * 86_400_000) {
    ctx.addIssue({ code: 'custom', message: `must be ${expected}, got "${raw}"` });
    return z.NEVER;
  }
  return ms;
}

/** A duration variable in milliseconds, with a default. */
function duration(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((raw, ctx) => parseDuration(raw, ctx, 'a duration like 30s, 15m, 12h or 7d'));
}

/** A duration variable that may also be `off`, which parses to null (never). */
function durationOrOff(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((raw, ctx): number | null =>
      raw.trim().toLowerCase() === 'off' ? null : parseDuration(raw, ctx, 'a duration like 30s, 15m, 12h or 7d, or off'),
    );
}

/** A PostgreSQL connection URL that may stay unset. */
function postgresUrl() {
  return z
    .string()
    .optional()
    .refine((url) => url === undefined || /^postgres(ql)?:\/\//.test(url), {
      message: 'must be a postgres:// or postgresql:// connection URL',
    });
}

/** A switch written `on` or `off` (any case), parsed to a boolean. */
function onOff(defaultValue: 'on' | 'off') {
  return z
    .string()
    .default(defaultValue)
    .transform((raw, ctx) => {
      const text = raw.trim().toLowerCase();
      if (text === 'on' || text === 'off') return text === 'on';
      ctx.addIssue({ code: 'custom', message: `must be on or off, got "${raw}"` });
      return z.NEVER;
    });
}

function port(defaultValue: number) {
  return integer(defaultValue, 1, 65_535);
}

/**
 * Every environment variable the system reads, with its default. The configuration reference
 * (docs/reference/configuration.md) mirrors this schema; keep the two together.
 */
export const configSchema = z.object({
  DATABASE_URL: postgresUrl(),
  /**
   * The worker's one LISTEN connection; unset: DATABASE_URL. Set it to the server itself (or a
   * session-mode pool) when DATABASE_URL points at PgBouncer in transaction mode.
   */
  DATABASE_LISTEN_URL: postgresUrl(),
  /** Connections per process; unset: the role's default (poolSizeFor: API 10, worker 4). */
  DATABASE_POOL_SIZE: optionalInteger(1, 1_000),
  /**
   * off: named queries go unprepared, for PgBouncer in transaction mode before 1.21 (or with
   * max_prepared_statements = 0), where a prepared statement does not follow the client.
   */
  DATABASE_PREPARED_STATEMENTS: onOff('on'),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: port(3001),
  /** When set, every endpoint but GET /monitor/health requires `Authorization: Bearer <token>`. */
  API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  API_MAX_BODY_BYTES: integer(1_048_576, 1_024, 104_857_600),
  /** Comma-separated origins allowed by CORS; unset: CORS off. */
  API_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((raw) =>
      raw
        ?.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  WORKER_HOST: z.string().default('0.0.0.0'),
  WORKER_PORT: port(3002),
  WORKER_POLLING_INTERVAL_MS: integer(1_000, 10, 3_600_000),
  WORKER_MAX_CONCURRENT_TASKS: integer(10, 1, 10_000),
  /** Unset: 10 × WORKER_MAX_CONCURRENT_TASKS (a cap; the worker sizes its buffer to its tasks' pace). */
  WORKER_PREFETCH: optionalInteger(0, 100_000),
  WORKER_ID: z
    .string()
    .max(255, 'must be at most 255 characters')
    .default(() => `${hostname()}-${process.pid}`),
  WORKER_SHUTDOWN_TIMEOUT_MS: integer(30_000, 0, 3_600_000),
  WORKER_HEARTBEAT_INTERVAL_MS: integer(5_000, 10, 600_000),
  WORKER_LEASE_MS: integer(30_000, 100, 3_600_000),
  WORKER_RESCUE_INTERVAL_MS: integer(1_000, 10, 600_000),
  TASK_DEFAULT_TIMEOUT_MS: optionalInteger(1, 7 * 86_400_000),
  TASK_RESULT_MAX_BYTES: integer(65_536, 0, 16_777_216),
  /** How long finished tasks are kept: completed and cancelled ones, then permanently failed ones (null: forever). */
  TASK_RETENTION_COMPLETED: durationOrOff('7d'),
  TASK_RETENTION_FAILED: durationOrOff('30d'),
  /** How often a worker deletes expired finished tasks (one worker at a time, advisory lock). */
  TASK_RETENTION_INTERVAL_MS: integer(60_000, 100, 86_400_000),
  /** How long after its task finished an idempotency key still returns that task. */
  TASK_IDEMPOTENCY_WINDOW: duration('24h'),
  /** Longest a worker waits between looks for due schedule ticks. */
  SCHEDULER_INTERVAL_MS: integer(1_000, 10, 3_600_000),
  RETRY_BASE_DELAY_MS: integer(1_000, 0, 86_400_000),
  RETRY_MAX_DELAY_MS: integer(3_600_000, 0, 7 * 86_400_000),
  DEFAULT_MAX_RETRIES: integer(3, 0, 1_000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  EMBEDDED_POSTGRES_DIR: z.string().default('.data/postgres'),
  EMBEDDED_POSTGRES_PORT: port(54_329),
});

/**
 * Rules that span variables, checked after each variable is valid on its own. `reads` lists
 * every variable `holds` looks at: a process that validates only some variables (the
 * migrations) checks only the rules among those.
 */
export const configRules: Array<{
  variable: keyof z.output<typeof configSchema>;
  reads: ReadonlyArray<keyof z.output<typeof configSchema>>;
  holds: (c: z.output<typeof configSchema>) => boolean;
  message: string;
}> = [
  {
    variable: 'WORKER_LEASE_MS',
    reads: ['WORKER_LEASE_MS', 'WORKER_HEARTBEAT_INTERVAL_MS'],
    holds: (c) => c.WORKER_LEASE_MS >= 2 * c.WORKER_HEARTBEAT_INTERVAL_MS,
    message: 'must be at least twice WORKER_HEARTBEAT_INTERVAL_MS, so one late heartbeat does not cost a lease',
  },
];

export type Config = z.output<typeof configSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];
