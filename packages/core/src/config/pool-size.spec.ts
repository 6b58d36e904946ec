import { describe, expect, it } from 'vitest';
import { configErrorFor } from './config-error-for.test-helper.js';
import { parseConfig } from './load-config.js';
import { DEFAULT_POOL_SIZES, poolSizeFor } from './pool-size.js';

describe('pool sizes and the listen connection', () => {
  it('gives the API a pool of 10 and a worker a pool of 4 when DATABASE_POOL_SIZE is unset', () => {
    const config = parseConfig({});
    expect(poolSizeFor(config, 'api')).toBe(10);
    expect(poolSizeFor(config, 'worker')).toBe(4);
    expect(DEFAULT_POOL_SIZES).toEqual({ api: 10, worker: 4 });
  });

  it('uses DATABASE_POOL_SIZE for either role when it is set', () => {
    const config = parseConfig({ DATABASE_POOL_SIZE: ' 7 ' });
    expect(config.DATABASE_POOL_SIZE).toBe(7);
    expect(poolSizeFor(config, 'api')).toBe(7);
    expect(poolSizeFor(config, 'worker')).toBe(7);
  });

  it('says that DATABASE_POOL_SIZE may be left unset when its value is bad', () => {
    expect(configErrorFor({ DATABASE_POOL_SIZE: '0' }).message).toContain(
      'DATABASE_POOL_SIZE must be an integer from 1 to 1000 (or unset), got "0"',
    );
  });

  it('prepares named statements unless DATABASE_PREPARED_STATEMENTS is off', () => {
    expect(parseConfig({}).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(parseConfig({ DATABASE_PREPARED_STATEMENTS: 'on' }).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(parseConfig({ DATABASE_PREPARED_STATEMENTS: ' OFF ' }).DATABASE_PREPARED_STATEMENTS).toBe(false);
    expect(configErrorFor({ DATABASE_PREPARED_STATEMENTS: 'no' }).message).toContain(
      'DATABASE_PREPARED_STATEMENTS must be on or off, got "no"',
    );
  });

  it('reads DATABASE_LISTEN_URL apart from DATABASE_URL, and names it when it is not a postgres URL', () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://pgbouncer:6432/tasks', DATABASE_LISTEN_URL: 'postgresql://db:5432/tasks' });
    expect(config).toMatchObject({ DATABASE_URL: 'postgres://pgbouncer:6432/tasks', DATABASE_LISTEN_URL: 'postgresql://db:5432/tasks' });
    const error = configErrorFor({ DATABASE_LISTEN_URL: 'db:5432' });
    expect(error.message).toContain('DATABASE_LISTEN_URL must be a postgres:// or postgresql:// connection URL');
    expect(error.message).not.toContain('DATABASE_URL ');
  });
});
