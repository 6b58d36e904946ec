import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, TaskforgeError } from '../errors.js';
import { configSchema } from './config-schema.js';
import { loadConfig, parseConfig } from './load-config.js';
import { configErrorFor } from './config-error-for.test-helper.js';

describe('parseConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATABASE_LISTEN_URL).toBeUndefined();
    // Unset: each process takes its role's default (see poolSizeFor).
    expect(config.DATABASE_POOL_SIZE).toBeUndefined();
    expect(config).toMatchObject({
      API_HOST: '0.0.0.0',
      API_PORT: 3001,
      WORKER_PORT: 3002,
      WORKER_POLLING_INTERVAL_MS: 1_000,
      WORKER_MAX_CONCURRENT_TASKS: 10,
      WORKER_ID: `${hostname()}-${process.pid}`,
      RETRY_BASE_DELAY_MS: 1_000,
      RETRY_MAX_DELAY_MS: 3_600_000,
      DEFAULT_MAX_RETRIES: 3,
      LOG_LEVEL: 'info',
      EMBEDDED_POSTGRES_DIR: '.data/postgres',
      EMBEDDED_POSTGRES_PORT: 54_329,
    });
  });

  it('returns numbers, not strings, for integer variables', () => {
    const config = parseConfig({});
    for (const key of [
      'API_PORT',
      'WORKER_PORT',
      'WORKER_POLLING_INTERVAL_MS',
      'WORKER_MAX_CONCURRENT_TASKS',
      'RETRY_BASE_DELAY_MS',
      'RETRY_MAX_DELAY_MS',
      'DEFAULT_MAX_RETRIES',
      'EMBEDDED_POSTGRES_PORT',
    ] as const) {
      expect(typeof config[key], key).toBe('number');
    }
  });

  it('parses values that are set, trimming surrounding whitespace from integers', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgres://user:secret@db.example:5432/tasks',
      API_PORT: ' 8080 ',
      WORKER_PORT: '9090',
      WORKER_POLLING_INTERVAL_MS: '250',
      WORKER_MAX_CONCURRENT_TASKS: '32',
      WORKER_ID: 'worker-7',
      RETRY_BASE_DELAY_MS: '0',
      RETRY_MAX_DELAY_MS: '60000',
      DEFAULT_MAX_RETRIES: '0',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://user:secret@db.example:5432/tasks',
      API_PORT: 8080,
      WORKER_PORT: 9090,
      WORKER_POLLING_INTERVAL_MS: 250,
      WORKER_MAX_CONCURRENT_TASKS: 32,
      WORKER_ID: 'worker-7',
      RETRY_BASE_DELAY_MS: 0,
      RETRY_MAX_DELAY_MS: 60_000,
      DEFAULT_MAX_RETRIES: 0,
      LOG_LEVEL: 'debug',
    });
  });

  it('accepts both postgres:// and postgresql:// database URLs', () => {
    expect(parseConfig({ DATABASE_URL: 'postgresql://localhost/x' }).DATABASE_URL).toBe('postgresql://localhost/x');
    expect(parseConfig({ DATABASE_URL: 'postgres://localhost/x' }).DATABASE_URL).toBe('postgres://localhost/x');
  });

  it('accepts every log level', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      expect(parseConfig({ LOG_LEVEL: level }).LOG_LEVEL).toBe(level);
    }
  });

  it('accepts the bounds of a range (ports 1 and 65535)', () => {
    expect(parseConfig({ API_PORT: '1' }).API_PORT).toBe(1);
    expect(parseConfig({ API_PORT: '65535' }).API_PORT).toBe(65_535);
  });

  it('treats empty and whitespace-only values as unset, falling back to defaults', () => {
    const blanks = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, '']));
    expect(parseConfig(blanks)).toEqual(parseConfig({}));
    const spaces = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, '   ']));
    expect(parseConfig(spaces)).toEqual(parseConfig({}));
  });

  it('ignores variables it does not know', () => {
    const config = parseConfig({ PATH: '/usr/bin', HOME: '/root', SOMETHING_ELSE: 'x' });
    expect(config).toEqual(parseConfig({}));
    expect(config).not.toHaveProperty('PATH');
  });

  it.each([
    ['WORKER_MAX_CONCURRENT_TASKS', 'abc'],
    ['WORKER_MAX_CONCURRENT_TASKS', '0'],
    ['WORKER_MAX_CONCURRENT_TASKS', '2.5'],
    ['API_PORT', '70000'],
    ['API_PORT', '0'],
    ['API_PORT', '-1'],
    ['API_PORT', '3001abc'],
    ['WORKER_PORT', '1e3'],
    ['WORKER_POLLING_INTERVAL_MS', '5'],
    ['RETRY_BASE_DELAY_MS', '-1'],
    ['DEFAULT_MAX_RETRIES', '1001'],
    ['DATABASE_POOL_SIZE', '99999999999999999999'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_LISTEN_URL', 'mysql://x'],
    ['DATABASE_LISTEN_URL', 'db.internal:5432'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'localhost:5432'],
    ['WORKER_ID', 'w'.repeat(256)],
  ])('throws a ConfigError naming %s when it is %j', (name, value) => {
    const error = configErrorFor({ [name]: value });
    expect(error).toBeInstanceOf(TaskforgeError);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(name);
  });

  it('says what was expected and what it got for a bad integer', () => {
    const error = configErrorFor({ API_PORT: '70000' });
    expect(error.message).toContain('API_PORT must be an integer from 1 to 65535, got "70000"');
  });

  it('lists the allowed values for a bad LOG_LEVEL and the URL schemes for a bad DATABASE_URL', () => {
    expect(configErrorFor({ LOG_LEVEL: 'loud' }).message).toContain(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(configErrorFor({ DATABASE_URL: 'mysql://x' }).message).toContain(
      'DATABASE_URL must be a postgres:// or postgresql:// connection URL',
    );
  });

  it('names every bad variable when several are wrong, and none of the good ones', () => {
    const error = configErrorFor({
      WORKER_MAX_CONCURRENT_TASKS: 'abc',
      API_PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      WORKER_PORT: '4000',
    });
    for (const name of ['WORKER_MAX_CONCURRENT_TASKS', 'API_PORT', 'LOG_LEVEL', 'DATABASE_URL']) {
      expect(error.message).toContain(name);
    }
    expect(error.message).not.toContain('WORKER_PORT');
    expect(error.message.split('; ')).toHaveLength(4);
  });
});

