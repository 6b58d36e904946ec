import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { TaskHandler } from '../task-handler.interface.js';
import { TaskRegistryService } from '../task-registry.service.js';

/** `noop`: succeeds at once. For smoke tests and benchmarks. */
@Injectable()
export class NoopTaskHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'noop';

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(NoopTaskHandler.TASK_NAME, this);
  }

  async execute(): Promise<void> {}
}
