import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** The leadership and analyst dashboard: static files served by the service itself (no CDN). */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
