import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, TaskforgeError } from '../errors.js';
import { configSchema } from './config-schema.js';
import { loadConfig, parseConfig } from './load-config.js';

/** The ConfigError parseConfig throws for this environment (fails the test if it does not throw). */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config).toMatchObject({
      DATABASE_POOL_SIZE: 10,
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
      'DATABASE_POOL_SIZE',
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

  it('throws a ConfigError for a bad value in the environment', () => {
    vi.stubEnv('LOG_LEVEL', 'loud');
    expect(() => loadConfig(join(tmpdir(), `taskforge-no-such-file-${process.pid}.env`))).toThrow(ConfigError);
  });
});
