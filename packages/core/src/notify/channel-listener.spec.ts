import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { FreezableProxy } from '../../../../test/support/freezable-proxy.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { ChannelListener } from './channel-listener.js';

const silent = pino({ level: 'silent' });

/** A subscriber that records what it heard and how often it was told "listening". */
function recorder() {
  const heard: string[] = [];
  let listening = 0;
  return {
    heard,
    listeningCount: () => listening,
    subscription: { notified: (payload: string) => heard.push(payload), listening: () => (listening += 1) },
  };
}

describe('ChannelListener', () => {
  const db = useTestDatabase();
  const listeners: ChannelListener[] = [];
  afterEach(async () => {
    for (const listener of listeners.splice(0)) await listener.stop();
  });

  function startListener(applicationName: string): ChannelListener {
    const listener = new ChannelListener({ connectionString: db.url }, silent, { applicationName });
    listeners.push(listener);
    return listener;
  }

  async function connectionsNamed(applicationName: string): Promise<number[]> {
    const { rows } = await db.pool.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and application_name = $1',
      [applicationName],
    );
    return rows.map((row) => row.pid);
  }

  const notify = (channel: string, payload: string) => db.pool.query('select pg_notify($1, $2)', [channel, payload]);

  it('serves several channels over one connection, each notification to its own channel’s subscribers', async () => {
    const listener = startListener('channel-spec-several');
    const [a1, a2, b] = [recorder(), recorder(), recorder()];
    listener.subscribe('spec_channel_a', a1.subscription);
    listener.subscribe('spec_channel_a', a2.subscription);
    listener.subscribe('spec_channel_b', b.subscription);
    listener.start();
    await waitFor('every subscriber told it is listening', () => [a1, a2, b].every((r) => r.listeningCount() === 1));
    expect(await connectionsNamed('channel-spec-several')).toHaveLength(1);

    await notify('spec_channel_a', 'for a');
    await notify('spec_channel_b', 'for b');
    await waitFor('both notifications', () => a1.heard.length === 1 && a2.heard.length === 1 && b.heard.length === 1);
    expect([a1.heard, a2.heard, b.heard]).toEqual([['for a'], ['for a'], ['for b']]);
    expect(await connectionsNamed('channel-spec-several')).toHaveLength(1);
  });

  it('LISTENs on a channel subscribed after start, and stops delivering to a subscriber that left', async () => {
    const listener = startListener('channel-spec-late');
    const early = recorder();
    const unsubscribeEarly = listener.subscribe('spec_channel_early', early.subscription);
    listener.start();
    await waitFor('the first connect', () => early.listeningCount() === 1);

    const late = recorder();
    listener.subscribe('spec_channel_late', late.subscription);
    await waitFor('the late subscriber told it is listening', () => late.listeningCount() === 1);
    unsubscribeEarly();
    await notify('spec_channel_early', 'nobody hears this');
    await notify('spec_channel_late', 'heard');
    await waitFor('the late notification', () => late.heard.length === 1);
    // Notifications arrive in order on one connection: the early one, sent first, was dropped.
    expect(early.heard).toEqual([]);
    expect(await connectionsNamed('channel-spec-late')).toHaveLength(1);
  });

  it('reconnects after its connection is killed, LISTENs on every channel again and tells every subscriber', async () => {
    const listener = startListener('channel-spec-reconnect');
    const [a, b] = [recorder(), recorder()];
    listener.subscribe('spec_channel_a', a.subscription);
    listener.subscribe('spec_channel_b', b.subscription);
    listener.start();
    await waitFor('the first connect', () => a.listeningCount() === 1 && b.listeningCount() === 1);

    const [pid] = await connectionsNamed('channel-spec-reconnect');
    await db.pool.query('select pg_terminate_backend($1)', [pid]);
    await waitFor('the reconnect', () => a.listeningCount() === 2 && b.listeningCount() === 2, { timeoutMs: 15_000 });

    await notify('spec_channel_a', 'after a');
    await notify('spec_channel_b', 'after b');
    await waitFor('both notifications after the reconnect', () => a.heard.length === 1 && b.heard.length === 1);
    expect([a.heard, b.heard]).toEqual([['after a'], ['after b']]);
    const pids = await connectionsNamed('channel-spec-reconnect');
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(pid);
  });

  it('notices by its ping a connection the network cut without closing it, and reconnects once the network is back', async () => {
    const proxy = await FreezableProxy.start(db.url);
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    const listener = new ChannelListener({ connectionString: proxy.url, connectionTimeoutMillis: 2_000 }, logger, {
      pingIntervalMs: 100,
      pingTimeoutMs: 1_000,
    });
    listeners.push(listener);
    try {
      const a = recorder();
      listener.subscribe('spec_channel_a', a.subscription);
      listener.start();
      await waitFor('the first connect', () => a.listeningCount() === 1);

      proxy.freeze();
      // Sent while cut off: lost, which is why every reconnect tells subscribers to look now.
      await notify('spec_channel_a', 'lost');
      await waitFor('the ping to go unanswered', () =>
        warnings.includes('lost the connection listening for notifications; polling meanwhile'),
      );
      proxy.thaw();
      await waitFor('the reconnect', () => a.listeningCount() === 2, { timeoutMs: 20_000 });
      await notify('spec_channel_a', 'after');
      await waitFor('a notification after the reconnect', () => a.heard.includes('after'));
      expect(a.heard).toEqual(['after']);
    } finally {
      await listener.stop();
      await proxy.close();
    }
  });

  it('keeps delivering to the others when one subscriber throws', async () => {
    const listener = startListener('channel-spec-throws');
    const good = recorder();
    listener.subscribe('spec_channel_a', {
      notified: () => {
        throw new Error('a broken subscriber');
      },
    });
    listener.subscribe('spec_channel_a', good.subscription);
    listener.start();
    await waitFor('the first connect', () => good.listeningCount() === 1);
    await notify('spec_channel_a', 'one');
    await notify('spec_channel_a', 'two');
    await waitFor('both notifications', () => good.heard.length === 2);
    expect(good.listeningCount()).toBe(1);
  });

  it('refuses a channel name that is not a plain lowercase identifier', () => {
    const listener = startListener('channel-spec-names');
    for (const bad of ['Upper', 'semi;colon', 'x y', '', '1starts_with_digit', 'a'.repeat(64)]) {
      expect(() => listener.subscribe(bad, recorder().subscription), bad).toThrow(/not a channel name/);
    }
  });

  it('closes its connection on stop', async () => {
    const listener = startListener('channel-spec-stop');
    const a = recorder();
    listener.subscribe('spec_channel_a', a.subscription);
    listener.start();
    await waitFor('the first connect', () => a.listeningCount() === 1);
    await listener.stop();
    await waitFor('the connection closed', async () => (await connectionsNamed('channel-spec-stop')).length === 0);
  });
});
