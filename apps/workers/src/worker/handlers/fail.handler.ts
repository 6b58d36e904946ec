import { Injectable, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { parsePayload } from '../parse-payload.js';
import type { TaskHandler } from '../task-handler.interface.js';
import { TaskRegistryService } from '../task-registry.service.js';

const failPayload = z.object({ message: z.string().optional() });

/** `fail` `{ "message": s }`: always throws, to try out retries and backoff. */
@Injectable()
export class FailTaskHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'fail';

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(FailTaskHandler.TASK_NAME, this);
  }

  async execute(payload: unknown): Promise<never> {
    const { message } = parsePayload(failPayload, payload, FailTaskHandler.TASK_NAME);
    throw new Error(message ?? 'failed on purpose');
  }
}
