import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { parsePayload } from '../parse-payload.js';
import type { TaskContext, TaskHandler } from '../task-handler.interface.js';
import { TaskRegistryService } from '../task-registry.service.js';

const sleepPayload = z.object({
  ms: z.number().int('must be an integer').min(0, 'must not be negative').max(86_400_000, 'must be at most a day'),
});

/** `sleep` `{ "ms": n }`: waits n milliseconds, or until the worker aborts it. */
@Injectable()
export class SleepTaskHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'sleep';

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(SleepTaskHandler.TASK_NAME, this);
  }

  async execute(payload: unknown, _taskId: string, context: TaskContext): Promise<void> {
    const { ms } = parsePayload(sleepPayload, payload, SleepTaskHandler.TASK_NAME);
    await sleep(ms, undefined, { signal: context.signal });
  }
}
