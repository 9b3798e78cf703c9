import { Inject, Injectable } from '@nestjs/common';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { CLOCK, type Clock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import { opdScopeOf, type Principal } from '../shared/roles';
import { sponsorFacts } from '../sponsors/sponsor-facts';
import { workerDecider } from '../workers/worker.decider';
import { type FundingSource, type Payer, type WorkerEvent, workerStream } from '../workers/worker.events';

const commandScope = (context: CommandContext): string | null => context.scope?.opdCode ?? null;

const outOfScope = (opdCode: string, what: string) => new DomainError('OUT_OF_SCOPE', `This key acts only within OPD ${opdCode}: ${what}`);

/**
 * The one place that says what an OPD-bound operator key may touch (domain.md, "Scope"): sponsors currently in
 * its OPD, and workers whose current sponsor is. Commands are judged from the streams (the sponsor's OPD as of
 * the command's day, the worker's current sponsor); lists and look-ups by what the read model they come from
 * shows (a sponsor's payments by the sponsor's stream, as that query decides the sponsor exists). City-wide callers
 * (admins, auditors, analysts, operators without an OPD, system work) pass without a single read. A record that
 * does not exist passes too, so that the command or query answers its own 404 / 422.
 *
 * What a bound operator may do, beyond touching only records of its OPD: a sponsor it transfers may leave for
 * another OPD (recording the mutasi is the leaving OPD's job); a worker it enrols, moves to another sponsor or
 * funding, or pays for stays with a sponsor of its OPD (funding by the city's budgets or others is the
 * secretariat's decision, and a payment by another OPD's sponsor would count for that OPD).
 */
@Injectable()
export class ScopeService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ---------------------------------------------------------------- commands

  /** Registering a sponsor: into the caller's OPD only. */
  requireOpd(context: CommandContext, opdCode: string): void {
    const scope = commandScope(context);
    if (scope !== null && opdCode !== scope) throw outOfScope(scope, `a sponsor is registered into ${scope} only`);
  }

  /** Transferring or withdrawing a sponsor: one currently in the caller's OPD. */
  async requireSponsor(context: CommandContext, sponsorId: string): Promise<void> {
    const scope = commandScope(context);
    if (scope !== null) await this.sponsorWithin(scope, sponsorId, context.today);
  }

  /** Enrolling: funded by an ASN sponsor of the caller's OPD. */
  async requireEnrolment(context: CommandContext, funding: { fundingSource: FundingSource; sponsorId?: string }): Promise<void> {
    const scope = commandScope(context);
    if (scope !== null) await this.fundedWithin(scope, funding, context.today);
  }

  /**
   * Paying for, correcting, withdrawing, re-enrolling a worker, or changing its sponsor or funding: a worker whose
   * current sponsor is in the caller's OPD; with `then`, the sponsor and funding it is to have afterwards must keep it there.
   */
  async requireWorker(context: CommandContext, workerId: string, then?: { fundingSource: FundingSource; sponsorId?: string }): Promise<void> {
    const scope = commandScope(context);
    if (scope === null) return;
    await this.workerWithin(scope, workerId, context.today);
    if (then) await this.fundedWithin(scope, then, context.today);
  }

  /** Recording a payment: for a worker in the caller's OPD, and, paid by an ASN sponsor, by one of its OPD. */
  async requirePayment(context: CommandContext, workerId: string, payer: Payer): Promise<void> {
    const scope = commandScope(context);
    if (scope === null) return;
    await this.workerWithin(scope, workerId, context.today);
    if (payer.type === 'ASN_SPONSOR' && payer.sponsorId) await this.sponsorWithin(scope, payer.sponsorId, context.today);
  }

  // ---------------------------------------------------------------- reads

  /**
   * The OPD a list is to be filtered by: the caller's own for a bound operator (asking for another one is
   * OUT_OF_SCOPE), else what was asked for (possibly none).
   */
  listFilter(principal: Principal | undefined, requested: string | undefined): string | undefined {
    const scope = opdScopeOf(principal);
    if (scope === null) return requested;
    if (requested !== undefined && requested !== scope) throw outOfScope(scope, `opdCode ${requested} cannot be listed`);
    return scope;
  }

  /** A single record as read (its current OPD, or null for a worker funded otherwise): OUT_OF_SCOPE unless in the caller's. */
  requireVisible(principal: Principal | undefined, opdCode: string | null, what: string): void {
    const scope = opdScopeOf(principal);
    if (scope !== null && opdCode !== scope) throw outOfScope(scope, `${what} is not in it`);
  }

  /** A sponsor's own records (its payments): a sponsor currently in the caller's OPD. */
  async requireSponsorVisible(principal: Principal | undefined, sponsorId: string): Promise<void> {
    const scope = opdScopeOf(principal);
    if (scope !== null) await this.sponsorWithin(scope, sponsorId, this.clock.today());
  }

  // ----------------------------------------------------------------

  private async sponsorWithin(scope: string, sponsorId: string, today: string): Promise<void> {
    const sponsor = await sponsorFacts(this.runner, sponsorId);
    if (sponsor.exists && sponsor.opdCodeOn(today) !== scope) throw outOfScope(scope, `sponsor ${sponsorId} is not in it`);
  }

  private async fundedWithin(scope: string, funding: { fundingSource: FundingSource; sponsorId?: string }, today: string): Promise<void> {
    if (funding.fundingSource !== 'ASN_SPONSOR') throw outOfScope(scope, `its workers are funded by an ASN sponsor of ${scope} (${funding.fundingSource} is the secretariat's)`);
    if (funding.sponsorId) await this.sponsorWithin(scope, funding.sponsorId, today);
  }

  private async workerWithin(scope: string, workerId: string, today: string): Promise<void> {
    const worker = fold(workerDecider, await this.runner.read<WorkerEvent>(workerStream(workerId)));
    if (!worker.enrolled) return;
    if (worker.sponsorId === null) throw outOfScope(scope, `worker ${workerId} has no ASN sponsor`);
    const sponsor = await sponsorFacts(this.runner, worker.sponsorId);
    if (sponsor.opdCodeOn(today) !== scope) throw outOfScope(scope, `worker ${workerId}'s sponsor is not in it`);
  }
}
