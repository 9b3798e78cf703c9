import type { DecodedEvent } from '../event-sourcing/event-codec';
import { fold } from '../shared/domain-event';
import type { Policy } from '../shared/policy';
import { firstUnpaidMonth, statusAsOf, workerDecider } from '../workers/worker.decider';
import type { FundingSource, WorkerEvent, WorkerStatus } from '../workers/worker.events';

/** The business date of an event (`YYYY-MM-DD` in the programme's time zone): the `occurredOn` its decider set. */
export function businessDate(event: Pick<DecodedEvent, 'data'>): string {
  return (event.data as { occurredOn: string }).occurredOn;
}

/** When the service recorded the event (`metadata.recordedAt`), else the store's commit time. */
export function recordedAt(event: Pick<DecodedEvent, 'metadata' | 'created'>): Date {
  return instantOf(event.metadata.recordedAt) ?? event.created;
}

function instantOf(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

export interface PointInTime {
  /** Business date of the view (`YYYY-MM-DD`). */
  asOf: string;
  /** Only what had been recorded by this instant; null: everything recorded so far. */
  knownAt: Date | null;
}

export interface PointInTimeCoverage {
  workerId: string;
  asOf: string;
  knownAt: string | null;
  /** Status of domain.md as of `asOf`; null when the worker was not enrolled as of then (or not yet recorded by `knownAt`). */
  status: WorkerStatus | null;
  /** Start of the membership period current as of `asOf`. */
  enrolledOn: string | null;
  paidThrough: string | null;
  firstUnpaidMonth: string | null;
  monthsContributed: number;
  fundingSource: FundingSource | null;
  sponsorId: string | null;
  /** How many of the worker's events the view was folded from. */
  eventsConsidered: number;
  /** Log position of the last of those events (decimal string); null when none. */
  lastEventPosition: string | null;
}

/**
 * Which events a point-in-time view folds: those whose business date is on or before `asOf` (a lapse or
 * end recorded for a later date did not hold yet; a payment made later was not made yet) and, with
 * `knownAt`, that had been recorded by then (a backdated payment recorded afterwards was not known yet).
 * Stream order is kept: the fold sees the surviving facts in the order they were decided.
 */
export function eventsInView<E extends DecodedEvent>(events: readonly E[], view: PointInTime): E[] {
  return events.filter(
    (event) => businessDate(event) <= view.asOf && (view.knownAt === null || recordedAt(event).getTime() <= view.knownAt.getTime()),
  );
}

/**
 * The worker's coverage as of a business date, optionally as it was known at an instant: the worker's
 * events in view folded with the worker decider's own `evolve`, and the status its `statusAsOf` gives
 * for that date. No rule is restated here.
 */
export function coverageAsOf(
  workerId: string,
  events: readonly DecodedEvent<WorkerEvent>[],
  view: PointInTime,
  policy: Policy,
): PointInTimeCoverage {
  const considered = eventsInView(events, view);
  const state = fold(workerDecider, considered);
  const last = considered[considered.length - 1];
  const common = {
    workerId,
    asOf: view.asOf,
    knownAt: view.knownAt?.toISOString() ?? null,
    eventsConsidered: considered.length,
    lastEventPosition: last ? last.position.toString() : null,
  };
  if (!state.enrolled) {
    return {
      ...common,
      status: null,
      enrolledOn: null,
      paidThrough: null,
      firstUnpaidMonth: null,
      monthsContributed: 0,
      fundingSource: null,
      sponsorId: null,
    };
  }
  return {
    ...common,
    status: statusAsOf(state, view.asOf, policy),
    enrolledOn: state.enrolledOn,
    paidThrough: state.paidThrough?.toString() ?? null,
    firstUnpaidMonth: firstUnpaidMonth(state).toString(),
    monthsContributed: state.monthsContributed,
    fundingSource: state.fundingSource,
    sponsorId: state.sponsorId,
  };
}
