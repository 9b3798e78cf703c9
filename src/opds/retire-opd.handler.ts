import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ProblemException } from '../http/problem-details.filter';
import { PROJECTION_SYNC, type ProjectionSync } from '../read-models/projection-sync';
import { opdDecider, retireOpd } from './opd.decider';
import { opdStream } from './opd.events';
import { OpdSponsorsRegisteredQuery } from './opd-sponsors-registered.query';
import type { OpdAnswer } from './register-opd.handler';

export class RetireOpdCommand extends Command<OpdAnswer> {
  constructor(
    readonly code: string,
    readonly body: { reason: string; effectiveOn?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Whether a registered sponsor remains in the OPD is a fact of many sponsor streams, so it is read from the
 * opd_participation read model once that has processed everything in the log when the request arrived;
 * deciding on a read model still behind would be deciding on stale data, so a read side that does not catch
 * up in time answers 503 PROJECTION_LAGGING instead.
 *
 * Residual race, accepted: a sponsor registered into (or transferred to) this OPD between that read and the
 * append of OpdRetired is not seen, and ends up in a retired OPD. Sponsor commands refuse a retired OPD from
 * the moment OpdRetired is appended, so the window is that of one request; retiring is a rare, admin-only
 * operation, and such a sponsor can be transferred out afterwards. Closing it would need a lock across the
 * OPD and every sponsor stream.
 */
@CommandHandler(RetireOpdCommand)
export class RetireOpdHandler implements ICommandHandler<RetireOpdCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTION_SYNC) private readonly projection: ProjectionSync,
  ) {}

  async execute({ code, body, context }: RetireOpdCommand): Promise<OpdAnswer> {
    const head = await this.runner.store.headPosition();
    if (!(await this.projection.waitFor(head, this.config.consistencyWaitMs))) {
      throw new ProblemException(503, 'PROJECTION_LAGGING', `The read models have not reached position ${head} yet, so the OPD's sponsors cannot be counted; retry shortly`, undefined, {
        'Retry-After': '1',
      });
    }
    const sponsorsRegistered = await this.queries.execute(new OpdSponsorsRegisteredQuery(code));
    const data = { opdCode: code, reason: body.reason, effectiveOn: body.effectiveOn ?? context.today, today: context.today, sponsorsRegistered };
    const { position } = await this.runner.run(
      opdStream(code),
      opdDecider,
      (state) => ({ events: retireOpd({ type: 'RetireOpd', data }, state), result: undefined }),
      context,
    );
    return { code, position };
  }
}
