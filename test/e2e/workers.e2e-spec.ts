import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { CommandRunner } from '../../src/event-sourcing/command-runner';
import { createTestApp, TestApp } from '../support/test-app';

const TODAY = '2026-11-23';

describe('worker commands over HTTP', () => {
  let t: TestApp;
  let sponsorId: string;
  let withdrawnSponsorId: string;
  let nikSequence = 100;

  const worker = (overrides: Record<string, unknown> = {}) => {
    const birthDate = (overrides.birthDate as string) ?? '1990-03-12';
    const gender = (overrides.gender as 'F' | 'M') ?? 'F';
    return {
      nik: syntheticNik(birthDate, gender, nikSequence++),
      fullName: 'Sri Wahyuni',
      birthDate,
      gender,
      occupation: 'DOMESTIC_HELPER',
      kecamatan: '3374.01',
      fundingSource: 'ASN_SPONSOR',
      sponsorId,
      enrolledOn: '2026-03-10',
      ...overrides,
    };
  };

  const enrol = async (overrides: Record<string, unknown> = {}) => {
    const res = await t.as('operator').post('/v1/workers').send(worker(overrides)).expect(201);
    return res.body.workerId as string;
  };

  const pay = (workerId: string, body: Record<string, unknown>) =>
    t.as('operator').post(`/v1/workers/${workerId}/payments`).send({ payer: { type: 'ASN_SPONSOR', sponsorId }, ...body });

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    sponsorId = (await t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1985-03-12', 'M', 1), fullName: 'Budi', opdCode: 'DINKES' }).expect(201)).body.sponsorId;
    withdrawnSponsorId = (await t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1980-01-02', 'F', 2), fullName: 'Ani', opdCode: 'DINKES' }).expect(201)).body.sponsorId;
    await t.as('operator').post(`/v1/sponsors/${withdrawnSponsorId}/withdraw`).send({ reason: 'Pensiun' }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('enrolment', () => {
    it('enrols a worker: 201 with an id and a position, and never echoes the NIK', async () => {
      const body = worker();
      const res = await t.as('operator').post('/v1/workers').send(body).expect(201);
      expect(res.body).toEqual({ workerId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.stringMatching(/^\d+$/) });
      expect(JSON.stringify(res.body)).not.toContain(body.nik);
    });

    it('accepts a NIK first issued outside Semarang', async () => {
      const nik = `3171${syntheticNik('1990-03-12', 'F', 999).slice(4)}`;
      await t.as('operator').post('/v1/workers').send(worker({ nik })).expect(201);
    });

    it.each([
      ['a NIK of 15 digits', { nik: '337401520390001' }, 'nik'],
      ['an impossible NIK date', { nik: '3374019903900001' }, 'nik'],
      ['an unknown occupation', { occupation: 'ASTRONAUT' }, 'occupation'],
      ['a kecamatan outside Semarang', { kecamatan: '3374.17' }, 'kecamatan'],
      ['an unknown funding source', { fundingSource: 'LOTTERY' }, 'fundingSource'],
      ['an unknown field', { favouriteColour: 'blue' }, 'favouriteColour'],
      ['ASN_SPONSOR without a sponsor', { sponsorId: undefined }, 'sponsorId'],
      ['an enrolment date in the future', { enrolledOn: '2026-11-24' }, 'enrolledOn'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_name, overrides, field) => {
      const res = await t.as('operator').post('/v1/workers').send(worker(overrides)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses a NIK whose birth date or gender disagrees with the declared one (422 NIK_MISMATCH)', async () => {
      const nik = syntheticNik('1990-03-12', 'F', 500);
      const res = await t.as('operator').post('/v1/workers').send(worker({ nik, gender: 'M' })).expect(422);
      expect(res.body.code).toBe('NIK_MISMATCH');
      const other = await t.as('operator').post('/v1/workers').send(worker({ nik, birthDate: '1990-03-13' })).expect(422);
      expect(other.body.code).toBe('NIK_MISMATCH');
      // Nothing was reserved: the same NIK enrols once the declaration agrees.
      await t.as('operator').post('/v1/workers').send(worker({ nik })).expect(201);
    });

    it('accepts 64 years 11 months and refuses 65 years 0 months (422 AGE_LIMIT_EXCEEDED)', async () => {
      await t.as('operator').post('/v1/workers').send(worker({ birthDate: '1961-12-23', enrolledOn: TODAY })).expect(201);
      const res = await t.as('operator').post('/v1/workers').send(worker({ birthDate: '1961-11-23', enrolledOn: TODAY })).expect(422);
      expect(res.body.code).toBe('AGE_LIMIT_EXCEEDED');
    });

    it('refuses an unknown sponsor (422 UNKNOWN_SPONSOR) and a withdrawn one (422 SPONSOR_WITHDRAWN)', async () => {
      const unknown = await t.as('operator').post('/v1/workers').send(worker({ sponsorId: '0b7f4a4e-1111-4222-8333-444455556666' })).expect(422);
      expect(unknown.body.code).toBe('UNKNOWN_SPONSOR');
      const withdrawn = await t.as('operator').post('/v1/workers').send(worker({ sponsorId: withdrawnSponsorId })).expect(422);
      expect(withdrawn.body.code).toBe('SPONSOR_WITHDRAWN');
    });

    it('refuses a NIK already enrolled (409), and of eight parallel enrolments of one NIK exactly one wins', async () => {
      const body = worker({ fundingSource: 'APBD', sponsorId: undefined });
      await t.as('operator').post('/v1/workers').send(body).expect(201);
      expect((await t.as('operator').post('/v1/workers').send(body).expect(409)).body.code).toBe('NIK_ALREADY_ENROLLED');

      const contested = worker({ fundingSource: 'SELF', sponsorId: undefined });
      const answers = await Promise.all(Array.from({ length: 8 }, () => t.as('operator').post('/v1/workers').send(contested)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'NIK_ALREADY_ENROLLED')).toBe(true);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
    });
  });

  describe('premium payments', () => {
    it('covers arrears first: the first payment starts at the enrolment month and sums the tariff', async () => {
      const workerId = await enrol();
      const res = await pay(workerId, { paymentRef: 'RCPT-ARR-1', months: 3, amount: 50400, paidOn: '2026-03-12' }).expect(201);
      expect(res.body).toEqual({
        workerId,
        paymentRef: 'RCPT-ARR-1',
        coveredFrom: '2026-03',
        coveredThrough: '2026-05',
        amount: 50400,
        status: 'ACTIVE',
        position: expect.stringMatching(/^\d+$/),
      });
      // On 20 July, June and July are unpaid: one month pays June (arrears first) and July is still overdue.
      const arrears = await pay(workerId, { paymentRef: 'RCPT-ARR-2', months: 1, amount: 16800, paidOn: '2026-07-20' }).expect(201);
      expect(arrears.body).toMatchObject({ coveredFrom: '2026-06', coveredThrough: '2026-06', status: 'LAPSED' });
      const current = await pay(workerId, { paymentRef: 'RCPT-ARR-3', months: 1, amount: 16800, paidOn: '2026-07-21' }).expect(201);
      expect(current.body).toMatchObject({ coveredFrom: '2026-07', coveredThrough: '2026-07', status: 'ACTIVE' });
    });

    it('answers an identical replay with 200 and the original answer, and different content with 409', async () => {
      const workerId = await enrol();
      const body = { paymentRef: 'RCPT-IDEM-1', months: 1, amount: 16800, paidOn: '2026-03-12' };
      const first = await pay(workerId, body).expect(201);
      const replay = await pay(workerId, body).expect(200);
      expect(replay.body).toEqual(first.body);
      const conflict = await pay(workerId, { ...body, months: 3, amount: 50400 }).expect(409);
      expect(conflict.body.code).toBe('PAYMENT_REF_CONFLICT');
      const otherWorker = await enrol();
      expect((await pay(otherWorker, body).expect(409)).body.code).toBe('PAYMENT_REF_CONFLICT');
      // The replays appended nothing: the next payment still starts right after the first one.
      const after = await pay(workerId, { paymentRef: 'RCPT-IDEM-2', months: 1, amount: 16800, paidOn: '2026-04-02' }).expect(201);
      expect(after.body.coveredFrom).toBe('2026-04');
    });

    it.each([
      ['a period outside 1/3/6/12', { months: 2, amount: 33600 }, 422, 'INVALID_PAYMENT_PERIOD'],
      ['a wrong amount', { months: 3, amount: 50000 }, 422, 'INVALID_PAYMENT_AMOUNT'],
      ['a payment date in the future', { paidOn: '2026-11-24' }, 422, 'PAYMENT_DATE_INVALID'],
      ['a payment date before enrolment', { paidOn: '2026-03-09' }, 422, 'PAYMENT_DATE_INVALID'],
      ['more than 12 months ahead', { months: 12, amount: 201600, paidOn: '2026-03-12', prepaid: true }, 422, 'PREPAY_LIMIT_EXCEEDED'],
      ['a non-integer period', { months: '3' }, 400, 'VALIDATION_FAILED'],
      ['a missing period', { months: undefined }, 400, 'VALIDATION_FAILED'],
      ['an unknown payer type', { payer: { type: 'LOTTERY' } }, 400, 'VALIDATION_FAILED'],
      ['an unknown paying sponsor', { payer: { type: 'ASN_SPONSOR', sponsorId: '0b7f4a4e-1111-4222-8333-444455556666' } }, 422, 'UNKNOWN_SPONSOR'],
      ['a withdrawn paying sponsor', { payer: { type: 'ASN_SPONSOR', withdrawn: true } }, 422, 'SPONSOR_WITHDRAWN'],
    ])('refuses %s (%s %s) and records nothing', async (_name, overrides, status, code) => {
      const workerId = await enrol();
      const o = { ...(overrides as Record<string, unknown>) };
      if (o.prepaid) {
        // Twelve months paid already: another twelve would run past paidOn's month + 12.
        await pay(workerId, { paymentRef: `PRE-${workerId}`, months: 12, amount: 201600, paidOn: '2026-03-12' }).expect(201);
        delete o.prepaid;
      }
      if ((o.payer as { withdrawn?: boolean })?.withdrawn) o.payer = { type: 'ASN_SPONSOR', sponsorId: withdrawnSponsorId };
      const body = { paymentRef: `BAD-${workerId}`, months: 3, amount: 50400, paidOn: '2026-03-12', ...o };
      const res = await pay(workerId, body).expect(status);
      expect(res.body.code).toBe(code);
      // Nothing recorded: a valid payment with the same reference still goes through.
      const ok = await pay(workerId, { paymentRef: `BAD-${workerId}`, months: 1, amount: 16800, paidOn: '2026-04-01' }).expect(201);
      expect(ok.body.coveredFrom).toBe(code === 'PREPAY_LIMIT_EXCEEDED' ? '2027-03' : '2026-03');
    });

    it('answers 404 for an unknown worker', async () => {
      const res = await pay('0b7f4a4e-1111-4222-8333-444455556666', { paymentRef: 'NOPE-1', months: 1, amount: 16800, paidOn: '2026-03-12' }).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('never loses or doubles a month under twelve parallel one-month payments', async () => {
      const workerId = await enrol({ enrolledOn: '2026-03-10' });
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => pay(workerId, { paymentRef: `PAR-${workerId}-${i}`, months: 1, amount: 16800, paidOn: '2026-03-12' })),
      );
      const recorded = answers.filter((a) => a.status === 201);
      expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.body.code === 'CONCURRENCY_CONFLICT')).toBe(true);
      const months = recorded.map((a) => a.body.coveredFrom).sort();
      expect(new Set(months).size).toBe(recorded.length);
      const expected = Array.from({ length: recorded.length }, (_, i) => `2026-${String(3 + i).padStart(2, '0')}`.replace('2026-13', '2027-01').replace('2026-14', '2027-02'));
      expect(months).toEqual(expected);
      expect(recorded.length).toBe(12);
    });
  });

  describe('withdrawal, re-enrolment and sponsor change', () => {
    it('ends a withdrawn worker: payments are refused (422 COVERAGE_ENDED) until re-enrolment', async () => {
      const workerId = await enrol({ enrolledOn: '2026-10-01' });
      await t.as('operator').post(`/v1/workers/${workerId}/withdraw`).send({ reason: 'Pindah domisili' }).expect(200);
      const refused = await pay(workerId, { paymentRef: `END-${workerId}`, months: 1, amount: 16800, paidOn: TODAY }).expect(422);
      expect(refused.body.code).toBe('COVERAGE_ENDED');
      await t.as('operator').post(`/v1/workers/${workerId}/reenrol`).send({}).expect(200);
      const paid = await pay(workerId, { paymentRef: `END-${workerId}`, months: 1, amount: 16800, paidOn: TODAY }).expect(201);
      expect(paid.body).toMatchObject({ coveredFrom: '2026-11', coveredThrough: '2026-11', status: 'ACTIVE' });
    });

    it('refuses to re-enrol a worker whose membership has not ended (422 NOT_REENROLLABLE)', async () => {
      const workerId = await enrol({ enrolledOn: TODAY });
      const res = await t.as('operator').post(`/v1/workers/${workerId}/reenrol`).send({}).expect(422);
      expect(res.body.code).toBe('NOT_REENROLLABLE');
    });

    it('moves a worker to another sponsor and refuses an unknown or withdrawn one', async () => {
      const workerId = await enrol({ fundingSource: 'APBD', sponsorId: undefined });
      await t.as('operator').post(`/v1/workers/${workerId}/sponsor`).send({ sponsorId }).expect(200);
      expect((await t.as('operator').post(`/v1/workers/${workerId}/sponsor`).send({ sponsorId: withdrawnSponsorId }).expect(422)).body.code).toBe('SPONSOR_WITHDRAWN');
      expect((await t.as('operator').post(`/v1/workers/${workerId}/sponsor`).send({ sponsorId: '0b7f4a4e-1111-4222-8333-444455556666' }).expect(422)).body.code).toBe('UNKNOWN_SPONSOR');
    });
  });

  describe('contention on one worker', () => {
    it('takes ten payments sent together one after the other: all recorded, covering ten consecutive months', async () => {
      const workerId = await enrol({ enrolledOn: '2026-01-05' });
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => pay(workerId, { paymentRef: `TOGETHER-${i}`, months: 1, amount: 16800, paidOn: '2026-01-06' })),
      );
      expect(answers.map((res) => res.status)).toEqual(Array(10).fill(201));
      const covered = answers.map((res) => res.body.coveredFrom as string).sort();
      expect(covered).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
      expect(t.app.get(CommandRunner).streamsBusy).toBe(0);
    });
  });
});
