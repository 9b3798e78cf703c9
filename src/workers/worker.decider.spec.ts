import { deciderSpec, domainErrorOf } from '../../test/support/given-when-then';
import { DEFAULT_POLICY, Policy } from '../shared/policy';
import {
  EnrolWorker,
  EnrolledWorkerState,
  PayPremium,
  WorkerCommand,
  WorkerState,
  decide,
  decidePayment,
  eraseWorkerPersonalData,
  evolve,
  firstUnpaidMonth,
  initialState,
  reversePayment,
  statusAsOf,
} from './worker.decider';
import { YearMonth } from '../shared/year-month';
import { type CoverageEnded, type CoverageLapsed, endedOn, lapsedOn, type PremiumPaid, type WorkerEnrolled, type WorkerEvent, type WorkerStatus } from './worker.events';

// ---------------------------------------------------------------- fixtures

const policy = DEFAULT_POLICY;
const spec = deciderSpec<WorkerCommand, WorkerState, WorkerEvent, Policy>({ decide, evolve, initialState }, policy);

const WORKER_ID = '0b6f3c1e-4d7a-4b1e-9f0a-2a9d6c3e5b70';
const SPONSOR_ID = '7d3f4c52-1f0e-4a4b-9a51-0c3f1b0e7a10';
const OTHER_SPONSOR_ID = 'c1a2b3d4-0000-4000-8000-000000000002';
/** A woman born 1985-03-15, NIK issued in Kota Semarang: the day carries +40. */
const NIK = '3374015503850001';
const usable = { exists: true, withdrawn: false };

function enrolledEvent(overrides: Partial<WorkerEnrolled['data']> = {}): WorkerEnrolled {
  const enrolledOn = overrides.enrolledOn ?? '2026-03-10';
  return {
    type: 'WorkerEnrolled',
    data: {
      workerId: WORKER_ID,
      nik: NIK,
      fullName: 'Siti Aminah',
      birthDate: '1985-03-15',
      gender: 'F',
      occupation: 'DOMESTIC_HELPER',
      kecamatan: '3374.01',
      fundingSource: 'ASN_SPONSOR',
      sponsorId: SPONSOR_ID,
      enrolledOn,
      occurredOn: enrolledOn,
      ...overrides,
    },
  };
}

function paid(
  paymentRef: string,
  coveredFrom: string,
  coveredThrough: string,
  months: number,
  paidOn: string,
  statusAfter: WorkerStatus = 'ACTIVE',
  overrides: Partial<PremiumPaid['data']> = {},
): PremiumPaid {
  return {
    type: 'PremiumPaid',
    data: {
      workerId: WORKER_ID,
      paymentRef,
      months,
      amount: months * 16800,
      paidOn,
      payer: { type: 'SELF' },
      opdCode: null,
      coveredFrom,
      coveredThrough,
      statusAfter,
      occurredOn: paidOn,
      ...overrides,
    },
  };
}

/** A lapse recorded by a run as of `asOf`; it happened, by the rules, the day after U's due date. */
function lapsed(asOf: string, firstUnpaidMonth: string, paidThrough: string | null): CoverageLapsed {
  const occurredOn = lapsedOn(YearMonth.parse(firstUnpaidMonth), policy.dueDay);
  return { type: 'CoverageLapsed', data: { workerId: WORKER_ID, asOf, firstUnpaidMonth, paidThrough, occurredOn } };
}

/** An end recorded by a run as of `asOf`; it happened, by the rules, the day after the due date of U + window. */
function endedByArrears(asOf: string, firstUnpaidMonth: string, paidThrough: string | null): CoverageEnded {
  const occurredOn = endedOn(YearMonth.parse(firstUnpaidMonth), policy.dueDay, policy.arrearsWindowMonths);
  return {
    type: 'CoverageEnded',
    data: { workerId: WORKER_ID, asOf, cause: 'ARREARS_WINDOW_PASSED', firstUnpaidMonth, paidThrough, occurredOn },
  };
}

function withdrawnEvent(asOf: string, firstUnpaidMonth: string, paidThrough: string | null, reason = 'moved away'): CoverageEnded {
  return {
    type: 'CoverageEnded',
    data: { workerId: WORKER_ID, asOf, cause: 'WITHDRAWN', reason, firstUnpaidMonth, paidThrough, occurredOn: asOf },
  };
}

/** Domain.md's worked example: enrolled 2026-03-10, paid 3 months on 2026-03-12, so paidThrough = 2026-05. */
const enrolled = enrolledEvent();
const firstPayment = paid('BPJS-0001', '2026-03', '2026-05', 3, '2026-03-12');
const workedExample: WorkerEvent[] = [enrolled, firstPayment];

function enrol(overrides: Partial<EnrolWorker['data']> = {}): EnrolWorker {
  return {
    type: 'EnrolWorker',
    data: {
      workerId: WORKER_ID,
      nik: NIK,
      fullName: 'Siti Aminah',
      birthDate: '1985-03-15',
      gender: 'F',
      occupation: 'DOMESTIC_HELPER',
      kecamatan: '3374.01',
      fundingSource: 'ASN_SPONSOR',
      sponsorId: SPONSOR_ID,
      enrolledOn: '2026-03-10',
      today: '2026-03-10',
      sponsor: usable,
      ...overrides,
    },
  };
}

function pay(overrides: Partial<PayPremium['data']> = {}): PayPremium {
  return {
    type: 'PayPremium',
    data: {
      paymentRef: 'BPJS-0001',
      months: 3,
      amount: 50400,
      paidOn: '2026-03-12',
      payer: { type: 'SELF' },
      payerOpdCode: null,
      payerSponsor: null,
      today: '2026-03-12',
      ...overrides,
    },
  };
}

const checkLapse = (asOf: string, today = asOf): WorkerCommand => ({ type: 'CheckLapse', data: { asOf, today } });
const withdraw = (today: string, reason = 'moved away'): WorkerCommand => ({ type: 'WithdrawWorker', data: { reason, today } });
const reenrol = (enrolledOn: string, today = enrolledOn): WorkerCommand => ({
  type: 'ReenrolWorker',
  data: { enrolledOn, today },
});
const changeSponsor = (sponsorId: string, sponsor: { exists: boolean; withdrawn: boolean } | null = usable): WorkerCommand => ({
  type: 'ChangeWorkerSponsor',
  data: { sponsorId, sponsor, today: '2026-04-01' },
});

function fold(events: WorkerEvent[]): EnrolledWorkerState {
  const state = events.reduce(evolve, initialState());
  if (!state.enrolled) throw new Error('fixture is not an enrolled worker');
  return state;
}

const statusOn = (events: WorkerEvent[], date: string, withPolicy: Policy = policy) => statusAsOf(fold(events), date, withPolicy);

// ---------------------------------------------------------------- status

