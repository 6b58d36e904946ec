import { expect } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseConfig } from './load-config.js';

/** The ConfigError parseConfig throws for this environment (fails the test if it does not throw). */
export function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}
