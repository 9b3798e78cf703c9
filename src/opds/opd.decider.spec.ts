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

const retired: OpdEvent = {
  type: 'OpdRetired',
  data: { opdCode: 'DINKES', reason: 'Merged into DINSOS', effectiveOn: '2026-06-30', occurredOn: '2026-06-30' },
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

  it('is refused with OPD_RETIRED once the OPD is retired', () => {
    spec.given([registered, retired]).when(setHeadcount(130, '2026-07-01', '2026-07-10')).thenFails('OPD_RETIRED');
  });
});

describe('CorrectOpdDetails', () => {
  const correct = (fields: { name?: string; kind?: 'DINAS' | 'BADAN' | 'OTHER' }, reason = 'Perwal 12/2026', today = '2026-04-02'): OpdCommand => ({
    type: 'CorrectOpdDetails',
    data: { opdCode: 'DINKES', ...fields, reason, today },
  });

  it('records only the fields that changed, with the reason, dated today', () => {
    spec
      .given([registered])
      .when(correct({ name: 'Dinas Kesehatan Kota', kind: 'DINAS' }))
      .then([{ type: 'OpdDetailsCorrected', data: { opdCode: 'DINKES', name: 'Dinas Kesehatan Kota', reason: 'Perwal 12/2026', occurredOn: '2026-04-02' } }]);
    spec
      .given([registered])
      .when(correct({ kind: 'BADAN' }))
      .then([{ type: 'OpdDetailsCorrected', data: { opdCode: 'DINKES', kind: 'BADAN', reason: 'Perwal 12/2026', occurredOn: '2026-04-02' } }]);
  });

  it('compares with the details as last corrected', () => {
    const renamed: OpdEvent = { type: 'OpdDetailsCorrected', data: { opdCode: 'DINKES', name: 'Dinas Kesehatan Kota', reason: 'x', occurredOn: '2026-03-01' } };
    spec.given([registered, renamed]).when(correct({ name: 'Dinas Kesehatan Kota' })).thenNothing();
    spec
      .given([registered, renamed])
      .when(correct({ name: 'Dinas Kesehatan' }))
      .then([{ type: 'OpdDetailsCorrected', data: { opdCode: 'DINKES', name: 'Dinas Kesehatan', reason: 'Perwal 12/2026', occurredOn: '2026-04-02' } }]);
  });

  it('changes nothing when every field given is already so, or none is given', () => {
    spec.given([registered]).when(correct({ name: 'Dinas Kesehatan', kind: 'DINAS' })).thenNothing();
    spec.given([registered]).when(correct({})).thenNothing();
  });

  it('requires a reason', () => {
    spec.given([registered]).when(correct({ name: 'Dinas Kesehatan Kota' }, ' ')).thenFails('VALIDATION_FAILED', 'reason');
  });

  it('refuses a blank name', () => {
    spec.given([registered]).when(correct({ name: '  ' })).thenFails('VALIDATION_FAILED', 'name');
  });

  it('is NOT_FOUND for an OPD that was never registered', () => {
    spec.given([]).when(correct({ name: 'Dinas Kesehatan Kota' })).thenFails('NOT_FOUND');
  });

  it('still corrects a retired OPD (its past stays in the reports)', () => {
    spec
      .given([registered, retired])
      .when(correct({ kind: 'OTHER' }, 'Wrong kind', '2026-07-01'))
      .then([{ type: 'OpdDetailsCorrected', data: { opdCode: 'DINKES', kind: 'OTHER', reason: 'Wrong kind', occurredOn: '2026-07-01' } }]);
  });
});

describe('RetireOpd', () => {
  const retire = (effectiveOn = '2026-06-30', sponsorsRegistered = 0, today = '2026-07-10', reason = 'Merged into DINSOS'): OpdCommand => ({
    type: 'RetireOpd',
    data: { opdCode: 'DINKES', reason, effectiveOn, today, sponsorsRegistered },
  });

  it('retires an OPD without registered sponsors from the effective date', () => {
    spec.given([registered]).when(retire()).then([retired]);
  });

  it('may take effect today or on the registration day', () => {
    spec
      .given([registered])
      .when(retire('2026-07-10'))
      .then([{ type: 'OpdRetired', data: { opdCode: 'DINKES', reason: 'Merged into DINSOS', effectiveOn: '2026-07-10', occurredOn: '2026-07-10' } }]);
    spec
      .given([registered])
      .when(retire('2026-01-05'))
      .then([{ type: 'OpdRetired', data: { opdCode: 'DINKES', reason: 'Merged into DINSOS', effectiveOn: '2026-01-05', occurredOn: '2026-01-05' } }]);
  });

  it('refuses while a registered sponsor remains (OPD_HAS_SPONSORS)', () => {
    spec.given([registered]).when(retire('2026-06-30', 1)).thenFails('OPD_HAS_SPONSORS');
  });

  it('refuses an effective date in the future or before the registration', () => {
    spec.given([registered]).when(retire('2026-07-11')).thenFails('VALIDATION_FAILED', 'effectiveOn');
    spec.given([registered]).when(retire('2026-01-04')).thenFails('VALIDATION_FAILED', 'effectiveOn');
  });

  it('requires a reason', () => {
    spec.given([registered]).when(retire('2026-06-30', 0, '2026-07-10', '')).thenFails('VALIDATION_FAILED', 'reason');
  });

  it('changes nothing when the OPD is already retired, whatever the date asked', () => {
    spec.given([registered, retired]).when(retire()).thenNothing();
    spec.given([registered, retired]).when(retire('2026-07-01')).thenNothing();
  });

  it('is NOT_FOUND for an OPD that was never registered', () => {
    spec.given([]).when(retire()).thenFails('NOT_FOUND');
  });

  it('keeps the retirement date in the state', () => {
    expect(spec.given([registered, retired]).state).toMatchObject({ retiredOn: '2026-06-30', registeredOn: '2026-01-05' });
  });
});
