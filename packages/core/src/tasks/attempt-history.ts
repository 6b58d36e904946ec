import { ATTEMPT_HISTORY_LIMIT, type AttemptRecord } from './task.js';

/** A timestamp as JSON the way the API prints every other one: UTC, milliseconds, `Z`. */
function isoText(timestamp: string): string {
  return `to_char(${timestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The SQL expression for `attempt_history` once the attempt the row holds now has ended with
 * `outcome`: the history with one record appended, the oldest dropped beyond
 * ATTEMPT_HISTORY_LIMIT. The one place every statement that ends an attempt gets its record
 * from, so they cannot drift apart. It reads the row as it was before the UPDATE (`t` must be
 * the updated table's alias): the attempt number, the worker holding it, when it started.
 *
 * `error` holds SQL expressions (column references of the statement, never values) for the
 * error's message and stack. The history grows by one record per statement and is trimmed at
 * the limit, so removing the first element is enough: it never holds more than the limit.
 * Cheap enough for the completion hot path: no subquery, no extra row, no index entry.
 */
export function appendAttemptRecord(outcome: AttemptRecord['outcome'], error: { message: string; stack: string } | null = null): string {
  const errorJson = error ? `jsonb_build_object('message', ${error.message}, 'stack', ${error.stack})` : `'null'::jsonb`;
  return `(case when jsonb_array_length(t.attempt_history) >= ${ATTEMPT_HISTORY_LIMIT}
                then t.attempt_history - 0 else t.attempt_history end)
          || jsonb_build_array(jsonb_build_object(
               'attempt', t.attempts,
               'worker_id', t.locked_by,
               'started_at', ${isoText('t.started_at')},
               'finished_at', ${isoText('now()')},
               'outcome', '${outcome}'::text,
               'error', ${errorJson}))`;
}
