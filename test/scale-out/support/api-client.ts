/** The most POST /tasks/batch accepts (MAX_BATCH_SIZE in the API). */
const BATCH_SIZE = 1_000;

export interface TaskRequest {
  task_name: string;
  payload?: unknown;
  max_retries?: number;
  idempotency_key?: string;
}

/** Submits tasks through the API's batch endpoint, 1,000 at a time; resolves to their ids in order. */
export async function submitTasks(apiUrl: string, tasks: readonly TaskRequest[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < tasks.length; start += BATCH_SIZE) {
    const response = await fetch(`${apiUrl}/tasks/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tasks: tasks.slice(start, start + BATCH_SIZE) }),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 201) throw new Error(`POST /tasks/batch answered ${response.status}: ${await response.text()}`);
    ids.push(...((await response.json()) as { ids: string[] }).ids);
  }
  return ids;
}

export interface TimedResponse {
  status: number;
  body: unknown;
  /** From sending the request to the whole answer. */
  ms: number;
}

/** One request, timed; a request the API never answers fails after `timeoutMs`. */
export async function timedRequest(url: string, init: RequestInit = {}, timeoutMs = 60_000): Promise<TimedResponse> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, body, ms: Math.round(performance.now() - started) };
}
