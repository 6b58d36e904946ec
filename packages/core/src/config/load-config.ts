import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { configRules, configSchema, type Config } from './config-schema.js';

const ALL_VARIABLES = Object.keys(configSchema.shape) as Array<keyof Config>;

/** For a process that reads only some variables (the migrations): see parseConfig. */
export interface ConfigSubset<V extends keyof Config> {
  only: readonly V[];
}

/**
 * Validates the environment. Empty values count as unset, so a copied `.env.example` with
 * blanks falls back to the defaults. Throws a ConfigError naming every bad variable.
 *
 * With `{ only }`, validates those variables alone (and the rules among them) and returns just
 * them: a value meant for another process (an API_TOKEN too short, a WORKER_* out of range)
 * cannot stop one that never reads it. The processes it is for still refuse it when they start.
 */
export function parseConfig(env: Record<string, string | undefined>): Config;
export function parseConfig<V extends keyof Config>(env: Record<string, string | undefined>, subset: ConfigSubset<V>): Pick<Config, V>;
export function parseConfig(env: Record<string, string | undefined>, subset?: ConfigSubset<keyof Config>): Partial<Config> {
  const variables = subset?.only ?? ALL_VARIABLES;
  const relevant: Record<string, string> = {};
  for (const key of variables) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value;
  }
  const schema = subset
    ? configSchema.pick(Object.fromEntries(variables.map((key) => [key, true])) as Record<keyof Config, true>)
    : configSchema;
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
 * environment win, as Node's loader never overwrites them), then parses once; with
 * `{ only }` (and `envFile`), only those variables, as parseConfig does.
 */
export function loadConfig(envFile?: string): Config;
export function loadConfig<V extends keyof Config>(subset: ConfigSubset<V> & { envFile?: string }): Pick<Config, V>;
export function loadConfig(fileOrSubset: string | (ConfigSubset<keyof Config> & { envFile?: string }) = '.env'): Partial<Config> {
  const envFile = typeof fileOrSubset === 'string' ? fileOrSubset : (fileOrSubset.envFile ?? '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return typeof fileOrSubset === 'string' ? parseConfig(process.env) : parseConfig(process.env, fileOrSubset);
}
