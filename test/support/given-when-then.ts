import { DomainError, DomainErrorCode } from '../../src/shared/domain-error';

/** The shape of a decider as the specs drive it: `decide(command, state, policy)` and a fold. */
export interface SpecDecider<C, S, E, P> {
  decide: (command: C, state: S, policy: P) => E[];
  evolve: (state: S, event: E) => S;
  initialState: () => S;
}

/** Runs `action` and returns the DomainError it throws; fails the spec when it throws nothing or something else. */
export function domainErrorOf(action: () => unknown): DomainError {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DomainError)) {
    throw new Error(`Expected a DomainError, got ${thrown === undefined ? 'no error' : String(thrown)}`);
  }
  return thrown;
}

/**
 * Given events, when a command, then events or a domain error. No I/O.
 *   spec.given([...]).when(command).then([...])
 *   spec.given([...]).when(command).thenFails('CODE', 'field')
 */
export function deciderSpec<C, S, E, P>(decider: SpecDecider<C, S, E, P>, policy: P) {
  return {
    given(events: E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        state,
        when(command: C) {
          const run = () => decider.decide(command, state, policy);
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            thenFails(code: DomainErrorCode, field?: string) {
              const error = domainErrorOf(run);
              expect(error.code).toBe(code);
              if (field !== undefined) expect(error.field).toBe(field);
            },
          };
        },
      };
    },
  };
}
