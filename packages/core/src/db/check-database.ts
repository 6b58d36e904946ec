import type { Queryable } from './queryable.js';

/**
 * Asks the database for `select 1`, giving up after `timeoutMs` so a health probe answers
 * promptly even while connections hang. Resolves to null when healthy, else the reason.
 */
export async function checkDatabase(db: Queryable, timeoutMs = 3_000): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const probe = db.query('select 1').then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
