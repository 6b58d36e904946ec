import type { Pool } from 'pg';
import { PermanentTaskError } from '../errors.js';
import { completeTasks } from '../tasks/complete-tasks.js';
import { failTasks, type FailedAttempt, type FailedTask } from '../tasks/fail-task.js';
import { BatchWriter } from './batch-writer.js';
import { coerceError } from './coerce-error.js';
import { writeWithRetry } from './write-with-retry.js';
import type { TaskRun } from './task-run.js';

type CompletionResult = 'completed' | 'refused' | 'unstorable';

interface Completion {
  run: TaskRun;
  resultJson: string | null;
}

interface Failure extends FailedAttempt {
  run: TaskRun;
}

/**
 * Writes attempts' outcomes, batched: completions go out together in one fenced statement,
 * failures in another (see BatchWriter; measured with `npm run bench`, drain A: one statement
 * per batch instead of one per task). A write that meets a connection error is retried until
 * the earliest lease in its batch may have lapsed.
 */
export class OutcomeWriter {
  private readonly completions: BatchWriter<Completion, CompletionResult>;
  private readonly failures: BatchWriter<Failure, FailedTask | null>;

  constructor(
    private readonly pool: Pool,
    private readonly workerId: string,
    private readonly resultMaxBytes: number,
  ) {
    this.completions = new BatchWriter((items) => this.writeCompletions(items));
    this.failures = new BatchWriter((items) => this.writeFailures(items));
  }

  /**
   * Completes the run with its result; a result that cannot be stored fails the attempt for
   * good instead. Resolves to what was written: 'completed', 'refused' when the fence did not
   * match (the lease was lost), or the failure written instead and why.
   */
  async succeed(run: TaskRun, result: unknown): Promise<'completed' | 'refused' | { failed: FailedTask | null; error: Error }> {
    const resultJson = this.serialise(result);
    if (resultJson instanceof Error) return { failed: await this.fail(run, resultJson, 0), error: resultJson };
    const written = await this.completions.add({ run, resultJson });
    if (written === 'unstorable') {
      const error = new PermanentTaskError("the handler's result cannot be stored: PostgreSQL refused it as JSON");
      return { failed: await this.fail(run, error, 0), error };
    }
    return written;
  }

  /** Records a failed attempt; null when the fence did not match. */
  fail(run: TaskRun, error: Error, retryDelayMs: number): Promise<FailedTask | null> {
    return this.failures.add({
      run,
      ...run.attempt,
      error: error.message || error.name,
      stack: error.stack ?? null,
      retryDelayMs,
      retryable: !(error instanceof PermanentTaskError),
    });
  }

  async drain(): Promise<void> {
    await Promise.all([this.completions.drain(), this.failures.drain()]);
  }

  /** The result as JSON text, or the reason it cannot be stored. */
  private serialise(result: unknown): string | null | Error {
    if (result === undefined) return null;
    let json: string | undefined;
    try {
      json = JSON.stringify(result);
    } catch (error) {
      return new PermanentTaskError(`the handler's result cannot be stored as JSON: ${coerceError(error).message}`);
    }
    if (json === undefined || json === 'null') return null;
    const bytes = Buffer.byteLength(json);
    if (bytes > this.resultMaxBytes) {
      return new PermanentTaskError(`the handler's result is ${bytes} bytes of JSON, over the ${this.resultMaxBytes}-byte limit`);
    }
    return json;
  }

  private async writeCompletions(items: Completion[]): Promise<CompletionResult[]> {
    try {
      const done = new Set(await this.complete(items));
      return items.map((item) => (done.has(item.run.task.id) ? 'completed' : 'refused'));
    } catch (error) {
      if (!isDataException(error)) throw error;
      // Valid JSON that jsonb refuses (U+0000, lone surrogates): find which, one by one.
      if (items.length === 1) return ['unstorable'];
      const results: CompletionResult[] = [];
      for (const item of items) results.push(...(await this.writeCompletions([item])));
      return results;
    }
  }

  private complete(items: Completion[]): Promise<string[]> {
    return writeWithRetry(
      () =>
        completeTasks(this.pool, {
          workerId: this.workerId,
          tasks: items.map((item) => ({ ...item.run.attempt, resultJson: item.resultJson })),
        }),
      earliestDeadline(items),
    );
  }

  private async writeFailures(items: Failure[]): Promise<Array<FailedTask | null>> {
    const failed = await writeWithRetry(() => failTasks(this.pool, { workerId: this.workerId, tasks: items }), earliestDeadline(items));
    const byId = new Map(failed.map((task) => [task.id, task]));
    return items.map((item) => byId.get(item.id) ?? null);
  }
}

function earliestDeadline(items: ReadonlyArray<{ run: TaskRun }>): number {
  return Math.min(...items.map((item) => item.run.leaseDeadline));
}

function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
