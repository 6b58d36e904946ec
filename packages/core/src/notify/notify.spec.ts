import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { CANCEL_CHANNEL, TASKS_CHANNEL } from './channel.js';
import { ChannelListener } from './channel-listener.js';
import { subscribeToTaskHints } from './task-hints.js';
import { TaskNotifier } from './task-notifier.js';

const silent = pino({ level: 'silent' });

describe('TaskNotifier and the task hints heard through a ChannelListener', () => {
  const db = useTestDatabase();
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A raw LISTEN connection recording every payload on the channel. */
  async function rawListener(): Promise<string[]> {
    const payloads: string[] = [];
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    client.on('notification', (message) => payloads.push(message.payload ?? ''));
    await client.query(`listen ${TASKS_CHANNEL}`);
    cleanups.push(() => client.end());
    return payloads;
  }

  it('notifies at once on the first call, then folds a burst into one trailing notice with the earliest due time', async () => {
    const payloads = await rawListener();
    const notifier = new TaskNotifier(db.pool, 200);
    // All in one tick, so the burst surely falls inside the first window.
    for (const dueInMs of [50_000, 90_000, 70_000, 80_000]) notifier.tasksAdded(dueInMs);
    await waitFor('the leading and the trailing notice', () => payloads.length === 2);
    // "Due in N ms", counted down while the trailing notice waited for the window to end.
    expect(Number(payloads[0])).toBeLessThanOrEqual(50_000);
    expect(Number(payloads[0])).toBeGreaterThan(40_000);
    expect(Number(payloads[1])).toBeLessThanOrEqual(70_000);
    expect(Number(payloads[1])).toBeGreaterThan(60_000);
    // Nothing else was sent for the burst.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(payloads).toHaveLength(2);
  });

  it('sends at most one notice per window however many tasks are added', async () => {
    const payloads = await rawListener();
    const notifier = new TaskNotifier(db.pool, 50);
    const started = Date.now();
    while (Date.now() - started < 500) {
      notifier.tasksAdded();
      await new Promise((resolve) => setImmediate(resolve));
    }
    notifier.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 500 ms at one notice per 50 ms window, plus the final flush: far fewer than the calls made.
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.length).toBeLessThanOrEqual(500 / 50 + 2);
  });

  it('delivers notices to the listener, and listens again after its connection is killed', async () => {
    const announced: number[] = [];
    const listener = new ChannelListener({ connectionString: db.url }, silent);
    subscribeToTaskHints(listener, { tasksAnnounced: (dueAt) => announced.push(dueAt) });
    listener.start();
    cleanups.push(() => listener.stop());
    // Every (re)connect announces "now", since notices sent meanwhile were lost.
    await waitFor('the first connect', () => announced.length === 1);

    const sent = Date.now();
    await db.pool.query('select pg_notify($1, $2)', [TASKS_CHANNEL, '60000']);
    // The listener turns "due in 60 s" into a time on its own clock.
    await waitFor('the notice', () => announced.some((dueAt) => dueAt >= sent + 60_000));

    const { rows } = await db.pool.query(
      `select pg_terminate_backend(pid) as killed from pg_stat_activity
        where datname = current_database() and application_name = 'taskforge-listener'`,
    );
    expect(rows).toHaveLength(1);
    const before = announced.length;
    await waitFor('the reconnect', () => announced.length > before, { timeoutMs: 15_000 });

    const resent = Date.now();
    await db.pool.query('select pg_notify($1, $2)', [TASKS_CHANNEL, '120000']);
    await waitFor('a notice after the reconnect', () => announced.some((dueAt) => dueAt >= resent + 120_000));
  });

  it('passes cancelled task ids to taskCancelled, apart from the "tasks added" hints', async () => {
    const announced: number[] = [];
    const cancelled: string[] = [];
    const listener = new ChannelListener({ connectionString: db.url }, silent);
    subscribeToTaskHints(listener, { tasksAnnounced: (dueAt) => announced.push(dueAt), taskCancelled: (id) => cancelled.push(id) });
    listener.start();
    cleanups.push(() => listener.stop());
    await waitFor('the first connect', () => announced.length === 1);

    await db.pool.query('select pg_notify($1, $2)', [CANCEL_CHANNEL, 'some-task-id']);
    await db.pool.query('select pg_notify($1, $2)', [TASKS_CHANNEL, '0']);
    await waitFor('the tasks hint', () => announced.length === 2);
    await waitFor('the cancel notice', () => cancelled.length === 1);
    expect(cancelled).toEqual(['some-task-id']);
  });
});
