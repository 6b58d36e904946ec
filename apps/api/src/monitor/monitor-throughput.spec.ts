import { beforeEach, describe, expect, it } from 'vitest';
import { useApi } from '../../test/api-test-app.js';
import { expectError, ISO } from '../../test/tasks-api-fixtures.js';

const MINUTE = 60_000;

describe('GET /monitor/throughput', () => {
  const api = useApi();

  beforeEach(async () => {
    await api.db.pool.query('truncate tasks');
  });

  async function get(url: string) {
    const res = await api.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** Finished tasks written directly, so finished_at can lie in the past. */
  async function finished(status: 'completed' | 'failed' | 'cancelled', agoMs: number, count = 1): Promise<void> {
    await api.db.pool.query(
      `insert into tasks (task_name, status, max_retries, finished_at)
       select 'alpha', $1, 0, now() - $2::float8 * interval '1 ms' from generate_series(1, $3::int)`,
      [status, agoMs, count],
    );
  }

  it('answers the last 60 minutes by default, oldest first, one ISO minute each, zeros included', async () => {
    const before = Date.now();
    const { minutes } = await get('/monitor/throughput');
    expect(minutes).toHaveLength(60);
    for (const entry of minutes) expect(entry).toEqual({ minute: expect.stringMatching(ISO), completed: 0, failed: 0 });
    const starts = minutes.map((entry: { minute: string }) => Date.parse(entry.minute));
    expect(starts.slice(1).map((start: number, i: number) => start - starts[i]!)).toEqual(Array(59).fill(MINUTE));
    // The last window ends at the time of the request.
    expect(starts[59] + MINUTE).toBeGreaterThanOrEqual(before - 1_000);
    expect(starts[59] + MINUTE).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  it('counts completed and failed-for-good tasks in the minute they finished, and takes ?minutes', async () => {
    await finished('completed', 5_000, 3);
    await finished('failed', 5_000);
    await finished('cancelled', 5_000);
    await finished('completed', 3 * MINUTE + 30_000, 2);
    await finished('failed', 20 * MINUTE);

    const { minutes } = await get('/monitor/throughput?minutes=5');
    expect(minutes.map((entry: { completed: number; failed: number }) => [entry.completed, entry.failed])).toEqual([
      [0, 0],
      [2, 0],
      [0, 0],
      [0, 0],
      [3, 1],
    ]);
  });

  it('adds up over the default hour to throughput.last_hour of /monitor/stats', async () => {
    // Well inside the hour, so neither figure changes between the two requests.
    for (const agoMs of [10_000, 7 * MINUTE, 31 * MINUTE, 55 * MINUTE]) {
      await finished('completed', agoMs, 2);
      await finished('failed', agoMs);
    }
    await finished('completed', 2 * 60 * MINUTE);
    const { minutes } = await get('/monitor/throughput');
    const stats = await get('/monitor/stats');
    const sum = (key: 'completed' | 'failed') => minutes.reduce((total: number, entry: Record<string, number>) => total + entry[key]!, 0);
    expect({ completed: sum('completed'), failed: sum('failed') }).toEqual(stats.throughput.last_hour);
    expect(stats.throughput.last_hour).toEqual({ completed: 8, failed: 4 });
  });

  it('serves 1 and 1440 minutes', async () => {
    expect((await get('/monitor/throughput?minutes=1')).minutes).toHaveLength(1);
    expect((await get('/monitor/throughput?minutes=1440')).minutes).toHaveLength(1440);
  });

  it.each(['0', '1441', '-5', '1.5', 'ten', '', '99999'])('answers 400 naming minutes for ?minutes=%s', async (value) => {
    const res = await api.app.inject({ method: 'GET', url: `/monitor/throughput?minutes=${value}` });
    const body = expectError(res, 400, 'minutes must be an integer from 1 to 1440');
    expect(body.errors).toEqual([{ field: 'minutes', message: 'must be an integer from 1 to 1440' }]);
  });

  it('answers 400 for a repeated minutes or an unknown parameter', async () => {
    expectError(await api.app.inject({ method: 'GET', url: '/monitor/throughput?minutes=5&minutes=6' }), 400, 'minutes must be given once');
    expectError(await api.app.inject({ method: 'GET', url: '/monitor/throughput?minute=5' }), 400, 'minute is not a known query parameter');
  });
});
