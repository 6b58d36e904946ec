/**
 * True when an error means "the database cannot be used right now" (unreachable, restarting,
 * or refusing our credentials), as opposed to a statement that PostgreSQL rejected. Callers
 * answer 503 or back off on these.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now;
    // 3D000 / class 28: the database or role is missing, or the password wrong; 53300: no connection slot
    // left (max_connections, or a role's or database's connection limit). Either way no query can run.
    if (code.startsWith('08') || code.startsWith('28') || ['57P01', '57P02', '57P03', '3D000', '53300'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
      return true;
    }
  }
  return /timeout exceeded when trying to connect|Connection terminated|connection is closed|Client has encountered a connection error|Query read timeout/i.test(
    error.message,
  );
}
