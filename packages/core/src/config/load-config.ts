import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { configRules, configSchema, type Config } from './config-schema.js';

export type ConfigVariable = keyof Config;

const ALL_VARIABLES = Object.keys(configSchema.shape) as ConfigVariable[];

/**
 * Validates the environment. Empty values count as unset, so a copied `.env.example` with
 * blanks falls back to the defaults. Throws a ConfigError naming every bad variable.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  return parseVariables(env, ALL_VARIABLES) as Config;
}

/**
 * parseConfig for a process that reads only `variables`: the others are not looked at, so a
 * value meant for another process (an API_TOKEN too short, a WORKER_* out of range) cannot stop
 * this one, which gets only what it asked for. The processes those values are for still refuse
 * them when they start.
 */
export function parseConfigOf<V extends ConfigVariable>(variables: readonly V[], env: Record<string, string | undefined>): Pick<Config, V> {
  return parseVariables(env, variables) as Pick<Config, V>;
}

function parseVariables(env: Record<string, string | undefined>, variables: readonly ConfigVariable[]): Partial<Config> {
  const relevant: Record<string, string> = {};
  for (const key of variables) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value;
  }
  const schema = configSchema.pick(Object.fromEntries(variables.map((key) => [key, true])) as Record<ConfigVariable, true>);
  const result = schema.safeParse(relevant);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = result.data as Config;
  const broken = configRules.filter((rule) => rule.reads.every((read) => variables.includes(read)) && !rule.holds(config));
  if (broken.length > 0) {
    throw new ConfigError(`invalid configuration: ${broken.map((rule) => `${rule.variable} ${rule.message}`).join('; ')}`);
  }
  return config;
}

/**
 * Loads `.env` from the working directory when present (variables already in the
 * environment win, as Node's loader never overwrites them), then parses once.
 */
export function loadConfig(envFile = '.env'): Config {
  readEnvFile(envFile);
  return parseConfig(process.env);
}

/** loadConfig for a process that reads only `variables` (see parseConfigOf). */
export function loadConfigOf<V extends ConfigVariable>(variables: readonly V[], envFile = '.env'): Pick<Config, V> {
  readEnvFile(envFile);
  return parseConfigOf(variables, process.env);
}

function readEnvFile(envFile: string): void {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
}
