import { parse } from 'csv-parse/sync';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The renewal list (api.md "Renewals and UCJ", domain.md "Renewals") over HTTP, under dated tariffs: 16,800 a month
 * until 2026-12, 18,500 (JKK 11,000 + JKM 7,500) from 2027-01.
 */
const TODAY = '2026-11-23';
const OLD = 16_800;
const NEW = 18_500;

type Item = {
  workerId: string;
  fullName: string | null;
  sponsorId: string | null;
  opdCode: string | null;
  fundingSource: string;
  status: string;
  firstUnpaidMonth: string;
  dueOn: string;
  daysUntilDue: number;
  arrearsMonths: number;
  amountFor: Record<'1' | '3' | '6' | '12', number | null>;
};

describe('GET /v1/workers/due over HTTP', () => {
  let t: TestApp;
  let last = '0';
  let nik = 1;
  const w: Record<string, string> = {};
  let dinkesSponsor: string;
  let bappedaSponsor: string;

  const command = async (path: string, body: object, expected: number, role: 'admin' | 'operator' = 'operator') => {
    const res = await t.as(role).post(path).send(body);
    expect({ path, status: res.status, body: res.body }).toMatchObject({ status: expected });
    last = res.body.position;
    return res.body;
  };
  const enrol = async (fullName: string, enrolledOn: string, funding: { fundingSource: string; sponsorId?: string }) =>
    (
      await command(
        '/v1/workers',
        {
          nik: syntheticNik('1979-08-17', 'F', nik++),
          fullName,
          birthDate: '1979-08-17',
          gender: 'F',
          occupation: 'VEGETABLE_SELLER',
          kecamatan: '3374.07',
          enrolledOn,
          ...funding,
        },
        201,
      )
    ).workerId as string;
  const pay = (workerId: string, ref: string, months: number, amount: number, paidOn: string, payer: object) =>
    command(`/v1/workers/${workerId}/payments`, { paymentRef: ref, months, amount, paidOn, payer }, 201);
  const due = async (query = '', role: 'admin' | 'operator' = 'operator') => {
    const res = await t.as(role).get(`/v1/workers/due?minPosition=${last}${query}`);
    expect({ query, status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body as { asOf: string; items: Item[]; nextCursor: string | null };
  };
  const ids = (items: Item[]) => items.map((item) => item.workerId);
  const byId = (...names: string[]) => names.map((name) => w[name]).sort();

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY, env: { ASUH_TARIFFS: '2015-07:10000:6800;2027-01:11000:7500' } });
    await command('/v1/opds', { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }, 201, 'admin');
    await command('/v1/opds', { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', kind: 'BADAN', pnsHeadcount: 60 }, 201, 'admin');
    dinkesSponsor = (await command('/v1/sponsors', { nip: syntheticNip('1980-02-02', 'M', 1), fullName: 'Sponsor Dinkes', opdCode: 'DINKES' }, 201)).sponsorId;
    bappedaSponsor = (await command('/v1/sponsors', { nip: syntheticNip('1982-04-04', 'F', 2), fullName: 'Sponsor Bappeda', opdCode: 'BAPPEDA' }, 201)).sponsorId;
    const dinkes = { fundingSource: 'ASN_SPONSOR', sponsorId: dinkesSponsor };
    const byDinkes = { type: 'ASN_SPONSOR', sponsorId: dinkesSponsor };

    // ACTIVE, paid through 2026-11: U = 2026-12, due 15 December (22 days).
    w.active1 = await enrol('Ani Lestari', '2026-09-01', dinkes);
    await pay(w.active1, 'DUE-A1', 3, 3 * OLD, '2026-09-02', byDinkes);
    w.active2 = await enrol('=HYPERLINK("http://evil.example","klik")', '2026-09-01', { fundingSource: 'APBD' });
    await pay(w.active2, 'DUE-A2', 3, 3 * OLD, '2026-09-02', { type: 'APBD' });
    // ACTIVE, paid through 2026-12: U = 2027-01, due 15 January 2027 (53 days).
    w.ahead = await enrol('Bekti Rahayu', '2026-10-01', dinkes);
    await pay(w.ahead, 'DUE-B', 3, 3 * OLD, '2026-10-02', byDinkes);
    // PENDING: enrolled 20 October, never paid: U = 2026-10, whose due date (15 October) has passed.
    w.pending = await enrol('Citra Dewi', '2026-10-20', { fundingSource: 'APBD' });
    // Paid through 2026-08 and no lapse check yet: recorded ACTIVE, LAPSED by the rules since 16 September.
    w.lapsed = await enrol('Endang Susilowati', '2026-06-01', { fundingSource: 'ASN_SPONSOR', sponsorId: bappedaSponsor });
    await pay(w.lapsed, 'DUE-E', 3, 3 * OLD, '2026-06-02', { type: 'ASN_SPONSOR', sponsorId: bappedaSponsor });
    w.payer = await enrol('Puji Astuti', '2026-06-01', { fundingSource: 'DBHCHT' });
    await pay(w.payer, 'DUE-P', 3, 3 * OLD, '2026-06-02', { type: 'DBHCHT' });
    // ENDED by the rules (U = 2026-07, past the due date of 2026-10) though nothing recorded it yet.
    w.endedByRules = await enrol('Fitri Handayani', '2026-06-01', { fundingSource: 'SELF' });
    await pay(w.endedByRules, 'DUE-F', 1, OLD, '2026-06-02', { type: 'SELF' });
    // Withdrawn: ENDED as recorded, although paid through 2026-11.
    w.withdrawn = await enrol('Gita Permata', '2026-09-01', dinkes);
    await pay(w.withdrawn, 'DUE-G', 3, 3 * OLD, '2026-09-02', byDinkes);
    await command(`/v1/workers/${w.withdrawn}/withdraw`, { reason: 'Pindah domisili' }, 200);
  });

  afterAll(async () => {
    await t?.close();
  });

  const activeLine = (name: 'active1' | 'active2') => ({
    workerId: w[name],
    fullName: name === 'active1' ? 'Ani Lestari' : '=HYPERLINK("http://evil.example","klik")',
    sponsorId: name === 'active1' ? dinkesSponsor : null,
    opdCode: name === 'active1' ? 'DINKES' : null,
    fundingSource: name === 'active1' ? 'ASN_SPONSOR' : 'APBD',
    status: 'ACTIVE',
    firstUnpaidMonth: '2026-12',
    dueOn: '2026-12-15',
    daysUntilDue: 22,
    arrearsMonths: 0,
    // From 2026-12: one month at the old tariff, the rest at the new; 12 months reach 2027-11, the prepay limit.
    amountFor: { '1': OLD, '3': OLD + 2 * NEW, '6': OLD + 5 * NEW, '12': OLD + 11 * NEW },
  });
  const lapsedLine = (name: 'lapsed' | 'payer') => ({
    workerId: w[name],
    fullName: name === 'lapsed' ? 'Endang Susilowati' : 'Puji Astuti',
    sponsorId: name === 'lapsed' ? bappedaSponsor : null,
    opdCode: name === 'lapsed' ? 'BAPPEDA' : null,
    fundingSource: name === 'lapsed' ? 'ASN_SPONSOR' : 'DBHCHT',
    status: 'LAPSED',
    firstUnpaidMonth: '2026-09',
    dueOn: '2026-09-15',
    daysUntilDue: -69,
    arrearsMonths: 3, // September, October, November
    amountFor: { '1': OLD, '3': 3 * OLD, '6': 4 * OLD + 2 * NEW, '12': 4 * OLD + 8 * NEW },
  });
  const pendingLine = {
    workerId: '',
    fullName: 'Citra Dewi',
    sponsorId: null,
    opdCode: null,
    fundingSource: 'APBD',
    status: 'PENDING',
    firstUnpaidMonth: '2026-10',
    dueOn: '2026-10-15',
    daysUntilDue: -39,
    arrearsMonths: 2, // October, November
    amountFor: { '1': OLD, '3': 3 * OLD, '6': 3 * OLD + 3 * NEW, '12': 3 * OLD + 9 * NEW },
  };

  const expectedToday = () => {
    const lapsed = [lapsedLine('lapsed'), lapsedLine('payer')].sort((a, b) => a.workerId.localeCompare(b.workerId));
    const active = [activeLine('active1'), activeLine('active2')].sort((a, b) => a.workerId.localeCompare(b.workerId));
    return [...lapsed, { ...pendingLine, workerId: w.pending }, ...active];
  };

  it('lists LAPSED and PENDING workers and ACTIVE ones due within 30 days, by dueOn then workerId, with exact amounts under dated tariffs', async () => {
    const body = await due('&limit=500');
    expect(body).toEqual({ asOf: TODAY, items: expectedToday(), nextCursor: null });
    // ENDED by the rules, ENDED as recorded (withdrawn), and ACTIVE beyond the window are not due.
    for (const name of ['endedByRules', 'withdrawn', 'ahead']) expect(ids(body.items)).not.toContain(w[name]);
  });

  it('is matched before GET /v1/workers/{workerId}, which still answers a worker', async () => {
    expect((await due()).asOf).toBe(TODAY);
    const worker = await t.as('operator').get(`/v1/workers/${w.lapsed}`).expect(200);
    // The recorded status is still ACTIVE (no lapse check ran): the due list judged it by the rules.
    expect(worker.body).toMatchObject({ workerId: w.lapsed, status: 'ACTIVE', paidThrough: '2026-08' });
  });

  it('answers the same after the lapse check records what the rules already said', async () => {
    const before = await due('&limit=500');
    const run = await command('/v1/coverage/lapse-runs', {}, 200, 'admin');
    expect(run).toMatchObject({ asOf: TODAY, lapsed: 2, ended: 1 });
    expect(await due('&limit=500')).toEqual(before);
  });

  it('takes ACTIVE workers in up to `within` days (both ends included)', async () => {
    expect(ids((await due('&within=53')).items)).toContain(w.ahead);
    expect(ids((await due('&within=52')).items)).not.toContain(w.ahead);
    expect(ids((await due('&within=22')).items)).toEqual(expect.arrayContaining([w.active1, w.active2]));
    const zero = await due('&within=0');
    expect(ids(zero.items).sort()).toEqual(byId('lapsed', 'payer', 'pending'));
    // 12 months from 2027-01 would reach 2027-12, past the prepay limit of a payment made in 2026-11: null.
    const ahead = (await due('&within=53')).items.find((item) => item.workerId === w.ahead);
    expect(ahead).toMatchObject({ status: 'ACTIVE', firstUnpaidMonth: '2027-01', dueOn: '2027-01-15', daysUntilDue: 53, amountFor: { '1': NEW, '3': 3 * NEW, '6': 6 * NEW, '12': null } });
  });

  it('judges every membership as of a later asOf: the rules, never the clock', async () => {
    const body = await due('&asOf=2026-12-16&limit=500');
    expect(body.asOf).toBe('2026-12-16');
    // LAPSED since 16 September: ended on 16 December. The ACTIVE ones lapsed on 16 December; "ahead" is 30 days away.
    expect(body.items.map((item) => [item.workerId, item.status, item.dueOn, item.daysUntilDue, item.arrearsMonths])).toEqual([
      [w.pending, 'PENDING', '2026-10-15', -62, 3],
      ...[w.active1, w.active2].sort().map((id) => [id, 'LAPSED', '2026-12-15', -1, 1]),
      [w.ahead, 'ACTIVE', '2027-01-15', 30, 0],
    ]);
    // Paid on 16 December, 12 months from 2027-01 reach 2027-12: within the prepay limit now.
    expect(body.items.find((item) => item.workerId === w.ahead)?.amountFor).toEqual({ '1': NEW, '3': 3 * NEW, '6': 6 * NEW, '12': 12 * NEW });
    // On its due date an ACTIVE worker is due in 0 days.
    const onTheDay = await due('&asOf=2026-12-15&within=0');
    expect(onTheDay.items.filter((item) => item.status === 'ACTIVE').map((item) => [item.workerId, item.daysUntilDue])).toEqual(
      [w.active1, w.active2].sort().map((id) => [id, 0]),
    );
  });

  it('filters by sponsor and by OPD', async () => {
    expect(ids((await due(`&sponsorId=${dinkesSponsor}&within=60`)).items)).toEqual([w.active1, w.ahead]);
    expect(ids((await due('&opdCode=BAPPEDA')).items)).toEqual([w.lapsed]);
    expect(ids((await due('&opdCode=DINKES')).items)).toEqual([w.active1]);
    expect((await due('&opdCode=DISHUB')).items).toEqual([]);
    expect((await due(`&sponsorId=${bappedaSponsor}&opdCode=DINKES`)).items).toEqual([]);
  });

  it('pages with limit and cursor in the same order', async () => {
    const pages: Item[] = [];
    let cursor: string | null = null;
    let count = 0;
    do {
      const page = await due(`&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      pages.push(...page.items);
      cursor = page.nextCursor;
      count++;
    } while (cursor);
    expect(count).toBe(3);
    expect(pages).toEqual(expectedToday());
  });

  it('exports CSV: a header, one row per item (the whole list), amountFor as four columns, formula text escaped, numbers kept', async () => {
    const res = await t.as('operator').get(`/v1/workers/due?format=csv&limit=1&minPosition=${last}`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="workers-due-${TODAY}.csv"`);
    const records = parse(res.text, { columns: true }) as Record<string, string>[];
    const cell = (value: number | string | null) => (value === null ? '' : String(value));
    expect(records).toEqual(
      expectedToday().map((item) => ({
        workerId: item.workerId,
        fullName: item.fullName.startsWith('=') ? `'${item.fullName}` : item.fullName,
        sponsorId: cell(item.sponsorId),
        opdCode: cell(item.opdCode),
        fundingSource: item.fundingSource,
        status: item.status,
        firstUnpaidMonth: item.firstUnpaidMonth,
        dueOn: item.dueOn,
        daysUntilDue: String(item.daysUntilDue),
        arrearsMonths: String(item.arrearsMonths),
        amountFor1: cell(item.amountFor['1']),
        amountFor3: cell(item.amountFor['3']),
        amountFor6: cell(item.amountFor['6']),
        amountFor12: cell(item.amountFor['12']),
      })),
    );
    expect(res.text).toContain(`,-69,3,`);
    const nulls = parse((await t.as('admin').get('/v1/workers/due?format=csv&within=53').expect(200)).text, { columns: true }) as Record<string, string>[];
    expect(nulls.find((row) => row.workerId === w.ahead)).toMatchObject({ amountFor1: String(NEW), amountFor12: '' });
  });

  it('quotes exactly what a payment made that day must be: the 6-month amount is accepted as is', async () => {
    const line = (await due()).items.find((item) => item.workerId === w.payer)!;
    expect(line.amountFor['6']).toBe(4 * OLD + 2 * NEW);
    await command(`/v1/workers/${w.payer}/payments`, { paymentRef: 'DUE-P2', months: 6, amount: line.amountFor['6']! + 1, paidOn: TODAY, payer: { type: 'DBHCHT' } }, 422);
    const paid = await command(`/v1/workers/${w.payer}/payments`, { paymentRef: 'DUE-P2', months: 6, amount: line.amountFor['6'], paidOn: TODAY, payer: { type: 'DBHCHT' } }, 201);
    expect(paid).toMatchObject({ coveredFrom: '2026-09', coveredThrough: '2027-02', amount: 4 * OLD + 2 * NEW, status: 'ACTIVE' });
    // Paid through 2027-02: the next due date is 15 March 2027, outside 30 days but inside 365.
    expect(ids((await due()).items)).not.toContain(w.payer);
    expect((await due('&within=365')).items.find((item) => item.workerId === w.payer)).toMatchObject({
      status: 'ACTIVE',
      firstUnpaidMonth: '2027-03',
      daysUntilDue: 112,
      amountFor: { '1': NEW, '3': 3 * NEW, '6': 6 * NEW, '12': null },
    });
  });

  it('writes every name it answers to the access log', async () => {
    await due('&opdCode=BAPPEDA');
    const log = await t.as('admin').get(`/v1/workers/${w.lapsed}/personal-data`).expect(200);
    expect(log.body.accessLog).toEqual(expect.arrayContaining([expect.objectContaining({ principal: 'operator-key', route: 'GET /v1/workers/due' })]));
    await t.as('admin').get('/v1/workers/due?format=csv');
    const csvLog = await t.as('admin').get(`/v1/workers/${w.pending}/personal-data`).expect(200);
    expect(csvLog.body.accessLog).toEqual(expect.arrayContaining([expect.objectContaining({ principal: 'admin-key', route: 'GET /v1/workers/due' })]));
  });

  it('refuses bad parameters with 400 VALIDATION_FAILED, naming the field', async () => {
    const bad: [string, string][] = [
      ['within=-1', 'within'],
      ['within=366', 'within'],
      ['within=abc', 'within'],
      ['within=1.5', 'within'],
      ['within=', 'within'],
      ['within=1&within=2', 'within'],
      ['asOf=2026-02-30', 'asOf'],
      ['asOf=23-11-2026', 'asOf'],
      ['asOf=2026-11-22', 'asOf'], // before today
      ['asOf=2027-11-25', 'asOf'], // more than 366 days ahead
      ['format=xml', 'format'],
      ['sponsorId=not-a-uuid', 'sponsorId'],
      ['opdCode=dinkes', 'opdCode'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['status=ACTIVE', 'status'],
    ];
    for (const [query, field] of bad) {
      const res = await t.as('operator').get(`/v1/workers/due?${query}`);
      expect({ query, status: res.status, code: res.body.code, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: expect.arrayContaining([field]),
      });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await due('&asOf=2027-11-24')).asOf).toBe('2027-11-24');
  });

  it('is for admins and operators: 403 FORBIDDEN for auditors and analysts, 401 without a key', async () => {
    for (const role of ['auditor', 'analyst'] as const) {
      for (const query of ['', '?format=csv']) {
        const res = await t.as(role).get(`/v1/workers/due${query}`);
        expect({ role, query, status: res.status, code: res.body.code }).toEqual({ role, query, status: 403, code: 'FORBIDDEN' });
      }
    }
    const anonymous = await t.as().get('/v1/workers/due');
    expect({ status: anonymous.status, code: anonymous.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    await due('', 'admin');
  });
});
