import { CommandBus } from '@nestjs/cqrs';
import { SingleBar, Presets } from 'cli-progress';
import { DataSource } from 'typeorm';
import type { INestApplication } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { RunLapseCheckCommand } from '../coverage/run-lapse-check.handler';
import { CommandContextFactory } from '../http/command-context.factory';
import { RegisterOpdCommand } from '../opds/register-opd.handler';
import { amountFor } from '../shared/policy';
import { YearMonth } from '../shared/year-month';
import { RegisterSponsorCommand } from '../sponsors/register-sponsor.handler';
import { TransferSponsorCommand } from '../sponsors/transfer-sponsor.handler';
import { WithdrawSponsorCommand } from '../sponsors/withdraw-sponsor.handler';
import { ChangeWorkerFundingCommand } from '../workers/change-worker-funding.handler';
import { ChangeWorkerSponsorCommand } from '../workers/change-worker-sponsor.handler';
import { CorrectWorkerCommand } from '../workers/correct-worker.handler';
import { ReversePaymentCommand } from '../workers/reverse-payment.handler';
import { EnrolWorkerCommand } from '../workers/enrol-worker.handler';
import { RecordPaymentCommand } from '../workers/record-payment.handler';
import { ReenrolWorkerCommand } from '../workers/reenrol-worker.handler';
import { WithdrawWorkerCommand } from '../workers/withdraw-worker.handler';
import { DemoStep } from './demo-city';

/** seed:demo plays a whole city from the start: it refuses a system that already holds events. */
export class SystemNotEmptyError extends Error {
  constructor() {
    super(
      'seed:demo only fills an empty system, and this one already holds events. For the demo city, start from an empty ' +
        'database: stop the service and remove its data directory (ASUH_DATA_DIR, default .asuh), or point DATABASE_URL at a new database.',
    );
    this.name = 'SystemNotEmptyError';
  }
}

export interface SeedSummary {
  commands: number;
  opds: number;
  sponsors: number;
  workers: number;
  payments: number;
  corrections: number;
  reversals: number;
  lapsed: number;
  ended: number;
}

/**
 * Plays the demo plan through the command bus, exactly as the API would (same deciders, same events,
 * `recordedBy` = system:seed-demo), so every read model is built by the projector from real events.
 */
export async function seedDemo(app: INestApplication, steps: DemoStep[], options: { progress?: boolean } = {}): Promise<SeedSummary> {
  const commands = app.get(CommandBus);
  const contexts = app.get(CommandContextFactory);
  const config = app.get<AppConfig>(APP_CONFIG);
  const db = app.get(DataSource);

  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM opd_participation`);
  const existing = await app.get<EventStore>(EVENT_STORE).headPosition();
  if (count > 0 || existing > 0n) throw new SystemNotEmptyError();

  const sponsorIds = new Map<number, string>();
  const workerIds = new Map<number, string>();
  const summary: SeedSummary = { commands: 0, opds: 0, sponsors: 0, workers: 0, payments: 0, corrections: 0, reversals: 0, lapsed: 0, ended: 0 };
  const bar = options.progress ? new SingleBar({ format: 'seed:demo [{bar}] {value}/{total} commands | {eta_formatted} left' }, Presets.shades_classic) : null;
  bar?.start(steps.length, 0);
  const context = () => contexts.system('seed-demo');

  for (const step of steps) {
    switch (step.kind) {
      case 'opd':
        await commands.execute(new RegisterOpdCommand({ code: step.code, name: step.name, kind: step.opdKind, pnsHeadcount: step.pnsHeadcount }, context()));
        summary.opds++;
        break;
      case 'sponsor': {
        const { sponsorId } = await commands.execute(new RegisterSponsorCommand({ nip: step.nip, fullName: step.fullName, opdCode: step.opdCode }, context()));
        sponsorIds.set(step.key, sponsorId);
        summary.sponsors++;
        break;
      }
      case 'transfer':
        await commands.execute(new TransferSponsorCommand(sponsorIds.get(step.sponsorKey)!, { opdCode: step.opdCode }, context()));
        break;
      case 'withdrawSponsor':
        await commands.execute(new WithdrawSponsorCommand(sponsorIds.get(step.sponsorKey)!, { reason: step.reason }, context()));
        break;
      case 'worker': {
        const sponsorId = step.sponsorKey ? sponsorIds.get(step.sponsorKey) : undefined;
        const { workerId } = await commands.execute(new EnrolWorkerCommand({ ...step.body, sponsorId }, context()));
        workerIds.set(step.key, workerId);
        summary.workers++;
        break;
      }
      case 'payment': {
        const payer = { type: step.payer.type, sponsorId: step.payer.sponsorKey ? sponsorIds.get(step.payer.sponsorKey) : undefined, name: step.payer.name };
        const amount = amountFor(YearMonth.parse(step.from), step.months, config.policy);
        await commands.execute(
          new RecordPaymentCommand(workerIds.get(step.workerKey)!, { paymentRef: step.paymentRef, months: step.months, amount, paidOn: step.paidOn, payer }, context()),
        );
        summary.payments++;
        break;
      }
      case 'withdrawWorker':
        await commands.execute(new WithdrawWorkerCommand(workerIds.get(step.workerKey)!, step.reason, context()));
        break;
      case 'reenrol':
        await commands.execute(new ReenrolWorkerCommand(workerIds.get(step.workerKey)!, step.enrolledOn, context()));
        break;
      case 'changeSponsor':
        await commands.execute(new ChangeWorkerSponsorCommand(workerIds.get(step.workerKey)!, sponsorIds.get(step.sponsorKey)!, context()));
        break;
      case 'correctWorker':
        await commands.execute(new CorrectWorkerCommand(workerIds.get(step.workerKey)!, { ...step.fields, reason: step.reason }, context()));
        summary.corrections++;
        break;
      case 'changeFunding':
        await commands.execute(new ChangeWorkerFundingCommand(workerIds.get(step.workerKey)!, { fundingSource: step.fundingSource, reason: step.reason }, context()));
        summary.corrections++;
        break;
      case 'reversePayment':
        await commands.execute(new ReversePaymentCommand(workerIds.get(step.workerKey)!, step.paymentRef, { reason: step.reason }, context()));
        summary.reversals++;
        break;
      case 'lapseRun': {
        const result = await commands.execute(new RunLapseCheckCommand(step.asOf, contexts.system('seed-demo')));
        summary.lapsed += result.lapsed;
        summary.ended += result.ended;
        break;
      }
      default: {
        const _exhaustive: never = step;
        throw new Error(`Unknown demo step ${JSON.stringify(_exhaustive)}`);
      }
    }
    summary.commands++;
    bar?.increment();
  }
  bar?.stop();
  return summary;
}
