import { expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { timedRequest, type TimedResponse } from './support/api-client.js';
import { describeWithNamespaces } from './support/namespace-support.js';
import { useScaleOutHarness } from './support/scale-out-harness.js';
import { Timeline } from './support/timeline.js';

/**
 * Upper bounds only, and generous (a loaded machine): the API's own limits are 3 s for the
 * health probe, 5 s to connect and 5 s per query, so a cut link must never make it hang.
 */
const HEALTH_503_WITHIN_MS = 8_000;
const REQUEST_503_WITHIN_MS = 15_000;

/** The API on a host of its own whose link to PostgreSQL is cut, while the test still reaches it over a second link. */
describeWithNamespaces('the API host cut off from PostgreSQL', () => {
  const harness = useScaleOutHarness({ workers: 0 });

  function submit(apiUrl: string, idempotencyKey: string): Promise<TimedResponse> {
    return timedRequest(`${apiUrl}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task_name: 'noop', idempotency_key: idempotencyKey }),
    });
  }

  /** Health, a submission and a listing at once, each timed. */
  async function askAll(apiUrl: string, idempotencyKey: string): Promise<Record<string, TimedResponse>> {
    const [health, submitted, listed] = await Promise.all([
      timedRequest(`${apiUrl}/monitor/health`),
      submit(apiUrl, idempotencyKey),
      timedRequest(`${apiUrl}/tasks`),
    ]);
    return { 'GET /monitor/health': health, 'POST /tasks': submitted, 'GET /tasks': listed };
  }

  it('answers 503 promptly while its link to PostgreSQL is down, and serves again once the link returns, without a restart', async () => {
    const { apiUrl, network, api, pool } = harness();
    // Before the cut all is well, and requests at once leave open connections in the API's pool
    // for the cut to strand.
    expect((await submit(apiUrl, 'before-the-cut')).status).toBe(201);
    const warm = await Promise.all([1, 2, 3].map(() => timedRequest(`${apiUrl}/tasks`)));
    expect(warm.map((answer) => answer.status)).toEqual([200, 200, 200]);

    network.cut('api');
    const timeline = new Timeline('scale-out (c): API host cut off from PostgreSQL', Date.now());
    timeline.mark('API link to PostgreSQL cut (ip link set down)', timeline.startedAt);
    // Right after the cut, a request may go out on a connection that was open (its query gets
    // no answer: the 5 s query timeout) or on a new one (it cannot connect: unreachable once ARP
    // gives up, or the 5 s connect timeout); asked again, the open ones are gone.
    for (const [round, key] of [
      ['just after the cut', 'during-the-cut'],
      ['asked again', 'later-in-the-cut'],
    ] as const) {
      const askedAt = Date.now();
      const answers = await askAll(apiUrl, key);
      for (const [request, answer] of Object.entries(answers)) {
        timeline.mark(`${request} ${round}: ${answer.status} after ${answer.ms} ms`, askedAt + answer.ms);
        expect(answer.status, `${request} ${round}`).toBe(503);
        expect(answer.ms, `${request} ${round}`).toBeLessThan(
          request === 'GET /monitor/health' ? HEALTH_503_WITHIN_MS : REQUEST_503_WITHIN_MS,
        );
      }
      expect(answers['GET /monitor/health']!.body).toMatchObject({ status: 'error' });
    }

    network.restore('api');
    timeline.mark('link restored (ip link set up)', Date.now());
    await waitFor(
      'the API to report itself healthy',
      async () => (await timedRequest(`${apiUrl}/monitor/health`, {}, 10_000)).status === 200,
      {
        timeoutMs: 30_000,
        intervalMs: 100,
      },
    );
    timeline.mark('GET /monitor/health answers 200 again', Date.now());
    // The submissions that got a 503 are sent again with their keys, as a client should: a 503
    // after a timeout does not say the first one was not stored (its INSERT may have been on the way).
    const outcomes: string[] = [];
    for (const key of ['during-the-cut', 'later-in-the-cut']) {
      const resubmitted = await submit(apiUrl, key);
      timeline.mark(`POST /tasks again with key ${key}: ${resubmitted.status}`, Date.now());
      expect([200, 201]).toContain(resubmitted.status);
      const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from tasks where idempotency_key = $1', [key]);
      expect(rows[0]!.n).toBe(1);
      outcomes.push(
        `${key}: ${resubmitted.status === 200 ? 'stored after all, its INSERT arriving once the link returned (retry: 200)' : 'not stored (retry: 201)'}`,
      );
    }
    const listed = await timedRequest(`${apiUrl}/tasks`);
    timeline.mark(`GET /tasks: ${listed.status}`, Date.now());
    expect(listed.status).toBe(200);
    expect(api.child.exitCode).toBeNull();
    timeline.print();
    console.log(`  submissions answered 503 during the cut: ${outcomes.join('; ')}`);
  });
});
