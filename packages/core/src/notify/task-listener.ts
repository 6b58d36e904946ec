import pg from 'pg';
import type { Logger } from 'pino';
import { CANCEL_CHANNEL, TASKS_CHANNEL } from './channel.js';

const MAX_RECONNECT_DELAY_MS = 30_000;

export interface TaskListenerOptions {
  /** Default TASKS_CHANNEL. */
  channel?: string;
  /** How the connection shows in pg_stat_activity (default taskforge-listener). */
  applicationName?: string;
  /** Also LISTEN on CANCEL_CHANNEL and pass on each force-cancelled task's id. */
  onCancelled?: (taskId: string) => void;
}

/**
 * A dedicated connection LISTENing for "tasks were added" hints. It calls `onTasks` with the
 * earliest due time announced, on this host's clock (the payload is relative: "due in N ms"). A dropped connection is re-established with
 * backoff, and `onTasks(now)` is called after every (re)connect, since hints sent while
 * disconnected were lost.
 *
 * Given `onCancelled`, it also LISTENs on CANCEL_CHANNEL and passes on each cancelled task's
 * id. Cancel notices missed while disconnected are not replayed: the heartbeat catches those.
 */
export class TaskListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly onTasks: (dueAt: number) => void,
    private readonly logger: Logger,
    private readonly target: TaskListenerOptions = {},
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ ...this.connection, application_name: this.target.applicationName ?? 'taskforge-listener' });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === CANCEL_CHANNEL) {
        if (message.payload) this.target.onCancelled?.(message.payload);
        return;
      }
      const dueInMs = Number(message.payload);
      this.onTasks(Date.now() + (Number.isFinite(dueInMs) && dueInMs > 0 ? dueInMs : 0));
    });
    try {
      await client.connect();
      // A channel name is an identifier, not a value: only our own constants reach these lines.
      await client.query(`listen ${this.target.channel ?? TASKS_CHANNEL}`);
      if (this.target.onCancelled) await client.query(`listen ${CANCEL_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.logger.info('listening for new tasks again');
    this.failures = 0;
    this.onTasks(Date.now());
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.stopped || (this.client !== client && this.client !== undefined)) return;
    if (this.reconnectTimer) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.failures += 1;
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** Math.min(this.failures, 10));
    this.logger.warn({ err: error, retryInMs: delay }, 'lost the connection listening for new tasks; polling meanwhile');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }
}
