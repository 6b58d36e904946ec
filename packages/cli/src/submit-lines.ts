import type { TaskInput } from './task-fields.js';
import type { TaskLine } from './task-lines.js';

/** Most tasks POST /tasks/batch takes in one request. */
export const MAX_BATCH_SIZE = 1_000;
/** The API reads at most 1 MiB a body; a batch stays well under it, whatever its payloads. */
export const MAX_BATCH_BYTES = 768 * 1024;

export interface Chunk {
  /** `batch`: one POST /tasks/batch, all or nothing. `single`: one POST /tasks (a line with an idempotency_key, which batches refuse). */
  kind: 'batch' | 'single';
  lines: TaskLine[];
}

/** File order kept: runs of plain lines become batches, each keyed line goes alone. */
export function planChunks(lines: readonly TaskLine[], batchSize = MAX_BATCH_SIZE, maxBytes = MAX_BATCH_BYTES): Chunk[] {
  const chunks: Chunk[] = [];
  let current: TaskLine[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length > 0) chunks.push({ kind: 'batch', lines: current });
    current = [];
    bytes = 0;
  };
  for (const line of lines) {
    if (typeof line.task.idempotency_key === 'string') {
      flush();
      chunks.push({ kind: 'single', lines: [line] });
      continue;
    }
    const size = Buffer.byteLength(JSON.stringify(line.task)) + 1;
    if (current.length >= batchSize || (current.length > 0 && bytes + size > maxBytes)) flush();
    current.push(line);
    bytes += size;
  }
  flush();
  return chunks;
}

export interface SubmitCalls {
  submitBatch(tasks: TaskInput[]): Promise<string[]>;
  submitOne(task: TaskInput): Promise<string>;
}

export interface SubmitHooks {
  /** After each chunk is stored, with its lines and ids in order. */
  onStored?(stored: { line: number; id: string }[]): void;
  /** Checked between chunks: true stops before the next one (Ctrl-C). */
  shouldStop?(): boolean;
}

export interface SubmitFailure {
  /** The chunk the API refused, or whose answer never came. */
  chunk: Chunk;
  error: unknown;
}

export interface SubmitReport {
  stored: { line: number; id: string }[];
  failure?: SubmitFailure;
  /** Lines never sent: after a failure, or after a stop. */
  notSent: number[];
  stopped: boolean;
}

/**
 * Sends the chunks one after another, stopping at the first that fails, so what went in is
 * always a prefix of the file: every line before the failed chunk is stored, the failed
 * chunk is not (a batch is all or nothing; the report says when its fate is unknown), and
 * nothing after it was sent.
 */
export async function submitChunks(chunks: readonly Chunk[], calls: SubmitCalls, hooks: SubmitHooks = {}): Promise<SubmitReport> {
  const report: SubmitReport = { stored: [], notSent: [], stopped: false };
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index]!;
    if (hooks.shouldStop?.()) {
      report.stopped = true;
      report.notSent = chunks.slice(index).flatMap((c) => c.lines.map((l) => l.line));
      break;
    }
    try {
      const tasks = chunk.lines.map((line) => line.task);
      const ids = chunk.kind === 'single' ? [await calls.submitOne(tasks[0]!)] : await calls.submitBatch(tasks);
      if (ids.length !== tasks.length) throw new Error(`the API answered ${ids.length} ids for ${tasks.length} tasks`);
      const stored = chunk.lines.map((line, i) => ({ line: line.line, id: ids[i]! }));
      report.stored.push(...stored);
      hooks.onStored?.(stored);
    } catch (error) {
      report.failure = { chunk, error };
      report.notSent = chunks.slice(index + 1).flatMap((c) => c.lines.map((l) => l.line));
      break;
    }
  }
  return report;
}