describe('parseConfig: leases, heartbeats, rescue, timeouts and results', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      WORKER_HEARTBEAT_INTERVAL_MS: 5_000,
      WORKER_LEASE_MS: 30_000,
      WORKER_RESCUE_INTERVAL_MS: 1_000,
      TASK_RESULT_MAX_BYTES: 65_536,
    });
    expect(config.TASK_DEFAULT_TIMEOUT_MS).toBeUndefined();
    // The defaults satisfy the lease rule themselves.
    expect(config.WORKER_LEASE_MS).toBeGreaterThanOrEqual(2 * config.WORKER_HEARTBEAT_INTERVAL_MS);
  });

  it('returns numbers, not strings, for the new integer variables', () => {
    const config = parseConfig({ TASK_DEFAULT_TIMEOUT_MS: '2500' });
    for (const key of [
      'WORKER_HEARTBEAT_INTERVAL_MS',
      'WORKER_LEASE_MS',
      'WORKER_RESCUE_INTERVAL_MS',
      'TASK_DEFAULT_TIMEOUT_MS',
      'TASK_RESULT_MAX_BYTES',
    ] as const) {
      expect(typeof config[key], key).toBe('number');
    }
  });

  it('parses values that are set, trimming whitespace', () => {
    expect(
      parseConfig({
        WORKER_HEARTBEAT_INTERVAL_MS: ' 250 ',
        WORKER_LEASE_MS: '2000',
        WORKER_RESCUE_INTERVAL_MS: '50',
        TASK_DEFAULT_TIMEOUT_MS: ' 60000 ',
        TASK_RESULT_MAX_BYTES: '1024',
      }),
    ).toMatchObject({
      WORKER_HEARTBEAT_INTERVAL_MS: 250,
      WORKER_LEASE_MS: 2_000,
      WORKER_RESCUE_INTERVAL_MS: 50,
      TASK_DEFAULT_TIMEOUT_MS: 60_000,
      TASK_RESULT_MAX_BYTES: 1_024,
    });
  });

  it('leaves TASK_DEFAULT_TIMEOUT_MS undefined when unset, empty or blank', () => {
    expect(parseConfig({}).TASK_DEFAULT_TIMEOUT_MS).toBeUndefined();
    expect(parseConfig({ TASK_DEFAULT_TIMEOUT_MS: undefined }).TASK_DEFAULT_TIMEOUT_MS).toBeUndefined();
    expect(parseConfig({ TASK_DEFAULT_TIMEOUT_MS: '' }).TASK_DEFAULT_TIMEOUT_MS).toBeUndefined();
    expect(parseConfig({ TASK_DEFAULT_TIMEOUT_MS: '   ' }).TASK_DEFAULT_TIMEOUT_MS).toBeUndefined();
  });

  it('accepts the bounds of the new ranges', () => {
    expect(parseConfig({ TASK_DEFAULT_TIMEOUT_MS: '1' }).TASK_DEFAULT_TIMEOUT_MS).toBe(1);
    expect(parseConfig({ TASK_DEFAULT_TIMEOUT_MS: String(7 * 86_400_000) }).TASK_DEFAULT_TIMEOUT_MS).toBe(7 * 86_400_000);
    expect(parseConfig({ TASK_RESULT_MAX_BYTES: '0' }).TASK_RESULT_MAX_BYTES).toBe(0);
    expect(parseConfig({ TASK_RESULT_MAX_BYTES: '16777216' }).TASK_RESULT_MAX_BYTES).toBe(16_777_216);
    expect(parseConfig({ WORKER_RESCUE_INTERVAL_MS: '10' }).WORKER_RESCUE_INTERVAL_MS).toBe(10);
    expect(parseConfig({ WORKER_RESCUE_INTERVAL_MS: '600000' }).WORKER_RESCUE_INTERVAL_MS).toBe(600_000);
    expect(parseConfig({ WORKER_HEARTBEAT_INTERVAL_MS: '10', WORKER_LEASE_MS: '100' })).toMatchObject({
      WORKER_HEARTBEAT_INTERVAL_MS: 10,
      WORKER_LEASE_MS: 100,
    });
    expect(parseConfig({ WORKER_LEASE_MS: '3600000' }).WORKER_LEASE_MS).toBe(3_600_000);
  });

  it.each([
    ['WORKER_HEARTBEAT_INTERVAL_MS', 'abc'],
    ['WORKER_HEARTBEAT_INTERVAL_MS', '9'],
    ['WORKER_HEARTBEAT_INTERVAL_MS', '600001'],
    ['WORKER_HEARTBEAT_INTERVAL_MS', '100.5'],
    ['WORKER_LEASE_MS', '99'],
    ['WORKER_LEASE_MS', '3600001'],
    ['WORKER_LEASE_MS', '30s'],
    ['WORKER_LEASE_MS', '-30000'],
    ['WORKER_RESCUE_INTERVAL_MS', '0'],
    ['WORKER_RESCUE_INTERVAL_MS', '9'],
    ['WORKER_RESCUE_INTERVAL_MS', '1e3'],
    ['TASK_DEFAULT_TIMEOUT_MS', '0'],
    ['TASK_DEFAULT_TIMEOUT_MS', '-5'],
    ['TASK_DEFAULT_TIMEOUT_MS', '1.5'],
    ['TASK_DEFAULT_TIMEOUT_MS', 'none'],
    ['TASK_DEFAULT_TIMEOUT_MS', String(7 * 86_400_000 + 1)],
    ['TASK_RESULT_MAX_BYTES', '-1'],
    ['TASK_RESULT_MAX_BYTES', '16777217'],
    ['TASK_RESULT_MAX_BYTES', '64k'],
  ])('throws a ConfigError naming %s when it is %j', (name, value) => {
    const error = configErrorFor({ [name]: value });
    expect(error.message).toContain(name);
    // Only the bad variable is named (the lease rule is not checked on invalid input).
    expect(error.message.split('; ')).toHaveLength(1);
  });

  it('says what was expected for a bad value, and that TASK_DEFAULT_TIMEOUT_MS may be left unset', () => {
    expect(configErrorFor({ WORKER_LEASE_MS: '50' }).message).toContain('WORKER_LEASE_MS must be an integer from 100 to 3600000, got "50"');
    expect(configErrorFor({ TASK_DEFAULT_TIMEOUT_MS: '0' }).message).toContain(
      'TASK_DEFAULT_TIMEOUT_MS must be an integer from 1 to 604800000 (or unset), got "0"',
    );
  });

  it.each([
    [{ WORKER_HEARTBEAT_INTERVAL_MS: '5000', WORKER_LEASE_MS: '9999' }],
    [{ WORKER_LEASE_MS: '9999' }], // against the default heartbeat of 5 s
    [{ WORKER_HEARTBEAT_INTERVAL_MS: '20000' }], // against the default lease of 30 s
    [{ WORKER_HEARTBEAT_INTERVAL_MS: '1000', WORKER_LEASE_MS: '1000' }],
    [{ WORKER_HEARTBEAT_INTERVAL_MS: '600000', WORKER_LEASE_MS: '1199999' }],
  ])('refuses a lease shorter than twice the heartbeat, naming WORKER_LEASE_MS: %j', (env) => {
    const error = configErrorFor(env);
    expect(error).toBeInstanceOf(TaskforgeError);
    expect(error.message).toContain('WORKER_LEASE_MS must be at least twice WORKER_HEARTBEAT_INTERVAL_MS');
  });

  it('accepts a lease of exactly twice the heartbeat', () => {
    expect(parseConfig({ WORKER_HEARTBEAT_INTERVAL_MS: '5000', WORKER_LEASE_MS: '10000' })).toMatchObject({
      WORKER_HEARTBEAT_INTERVAL_MS: 5_000,
      WORKER_LEASE_MS: 10_000,
    });
    expect(parseConfig({ WORKER_LEASE_MS: '10000' }).WORKER_LEASE_MS).toBe(10_000);
  });

  it('reports the bad variables, not the lease rule, when a value is invalid on its own', () => {
    const error = configErrorFor({ WORKER_HEARTBEAT_INTERVAL_MS: 'often', WORKER_LEASE_MS: '100' });
    expect(error.message).toContain('WORKER_HEARTBEAT_INTERVAL_MS');
    expect(error.message).not.toContain('at least twice');
  });

  it('names every bad new variable at once', () => {
    const error = configErrorFor({
      WORKER_HEARTBEAT_INTERVAL_MS: '1',
      WORKER_LEASE_MS: '1',
      WORKER_RESCUE_INTERVAL_MS: '1',
      TASK_DEFAULT_TIMEOUT_MS: '0',
      TASK_RESULT_MAX_BYTES: '-1',
    });
    for (const name of [
      'WORKER_HEARTBEAT_INTERVAL_MS',
      'WORKER_LEASE_MS',
      'WORKER_RESCUE_INTERVAL_MS',
      'TASK_DEFAULT_TIMEOUT_MS',
      'TASK_RESULT_MAX_BYTES',
    ]) {
      expect(error.message).toContain(name);
    }
    expect(error.message.split('; ')).toHaveLength(5);
  });
});

