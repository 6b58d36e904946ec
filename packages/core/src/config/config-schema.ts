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

function port(defaultValue: number) {
  return integer(defaultValue, 1, 65_535);
}

/**
 * Every environment variable the system reads, with its default. The README's configuration
 * table mirrors this schema; keep the two together.
 */
export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => url === undefined || /^postgres(ql)?:\/\//.test(url), {
      message: 'must be a postgres:// or postgresql:// connection URL',
    }),
  DATABASE_POOL_SIZE: integer(10, 1, 1_000),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: port(3001),
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
  RETRY_BASE_DELAY_MS: integer(1_000, 0, 86_400_000),
  RETRY_MAX_DELAY_MS: integer(3_600_000, 0, 7 * 86_400_000),
  DEFAULT_MAX_RETRIES: integer(3, 0, 1_000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  EMBEDDED_POSTGRES_DIR: z.string().default('.data/postgres'),
  EMBEDDED_POSTGRES_PORT: port(54_329),
});

/** Rules that span variables, checked after each variable is valid on its own. */
export const configRules: Array<{ variable: keyof z.output<typeof configSchema>; holds: (c: z.output<typeof configSchema>) => boolean; message: string }> = [
  {
    variable: 'WORKER_LEASE_MS',
    holds: (c) => c.WORKER_LEASE_MS >= 2 * c.WORKER_HEARTBEAT_INTERVAL_MS,
    message: 'must be at least twice WORKER_HEARTBEAT_INTERVAL_MS, so one late heartbeat does not cost a lease',
  },
];

export type Config = z.output<typeof configSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];
