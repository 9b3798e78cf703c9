import { DomainError } from '../shared/domain-error';
import type { Policy } from '../shared/policy';
import { YearMonth } from '../shared/year-month';
import type { UcjEvent, UcjTargetSet } from './ucj.events';

// ---------------------------------------------------------------- commands

/** Sets a year's UCJ target; `today` is the day it is set (from the clock). */
export type SetUcjTarget = { type: 'SetUcjTarget'; data: { year: number; target: number; today: string } };

export type UcjCommand = SetUcjTarget;

// ---------------------------------------------------------------- state

/** A year's stream: the target set for it, if any. */
export type UcjState = { target: number | null };

export const initialState = (): UcjState => ({ target: null });

// ---------------------------------------------------------------- evolve

export function evolve(state: UcjState, event: UcjEvent): UcjState {
  switch (event.type) {
    case 'UcjTargetSet':
      return { target: event.data.target };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

// ---------------------------------------------------------------- decide

/** A city plan (RPJMD) runs five years: a target may be set up to that far ahead, never for a year before the programme. */
export const MAX_YEARS_AHEAD = 5;

/** The same bounds as ASUH_UCJ_TARGET, the default target. */
export const MIN_TARGET = 1;
export const MAX_TARGET = 1_000_000_000;

/** The first year the programme can have covered anyone: the year of the earliest tariff. */
export function firstProgrammeYear(policy: Policy): number {
  return Math.min(...policy.tariffs.map((tariff) => YearMonth.parse(tariff.from).year));
}

/**
 * Checks, in this order: the year runs from the programme's first year (its earliest tariff) to
 * MAX_YEARS_AHEAD years after today's (VALIDATION_FAILED, `year`); the target is a whole number of workers
 * from 1 (a progress is covered / target) to 1,000,000,000 (VALIDATION_FAILED, `target`). Setting the year's
 * current target again records nothing.
 */
export function setUcjTarget(command: SetUcjTarget, state: UcjState, policy: Policy): UcjTargetSet[] {
  const { year, target, today } = command.data;
  const first = firstProgrammeYear(policy);
  const last = Number(today.slice(0, 4)) + MAX_YEARS_AHEAD;
  if (!Number.isInteger(year) || year < first || year > last) {
    throw new DomainError('VALIDATION_FAILED', `year must be from ${first} (the programme's first tariff) to ${last} (${MAX_YEARS_AHEAD} years ahead)`, 'year');
  }
  if (!Number.isInteger(target) || target < MIN_TARGET || target > MAX_TARGET) {
    throw new DomainError('VALIDATION_FAILED', `target must be a whole number of workers from ${MIN_TARGET} to ${MAX_TARGET}`, 'target');
  }
  if (state.target === target) return [];
  return [{ type: 'UcjTargetSet', data: { year, target, previousTarget: state.target, setOn: today, occurredOn: today } }];
}

export function decide(command: UcjCommand, state: UcjState, policy: Policy): UcjEvent[] {
  switch (command.type) {
    case 'SetUcjTarget':
      return setUcjTarget(command, state, policy);
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`Unknown UCJ command ${String(_exhaustive)}`);
    }
  }
}

export const ucjDecider = { decide, evolve, initialState };