describe('statusAsOf', () => {
  it('follows domain.md’s worked example', () => {
    expect(fold(workedExample).paidThrough?.toString()).toBe('2026-05');
    expect(firstUnpaidMonth(fold(workedExample)).toString()).toBe('2026-06');
    expect(statusOn(workedExample, '2026-06-15')).toBe('ACTIVE');
    expect(statusOn(workedExample, '2026-06-16')).toBe('LAPSED');
    expect(statusOn(workedExample, '2026-09-15')).toBe('LAPSED');
    expect(statusOn(workedExample, '2026-09-16')).toBe('ENDED');
  });

  it('is ACTIVE while the first unpaid month is still to come', () => {
    expect(statusOn(workedExample, '2026-03-12')).toBe('ACTIVE');
    expect(statusOn(workedExample, '2026-05-31')).toBe('ACTIVE');
  });

  it('turns on the due day: the 15th is ACTIVE, the 16th LAPSED', () => {
    expect(statusOn(workedExample, '2026-06-15')).toBe('ACTIVE');
    expect(statusOn(workedExample, '2026-06-16')).toBe('LAPSED');
  });

  it('takes the due day and window from the policy', () => {
    const strict: Policy = { ...policy, dueDay: 10, arrearsWindowMonths: 1 };
    expect(statusOn(workedExample, '2026-06-10', strict)).toBe('ACTIVE');
    expect(statusOn(workedExample, '2026-06-11', strict)).toBe('LAPSED');
    expect(statusOn(workedExample, '2026-07-10', strict)).toBe('LAPSED');
    expect(statusOn(workedExample, '2026-07-11', strict)).toBe('ENDED');
  });

  it('is PENDING from enrolment until the due date of the enrolment month + 3, then ENDED', () => {
    expect(firstUnpaidMonth(fold([enrolled])).toString()).toBe('2026-03');
    expect(statusOn([enrolled], '2026-03-10')).toBe('PENDING');
    expect(statusOn([enrolled], '2026-06-15')).toBe('PENDING');
    expect(statusOn([enrolled], '2026-06-16')).toBe('ENDED');
  });

  it('is ENDED after a withdrawal, whatever was paid', () => {
    const events = [...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')];
    expect(statusOn(events, '2026-04-01')).toBe('ENDED');
  });

  it('is ENDED once an end was recorded, until re-enrolment', () => {
    const events = [...workedExample, endedByArrears('2026-09-16', '2026-06', '2026-05')];
    expect(statusOn(events, '2026-10-01')).toBe('ENDED');
    expect(statusOn([...events, { type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-10-01', occurredOn: '2026-10-01' } }], '2026-10-01')).toBe(
      'PENDING',
    );
  });
});

// ---------------------------------------------------------------- enrolment

describe('EnrolWorker', () => {
  it('enrols a worker sponsored by an ASN', () => {
    spec.given([]).when(enrol()).then([enrolled]);
  });

  it('keeps the optional address and phone when given', () => {
    spec
      .given([])
      .when(enrol({ address: 'Jl. Pemuda 1', phone: '081234567890' }))
      .then([enrolledEvent({ address: 'Jl. Pemuda 1', phone: '081234567890' })]);
  });

  it('enrols a self-funded worker without a sponsor', () => {
    const { sponsorId: _ignored, ...selfFunded } = enrolledEvent({ fundingSource: 'SELF' }).data;
    spec
      .given([])
      .when(enrol({ fundingSource: 'SELF', sponsorId: undefined, sponsor: null }))
      .then([{ type: 'WorkerEnrolled', data: selfFunded }]);
  });

  it('accepts a NIK first issued outside Semarang', () => {
    const jakartaNik = '3171015503850001';
    spec
      .given([])
      .when(enrol({ nik: jakartaNik }))
      .then([enrolledEvent({ nik: jakartaNik })]);
  });

  it('accepts a past enrolment date (migrating members) and refuses a future one', () => {
    spec
      .given([])
      .when(enrol({ enrolledOn: '2025-11-02' }))
      .then([enrolledEvent({ enrolledOn: '2025-11-02' })]);
    spec.given([]).when(enrol({ enrolledOn: '2026-03-11' })).thenFails('VALIDATION_FAILED', 'enrolledOn');
  });

  it('refuses a NIK of the wrong structure', () => {
    spec.given([]).when(enrol({ nik: '337401550385000' })).thenFails('VALIDATION_FAILED', 'nik');
    spec.given([]).when(enrol({ nik: '3374015503850000' })).thenFails('VALIDATION_FAILED', 'nik');
    spec.given([]).when(enrol({ nik: '0974015503850001' })).thenFails('VALIDATION_FAILED', 'nik');
    spec.given([]).when(enrol({ nik: '3374013502850001' })).thenFails('VALIDATION_FAILED', 'nik');
  });

  it('refuses a NIK whose birth date or gender disagree with the declared ones', () => {
    spec.given([]).when(enrol({ birthDate: '1985-03-16' })).thenFails('NIK_MISMATCH', 'nik');
    spec.given([]).when(enrol({ gender: 'M' })).thenFails('NIK_MISMATCH', 'nik');
  });

  describe('age at enrolment', () => {
    // Born 1961-05-10: 64 years 11 months on 2026-05-09, 65 years 0 months on 2026-05-10.
    const oldNik = '3374015005610001';
    const older = { nik: oldNik, birthDate: '1961-05-10', today: '2026-06-01' };

    it('accepts 64 years 11 months', () => {
      spec
        .given([])
        .when(enrol({ ...older, enrolledOn: '2026-05-09' }))
        .then([enrolledEvent({ nik: oldNik, birthDate: '1961-05-10', enrolledOn: '2026-05-09' })]);
    });

    it('refuses 65 years 0 months', () => {
      spec.given([]).when(enrol({ ...older, enrolledOn: '2026-05-10' })).thenFails('AGE_LIMIT_EXCEEDED');
    });
  });

  it('requires a sponsor for ASN_SPONSOR funding and refuses one for other funding', () => {
    spec.given([]).when(enrol({ sponsorId: undefined })).thenFails('VALIDATION_FAILED', 'sponsorId');
    spec.given([]).when(enrol({ fundingSource: 'APBD' })).thenFails('VALIDATION_FAILED', 'sponsorId');
  });

  it('refuses an unknown sponsor', () => {
    spec.given([]).when(enrol({ sponsor: null })).thenFails('UNKNOWN_SPONSOR', 'sponsorId');
    spec.given([]).when(enrol({ sponsor: { exists: false, withdrawn: false } })).thenFails('UNKNOWN_SPONSOR', 'sponsorId');
  });

  it('refuses a withdrawn sponsor', () => {
    spec.given([]).when(enrol({ sponsor: { exists: true, withdrawn: true } })).thenFails('SPONSOR_WITHDRAWN', 'sponsorId');
  });

  it('reports a second enrolment on the same stream as a concurrency conflict', () => {
    spec.given([enrolled]).when(enrol()).thenFails('CONCURRENCY_CONFLICT');
  });
});

// ---------------------------------------------------------------- payments

describe('PayPremium', () => {
  it('covers the enrolment month first (worked example): 2026-03 to 2026-05, ACTIVE', () => {
    const decision = decidePayment(pay(), fold([enrolled]), policy);
    expect(decision).toEqual({
      kind: 'recorded',
      events: [firstPayment],
      result: { coveredFrom: '2026-03', coveredThrough: '2026-05', amount: 50400, status: 'ACTIVE' },
    });
  });

  it('continues after paidThrough and counts contributed months over payments', () => {
    spec
      .given(workedExample)
      .when(pay({ paymentRef: 'BPJS-0002', months: 1, amount: 16800, paidOn: '2026-06-01', today: '2026-06-01' }))
      .then([paid('BPJS-0002', '2026-06', '2026-06', 1, '2026-06-01')]);
    const state = fold([...workedExample, paid('BPJS-0002', '2026-06', '2026-06', 1, '2026-06-01')]);
    expect(state.monthsContributed).toBe(4);
    expect(state.paidThrough?.toString()).toBe('2026-06');
  });

  it('records the paying sponsor’s OPD for an ASN payer, and no OPD for other payers', () => {
    spec
      .given([enrolled])
      .when(pay({ payer: { type: 'ASN_SPONSOR', sponsorId: SPONSOR_ID }, payerOpdCode: 'DINKES', payerSponsor: usable }))
      .then([paid('BPJS-0001', '2026-03', '2026-05', 3, '2026-03-12', 'ACTIVE', { payer: { type: 'ASN_SPONSOR', sponsorId: SPONSOR_ID }, opdCode: 'DINKES' })]);
    spec
      .given([enrolled])
      .when(pay({ payer: { type: 'APBD' }, payerOpdCode: 'DINKES' }))
      .then([paid('BPJS-0001', '2026-03', '2026-05', 3, '2026-03-12', 'ACTIVE', { payer: { type: 'APBD' }, opdCode: null })]);
  });

  it('is NOT_FOUND for a worker never enrolled', () => {
    spec.given([]).when(pay()).thenFails('NOT_FOUND');
  });

  describe('payment period', () => {
    it.each([1, 3, 6, 12])('accepts %i month(s)', (months) => {
      const decision = decidePayment(pay({ months, amount: months * 16800 }), fold([enrolled]), policy);
      expect(decision.kind).toBe('recorded');
      expect(decision.events[0]?.data.months).toBe(months);
    });

    it.each([2, 4, 24, 0])('refuses %i months', (months) => {
      spec.given([enrolled]).when(pay({ months, amount: months * 16800 })).thenFails('INVALID_PAYMENT_PERIOD', 'months');
    });

    it('takes the allowed periods from the policy', () => {
      const flexible: Policy = { ...policy, paymentPeriods: [2] };
      expect(decidePayment(pay({ months: 2, amount: 33600 }), fold([enrolled]), flexible).kind).toBe('recorded');
      expect(domainErrorOf(() => decidePayment(pay(), fold([enrolled]), flexible)).code).toBe('INVALID_PAYMENT_PERIOD');
    });
  });

  describe('payment date', () => {
    it('refuses a payment dated in the future', () => {
      spec.given([enrolled]).when(pay({ paidOn: '2026-03-13', today: '2026-03-12' })).thenFails('PAYMENT_DATE_INVALID', 'paidOn');
    });

    it('refuses a payment dated before the enrolment, and accepts one on the enrolment day', () => {
      spec.given([enrolled]).when(pay({ paidOn: '2026-03-09' })).thenFails('PAYMENT_DATE_INVALID', 'paidOn');
      spec
        .given([enrolled])
        .when(pay({ paidOn: '2026-03-10' }))
        .then([paid('BPJS-0001', '2026-03', '2026-05', 3, '2026-03-10')]);
    });
  });

  describe('arrears', () => {
    it('covers the first unpaid month first and brings a LAPSED worker back to ACTIVE', () => {
      // As of 2026-07-20 U = 2026-06 is overdue: LAPSED. Three months cover 06, 07, 08.
      const events = [...workedExample, lapsed('2026-06-16', '2026-06', '2026-05')];
      const decision = decidePayment(pay({ paymentRef: 'BPJS-0002', paidOn: '2026-07-20', today: '2026-07-20' }), fold(events), policy);
      expect(decision.result).toEqual({ coveredFrom: '2026-06', coveredThrough: '2026-08', amount: 50400, status: 'ACTIVE' });
      expect(statusOn([...events, ...decision.events], '2026-07-20')).toBe('ACTIVE');
    });

    it('stays LAPSED when the payment leaves overdue months', () => {
      const events = [...workedExample, lapsed('2026-06-16', '2026-06', '2026-05')];
      const decision = decidePayment(
        pay({ paymentRef: 'BPJS-0002', months: 1, amount: 16800, paidOn: '2026-07-20', today: '2026-07-20' }),
        fold(events),
        policy,
      );
      expect(decision.events).toEqual([paid('BPJS-0002', '2026-06', '2026-06', 1, '2026-07-20', 'LAPSED')]);
      expect(decision.result.status).toBe('LAPSED');
    });

    it('still accepts arrears on the last day of the window', () => {
      spec
        .given(workedExample)
        .when(pay({ paymentRef: 'BPJS-0002', paidOn: '2026-09-15', today: '2026-09-15' }))
        .then([paid('BPJS-0002', '2026-06', '2026-08', 3, '2026-09-15', 'ACTIVE')]);
    });

    it('refuses payment once the window has passed (COVERAGE_ENDED), even before the lapse check recorded it', () => {
      spec.given(workedExample).when(pay({ paymentRef: 'BPJS-0002', paidOn: '2026-09-16', today: '2026-09-16' })).thenFails('COVERAGE_ENDED');
    });

    it('refuses payment for a never-paid worker past the window', () => {
      spec.given([enrolled]).when(pay({ paidOn: '2026-06-16', today: '2026-06-16' })).thenFails('COVERAGE_ENDED');
    });

    it('refuses payment after a recorded end or a withdrawal', () => {
      spec
        .given([...workedExample, endedByArrears('2026-09-16', '2026-06', '2026-05')])
        .when(pay({ paymentRef: 'BPJS-0002', paidOn: '2026-09-20', today: '2026-09-20' }))
        .thenFails('COVERAGE_ENDED');
      spec
        .given([...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')])
        .when(pay({ paymentRef: 'BPJS-0002', paidOn: '2026-04-02', today: '2026-04-02' }))
        .thenFails('COVERAGE_ENDED');
    });
  });

  describe('prepayment limit', () => {
    const yearPaid = [enrolled, paid('BPJS-0001', '2026-03', '2027-02', 12, '2026-03-12')];

    it('accepts coverage through the 12th month after the month of payment', () => {
      spec
        .given(yearPaid)
        .when(pay({ paymentRef: 'BPJS-0002', months: 1, amount: 16800 }))
        .then([paid('BPJS-0002', '2027-03', '2027-03', 1, '2026-03-12')]);
    });

    it('refuses coverage beyond it', () => {
      spec
        .given([...yearPaid, paid('BPJS-0002', '2027-03', '2027-03', 1, '2026-03-12')])
        .when(pay({ paymentRef: 'BPJS-0003', months: 1, amount: 16800 }))
        .thenFails('PREPAY_LIMIT_EXCEEDED');
    });
  });

  describe('amount', () => {
    it('refuses an amount other than the sum of the months’ tariffs', () => {
      spec.given([enrolled]).when(pay({ amount: 50399 })).thenFails('INVALID_PAYMENT_AMOUNT', 'amount');
      spec.given([enrolled]).when(pay({ amount: 16800 })).thenFails('INVALID_PAYMENT_AMOUNT', 'amount');
    });

    it('sums dated tariffs when the tariff changes within the months covered', () => {
      const newTariff: Policy = {
        ...policy,
        tariffs: [...policy.tariffs, { from: '2026-05', jkk: 12000, jkm: 6800 }],
      };
      const accepted = decidePayment(pay({ amount: 16800 + 16800 + 18800 }), fold([enrolled]), newTariff);
      expect(accepted.result.amount).toBe(52400);
      expect(domainErrorOf(() => decidePayment(pay({ amount: 50400 }), fold([enrolled]), newTariff)).code).toBe(
        'INVALID_PAYMENT_AMOUNT',
      );
    });
  });

  describe('payer', () => {
    it('requires the sponsor id of an ASN payer', () => {
      spec.given([enrolled]).when(pay({ payer: { type: 'ASN_SPONSOR' } })).thenFails('VALIDATION_FAILED', 'payer.sponsorId');
    });

    it('refuses an unknown or withdrawn paying sponsor', () => {
      const asn = { type: 'ASN_SPONSOR' as const, sponsorId: OTHER_SPONSOR_ID };
      spec.given([enrolled]).when(pay({ payer: asn, payerSponsor: null })).thenFails('UNKNOWN_SPONSOR');
      spec.given([enrolled]).when(pay({ payer: asn, payerSponsor: { exists: false, withdrawn: false } })).thenFails('UNKNOWN_SPONSOR');
      spec
        .given([enrolled])
        .when(pay({ payer: asn, payerSponsor: { exists: true, withdrawn: true }, payerOpdCode: 'DINKES' }))
        .thenFails('SPONSOR_WITHDRAWN');
    });

    it('requires the name of a CSR payer', () => {
      spec.given([enrolled]).when(pay({ payer: { type: 'CSR' } })).thenFails('VALIDATION_FAILED', 'payer.name');
      spec
        .given([enrolled])
        .when(pay({ payer: { type: 'CSR', name: 'Yayasan Peduli' } }))
        .then([paid('BPJS-0001', '2026-03', '2026-05', 3, '2026-03-12', 'ACTIVE', { payer: { type: 'CSR', name: 'Yayasan Peduli' } })]);
    });
  });

  describe('payment reference', () => {
    it('answers an identical resubmission with the original result and where it was recorded, and appends nothing', () => {
      const recorded = workedExample.map((event, i) => ({ ...event, position: 100n + BigInt(i) }));
      expect(decidePayment(pay(), fold(recorded), policy)).toEqual({
        kind: 'replay',
        events: [],
        result: { coveredFrom: '2026-03', coveredThrough: '2026-05', amount: 50400, status: 'ACTIVE' },
        position: 101n,
      });
      spec.given(workedExample).when(pay()).thenNothing();
    });

    it('replays the original answer even after the worker moved on', () => {
      const later = [
        ...workedExample,
        paid('BPJS-0002', '2026-06', '2026-06', 1, '2026-07-20', 'LAPSED'),
        endedByArrears('2026-10-16', '2026-07', '2026-06'),
      ];
      expect(decidePayment(pay({ today: '2026-11-01' }), fold(later), policy)).toMatchObject({
        kind: 'replay',
        result: { coveredFrom: '2026-03', coveredThrough: '2026-05', status: 'ACTIVE' },
      });
      expect(decidePayment(pay({ paymentRef: 'BPJS-0002', months: 1, amount: 16800, paidOn: '2026-07-20' }), fold(later), policy).result.status).toBe(
        'LAPSED',
      );
    });

    it('is a conflict when the same reference comes with different content', () => {
      spec.given(workedExample).when(pay({ months: 1, amount: 16800 })).thenFails('PAYMENT_REF_CONFLICT', 'paymentRef');
      spec.given(workedExample).when(pay({ paidOn: '2026-03-11' })).thenFails('PAYMENT_REF_CONFLICT');
      spec.given(workedExample).when(pay({ payer: { type: 'APBD' } })).thenFails('PAYMENT_REF_CONFLICT');
    });
  });

  it('answers with statusAsOf(state right after the payment, paidOn)', () => {
    const cases: [WorkerEvent[], PayPremium][] = [
      [[enrolled], pay()],
      [[enrolled], pay({ months: 1, amount: 16800, paidOn: '2026-05-20', today: '2026-05-20' })],
      [workedExample, pay({ paymentRef: 'R2', months: 1, amount: 16800, paidOn: '2026-07-20', today: '2026-07-20' })],
      [workedExample, pay({ paymentRef: 'R3', months: 6, amount: 100800, paidOn: '2026-09-15', today: '2026-09-15' })],
    ];
    const statuses = cases.map(([given, command]) => {
      const before = fold(given);
      const decision = decidePayment(command, before, policy);
      const after = decision.events.reduce(evolve, before) as EnrolledWorkerState;
      expect(decision.result.status).toBe(statusAsOf(after, command.data.paidOn, policy));
      return decision.result.status;
    });
    expect(statuses).toEqual(['ACTIVE', 'LAPSED', 'LAPSED', 'ACTIVE']);
  });
});

// ---------------------------------------------------------------- lapse check

describe('CheckLapse', () => {
  it('records nothing while the worker is ACTIVE (due day inclusive)', () => {
    spec.given(workedExample).when(checkLapse('2026-06-15')).thenNothing();
  });

  it('records the lapse the day after the due date (worked example)', () => {
    spec.given(workedExample).when(checkLapse('2026-06-16')).then([lapsed('2026-06-16', '2026-06', '2026-05')]);
  });

  it('is idempotent: a recorded lapse is not recorded again, for that day or later ones', () => {
    const events = [...workedExample, lapsed('2026-06-16', '2026-06', '2026-05')];
    spec.given(events).when(checkLapse('2026-06-16')).thenNothing();
    spec.given(events).when(checkLapse('2026-09-15')).thenNothing();
  });

  it('records the end once the arrears window has passed', () => {
    spec
      .given([...workedExample, lapsed('2026-06-16', '2026-06', '2026-05')])
      .when(checkLapse('2026-09-16'))
      .then([endedByArrears('2026-09-16', '2026-06', '2026-05')]);
  });

  it('records only the end for a worker going straight from ACTIVE to ENDED', () => {
    spec.given(workedExample).when(checkLapse('2026-10-01')).then([endedByArrears('2026-10-01', '2026-06', '2026-05')]);
  });

  it('records only the end for a PENDING worker who passes the window, and nothing before', () => {
    spec.given([enrolled]).when(checkLapse('2026-06-15')).thenNothing();
    spec.given([enrolled]).when(checkLapse('2026-06-16')).then([endedByArrears('2026-06-16', '2026-03', null)]);
  });

  it('records nothing once the membership ended', () => {
    spec.given([...workedExample, endedByArrears('2026-09-16', '2026-06', '2026-05')]).when(checkLapse('2026-12-01')).thenNothing();
    spec.given([...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')]).when(checkLapse('2026-12-01')).thenNothing();
  });

  it('never brings a worker back: only a payment does', () => {
    // The payment of 2026-07-20 left the worker LAPSED; as of 2026-07-10 the computed status is ACTIVE.
    const events = [...workedExample, paid('R2', '2026-06', '2026-06', 1, '2026-07-20', 'LAPSED')];
    expect(statusOn(events, '2026-07-10')).toBe('ACTIVE');
    spec.given(events).when(checkLapse('2026-07-10', '2026-07-21')).thenNothing();
    spec.given(events).when(checkLapse('2026-07-21')).thenNothing();
  });

  it('records a new lapse when a payment left overdue arrears behind a recorded ACTIVE', () => {
    // The payment said ACTIVE as of its date; by 2026-09-16 month 09 is overdue.
    const events = [...workedExample, lapsed('2026-06-16', '2026-06', '2026-05'), paid('R2', '2026-06', '2026-08', 3, '2026-07-20')];
    spec.given(events).when(checkLapse('2026-09-16')).then([lapsed('2026-09-16', '2026-09', '2026-08')]);
  });

  it('dates the next lapse by the rules once a late-recorded receipt moved U', () => {
    // Lapse recorded by the run of 2026-06-01 (U = 04, so it happened 2026-04-16); a receipt dated 2026-03-20
    // recorded afterwards paid 04 and said ACTIVE as of its date. U is now 05: LAPSED from 2026-05-16.
    const events = [
      enrolled,
      paid('R1', '2026-03', '2026-03', 1, '2026-03-12'),
      lapsed('2026-06-01', '2026-04', '2026-03'),
      paid('R2', '2026-04', '2026-04', 1, '2026-03-20'),
    ];
    expect(statusOn(events, '2026-05-20')).toBe('LAPSED');
    spec.given(events).when(checkLapse('2026-05-20', '2026-06-02')).then([lapsed('2026-05-20', '2026-05', '2026-04')]);
    spec.given(events).when(checkLapse('2026-06-02')).then([lapsed('2026-06-02', '2026-05', '2026-04')]);
    // A run for a date before the last status the log holds records nothing.
    spec.given(events).when(checkLapse('2026-04-10', '2026-06-02')).thenNothing();
  });

  it('refuses an as-of date in the future', () => {
    spec.given(workedExample).when(checkLapse('2026-06-16', '2026-06-15')).thenFails('VALIDATION_FAILED', 'asOf');
  });

  it('is NOT_FOUND for a worker never enrolled', () => {
    spec.given([]).when(checkLapse('2026-06-16')).thenFails('NOT_FOUND');
  });
});

// ---------------------------------------------------------------- withdrawal

describe('WithdrawWorker', () => {
  it('ends the membership today with cause WITHDRAWN and the reason', () => {
    spec.given(workedExample).when(withdraw('2026-04-01', 'died')).then([withdrawnEvent('2026-04-01', '2026-06', '2026-05', 'died')]);
  });

  it('changes nothing for a worker already withdrawn or ended', () => {
    spec.given([...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')]).when(withdraw('2026-04-02')).thenNothing();
    spec.given([...workedExample, endedByArrears('2026-09-16', '2026-06', '2026-05')]).when(withdraw('2026-10-01')).thenNothing();
  });

  it('is NOT_FOUND for a worker never enrolled', () => {
    spec.given([]).when(withdraw('2026-04-01')).thenFails('NOT_FOUND');
  });
});

// ---------------------------------------------------------------- re-enrolment

describe('ReenrolWorker', () => {
  const ended = [...workedExample, endedByArrears('2026-09-16', '2026-06', '2026-05')];
  const reenrolled: WorkerEvent = { type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-11-03', occurredOn: '2026-11-03' } };

  it('starts a new membership period for an ENDED worker', () => {
    spec.given(ended).when(reenrol('2026-11-03')).then([reenrolled]);
  });

  it('accepts a worker whose end is computed but not yet recorded, recording that end first', () => {
    spec.given(workedExample).when(reenrol('2026-11-03')).then([endedByArrears('2026-11-03', '2026-06', '2026-05'), reenrolled]);
  });

  it('accepts a withdrawn worker from the withdrawal day on, not before', () => {
    const withdrawn = [...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')];
    spec
      .given(withdrawn)
      .when(reenrol('2026-04-01'))
      .then([{ type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-04-01', occurredOn: '2026-04-01' } }]);
    spec.given(withdrawn).when(reenrol('2026-03-31', '2026-04-05')).thenFails('NOT_REENROLLABLE');
  });

  it('refuses a worker who is ACTIVE, PENDING or LAPSED', () => {
    spec.given(workedExample).when(reenrol('2026-04-01')).thenFails('NOT_REENROLLABLE');
    spec.given([enrolled]).when(reenrol('2026-04-01')).thenFails('NOT_REENROLLABLE');
    spec.given(workedExample).when(reenrol('2026-09-15')).thenFails('NOT_REENROLLABLE');
  });

  it('refuses an enrolment date in the future', () => {
    spec.given(ended).when(reenrol('2026-11-04', '2026-11-03')).thenFails('VALIDATION_FAILED', 'enrolledOn');
  });

  describe('age at re-enrolment', () => {
    // Born 1961-05-10; first enrolled at 63.
    const oldNik = '3374015005610001';
    const history = [
      enrolledEvent({ nik: oldNik, birthDate: '1961-05-10', enrolledOn: '2025-01-10' }),
      withdrawnEvent('2026-01-05', '2025-01', null),
    ];

    it('accepts 64 years 11 months', () => {
      spec
        .given(history)
        .when(reenrol('2026-05-09'))
        .then([{ type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-05-09', occurredOn: '2026-05-09' } }]);
    });

    it('refuses 65 years 0 months', () => {
      spec.given(history).when(reenrol('2026-05-10')).thenFails('AGE_LIMIT_EXCEEDED');
    });
  });

  describe('after re-enrolment', () => {
    const history = [...ended, reenrolled];

    it('restarts U at the re-enrolment month, as PENDING', () => {
      const state = fold(history);
      expect(firstUnpaidMonth(state).toString()).toBe('2026-11');
      expect(state.paidThrough).toBeNull();
      expect(statusAsOf(state, '2026-11-03', policy)).toBe('PENDING');
    });

    it('covers from the re-enrolment month and keeps counting contributed months', () => {
      const command = pay({ paymentRef: 'BPJS-0009', paidOn: '2026-11-05', today: '2026-11-05' });
      spec.given(history).when(command).then([paid('BPJS-0009', '2026-11', '2027-01', 3, '2026-11-05')]);
      expect(fold([...history, paid('BPJS-0009', '2026-11', '2027-01', 3, '2026-11-05')]).monthsContributed).toBe(6);
    });

    it('refuses a payment dated before the new enrolment', () => {
      spec.given(history).when(pay({ paymentRef: 'BPJS-0009', paidOn: '2026-11-02', today: '2026-11-05' })).thenFails('PAYMENT_DATE_INVALID');
    });

    it('lapses and ends again on the new period’s months', () => {
      spec.given(history).when(checkLapse('2027-02-16')).then([endedByArrears('2027-02-16', '2026-11', null)]);
    });
  });
});

// ---------------------------------------------------------------- sponsor change

describe('ChangeWorkerSponsor', () => {
  it('moves the worker to another ASN sponsor', () => {
    spec
      .given([enrolled])
      .when(changeSponsor(OTHER_SPONSOR_ID))
      .then([
        {
          type: 'WorkerSponsorChanged',
          data: { workerId: WORKER_ID, fromSponsorId: SPONSOR_ID, toSponsorId: OTHER_SPONSOR_ID, fundingSource: 'ASN_SPONSOR', occurredOn: '2026-04-01' },
        },
      ]);
  });

  it('turns a self-funded worker into an ASN-sponsored one', () => {
    const { sponsorId: _ignored, ...selfFunded } = enrolledEvent({ fundingSource: 'SELF' }).data;
    const history: WorkerEvent[] = [{ type: 'WorkerEnrolled', data: selfFunded }];
    spec
      .given(history)
      .when(changeSponsor(SPONSOR_ID))
      .then([
        {
          type: 'WorkerSponsorChanged',
          data: { workerId: WORKER_ID, fromSponsorId: null, toSponsorId: SPONSOR_ID, fundingSource: 'ASN_SPONSOR', occurredOn: '2026-04-01' },
        },
      ]);
    const state = fold([...history, { type: 'WorkerSponsorChanged', data: { workerId: WORKER_ID, fromSponsorId: null, toSponsorId: SPONSOR_ID, fundingSource: 'ASN_SPONSOR', occurredOn: '2026-04-01' } }]);
    expect([state.fundingSource, state.sponsorId]).toEqual(['ASN_SPONSOR', SPONSOR_ID]);
  });

  it('changes nothing when the sponsor is already the worker’s', () => {
    spec.given([enrolled]).when(changeSponsor(SPONSOR_ID)).thenNothing();
  });

  it('refuses an unknown or withdrawn sponsor', () => {
    spec.given([enrolled]).when(changeSponsor(OTHER_SPONSOR_ID, null)).thenFails('UNKNOWN_SPONSOR');
    spec.given([enrolled]).when(changeSponsor(OTHER_SPONSOR_ID, { exists: false, withdrawn: false })).thenFails('UNKNOWN_SPONSOR');
    spec.given([enrolled]).when(changeSponsor(OTHER_SPONSOR_ID, { exists: true, withdrawn: true })).thenFails('SPONSOR_WITHDRAWN');
  });

  it('is NOT_FOUND for a worker never enrolled', () => {
    spec.given([]).when(changeSponsor(OTHER_SPONSOR_ID)).thenFails('NOT_FOUND');
  });
});

// ---------------------------------------------------------------- erasure (UU PDP)

describe('EraseWorkerPersonalData', () => {
  const erase = (today: string): WorkerCommand => ({
    type: 'EraseWorkerPersonalData',
    data: { reason: 'request of the person', requestRef: 'PDP-7', today, now: `${today}T03:00:00.000Z` },
  });
  const erased = (today: string): WorkerEvent => ({
    type: 'PersonalDataErased',
    data: { workerId: WORKER_ID, reason: 'request of the person', requestRef: 'PDP-7', erasedAt: `${today}T03:00:00.000Z`, occurredOn: today },
  });

  it('is refused while the membership has not ended: active insurance needs the person', () => {
    spec.given(workedExample).when(erase('2026-06-10')).thenFails('ERASURE_NOT_ALLOWED');
    spec.given(workedExample).when(erase('2026-07-01')).thenFails('ERASURE_NOT_ALLOWED'); // LAPSED
    spec.given([enrolled]).when(erase('2026-03-20')).thenFails('ERASURE_NOT_ALLOWED'); // PENDING
  });

  it('records the request, with no personal data, once the membership has ended (withdrawn, or by the rules as of today)', () => {
    spec.given([...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')]).when(erase('2026-04-02')).then([erased('2026-04-02')]);
    // Past the arrears window, even before the lapse check has recorded the end.
    spec.given(workedExample).when(erase('2026-09-16')).then([erased('2026-09-16')]);
  });

  it('answers a second request with the first erasure and records nothing', () => {
    const history = [...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05'), { ...erased('2026-04-02'), position: 77n }];
    spec.given(history).when(erase('2026-05-01')).thenNothing();
    expect(eraseWorkerPersonalData(erase('2026-05-01') as never, fold(history), policy).result).toEqual({
      erasedAt: '2026-04-02T03:00:00.000Z',
      position: 77n,
      releasesNik: null,
    });
  });

  it('releases the NIK on the first erasure, read while it is still known', () => {
    const history = [...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')];
    expect(eraseWorkerPersonalData(erase('2026-04-02') as never, fold(history), policy).result.releasesNik).toBe(NIK);
  });

  it('leaves an erased worker out of re-enrolment and sponsor changes (enrol the person again as a new worker)', () => {
    const history = [...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05'), erased('2026-04-02')];
    spec.given(history).when(reenrol('2026-05-01')).thenFails('NOT_REENROLLABLE');
    spec.given(history).when(changeSponsor(OTHER_SPONSOR_ID)).thenFails('COVERAGE_ENDED');
    spec.given(history).when(pay({ paymentRef: 'BPJS-0099', paidOn: '2026-05-01', today: '2026-05-01' })).thenFails('COVERAGE_ENDED');
  });

  it('is NOT_FOUND for a worker never enrolled', () => {
    spec.given([]).when(erase('2026-04-02')).thenFails('NOT_FOUND');
  });
});

// ---------------------------------------------------------------- evolve

describe('evolve', () => {
  it('ignores events for a worker never enrolled instead of throwing', () => {
    expect(evolve(initialState(), firstPayment)).toEqual({ enrolled: false });
    expect(evolve(initialState(), lapsed('2026-06-16', '2026-06', '2026-05'))).toEqual({ enrolled: false });
  });

  it('remembers whether the membership ended by withdrawal, until re-enrolment', () => {
    const withdrawn = fold([...workedExample, withdrawnEvent('2026-04-01', '2026-06', '2026-05')]);
    expect([withdrawn.end, withdrawn.recordedStatus]).toEqual([{ on: '2026-04-01', cause: 'WITHDRAWN' }, 'ENDED']);
    const byArrears = fold([...workedExample, endedByArrears('2026-09-16', '2026-06', '2026-05')]);
    expect([byArrears.end, byArrears.recordedStatus]).toEqual([{ on: '2026-09-16', cause: 'ARREARS_WINDOW_PASSED' }, 'ENDED']);
    const back = fold([
      ...workedExample,
      withdrawnEvent('2026-04-01', '2026-06', '2026-05'),
      { type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-04-02', occurredOn: '2026-04-02' } },
    ]);
    expect([back.end, back.recordedStatus, back.enrolledOn, back.period]).toEqual([null, 'PENDING', '2026-04-02', 1]);
  });

  it('keeps every payment by reference across membership periods', () => {
    const state = fold([
      ...workedExample,
      endedByArrears('2026-09-16', '2026-06', '2026-05'),
      { type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-11-03', occurredOn: '2026-11-03' } },
    ]);
    expect([...state.payments.keys()]).toEqual(['BPJS-0001']);
    expect(state.monthsContributed).toBe(3);
  });
});

// ---------------------------------------------------------------- late facts

describe('late facts: commands judged as of their own business date', () => {
  /** The held-out case: enrolled 2026-01-15, never paid; ENDED by the rules from 2026-04-16. */
  const januaryWorker = enrolledEvent({ enrolledOn: '2026-01-15', occurredOn: '2026-01-15' });

  it('late run: a lapse check run long after records the end dated by the rules, with the run as asOf', () => {
    spec.given([januaryWorker]).when(checkLapse('2026-11-30')).then([endedByArrears('2026-11-30', '2026-01', null)]);
    expect(endedByArrears('2026-11-30', '2026-01', null).data.occurredOn).toBe('2026-04-16');
  });

  it('late run: a worker ended by a late run may re-enrol on any date from the end of the rules on', () => {
    const events = [januaryWorker, endedByArrears('2026-11-30', '2026-01', null)];
    spec
      .given(events)
      .when(reenrol('2026-10-22', '2026-11-30'))
      .then([{ type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-10-22', occurredOn: '2026-10-22' } }]);
    spec
      .given(events)
      .when(reenrol('2026-04-16', '2026-11-30'))
      .then([{ type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-04-16', occurredOn: '2026-04-16' } }]);
    spec.given(events).when(reenrol('2026-04-15', '2026-11-30')).thenFails('NOT_REENROLLABLE');
    expect(statusOn(events, '2026-04-15')).toBe('PENDING');
    expect(statusOn(events, '2026-10-22')).toBe('ENDED');
  });

  it('late run: a payment dated after the end of the rules is refused, one dated before it is accepted', () => {
    const events = [januaryWorker, endedByArrears('2026-11-30', '2026-01', null)];
    spec.given(events).when(pay({ paidOn: '2026-10-22', today: '2026-11-30', amount: 50400 })).thenFails('COVERAGE_ENDED');
    // Never paid: the first payment covers the enrolment month first; through 03, April is not yet due on 2026-04-10.
    const decision = decidePayment(pay({ paidOn: '2026-04-10', today: '2026-11-30', amount: 50400 }), fold(events), policy);
    expect(decision.result).toEqual({ coveredFrom: '2026-01', coveredThrough: '2026-03', amount: 50400, status: 'ACTIVE' });
    expect(fold([...events, ...decision.events]).end).toBeNull();
  });

  it('late payment: arrears paid on a date the worker was LAPSED lift an end recorded since, and the next end is dated anew', () => {
    // Worked example, ended by a run of 2026-10-01 (end of the rules 2026-09-16); a receipt of 2026-09-10 arrives.
    const events = [...workedExample, endedByArrears('2026-10-01', '2026-06', '2026-05')];
    const late = decidePayment(pay({ paymentRef: 'R2', months: 1, amount: 16800, paidOn: '2026-09-10', today: '2026-10-02' }), fold(events), policy);
    expect(late.result).toEqual({ coveredFrom: '2026-06', coveredThrough: '2026-06', amount: 16800, status: 'LAPSED' });
    const after = [...events, ...late.events];
    expect(fold(after).end).toBeNull();
    expect(fold(after).recordedStatus).toBe('LAPSED');
    // U is now 2026-07: ENDED from 2026-10-16 by the rules, so not yet as of 2026-10-02.
    expect(statusOn(after, '2026-10-02')).toBe('LAPSED');
    spec.given(after).when(checkLapse('2026-10-02')).thenNothing();
    spec.given(after).when(checkLapse('2026-10-20')).then([endedByArrears('2026-10-20', '2026-07', '2026-06')]);
    expect(endedByArrears('2026-10-20', '2026-07', '2026-06').data.occurredOn).toBe('2026-10-16');
  });

  it('late payment: a withdrawal keeps its own date; a receipt dated before it is accepted and the worker stays ENDED', () => {
    const events = [...workedExample, withdrawnEvent('2026-06-20', '2026-06', '2026-05')];
    const late = decidePayment(pay({ paymentRef: 'R2', months: 1, amount: 16800, paidOn: '2026-06-10', today: '2026-06-25' }), fold(events), policy);
    expect(late.result.status).toBe('ACTIVE');
    const after = [...events, ...late.events];
    expect(fold(after).end).toEqual({ on: '2026-06-20', cause: 'WITHDRAWN' });
    expect(statusOn(after, '2026-06-25')).toBe('ENDED');
    spec.given(events).when(pay({ paymentRef: 'R3', months: 1, amount: 16800, paidOn: '2026-06-21', today: '2026-06-25' })).thenFails('COVERAGE_ENDED');
  });

  it('migrated member: a past enrolment ended by a daily run before its receipts were entered takes them in date order', () => {
    // Enrolled 2025-01-10 (a member migrated from the old spreadsheet); the daily run of 2025-05-01 ended it.
    const migrated = enrolledEvent({ enrolledOn: '2025-01-10', occurredOn: '2025-01-10' });
    let events: WorkerEvent[] = [migrated, endedByArrears('2025-05-01', '2025-01', null)];
    expect(fold(events).end?.on).toBe('2025-04-16');
    const receipts = [
      { paymentRef: 'M-1', months: 3, paidOn: '2025-01-12' },
      { paymentRef: 'M-2', months: 3, paidOn: '2025-04-10' },
      { paymentRef: 'M-3', months: 6, paidOn: '2025-07-05' },
    ];
    for (const receipt of receipts) {
      const decision = decidePayment(pay({ ...receipt, amount: receipt.months * 16800, today: '2026-01-05' }), fold(events), policy);
      expect(decision.result.status).toBe('ACTIVE');
      events = [...events, ...decision.events];
    }
    const state = fold(events);
    expect([state.end, state.paidThrough?.toString(), state.monthsContributed]).toEqual([null, '2025-12', 12]);
    expect(statusOn(events, '2026-01-05')).toBe('ACTIVE');
    spec.given(events).when(checkLapse('2026-01-05')).thenNothing();
    spec.given(events).when(checkLapse('2026-01-16')).then([lapsed('2026-01-16', '2026-01', '2025-12')]);
  });
});

// ---------------------------------------------------------------- reversal

describe('ReversePayment', () => {
  const reverse = (paymentRef: string, reversedOn: string, today = reversedOn, reason = 'bounced'): WorkerCommand => ({
    type: 'ReversePayment',
    data: { paymentRef, reason, reversedOn, today },
  });
  const second = paid('BPJS-0002', '2026-06', '2026-08', 3, '2026-06-10');
  const twoPayments = [...workedExample, second];

  function reversed(payment: PremiumPaid, reversedOn: string, after: { paidThrough: string | null; lastPaymentOn: string | null; status: WorkerStatus }) {
    const { workerId, paymentRef, months, amount, paidOn, payer, opdCode, coveredFrom, coveredThrough } = payment.data;
    return {
      type: 'PremiumPaymentReversed' as const,
      data: {
        workerId,
        paymentRef,
        months,
        amount,
        paidOn,
        payer,
        opdCode,
        coveredFrom,
        coveredThrough,
        reversedOn,
        reason: 'bounced',
        paidThroughAfter: after.paidThrough,
        lastPaymentOnAfter: after.lastPaymentOn,
        statusAfter: after.status,
        occurredOn: paidOn,
      },
    };
  }

  it('reverses the latest standing payment: paidThrough and months go back, no status change while still ACTIVE', () => {
    spec
      .given(twoPayments)
      .when(reverse('BPJS-0002', '2026-06-12'))
      .then([reversed(second, '2026-06-12', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'ACTIVE' })]);
    const after = fold([...twoPayments, reversed(second, '2026-06-12', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'ACTIVE' })]);
    expect([after.paidThrough?.toString(), after.monthsContributed, after.recordedStatus]).toEqual(['2026-05', 3, 'ACTIVE']);
  });

  it('refuses any but the latest standing payment', () => {
    spec.given(twoPayments).when(reverse('BPJS-0001', '2026-06-12')).thenFails('REVERSAL_NOT_LATEST', 'paymentRef');
  });

  it('lets the one before be reversed once the latest was', () => {
    const events = [...twoPayments, reversed(second, '2026-06-12', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'ACTIVE' })];
    spec
      .given(events)
      .when(reverse('BPJS-0001', '2026-06-12'))
      .then([reversed(firstPayment, '2026-06-12', { paidThrough: null, lastPaymentOn: null, status: 'PENDING' })]);
  });

  it('records the lapse the reversal causes, dated by the rules', () => {
    // Reversed on 2026-07-01: paid through 05 again, so LAPSED since 2026-06-16.
    spec
      .given(twoPayments)
      .when(reverse('BPJS-0002', '2026-07-01'))
      .then([
        reversed(second, '2026-07-01', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'LAPSED' }),
        lapsed('2026-07-01', '2026-06', '2026-05'),
      ]);
  });

  it('records the end the reversal causes, dated by the rules', () => {
    spec
      .given(twoPayments)
      .when(reverse('BPJS-0002', '2026-10-01'))
      .then([
        reversed(second, '2026-10-01', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'ENDED' }),
        endedByArrears('2026-10-01', '2026-06', '2026-05'),
      ]);
  });

  it('answers a second reversal with the first and records nothing', () => {
    const first = reversed(second, '2026-07-01', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'LAPSED' });
    const state = fold([...twoPayments, first, lapsed('2026-07-01', '2026-06', '2026-05')]);
    const again = reversePayment({ type: 'ReversePayment', data: { paymentRef: 'BPJS-0002', reason: 'again', reversedOn: '2026-07-05', today: '2026-07-05' } }, state, policy);
    expect(again).toEqual({ kind: 'replay', events: [], result: { coveredFrom: '2026-06', coveredThrough: '2026-08', amount: 50400, status: 'LAPSED' }, position: null });
  });

  it('keeps a reversed reference used for good: resubmitting it is a conflict', () => {
    const events = [...twoPayments, reversed(second, '2026-06-12', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'ACTIVE' })];
    spec
      .given(events)
      .when(pay({ paymentRef: 'BPJS-0002', amount: 50400, paidOn: '2026-06-10', today: '2026-06-12' }))
      .thenFails('PAYMENT_REF_CONFLICT', 'paymentRef');
  });

  it('is NOT_FOUND for a reference not recorded on the worker; checks the reason and the date', () => {
    spec.given(twoPayments).when(reverse('NOPE', '2026-06-12')).thenFails('NOT_FOUND', 'paymentRef');
    spec.given(twoPayments).when(reverse('BPJS-0002', '2026-06-12', '2026-06-12', ' ')).thenFails('VALIDATION_FAILED', 'reason');
    spec.given(twoPayments).when(reverse('BPJS-0002', '2026-06-13', '2026-06-12')).thenFails('VALIDATION_FAILED', 'reversedOn');
    spec.given(twoPayments).when(reverse('BPJS-0002', '2026-06-09', '2026-06-12')).thenFails('VALIDATION_FAILED', 'reversedOn');
  });

  it('refuses a payment of an earlier membership period', () => {
    const events = [
      ...workedExample,
      endedByArrears('2026-10-01', '2026-06', '2026-05'),
      { type: 'WorkerReenrolled', data: { workerId: WORKER_ID, enrolledOn: '2026-11-03', occurredOn: '2026-11-03' } } as WorkerEvent,
    ];
    spec.given(events).when(reverse('BPJS-0001', '2026-11-05')).thenFails('REVERSAL_NOT_LATEST');
  });

  it('leaves a withdrawn worker ENDED without recording another end', () => {
    const events = [...twoPayments, withdrawnEvent('2026-06-20', '2026-09', '2026-08')];
    spec
      .given(events)
      .when(reverse('BPJS-0002', '2026-06-25'))
      .then([reversed(second, '2026-06-25', { paidThrough: '2026-05', lastPaymentOn: '2026-03-12', status: 'ENDED' })]);
  });
});

// ---------------------------------------------------------------- corrections

describe('CorrectWorkerDetails', () => {
  const correct = (fields: Partial<Extract<WorkerCommand, { type: 'CorrectWorkerDetails' }>['data']>): WorkerCommand => ({
    type: 'CorrectWorkerDetails',
    data: { reason: 'typo at registration', today: '2026-04-01', ...fields },
  });

  it('records only the fields that change, with the reason', () => {
    spec
      .given(workedExample)
      .when(correct({ fullName: 'Siti Aminah Rahayu', kecamatan: '3374.01', occupation: 'SNACK_VENDOR', phone: '081234567890' }))
      .then([
        {
          type: 'WorkerDetailsCorrected',
          data: {
            workerId: WORKER_ID,
            fullName: 'Siti Aminah Rahayu',
            phone: '081234567890',
            occupation: 'SNACK_VENDOR',
            reason: 'typo at registration',
            occurredOn: '2026-04-01',
          },
        },
      ]);
  });

  it('records nothing when nothing changes', () => {
    spec.given(workedExample).when(correct({ fullName: 'Siti Aminah', gender: 'F' })).thenNothing();
    spec.given(workedExample).when(correct({})).thenNothing();
  });

  it('folds the corrected values into the state', () => {
    const state = fold([
      ...workedExample,
      { type: 'WorkerDetailsCorrected', data: { workerId: WORKER_ID, address: 'Jl. Pemuda 1', kecamatan: '3374.05', reason: 'moved', occurredOn: '2026-04-01' } },
    ]);
    expect([state.address, state.kecamatan, state.fullName]).toEqual(['Jl. Pemuda 1', '3374.05', 'Siti Aminah']);
  });

  it('refuses a birth date or gender that disagrees with the NIK', () => {
    spec.given(workedExample).when(correct({ birthDate: '1985-03-16' })).thenFails('NIK_MISMATCH', 'birthDate');
    spec.given(workedExample).when(correct({ gender: 'M' })).thenFails('NIK_MISMATCH', 'gender');
  });

  it('accepts a birth date that agrees with the NIK (the century was wrong) within the age limit', () => {
    // NIK 550385: 15 March of a year ending in 85. 1885 disagrees with nothing in the NIK but breaks the age limit.
    spec.given(workedExample).when(correct({ birthDate: '1885-03-15' })).thenFails('AGE_LIMIT_EXCEEDED', 'birthDate');
  });

  it('needs a reason and a non-empty name; refuses an erased worker', () => {
    spec.given(workedExample).when(correct({ reason: ' ', fullName: 'X' })).thenFails('VALIDATION_FAILED', 'reason');
    spec.given(workedExample).when(correct({ fullName: '  ' })).thenFails('VALIDATION_FAILED', 'fullName');
    const erased: WorkerEvent[] = [
      ...workedExample,
      withdrawnEvent('2026-04-01', '2026-06', '2026-05'),
      { type: 'PersonalDataErased', data: { workerId: WORKER_ID, reason: 'request', requestRef: 'PDP-1', erasedAt: '2026-04-02T00:00:00Z', occurredOn: '2026-04-02' } },
    ];
    spec.given(erased).when(correct({ fullName: 'Anyone' })).thenFails('COVERAGE_ENDED');
  });
});

describe('ChangeWorkerFunding', () => {
  const fund = (fields: Partial<Extract<WorkerCommand, { type: 'ChangeWorkerFunding' }>['data']>): WorkerCommand => ({
    type: 'ChangeWorkerFunding',
    data: { fundingSource: 'APBD', sponsor: null, effectiveOn: '2026-04-01', reason: 'moved to the city budget', today: '2026-04-02', ...fields },
  });

  it('moves a sponsored worker to APBD from a date', () => {
    spec
      .given(workedExample)
      .when(fund({}))
      .then([
        {
          type: 'WorkerFundingChanged',
          data: {
            workerId: WORKER_ID,
            fromFundingSource: 'ASN_SPONSOR',
            fromSponsorId: SPONSOR_ID,
            toFundingSource: 'APBD',
            toSponsorId: null,
            effectiveOn: '2026-04-01',
            reason: 'moved to the city budget',
            occurredOn: '2026-04-01',
          },
        },
      ]);
  });

  it('lets an ASN adopt an APBD worker, with a usable sponsor', () => {
    const apbd = [enrolledEvent({ fundingSource: 'APBD', sponsorId: undefined }), firstPayment];
    const adopted = fund({ fundingSource: 'ASN_SPONSOR', sponsorId: OTHER_SPONSOR_ID, sponsor: usable });
    const [event] = decide(adopted as WorkerCommand, fold(apbd), policy);
    expect(event).toMatchObject({ type: 'WorkerFundingChanged', data: { fromFundingSource: 'APBD', fromSponsorId: null, toSponsorId: OTHER_SPONSOR_ID } });
    const state = fold([...apbd, event]);
    expect([state.fundingSource, state.sponsorId]).toEqual(['ASN_SPONSOR', OTHER_SPONSOR_ID]);
    spec.given(apbd).when(fund({ fundingSource: 'ASN_SPONSOR', sponsorId: OTHER_SPONSOR_ID, sponsor: null })).thenFails('UNKNOWN_SPONSOR');
    spec
      .given(apbd)
      .when(fund({ fundingSource: 'ASN_SPONSOR', sponsorId: OTHER_SPONSOR_ID, sponsor: { exists: true, withdrawn: true } }))
      .thenFails('SPONSOR_WITHDRAWN');
    spec.given(apbd).when(fund({ fundingSource: 'ASN_SPONSOR' })).thenFails('VALIDATION_FAILED', 'sponsorId');
  });

  it('records nothing for the same source and sponsor; refuses a sponsor with another source', () => {
    spec.given(workedExample).when(fund({ fundingSource: 'ASN_SPONSOR', sponsorId: SPONSOR_ID, sponsor: usable })).thenNothing();
    spec.given(workedExample).when(fund({ sponsorId: SPONSOR_ID })).thenFails('VALIDATION_FAILED', 'sponsorId');
  });

  it('checks the effective date and the reason', () => {
    spec.given(workedExample).when(fund({ effectiveOn: '2026-04-03' })).thenFails('VALIDATION_FAILED', 'effectiveOn');
    spec.given(workedExample).when(fund({ effectiveOn: '2026-03-09' })).thenFails('VALIDATION_FAILED', 'effectiveOn');
    spec.given(workedExample).when(fund({ reason: '' })).thenFails('VALIDATION_FAILED', 'reason');
  });
});
