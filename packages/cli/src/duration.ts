import { UsageError } from './cli-error.js';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `500ms`, `60s`, `5m`, `1h`, or a bare number of seconds, in milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} must be a duration such as 500ms, 60s, 5m or 1h, got ${JSON.stringify(text)}`);
  const ms = Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
  if (ms <= 0) throw new UsageError(`${flag} must be longer than 0, got ${JSON.stringify(text)}`);
  return ms;
}

/** A short human form of a span: `850 ms`, `12.5 s`, `3 min 20 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.floor((ms % 60_000) / 1_000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
