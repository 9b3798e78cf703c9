import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CommandContextFactory } from '../http/command-context.factory';
import { RunLapseCheckCommand } from './run-lapse-check.handler';

/** The daily lapse check, on the configured cron in the programme's time zone (Asia/Jakarta). */
@Injectable()
export class LapseSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LapseSchedule.name);
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly commands: CommandBus,
    private readonly contexts: CommandContextFactory,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runLapseSchedule) return;
    const job = CronJob.from({
      cronTime: this.config.lapseCheckCron,
      timeZone: this.config.timezone,
      onTick: () => void this.tick(),
    });
    this.registry.addCronJob('daily-lapse-check', job);
    job.start();
    this.logger.log(`Daily lapse check scheduled (${this.config.lapseCheckCron}, ${this.config.timezone})`);
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('cron', 'daily-lapse-check')) this.registry.deleteCronJob('daily-lapse-check');
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const context = this.contexts.system('lapse-check');
      await this.commands.execute(new RunLapseCheckCommand(context.today, context));
    } catch (error) {
      this.logger.error(`Daily lapse check failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
