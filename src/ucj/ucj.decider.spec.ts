import { deciderSpec } from '../../test/support/given-when-then';
import { DEFAULT_POLICY, type Policy } from '../shared/policy';
import { decide, evolve, initialState, type UcjCommand, type UcjState } from './ucj.decider';
import type { UcjEvent } from './ucj.events';

const spec = deciderSpec<UcjCommand, UcjState, UcjEvent, Policy>({ decide, evolve, initialState }, DEFAULT_POLICY);

const TODAY = '2026-11-23';

const setTarget = (target: number, year = 2026, today = TODAY): UcjCommand => ({ type: 'SetUcjTarget', data: { year, target, today } });

const targetSet = (target: number, previousTarget: number | null, setOn = '2026-02-01', year = 2026): UcjEvent => ({
  type: 'UcjTargetSet',
  data: { year, target, previousTarget, setOn, occurredOn: setOn },
});

describe('SetUcjTarget', () => {
  it("sets a year's first target, dated today, with no previous target", () => {
    spec.given([]).when(setTarget(120_000)).then([targetSet(120_000, null, TODAY)]);
  });

  it('changes a target, recording the one it replaces', () => {
    spec.given([targetSet(100_000, null)]).when(setTarget(120_000)).then([targetSet(120_000, 100_000, TODAY)]);
  });

  it('records nothing when the year already has that target', () => {
    spec.given([targetSet(100_000, null), targetSet(120_000, 100_000)]).when(setTarget(120_000)).thenNothing();
  });

  it('records a return to an earlier target (only the current one counts)', () => {
    spec.given([targetSet(100_000, null), targetSet(120_000, 100_000)]).when(setTarget(100_000)).then([targetSet(100_000, 120_000, TODAY)]);
  });

  it('accepts years from the first tariff year to five years after the current one', () => {
    spec.given([]).when(setTarget(5, 2015)).then([targetSet(5, null, TODAY, 2015)]);
    spec.given([]).when(setTarget(5, 2031)).then([targetSet(5, null, TODAY, 2031)]);
  });

  it('refuses a year before the first tariff (2015-07) or more than five years ahead', () => {
    spec.given([]).when(setTarget(5, 2014)).thenFails('VALIDATION_FAILED', 'year');
    spec.given([]).when(setTarget(5, 2032)).thenFails('VALIDATION_FAILED', 'year');
    spec.given([]).when(setTarget(5, 2026.5)).thenFails('VALIDATION_FAILED', 'year');
  });

  it('takes the first year from the configured tariffs', () => {
    const policy: Policy = { ...DEFAULT_POLICY, tariffs: [{ from: '2027-01', jkk: 11_000, jkm: 7_500 }, { from: '2019-04', jkk: 10_000, jkm: 6_800 }] };
    const dated = deciderSpec<UcjCommand, UcjState, UcjEvent, Policy>({ decide, evolve, initialState }, policy);
    dated.given([]).when(setTarget(5, 2018)).thenFails('VALIDATION_FAILED', 'year');
    dated.given([]).when(setTarget(5, 2019)).then([targetSet(5, null, TODAY, 2019)]);
  });

  it('refuses a target that is not a whole number from 1 to 1,000,000,000', () => {
    for (const target of [0, -5, 1.5, 1_000_000_001]) {
      spec.given([]).when(setTarget(target)).thenFails('VALIDATION_FAILED', 'target');
    }
    spec.given([]).when(setTarget(1)).then([targetSet(1, null, TODAY)]);
    spec.given([]).when(setTarget(1_000_000_000)).then([targetSet(1_000_000_000, null, TODAY)]);
  });

  it('checks the year before the target', () => {
    spec.given([]).when(setTarget(0, 1999)).thenFails('VALIDATION_FAILED', 'year');
  });
});
