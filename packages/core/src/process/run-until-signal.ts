export interface RunUntilSignalOptions {
  /** Starts the service; resolves once it is up. */
  start(): Promise<void>;
  /** Stops it gracefully. */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** Where start-up failures and progress are reported. */
  report?: (message: string, error?: unknown) => void;
}

/**
 * The life of a service process: start, then on the first SIGTERM or SIGINT stop gracefully
 * and exit 0. A second signal while stopping exits at once with 130, for the impatient
 * Ctrl-C. A start-up failure (bad configuration, say) exits 1 with the message.
 */
export function runUntilSignal(options: RunUntilSignalOptions): void {
  const report = options.report ?? ((message, error) => console.error(message, error ?? ''));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      report(`received ${signal} again, exiting immediately`);
      process.exit(130);
    }
    stopping = true;
    options.stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        report('graceful shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Started by `npm start` with an IPC channel: if that parent dies, stop as if told to.
  if (process.send) process.once('disconnect', () => onSignal('SIGTERM'));
  options.start().catch((error: unknown) => {
    // A configuration error's message already names the bad variable; a stack would only bury it.
    if (error instanceof Error && error.name === 'ConfigError') report(error.message);
    else report('start-up failed', error);
    process.exit(1);
  });
}
