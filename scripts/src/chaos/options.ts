import { nonNegativeNumber, ScriptCommand } from '../command-line.js';

export interface ChaosOptions {
  /** Seconds of chaos (submitting, killing, restarting); then the queue drains. */
  duration: number;
  workers: number;
  /** Tasks submitted per second through the API. */
  rate: number;
  /** Seconds between worker kills (SIGKILL or SIGTERM, at random). */
  killEvery: number;
  /** Seconds between PostgreSQL restarts; only when the tool runs its own embedded server. */
  restartDbEvery: number;
  /** Seconds to wait for the queue to drain afterwards. */
  drainTimeout: number;
}

/** `npm run chaos`'s command line; `npm run chaos -- --help` prints its usage. */
export function chaosCommand(): ScriptCommand {
  return new ScriptCommand(
    'chaos',
    'npm run chaos --',
    'The API and N workers under fire: tasks go in through the API while workers are killed and restarted and, on the embedded ' +
      'PostgreSQL, the database restarts; then the queue drains and one summary is printed.',
  )
    .option(
      '--duration <S>',
      'seconds of chaos (submitting, killing, restarting); then the queue drains',
      nonNegativeNumber('--duration'),
      60,
    )
    .option('--workers <N>', 'worker processes', nonNegativeNumber('--workers'), 3)
    .option('--rate <N>', 'tasks submitted per second through the API', nonNegativeNumber('--rate'), 50)
    .option('--kill-every <S>', 'seconds between worker kills (SIGKILL or SIGTERM, at random)', nonNegativeNumber('--kill-every'), 4)
    .option(
      '--restart-db-every <S>',
      'seconds between PostgreSQL restarts (0: none); only when the tool runs its own embedded server',
      nonNegativeNumber('--restart-db-every'),
      20,
    )
    .option('--drain-timeout <S>', 'seconds to wait for the queue to drain afterwards', nonNegativeNumber('--drain-timeout'), 180)
    .addHelpText(
      'after',
      `
Uses DATABASE_URL when set (a scratch database on its server), else its own embedded PostgreSQL,
which it also restarts. Exits 1 when a task was lost or ran twice without its worker having been killed.`,
    );
}

export function readChaosOptions(command: ScriptCommand): ChaosOptions {
  return command.opts<ChaosOptions>();
}
