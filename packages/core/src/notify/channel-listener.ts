import pg from 'pg';
import type { Logger } from 'pino';

const MAX_RECONNECT_DELAY_MS = 30_000;
/** Longest stop() waits for the connection to close. */
const END_TIMEOUT_MS = 2_000;

/** Only such names are ever put into a LISTEN statement: a channel is an identifier, not a value. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface ChannelSubscription {
  /** A notification arrived on the channel ('' when it carried no payload). */
  notified(payload: string): void;
  /**
   * The connection LISTENs on the channel (again): called after the first connect and after
   * every reconnect. Notifications sent while disconnected were lost, so a consumer for whom a
   * notification means "there is work" should look now.
   */
  listening?(): void;
}

export interface ChannelListenerOptions {
  /** How the connection shows in pg_stat_activity (default taskforge-listener). */
  applicationName?: string;
  /**
   * How often the connection, idle otherwise, is asked `select 1` (default 10 s). A connection
   * cut by the network rather than closed raises no error until TCP gives up, which takes
   * hours; every notification sent meanwhile would be lost without a word.
   */
  pingIntervalMs?: number;
  /** How long a ping may go unanswered before the connection counts as lost (default 5 s). */
  pingTimeoutMs?: number;
}

/**
 * One dedicated connection LISTENing on every channel its subscribers asked for, handing each
 * notification to that channel's subscribers. A worker process opens one and shares it (the
 * claim loop's task and cancel hints, the schedule firer's hints), so it holds its pool plus
 * exactly one connection more, whatever it listens to.
 *
 * A dropped connection, or one that stops answering its pings, is re-established with
 * backoff (250 ms doubling up to 30 s); after every (re)connect each subscriber's
 * `listening()` runs. The connection needs a session of
 * its own: through PgBouncer it must be a direct or session-pooled one (DATABASE_LISTEN_URL).
 */
export class ChannelListener {
  private readonly subscriptions = new Map<string, Set<ChannelSubscription>>();
  private client: pg.Client | undefined;
  private started = false;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private pinging = false;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly logger: Logger,
    private readonly options: ChannelListenerOptions = {},
  ) {}

  /**
   * Adds a subscriber to `channel`; may be called before or after start(). Returns the
   * unsubscribe function. A channel left without subscribers stays LISTENed until the next
   * reconnect, its notifications dropped: cheaper than an UNLISTEN racing a new subscriber.
   */
  subscribe(channel: string, subscription: ChannelSubscription): () => void {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`"${channel}" is not a channel name this listener accepts`);
    const subscribers = this.subscriptions.get(channel) ?? new Set<ChannelSubscription>();
    const isNewChannel = subscribers.size === 0;
    subscribers.add(subscription);
    this.subscriptions.set(channel, subscribers);
    const client = this.client;
    if (client && isNewChannel) {
      client.query(`listen ${channel}`).then(
        () => this.told(subscription),
        (error: unknown) => this.lost(client, error),
      );
    } else if (client) {
      queueMicrotask(() => this.told(subscription));
    }
    // Not connected: the (re)connect LISTENs on every channel and tells every subscriber.
    return () => {
      subscribers.delete(subscription);
      if (subscribers.size === 0 && this.subscriptions.get(channel) === subscribers) this.subscriptions.delete(channel);
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // end() waits for the server to close its side, which a cut network never does: bounded.
    let timer: NodeJS.Timeout | undefined;
    const ended = client.end().catch(() => undefined);
    await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, END_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ ...this.connection, application_name: this.options.applicationName ?? 'taskforge-listener' });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => this.dispatch(message.channel, message.payload ?? ''));
    try {
      await client.connect();
      // One statement per channel, in subscription order. A Map's iteration also visits
      // channels subscribed while it runs, and nothing awaits between its end and
      // `this.client = client` below, so no subscription falls between the two.
      for (const channel of this.subscriptions.keys()) await client.query(`listen ${channel}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.pingTimer = setInterval(() => void this.ping(client), this.options.pingIntervalMs ?? 10_000);
    if (this.failures > 0) this.logger.info('listening for notifications again');
    this.failures = 0;
    for (const subscribers of [...this.subscriptions.values()]) for (const subscription of [...subscribers]) this.told(subscription);
  }

  private dispatch(channel: string, payload: string): void {
    for (const subscription of [...(this.subscriptions.get(channel) ?? [])]) {
      try {
        subscription.notified(payload);
      } catch (error) {
        // A subscriber's bug must not take the shared connection's event handler down with it.
        this.logger.error({ err: error, channel }, 'a notification subscriber threw');
      }
    }
  }

  private told(subscription: ChannelSubscription): void {
    if (this.stopped) return;
    try {
      subscription.listening?.();
    } catch (error) {
      this.logger.error({ err: error }, 'a notification subscriber threw');
    }
  }

  /** One `select 1` at a time; no answer within the timeout and the connection counts as lost. */
  private async ping(client: pg.Client): Promise<void> {
    if (this.client !== client || this.pinging) return;
    this.pinging = true;
    const timeoutMs = this.options.pingTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    const unanswered = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the listening connection did not answer a ping within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([client.query('select 1'), unanswered]);
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timer);
      this.pinging = false;
    }
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.stopped || (this.client !== client && this.client !== undefined)) return;
    if (this.reconnectTimer) return;
    clearInterval(this.pingTimer);
    this.client = undefined;
    client.end().catch(() => undefined);
    this.failures += 1;
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** Math.min(this.failures, 10));
    this.logger.warn({ err: error, retryInMs: delay }, 'lost the connection listening for notifications; polling meanwhile');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }
}
