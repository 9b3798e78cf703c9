import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A small city built through the HTTP API, then every field of the city, OPD and coverage statistics
 * checked against figures worked out by hand below (today is 2026-11-23, due day 15, window 3).
 */
const TODAY = '2026-11-23';

type Status = 'PENDING' | 'ACTIVE' | 'LAPSED' | 'ENDED';
interface Expected {
  key: string;
  kecamatan: string;
  occupation: string;
  fundingSource: string;
  opd: string | null;
  status: Status;
}

// The outcome each worker should have after the lapse check as of today, and why.
const WORKERS: Expected[] = [
  { key: 'W1', kecamatan: '3374.01', occupation: 'DOMESTIC_HELPER', fundingSource: 'ASN_SPONSOR', opd: 'DINKES', status: 'ACTIVE' }, // paid 09–11
  { key: 'W2', kecamatan: '3374.02', occupation: 'PRIVATE_DRIVER', fundingSource: 'ASN_SPONSOR', opd: 'DINKES', status: 'PENDING' }, // enrolled 11-10, unpaid
  { key: 'W3', kecamatan: '3374.01', occupation: 'VEGETABLE_SELLER', fundingSource: 'ASN_SPONSOR', opd: 'DISBUDPAR', status: 'LAPSED' }, // paid 08 only; sponsor moved
  { key: 'W4', kecamatan: '3374.03', occupation: 'SNACK_VENDOR', fundingSource: 'ASN_SPONSOR', opd: 'DISBUDPAR', status: 'ACTIVE' }, // paid 10–12, then 2027-01
  { key: 'W5', kecamatan: '3374.02', occupation: 'HOME_SECURITY_GUARD', fundingSource: 'ASN_SPONSOR', opd: 'DISBUDPAR', status: 'ENDED' }, // paid 05 only: window ended 09-15
  { key: 'W6', kecamatan: '3374.03', occupation: 'NEWSPAPER_SELLER', fundingSource: 'ASN_SPONSOR', opd: 'DISDAG', status: 'ACTIVE' }, // paid 10–12; sponsor withdrew, new sponsor
  { key: 'W7', kecamatan: '3374.01', occupation: 'FAMILY_BUSINESS', fundingSource: 'ASN_SPONSOR', opd: 'DISDAG', status: 'ENDED' }, // withdrawn
  { key: 'W8', kecamatan: '3374.02', occupation: 'CASUAL_WORKER', fundingSource: 'APBD', opd: null, status: 'ACTIVE' }, // paid 09–11
  { key: 'W9', kecamatan: '3374.03', occupation: 'OTHER', fundingSource: 'DBHCHT', opd: null, status: 'PENDING' }, // enrolled 11-01, unpaid
  { key: 'W10', kecamatan: '3374.01', occupation: 'DOMESTIC_HELPER', fundingSource: 'CSR', opd: null, status: 'ENDED' }, // paid 07 only: window ended 11-15
  { key: 'W11', kecamatan: '3374.02', occupation: 'PRIVATE_DRIVER', fundingSource: 'SELF', opd: null, status: 'LAPSED' }, // paid 09 only
];

function coverageBy(field: 'kecamatan' | 'occupation' | 'fundingSource' | 'opd') {
  const groups = new Map<string | null, { PENDING: number; ACTIVE: number; LAPSED: number; ENDED: number }>();
  for (const w of WORKERS) {
    const key = w[field];
    const counts = groups.get(key) ?? { PENDING: 0, ACTIVE: 0, LAPSED: 0, ENDED: 0 };
    counts[w.status]++;
    groups.set(key, counts);
  }
  return [...groups.entries()].map(([key, byStatus]) => {
    const registered = byStatus.PENDING + byStatus.ACTIVE + byStatus.LAPSED + byStatus.ENDED;
    return { key, registered, active: byStatus.ACTIVE, inactive: registered - byStatus.ACTIVE, byStatus };
  });
}

const byKey = <T extends { key: string | null }>(items: T[]) => [...items].sort((a, b) => String(a.key).localeCompare(String(b.key)));

