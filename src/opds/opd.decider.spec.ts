import { deciderSpec } from '../../test/support/given-when-then';
import { OpdCommand, decide, evolve, initialState } from './opd.decider';
import type { OpdEvent } from './opd.events';

const spec = deciderSpec<OpdCommand, ReturnType<typeof initialState>, OpdEvent, undefined>(
  { decide, evolve, initialState },
  undefined,
);

const registered: OpdEvent = {
  type: 'OpdRegistered',
  data: { opdCode: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 120, registeredOn: '2026-01-05', occurredOn: '2026-01-05' },
};

const register = (overrides: Partial<Extract<OpdCommand, { type: 'RegisterOpd' }>['data']> = {}): OpdCommand => ({
  type: 'RegisterOpd',
  data: { opdCode: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 120, today: '2026-01-05', ...overrides },
});

const setHeadcount = (pnsHeadcount: number, effectiveOn = '2026-03-01', today = '2026-03-10'): OpdCommand => ({
  type: 'SetOpdHeadcount',
  data: { opdCode: 'DINKES', pnsHeadcount, effectiveOn, today },
});

describe('RegisterOpd', () => {
  it('registers a new OPD with its headcount, dated today', () => {
    spec.given([]).when(register()).then([registered]);
  });

  it('refuses a code that is already registered', () => {
    spec.given([registered]).when(register()).thenFails('OPD_ALREADY_REGISTERED');
  });

  it('accepts a headcount of zero', () => {
    spec
      .given([])
      .when(register({ pnsHeadcount: 0 }))
      .then([{ ...registered, data: { ...registered.data, pnsHeadcount: 0 } }]);
  });

});

describe('SetOpdHeadcount', () => {
  it('records the new headcount with the previous one and its effective date', () => {
    spec
      .given([registered])
      .when(setHeadcount(130))
      .then([
        { type: 'OpdHeadcountSet', data: { opdCode: 'DINKES', pnsHeadcount: 130, previousHeadcount: 120, effectiveOn: '2026-03-01', occurredOn: '2026-03-01' } },
      ]);
  });

  it('takes the previous headcount from the latest change', () => {
    const changed: OpdEvent = {
      type: 'OpdHeadcountSet',
      data: { opdCode: 'DINKES', pnsHeadcount: 130, previousHeadcount: 120, effectiveOn: '2026-03-01', occurredOn: '2026-03-01' },
    };
    spec
      .given([registered, changed])
      .when(setHeadcount(90, '2026-03-05'))
      .then([{ type: 'OpdHeadcountSet', data: { opdCode: 'DINKES', pnsHeadcount: 90, previousHeadcount: 130, effectiveOn: '2026-03-05', occurredOn: '2026-03-05' } }]);
  });

  it('is NOT_FOUND for an OPD that was never registered', () => {
    spec.given([]).when(setHeadcount(130)).thenFails('NOT_FOUND');
  });

  it('changes nothing when the headcount is already that', () => {
    spec.given([registered]).when(setHeadcount(120)).thenNothing();
  });

  it('refuses an effective date in the future', () => {
    spec.given([registered]).when(setHeadcount(130, '2026-03-11', '2026-03-10')).thenFails('VALIDATION_FAILED', 'effectiveOn');
  });

  it('refuses an effective date before the current headcount took effect', () => {
    spec.given([registered]).when(setHeadcount(130, '2026-01-04')).thenFails('VALIDATION_FAILED', 'effectiveOn');
  });
});
