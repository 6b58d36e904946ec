import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  /** Fetches now, without waiting for the next tick. */
  refresh: () => void;
}

/**
 * Calls `load` now and then every `intervalMs` (0: once), keeping the last good answer on
 * screen while a later one fails. Pauses while the tab is hidden, and never runs two loads
 * at once, so a slow API is not stacked with requests. `deps` restart it (new filters, say).
 */
export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number, deps: unknown[] = []): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      if (document.hidden && intervalMs > 0) return schedule();
      try {
        const value = await loadRef.current(controller.signal);
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(caught instanceof Error ? caught : new Error(String(caught)));
      }
      schedule();
    };
    const schedule = () => {
      if (intervalMs > 0 && !controller.signal.aborted) timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what restarts the poll; `load` itself is read through a ref
  }, [intervalMs, tick, ...deps]);

  const refresh = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, refresh };
}
