import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import { coerceError } from './coerce-error.js';

interface TaskScope {
  taskId: string;
  /** Fails the attempt running in this scope (first outcome wins). */
  fail(error: Error): void;
}

/**
 * Every handler runs inside a scope naming its task. Node keeps that scope across the
 * handler's own callbacks and promises, so an error that escapes them (an unhandled
 * rejection, an exception thrown in a timer) can still be charged to the right attempt.
 */
const scopes = new AsyncLocalStorage<TaskScope>();

export function runInTaskScope<T>(scope: TaskScope, work: () => T): T {
  return scopes.run(scope, work);
}

/**
 * Keeps a worker process up when a handler lets an error escape: the task whose scope it
 * escaped from fails that attempt instead. An uncaught exception outside any task is a bug
 * of ours, and the process exits (after logging) as Node would. Returns the uninstaller.
 */
export function installProcessGuards(logger: Logger): () => void {
  const onRejection = (reason: unknown) => {
    const error = coerceError(reason);
    const scope = scopes.getStore();
    if (scope) scope.fail(new Error(`unhandled rejection in the handler: ${error.message}`, { cause: error }));
    else logger.error({ err: error }, 'unhandled rejection outside any task');
  };
  const onException = (thrown: unknown) => {
    const error = coerceError(thrown);
    const scope = scopes.getStore();
    if (scope) {
      scope.fail(new Error(`uncaught exception in the handler: ${error.message}`, { cause: error }));
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception outside any task, exiting');
    process.exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
