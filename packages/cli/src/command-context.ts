import { TaskforgeClient, type FetchFunction } from '@taskforge/client';
import type { ExitCode } from './exit-codes.js';
import { apiSettings, type GlobalOptions } from './config.js';
import { Output, type Streams } from './output.js';

/**
 * Longest wait for one answer. The client sets none; without it an API that accepts the
 * connection and never answers would hang a script for ever. It then fails as a NetworkError.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

function fetchWithTimeout(ms: number): FetchFunction {
  return (url, init) => {
    const timeout = AbortSignal.timeout(ms);
    return fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}

/**
 * What every command needs, built from the global options once commander has parsed them
 * (the program's preAction hook calls `configure`).
 */
export class CommandContext {
  /** Set by a command whose outcome is not plain success (a waited task failed, say). */
  exitCode: ExitCode = 0;
  private globals: GlobalOptions = {};
  private currentOutput: Output | undefined;
  private currentClient: TaskforgeClient | undefined;

  constructor(
    readonly streams: Streams = { stdout: process.stdout, stderr: process.stderr },
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  configure(globals: GlobalOptions): void {
    this.globals = globals;
    this.currentOutput = undefined;
    this.currentClient = undefined;
  }

  get json(): boolean {
    return this.globals.json === true;
  }

  output(): Output {
    this.currentOutput ??= new Output(this.json, this.streams);
    return this.currentOutput;
  }

  /** The API client; its settings are checked (exit 2 on a bad URL) when a command first needs it. */
  client(): TaskforgeClient {
    if (!this.currentClient) {
      const { baseUrl, token } = apiSettings(this.globals, this.env);
      this.currentClient = new TaskforgeClient({ baseUrl, token, fetch: fetchWithTimeout(REQUEST_TIMEOUT_MS) });
    }
    return this.currentClient;
  }

  get apiUrl(): string {
    return apiSettings(this.globals, this.env).baseUrl;
  }
}
