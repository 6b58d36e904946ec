// The libraries under comparison, by name. Each module exports `system` (name, version, variants
// with their settings), `openDatabase` (the harness's side) and `startWorker` / `startProducer`
// (a child process's side). Loaded on demand, so a child imports only its own library.
export const LIBRARY_NAMES = ['graphile-worker', 'pg-boss', 'bullmq'];

export async function loadSystem(name) {
  if (name === 'graphile-worker') return import('./graphile-worker.mjs');
  if (name === 'pg-boss') return import('./pg-boss.mjs');
  if (name === 'bullmq') return import('./bullmq.mjs');
  throw new Error(`unknown system ${name}`);
}