describe('a small city, through the HTTP API', () => {
  let t: TestApp;
  let last = '0';
  const ids: Record<string, string> = {};
  let nikSeq = 1;

  const send = async (method: 'post' | 'put', path: string, body: object, status = method === 'post' ? 201 : 200, role: 'admin' | 'operator' = 'operator') => {
    const res = await t.as(role)[method](path).send(body);
    expect({ path, status: res.status, body: res.body }).toMatchObject({ status });
    if (res.body.position) last = res.body.position;
    return res.body;
  };
  const opd = (code: string, pnsHeadcount: number) => send('post', '/v1/opds', { code, name: `OPD ${code}`, kind: 'DINAS', pnsHeadcount }, 201, 'admin');
  const sponsor = async (key: string, opdCode: string, seq: number) => {
    ids[key] = (await send('post', '/v1/sponsors', { nip: syntheticNip('1980-02-02', 'M', seq), fullName: `Sponsor ${key}`, opdCode })).sponsorId;
  };
  const worker = async (key: string, enrolledOn: string, funding: string, sponsorKey?: string) => {
    const w = WORKERS.find((x) => x.key === key)!;
    ids[key] = (
      await send('post', '/v1/workers', {
        nik: syntheticNik('1985-06-15', 'F', nikSeq++),
        fullName: `Worker ${key}`,
        birthDate: '1985-06-15',
        gender: 'F',
        occupation: w.occupation,
        kecamatan: w.kecamatan,
        fundingSource: funding,
        sponsorId: sponsorKey ? ids[sponsorKey] : undefined,
        enrolledOn,
      })
    ).workerId;
  };
  const pay = (key: string, ref: string, months: number, paidOn: string, payer: object) =>
    send('post', `/v1/workers/${ids[key]}/payments`, { paymentRef: ref, months, amount: 16800 * months, paidOn, payer });
  const asn = (sponsorKey: string) => ({ type: 'ASN_SPONSOR', sponsorId: ids[sponsorKey] });

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY });
    await opd('DINKES', 400);
    await opd('DISBUDPAR', 120);
    await opd('DISDAG', 90);
    await opd('BAPPEDA', 60);
    await sponsor('S1', 'DINKES', 1);
    await sponsor('S2', 'DINKES', 2);
    await sponsor('S3', 'DISBUDPAR', 3);
    await sponsor('S4', 'DISDAG', 4);
    await sponsor('S5', 'DISDAG', 5);

    await worker('W1', '2026-09-01', 'ASN_SPONSOR', 'S1');
    await pay('W1', 'R-W1-1', 3, '2026-09-05', asn('S1'));
    await worker('W2', '2026-11-10', 'ASN_SPONSOR', 'S1');
    await worker('W3', '2026-08-03', 'ASN_SPONSOR', 'S2');
    await pay('W3', 'R-W3-1', 1, '2026-08-05', asn('S2'));
    await worker('W4', '2026-10-01', 'ASN_SPONSOR', 'S2');
    await pay('W4', 'R-W4-1', 3, '2026-10-02', asn('S2'));
    // Mutasi: S2 and its workers move to DISBUDPAR; its earlier premiums stay with DINKES.
    await send('post', `/v1/sponsors/${ids.S2}/transfer`, { opdCode: 'DISBUDPAR' }, 200);
    await pay('W4', 'R-W4-2', 1, TODAY, asn('S2'));
    await worker('W5', '2026-05-04', 'ASN_SPONSOR', 'S3');
    await pay('W5', 'R-W5-1', 1, '2026-05-06', asn('S3'));
    await worker('W6', '2026-10-01', 'ASN_SPONSOR', 'S4');
    await pay('W6', 'R-W6-1', 3, '2026-10-01', asn('S4'));
    await send('post', `/v1/sponsors/${ids.S4}/withdraw`, { reason: 'Pensiun' }, 200);
    await send('post', `/v1/workers/${ids.W6}/sponsor`, { sponsorId: ids.S5 }, 200);
    await worker('W7', '2026-10-05', 'ASN_SPONSOR', 'S5');
    await send('post', `/v1/workers/${ids.W7}/withdraw`, { reason: 'Pindah domisili' }, 200);
    await worker('W8', '2026-09-01', 'APBD');
    await pay('W8', 'R-W8-1', 3, '2026-09-02', { type: 'APBD' });
    await worker('W9', '2026-11-01', 'DBHCHT');
    await worker('W10', '2026-07-01', 'CSR');
    await pay('W10', 'R-W10-1', 1, '2026-07-02', { type: 'CSR', name: 'Yayasan Peduli' });
    await worker('W11', '2026-09-10', 'SELF');
    await pay('W11', 'R-W11-1', 1, '2026-09-10', { type: 'SELF' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the lapse check as of today records two lapses and two ends, and a second run nothing', async () => {
    const run = await send('post', '/v1/coverage/lapse-runs', { asOf: TODAY }, 200, 'admin');
    expect(run).toMatchObject({ asOf: TODAY, lapsed: 2, ended: 2 });
    const again = await send('post', '/v1/coverage/lapse-runs', { asOf: TODAY }, 200, 'admin');
    expect(again).toMatchObject({ asOf: TODAY, lapsed: 0, ended: 0 });
  });

  it('GET /v1/stats/summary: every field', async () => {
    const res = await t.as('analyst').get(`/v1/stats/summary?minPosition=${last}`).expect(200);
    expect(BigInt(res.headers['x-projection-position'])).toBeGreaterThanOrEqual(BigInt(last));
    expect(res.body).toEqual({
      pnsHeadcount: 670,
      sponsorsRegistered: 4, // S4 withdrew
      sponsorsActive: 3, // S1 (W1), S2 (W4), S5 (W6); S3's only worker ended
      participationRate: 0.006, // 4 / 670
      activeParticipationRate: 0.0045, // 3 / 670
      opdsTotal: 4,
      opdsParticipating: 3,
      opdsNotParticipating: 1, // BAPPEDA
      workersRegistered: 11,
      workersActive: 4,
      workersInactive: 7,
      workersByStatus: { PENDING: 2, ACTIVE: 4, LAPSED: 2, ENDED: 3 },
      premiumsCollected: 4 * 50400 + 5 * 16800, // every funding source
    });
  });

  it('GET /v1/stats/opds: every field of every OPD', async () => {
    const res = await t.as('analyst').get(`/v1/stats/opds?minPosition=${last}`).expect(200);
    const row = (opdCode: string, o: object) => ({ opdCode, name: `OPD ${opdCode}`, kind: 'DINAS', ...o });
    expect([...res.body.items].sort((a, b) => a.opdCode.localeCompare(b.opdCode))).toEqual([
      row('BAPPEDA', {
        pnsHeadcount: 60, sponsorsRegistered: 0, sponsorsActive: 0, participationRate: 0, activeParticipationRate: 0,
        workersRegistered: 0, workersActive: 0, premiumsCollected: 0, participating: false,
      }),
      // S1 stays; S2 moved out with W3 and W4, but W1's, W3's and W4's first premiums were paid here.
      row('DINKES', {
        pnsHeadcount: 400, sponsorsRegistered: 1, sponsorsActive: 1, participationRate: 0.0025, activeParticipationRate: 0.0025,
        workersRegistered: 2, workersActive: 1, premiumsCollected: 50400 + 16800 + 50400, participating: true,
      }),
      // S2 (moved in) and S3; W4's payment after the move and W5's payment.
      row('DISBUDPAR', {
        pnsHeadcount: 120, sponsorsRegistered: 2, sponsorsActive: 1, participationRate: 0.0167, activeParticipationRate: 0.0083,
        workersRegistered: 3, workersActive: 1, premiumsCollected: 16800 + 16800, participating: true,
      }),
      // S5 (S4 withdrew; its payment for W6 stays here).
      row('DISDAG', {
        pnsHeadcount: 90, sponsorsRegistered: 1, sponsorsActive: 1, participationRate: 0.0111, activeParticipationRate: 0.0111,
        workersRegistered: 2, workersActive: 1, premiumsCollected: 50400, participating: true,
      }),
    ]);
  });

  it.each(['kecamatan', 'occupation', 'fundingSource', 'opd'] as const)('GET /v1/stats/coverage?groupBy=%s: every group', async (groupBy) => {
    const res = await t.as('analyst').get(`/v1/stats/coverage?groupBy=${groupBy}&minPosition=${last}`).expect(200);
    expect(res.body.groupBy).toBe(groupBy);
    expect(byKey(res.body.items)).toEqual(byKey(coverageBy(groupBy)));
  });

  it('GET /v1/workers/{id} shows the events\' view of a worker, NIK masked', async () => {
    const res = await t.as('auditor').get(`/v1/workers/${ids.W4}?minPosition=${last}`).expect(200);
    expect(res.body).toEqual({
      workerId: ids.W4,
      erased: false,
      nikMasked: expect.stringMatching(/^3374\*{10}\d{2}$/),
      fullName: 'Worker W4',
      gender: 'F',
      occupation: 'SNACK_VENDOR',
      kecamatan: '3374.03',
      fundingSource: 'ASN_SPONSOR',
      sponsorId: ids.S2,
      opdCode: 'DISBUDPAR',
      status: 'ACTIVE',
      enrolledOn: '2026-10-01',
      paidThrough: '2027-01',
      monthsContributed: 4,
      lastPaymentOn: TODAY,
    });
  });

  it('lists workers by status, OPD, sponsor and kecamatan, page by page', async () => {
    const lapsed = await t.as('operator').get(`/v1/workers?status=LAPSED&minPosition=${last}`).expect(200);
    expect(lapsed.body.items.map((w: { workerId: string }) => w.workerId).sort()).toEqual([ids.W3, ids.W11].sort());
    const disbudpar = await t.as('operator').get('/v1/workers?opdCode=DISBUDPAR').expect(200);
    expect(disbudpar.body.items).toHaveLength(3);
    const ofS1 = await t.as('operator').get(`/v1/workers?sponsorId=${ids.S1}&kecamatan=3374.02`).expect(200);
    expect(ofS1.body.items.map((w: { workerId: string }) => w.workerId)).toEqual([ids.W2]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { workerId: string }[]; nextCursor: string | null } } = await t
        .as('operator')
        .get(`/v1/workers?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.items.map((w) => w.workerId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(Object.entries(ids).filter(([k]) => k.startsWith('W')).map(([, id]) => id).sort());
  });

  it('shows sponsors with their workers and premiums, and lists them by OPD', async () => {
    const s2 = await t.as('operator').get(`/v1/sponsors/${ids.S2}?minPosition=${last}`).expect(200);
    expect(s2.body).toEqual({
      sponsorId: ids.S2, fullName: 'Sponsor S2', opdCode: 'DISBUDPAR', status: 'ACTIVE', erased: false,
      workersRegistered: 2, workersActive: 1, premiumsPaid: 16800 + 50400 + 16800,
    });
    const s4 = await t.as('operator').get(`/v1/sponsors/${ids.S4}`).expect(200);
    expect(s4.body).toMatchObject({ status: 'WITHDRAWN', workersRegistered: 0, premiumsPaid: 50400 });
    const disdag = await t.as('operator').get('/v1/sponsors?opdCode=DISDAG').expect(200);
    expect(disdag.body.items.map((s: { sponsorId: string }) => s.sponsorId).sort()).toEqual([ids.S4, ids.S5].sort());
    expect(disdag.body.nextCursor).toBeNull();
  });

  it('GET /v1/stats/monthly gives every month of the range', async () => {
    const res = await t.as('analyst').get(`/v1/stats/monthly?from=2026-04&to=2026-11&minPosition=${last}`).expect(200);
    const month = (m: string) => res.body.items.find((i: { month: string }) => i.month === m);
    expect(res.body.items.map((i: { month: string }) => i.month)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(month('2026-04')).toEqual({ month: '2026-04', enrolments: 0, payments: 0, amount: 0, lapses: 0, ends: 0, reversals: 0, reversedAmount: 0 });
    expect(month('2026-09')).toMatchObject({ enrolments: 3, payments: 3, amount: 50400 + 50400 + 16800 });
    // Lapses and ends count in the month the rules date them, not in the month of the check that recorded them:
    // W3 lapsed 09-16, W11 10-16; W5 ended 09-16, W10 11-16, W7 was withdrawn today.
    expect(month('2026-09')).toMatchObject({ lapses: 1, ends: 1 });
    expect(month('2026-10')).toMatchObject({ lapses: 1, ends: 0 });
    expect(month('2026-11')).toMatchObject({ enrolments: 2, payments: 1, amount: 16800, lapses: 0, ends: 2 });
  });

  it('keeps personal data from analysts and unknown ids give 404', async () => {
    expect((await t.as('analyst').get(`/v1/workers/${ids.W1}`).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.as('analyst').get('/v1/sponsors').expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.as('auditor').get('/v1/workers/0b7f4a4e-1111-4222-8333-444455556666').expect(404)).body.code).toBe('NOT_FOUND');
  });

  it('rejects bad query parameters with 400', async () => {
    expect((await t.as('analyst').get('/v1/stats/coverage?groupBy=religion').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.as('analyst').get('/v1/stats/summary?minPosition=abc').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.as('operator').get('/v1/workers?limit=501').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.as('operator').get('/v1/workers?cursor=bm90LWEtdXVpZA').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});
