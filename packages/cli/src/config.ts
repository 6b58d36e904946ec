import { existsSync } from 'node:fs';
import { UsageError } from './cli-error.js';

export const DEFAULT_API_URL = 'http://localhost:3001';

/** The options every command takes, from the program (commander's optsWithGlobals). */
export interface GlobalOptions {
  apiUrl?: string;
  token?: string;
  json?: boolean;
}

export interface ApiSettings {
  baseUrl: string;
  token: string | undefined;
}

/**
 * `.env` in the working directory, as the API and worker read it (variables already set win),
 * so `npx taskforge` beside `npm start` finds the same API_TOKEN and DATABASE_URL.
 */
export function loadEnvFile(file = '.env'): void {
  if (!existsSync(file)) return;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Empty counts as unset, like the services' configuration. */
function setting(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** `--api-url` over `API_URL` over the default; `--token` over `API_TOKEN`. */
export function apiSettings(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const baseUrl = setting(options.apiUrl) ?? setting(env.API_URL) ?? DEFAULT_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new UsageError(`the API URL must be an http(s) URL such as ${DEFAULT_API_URL}, got ${JSON.stringify(baseUrl)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`the API URL must start with http:// or https://, got ${JSON.stringify(baseUrl)}`);
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), token: setting(options.token) ?? setting(env.API_TOKEN) };
}

/** `--database-url` over `DATABASE_URL`; required by `migrate`, which never goes through the API. */
export function databaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const url = setting(flag) ?? setting(env.DATABASE_URL);
  if (!url) throw new UsageError('migrate needs a database: set DATABASE_URL or pass --database-url postgres://user:pass@host:5432/db');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('the database URL must start with postgres:// or postgresql://');
  return url;
}
