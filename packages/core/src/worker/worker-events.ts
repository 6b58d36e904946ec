/**
 * What a Worker reports as it goes, for metrics (see createWorkerMetrics). The worker calls
 * these on its hot path, synchronously: keep them cheap, and they must not throw.
 */
export interface WorkerEvents {
  /** A claim statement returned `count` tasks (0 included). */
  claimed(count: number): void;
  /** A task's completion was recorded; `seconds` is its handler's run time. */
  completed(taskName: string, seconds: number): void;
  /** A failed attempt was recorded: retried later when `willRetry`, else failed for good. */
  failed(taskName: string, seconds: number, willRetry: boolean): void;
  /** This worker returned `count` tasks of other workers whose lease had expired. */
  rescued(count: number): void;
  /** This worker gave up a task whose lease it lost. */
  leaseLost(taskName: string): void;
}
