import { type DynamicModule, Module } from '@nestjs/common';
import type { Config } from '@taskforge/core';
import { CONFIG } from './common/tokens.js';
import { DatabaseModule } from './database/database.module.js';
import { ApiMetricsService } from './metrics/api-metrics.service.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MonitorController } from './monitor/monitor.controller.js';
import { MonitorService } from './monitor/monitor.service.js';
import { SchedulesController } from './schedules/schedules.controller.js';
import { SchedulesService } from './schedules/schedules.service.js';
import { TasksController } from './tasks/tasks.controller.js';
import { TasksService } from './tasks/tasks.service.js';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        {
          module: class ConfigModule {},
          global: true,
          providers: [{ provide: CONFIG, useValue: config }],
          exports: [CONFIG],
        },
        DatabaseModule,
      ],
      controllers: [TasksController, MonitorController, MetricsController, SchedulesController],
      providers: [TasksService, MonitorService, ApiMetricsService, SchedulesService],
    };
  }
}