describe('parseConfig with { only }: the variables a process reads', () => {
  const MIGRATE = { only: ['DATABASE_URL', 'LOG_LEVEL', 'EMBEDDED_POSTGRES_DIR', 'EMBEDDED_POSTGRES_PORT'] as const };

  it('returns those variables, parsed as parseConfig does, and no other', () => {
    const env = { DATABASE_URL: 'postgres://localhost/x', LOG_LEVEL: 'warn', EMBEDDED_POSTGRES_PORT: ' 6000 ', API_PORT: '4000' };
    const config = parseConfig(env, MIGRATE);
    expect(config).toEqual({
      DATABASE_URL: 'postgres://localhost/x',
      LOG_LEVEL: 'warn',
      EMBEDDED_POSTGRES_DIR: '.data/postgres',
      EMBEDDED_POSTGRES_PORT: 6_000,
    });
    const full = parseConfig(env);
    for (const key of MIGRATE.only) expect(config[key]).toEqual(full[key]);
  });

  it('is not stopped by a bad value of a variable it does not read, which parseConfig still refuses', () => {
    const env = { API_TOKEN: 'short', WORKER_MAX_CONCURRENT_TASKS: 'abc', WORKER_LEASE_MS: '50', DATABASE_POOL_SIZE: '0' };
    expect(parseConfig(env, MIGRATE).LOG_LEVEL).toBe('info');
    const error = configErrorFor(env);
    for (const name of Object.keys(env)) expect(error.message).toContain(name);
  });

  it('refuses a bad value of a variable it reads, naming it', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x', API_TOKEN: 'short' }, MIGRATE)).toThrow(
      /^invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ connection URL$/,
    );
    expect(() => parseConfig({ LOG_LEVEL: 'loud' }, MIGRATE)).toThrow(ConfigError);
  });

  it('checks a rule across variables only when it reads them all', () => {
    const env = { WORKER_LEASE_MS: '1000', WORKER_HEARTBEAT_INTERVAL_MS: '800' };
    expect(parseConfig(env, { only: ['WORKER_LEASE_MS'] })).toEqual({ WORKER_LEASE_MS: 1_000 });
    expect(() => parseConfig(env, { only: ['WORKER_LEASE_MS', 'WORKER_HEARTBEAT_INTERVAL_MS'] })).toThrow(
      /WORKER_LEASE_MS must be at least twice/,
    );
  });
});

