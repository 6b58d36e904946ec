import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { BackoffOptions } from '../retry/backoff.js';
import type { ChannelListener } from '../notify/channel-listener.js';
import type { TaskFunctionLookup } from './task-function.js';
import type { WorkerEvents } from './worker-events.js';

export interface WorkerOptions {
  pool: Pool;
  workerId: string;
  handlers: TaskFunctionLookup;
  concurrency: number;
  pollIntervalMs: number;
  retry: Pick<BackoffOptions, 'baseDelayMs' | 'maxDelayMs'>;
  logger: Logger;
  /** How long a claim holds without a heartbeat (default 30 s). */
  leaseMs?: number;
  /** How often leases are renewed (default 5 s). */
  heartbeatIntervalMs?: number;
  /** How often this worker looks for other workers' expired leases (default 1 s). */
  rescueIntervalMs?: number;
  /** Limit for tasks without their own `timeout_ms`; none when omitted. */
  defaultTimeoutMs?: number;
  /** Largest handler result kept, as JSON bytes (default 64 KiB); a bigger one fails the attempt. */
  resultMaxBytes?: number;
  /**
   * Most tasks claimed ahead into a local buffer beyond the running ones (default: 10 ×
   * concurrency), so a freed slot starts its next task without a round-trip. The worker buffers
   * only as many as its tasks' pace needs (see PrefetchSizer); 0 claims only for free slots.
   */
  prefetch?: number;
  /**
   * LISTEN for "tasks added" hints to wake up at once, and for force cancels to abort a running
   * task at once (default true); polling and heartbeats stay the fallback.
   */
  listen?: boolean;
  /** A LISTEN connection shared with the rest of the process (its owner starts and stops it); omitted: the worker opens its own. */
  listener?: ChannelListener;
  /** Told of claims, outcomes and leases as they happen (metrics); nothing when omitted. */
  events?: WorkerEvents;
}

export interface WorkerCounters {
  /** Attempts whose outcome was written since start, successful or not. */
  processed: number;
  completed: number;
  /** Failed attempts since start (retried or final). */
  failed: number;
  /** Tasks this worker gave up because its lease lapsed or was taken. */
  leasesLost: number;
  /** Other workers' tasks this worker returned to the queue after their lease expired. */
  rescued: number;
}
