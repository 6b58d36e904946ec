import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { TaskHandler } from './task-handler.interface.js';
import { TaskMetadataDecorator } from './task.decorator.js';
import { TaskRegistryService } from './task-registry.service.js';

/**
 * Registers every provider marked with `@Task` in the registry. Runs in onModuleInit: Nest has
 * made every provider by then, and the worker starts claiming only after all onModuleInit
 * hooks ran (onApplicationBootstrap), so it sees decorated handlers and the seed's
 * self-registering ones alike.
 */
@Injectable()
export class TaskDiscovery implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registry: TaskRegistryService,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: TaskMetadataDecorator.KEY })) {
      const metadata = this.discovery.getMetadataByDecorator(TaskMetadataDecorator, wrapper);
      if (!metadata) continue;
      // A request- or transient-scoped provider has no one instance to run every task with.
      if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
        throw new Error(`@Task('${metadata.name}') on ${wrapper.name}: a task handler must be a singleton provider (default scope)`);
      }
      this.registry.register(metadata.name, wrapper.instance as TaskHandler, metadata.options);
    }
  }
}
