import { ApiError, NetworkError, type BatchTaskRequest, type CreateTaskRequest } from '@taskforge/client';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { formatDuration } from '../duration.js';
import { batchItemErrors, describeFailure, outcomeUnknown } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { onInterrupt } from '../interrupt.js';
import type { Output } from '../output.js';
import { ProgressBar } from '../progress-bar.js';
import { readInput } from '../read-input.js';
import { planChunks, submitChunks, type Chunk, type SubmitReport } from '../submit-lines.js';
import { lineRanges, parseTaskLines } from '../task-lines.js';

/** Bad lines listed one by one up to this many; the rest are counted. */
const LISTED_PROBLEMS = 20;

/**
 * `tasks add --file`: checks every line, then submits in batches with a progress bar on
 * stderr, writing each stored line's id to stdout as soon as its batch is stored, so even a
 * run cut short leaves an exact record. Returns the exit code.
 */
export async function submitFile(context: CommandContext, path: string, batchSize: number): Promise<ExitCode> {
  const output = context.output();
  const source = path === '-' ? 'standard input' : path;
  const { tasks, problems } = parseTaskLines(await readInput(path));
  if (problems.length > 0) {
    for (const problem of problems.slice(0, LISTED_PROBLEMS)) output.note(`${source}: line ${problem.line}: ${problem.message}`);
    if (problems.length > LISTED_PROBLEMS) output.note(`… and ${problems.length - LISTED_PROBLEMS} more bad lines`);
    const lines = problems.length === 1 ? `line ${problems[0]!.line} is` : `${problems.length} lines are`;
    throw new UsageError(`${lines} not a valid task: nothing was submitted`);
  }
  if (tasks.length === 0) throw new UsageError(`${source} holds no tasks (one JSON object per line)`);

  const client = context.client();
  const chunks = planChunks(tasks, batchSize);
  const bar = new ProgressBar({ stream: context.streams.stderr, label: 'submitting', total: tasks.length });
  // Ids and the bar share one terminal only when both streams are one: step the bar aside then.
  if (output.stdoutIsTTY) output.beforeStdout = () => bar.clear();
  const started = Date.now();
  let stored = 0;
  let stopRequested = false;
  const stopListening = onInterrupt(
    () => {
      stopRequested = true;
      bar.clear();
      output.note('stopping after the batch in flight (Ctrl-C again to quit at once, leaving its fate unknown)');
    },
    () => output.note(`quit: lines up to ${lastStoredLine(tasks, stored)} were stored; the batch in flight may or may not have been`),
  );
  bar.update(0);
  let report: SubmitReport;
  try {
    report = await submitChunks(
      chunks,
      {
        submitBatch: async (batch) => (await client.submitMany(batch as BatchTaskRequest[])).map((created) => created.id),
        submitOne: async (task) => (await client.submit(task as CreateTaskRequest)).id,
      },
      {
        onStored: (lines) => {
          for (const { line, id } of lines) output.result({ line, id }, id);
          stored += lines.length;
          bar.update(stored);
        },
        shouldStop: () => stopRequested,
      },
    );
  } finally {
    stopListening();
  }
  bar.finish();
  return summarise(output, report, { source, requests: chunks.length, elapsedMs: Date.now() - started });
}

function lastStoredLine(tasks: readonly { line: number }[], stored: number): number {
  return stored === 0 ? 0 : tasks[stored - 1]!.line;
}

/** The closing report on stderr, which always says exactly which lines were stored. */
function summarise(output: Output, report: SubmitReport, run: { source: string; requests: number; elapsedMs: number }): ExitCode {
  const storedLines = report.stored.map((entry) => entry.line);
  const storedText = storedLines.length ? `lines ${lineRanges(storedLines)} (${storedLines.length} tasks)` : 'no line';
  if (!report.failure && !report.stopped) {
    output.note(`submitted ${storedLines.length} tasks from ${run.source} in ${run.requests} requests, ${formatDuration(run.elapsedMs)}`);
    return EXIT.ok;
  }
  if (report.stopped) {
    output.note(`interrupted: stored ${storedText}; not sent: lines ${lineRanges(report.notSent)}`);
    return EXIT.interrupted;
  }
  const { chunk, error } = report.failure!;
  const failure = describeFailure(error);
  const chunkLines = lineRanges(chunk.lines.map((line) => line.line));
  const items = itemProblems(chunk, error);
  const refusedBy = error instanceof ApiError ? `the API answered ${error.status} for lines ${chunkLines}` : '';
  output.note(`stopped at line ${chunk.lines[0]!.line}: ${items.length ? refusedBy : failure.message}`);
  for (const item of items) output.note(`  line ${item.line}: ${item.message}`);
  output.note(`  stored: ${storedText}`);
  output.note(`  ${chunkFate(error)}: lines ${chunkLines}`);
  if (report.notSent.length) output.note(`  not sent: lines ${lineRanges(report.notSent)}`);
  return failure.exitCode;
}

/** What became of the failed chunk: a batch is all or nothing, so only a lost answer leaves doubt. */
function chunkFate(error: unknown): string {
  if (error instanceof ApiError) return 'refused, not stored';
  if (outcomeUnknown(error)) return 'unknown whether stored (no answer came)';
  return error instanceof NetworkError ? 'not stored (the API was not reached)' : 'not stored';
}

/** The API's per-item problems of a refused batch, by line number instead of batch index. */
function itemProblems(chunk: Chunk, error: unknown): { line: number; message: string }[] {
  return batchItemErrors(error).map((item) => ({
    line: chunk.lines[item.index]?.line ?? -1,
    message: `${item.field.replace(/^tasks\.\d+\./, '')} ${item.message}`,
  }));
}