describe('loadConfig', () => {
  let dir: string | undefined;

  afterEach(() => {
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function envFile(contents: string): string {
    dir = mkdtempSync(join(tmpdir(), 'taskforge-config-'));
    const file = join(dir, '.env');
    writeFileSync(file, contents);
    return file;
  }

  it('reads variables from the .env file', () => {
    vi.stubEnv('API_PORT', undefined);
    vi.stubEnv('LOG_LEVEL', undefined);
    const config = loadConfig(envFile('API_PORT=4555\nLOG_LEVEL=warn\n'));
    expect(config.API_PORT).toBe(4_555);
    expect(config.LOG_LEVEL).toBe('warn');
  });

  it('lets variables already in the environment win over the .env file', () => {
    vi.stubEnv('API_PORT', '5000');
    const config = loadConfig(envFile('API_PORT=4555\n'));
    expect(config.API_PORT).toBe(5_000);
  });

  it('works without a .env file, from the environment alone', () => {
    vi.stubEnv('WORKER_PORT', '6123');
    const config = loadConfig(join(tmpdir(), `taskforge-no-such-file-${process.pid}.env`));
    expect(config.WORKER_PORT).toBe(6_123);
  });

  it('reads the .env file with { only } too, validating only the variables asked for', () => {
    vi.stubEnv('LOG_LEVEL', undefined);
    vi.stubEnv('API_TOKEN', undefined);
    const file = envFile('LOG_LEVEL=debug\nAPI_TOKEN=short\n');
    expect(loadConfig({ only: ['LOG_LEVEL'], envFile: file })).toEqual({ LOG_LEVEL: 'debug' });
    expect(() => loadConfig(file)).toThrow(/API_TOKEN must be at least 16 characters/);
  });

  it('throws a ConfigError for a bad value in the environment', () => {
    vi.stubEnv('LOG_LEVEL', 'loud');
    expect(() => loadConfig(join(tmpdir(), `taskforge-no-such-file-${process.pid}.env`))).toThrow(ConfigError);
  });
});
