import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { anyFreePort } from '@taskforge/core/internal';
import { readCpuSeconds, readPeakRssMb } from './proc-stats.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The product's entry points, started exactly as a user starts them (`node <script>`). */
export const SCRIPTS = {
  worker: `${ROOT}apps/workers/dist/main.js`,
  api: `${ROOT}apps/api/dist/main.js`,
  /** The worker plus the `record` task type (see scripts/src/fixture-worker.ts). */
  fixtureWorker: `${ROOT}scripts/dist/fixture-worker.js`,
};

/** Every child still alive, so that no exit path (error, signal) leaves one behind. */
const live = new Set<ChildProcess>();

/** SIGKILLs every child still running. Synchronous, so it also works in an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StoppedService extends ExitStatus {
  /** VmHWM read just before SIGTERM. */
  peakRssMb: number | null;
  /** CPU seconds used since spawn (or markCpu()), read just before SIGTERM. */
  cpuSeconds: number | null;
}

const TAIL_LINES = 40;

/** A worker or API process of the product, its output kept (the last lines) for error messages. */
export class Service {
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private stopping = false;
  private cpuBaseline = 0;
  readonly exited: Promise<ExitStatus>;
  /** Rejects if the process exits before stop() was called; race it against any wait. */
  readonly died: Promise<never>;

  private constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this.child);
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.remember(chunk));
    }
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        live.delete(this.child);
        resolve({ code, signal });
      });
      this.child.once('error', (error) => {
        live.delete(this.child);
        this.remember(`spawn failed: ${error.message}\n`);
        resolve({ code: null, signal: null });
      });
    });
    this.died = this.exited.then((status) => {
      throw new Error(
        this.stopping
          ? `${this.name} was stopped`
          : `${this.name} exited unexpectedly (code ${status.code}, signal ${status.signal}); its last output:\n${this.output()}`,
      );
    });
    this.died.catch(() => undefined);
  }

  /** Spawns `node <script>` with `env` over the bench's own environment, on a free port. */
  static async start(
    name: string,
    script: string,
    env: Record<string, string>,
    portVariable: 'WORKER_PORT' | 'API_PORT',
  ): Promise<Service & { port: number }> {
    const port = await anyFreePort();
    return Object.assign(new Service(name, script, { ...env, [portVariable]: String(port) }), { port });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** From now on, stop() reports only the CPU used after this call (e.g. not the start-up). */
  markCpu(): void {
    this.cpuBaseline = readCpuSeconds(this.pid) ?? 0;
  }

  output(): string {
    return this.tail.join('').trimEnd() || '(none)';
  }

  /** Resolves with the milliseconds until `url` answered 200; fails if the process dies first. */
  async waitForHttp(url: string, timeoutMs = 60_000): Promise<number> {
    const started = performance.now();
    const ready = (async () => {
      while (performance.now() - started < timeoutMs) {
        const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
          async (response) => {
            await response.arrayBuffer();
            return response.ok;
          },
          () => false,
        );
        if (ok || this.stopping) return performance.now() - started;
        await sleep(20);
      }
      throw new Error(`${this.name} did not answer ${url} within ${timeoutMs} ms; its last output:\n${this.output()}`);
    })();
    return Promise.race([ready, this.died]);
  }

  /** Reads the peak RSS and CPU time, then SIGTERM (graceful stop); SIGKILL if it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<StoppedService> {
    const peakRssMb = readPeakRssMb(this.pid);
    const cpuUsed = readCpuSeconds(this.pid);
    const cpuSeconds = cpuUsed === null ? null : cpuUsed - this.cpuBaseline;
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      const status = await this.exited;
      clearTimeout(timer);
      return { peakRssMb, cpuSeconds, ...status };
    }
    return { peakRssMb, cpuSeconds, ...(await this.exited) };
  }

  private remember(chunk: string): void {
    this.tail.push(...chunk.split(/(?<=\n)/));
    if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
  }
}

/** Stops every service, in parallel. */
export async function stopAll(services: readonly Service[]): Promise<Map<Service, StoppedService>> {
  const results = await Promise.all(services.map((service) => service.stop()));
  return new Map(services.map((service, index) => [service, results[index]!]));
}
