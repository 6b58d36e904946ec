import type { Transport } from './transport.js';
import type { CreateScheduleRequest, Schedule, UpdateScheduleRequest } from './types.js';
import type { RequestOptions } from './wait.js';

const path = (id: string) => `/schedules/${encodeURIComponent(id)}`;

/** /schedules: recurring tasks (cron, time zone, the task each tick makes). `client.schedules`. */
export class SchedulesApi {
  constructor(private readonly transport: Transport) {}

  /** POST /schedules → 201 with the stored schedule, its first tick in next_run_at. 409 when the name is taken. */
  async create(schedule: CreateScheduleRequest, options: RequestOptions = {}): Promise<Schedule> {
    return (await this.transport.request<Schedule>({ method: 'POST', path: '/schedules', body: schedule, signal: options.signal })).body;
  }

  /** GET /schedules: every schedule, by name. */
  async list(options: RequestOptions = {}): Promise<Schedule[]> {
    const answer = await this.transport.request<{ schedules: Schedule[] }>({ method: 'GET', path: '/schedules', signal: options.signal });
    return answer.body.schedules;
  }

  async get(id: string, options: RequestOptions = {}): Promise<Schedule> {
    return (await this.transport.request<Schedule>({ method: 'GET', path: path(id), signal: options.signal })).body;
  }

  /** PATCH /schedules/:id: any fields (at least one); null max_retries / timeout_ms go back to the worker's defaults. */
  async update(id: string, changes: UpdateScheduleRequest, options: RequestOptions = {}): Promise<Schedule> {
    return (await this.transport.request<Schedule>({ method: 'PATCH', path: path(id), body: changes, signal: options.signal })).body;
  }

  /** No more ticks until resume(); a paused schedule keeps its place. */
  pause(id: string, options: RequestOptions = {}): Promise<Schedule> {
    return this.update(id, { paused: true }, options);
  }

  resume(id: string, options: RequestOptions = {}): Promise<Schedule> {
    return this.update(id, { paused: false }, options);
  }

  /** DELETE /schedules/:id → 204. The tasks it made stay. */
  async delete(id: string, options: RequestOptions = {}): Promise<void> {
    await this.transport.request<undefined>({ method: 'DELETE', path: path(id), signal: options.signal });
  }
}
