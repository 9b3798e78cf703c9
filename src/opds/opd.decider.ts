import { DomainError } from '../shared/domain-error';
import type { OpdEvent, OpdHeadcountSet, OpdRegistered } from './opd.events';

// ---------------------------------------------------------------- commands

export type RegisterOpd = {
  type: 'RegisterOpd';
  data: { opdCode: string; name: string; kind: string; pnsHeadcount: number; today: string };
};

/** `effectiveOn` defaults to today in the HTTP shell; it may be in the past, never in the future. */
export type SetOpdHeadcount = {
  type: 'SetOpdHeadcount';
  data: { opdCode: string; pnsHeadcount: number; effectiveOn: string; today: string };
};

export type OpdCommand = RegisterOpd | SetOpdHeadcount;

// ---------------------------------------------------------------- state

export type OpdState =
  | { registered: false }
  | {
      registered: true;
      opdCode: string;
      name: string;
      kind: string;
      pnsHeadcount: number;
      /** Effective date of the current headcount (the registration day until a change). */
      headcountEffectiveOn: string;
    };

export const initialState = (): OpdState => ({ registered: false });

// ---------------------------------------------------------------- evolve

export function evolve(state: OpdState, event: OpdEvent): OpdState {
  switch (event.type) {
    case 'OpdRegistered':
      return {
        registered: true,
        opdCode: event.data.opdCode,
        name: event.data.name,
        kind: event.data.kind,
        pnsHeadcount: event.data.pnsHeadcount,
        headcountEffectiveOn: event.data.registeredOn,
      };
    case 'OpdHeadcountSet':
      if (!state.registered) return state;
      return { ...state, pnsHeadcount: event.data.pnsHeadcount, headcountEffectiveOn: event.data.effectiveOn };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

// ---------------------------------------------------------------- decide

export function registerOpd(command: RegisterOpd, state: OpdState): [OpdRegistered] {
  const { opdCode, name, kind, pnsHeadcount, today } = command.data;
  if (state.registered) throw new DomainError('OPD_ALREADY_REGISTERED', `OPD ${opdCode} is already registered`);
  return [{ type: 'OpdRegistered', data: { opdCode, name, kind, pnsHeadcount, registeredOn: today, occurredOn: today } }];
}

/**
 * Headcount history is kept in effective-date order: a change may not take effect before the current
 * headcount did, nor in the future. Setting the current value again changes nothing.
 */
export function setOpdHeadcount(command: SetOpdHeadcount, state: OpdState): OpdHeadcountSet[] {
  const { opdCode, pnsHeadcount, effectiveOn, today } = command.data;
  if (!state.registered) throw new DomainError('NOT_FOUND', `OPD ${opdCode} is not registered`);
  if (effectiveOn > today) throw new DomainError('VALIDATION_FAILED', 'effectiveOn may not be in the future', 'effectiveOn');
  if (effectiveOn < state.headcountEffectiveOn) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `effectiveOn may not precede the current headcount's effective date ${state.headcountEffectiveOn}`,
      'effectiveOn',
    );
  }
  if (pnsHeadcount === state.pnsHeadcount) return [];
  return [
    {
      type: 'OpdHeadcountSet',
      data: { opdCode: state.opdCode, pnsHeadcount, previousHeadcount: state.pnsHeadcount, effectiveOn, occurredOn: effectiveOn },
    },
  ];
}

export function decide(command: OpdCommand, state: OpdState): OpdEvent[] {
  switch (command.type) {
    case 'RegisterOpd':
      return registerOpd(command, state);
    case 'SetOpdHeadcount':
      return setOpdHeadcount(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown OPD command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const opdDecider = { decide, evolve, initialState };
