/**
 * What deciders deal in: events as plain typed data (`{ type, data }`), decisions, and the fold of a
 * stream. Nothing here knows how events are stored.
 */

export interface DomainEvent {
  type: string;
  data: object;
}

/**
 * An event as `evolve` sees it: just decided (no position yet), or read back from the log with its
 * position, so state can remember where a fact was recorded (a payment's replay answers with it).
 */
export type Evolving<E extends DomainEvent> = E & { readonly position?: bigint };

export interface Aggregate<S, E extends DomainEvent> {
  initialState: () => S;
  evolve: (state: S, event: Evolving<E>) => S;
}

export function fold<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, events: readonly Evolving<E>[]): S {
  return events.reduce(aggregate.evolve, aggregate.initialState());
}
