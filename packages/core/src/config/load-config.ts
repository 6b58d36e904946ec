import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { configRules, configSchema, type Config } from './config-schema.js';

/**
 * Validates the environment. Empty values count as unset, so a copied `.env.example` with
 * blanks falls back to the defaults. Throws a ConfigError naming every bad variable.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value;
  }
  const result = configSchema.safeParse(relevant);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const broken = configRules.filter((rule) => !rule.holds(result.data));
  if (broken.length > 0) {
    throw new ConfigError(`invalid configuration: ${broken.map((rule) => `${rule.variable} ${rule.message}`).join('; ')}`);
  }
  return result.data;
}

/**
 * Loads `.env` from the working directory when present (variables already in the
 * environment win, as Node's loader never overwrites them), then parses once.
 */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
