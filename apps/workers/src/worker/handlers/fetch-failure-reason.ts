/**
 * Why a fetch failed, for a task's last_error. fetch's own message is only "fetch failed"; the
 * reason is its cause ("connect ECONNREFUSED 127.0.0.1:3000"). A host name with both an IPv6 and
 * an IPv4 address fails with an AggregateError whose own message is empty, so its errors speak.
 */
export function fetchFailureReason(error: unknown): string {
  const reason = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (reason instanceof AggregateError && !reason.message && reason.errors.length > 0) {
    return reason.errors.map(messageOf).join('; ');
  }
  return messageOf(reason);
}

function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
