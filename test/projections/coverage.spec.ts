import { readCoverage } from '../../projections/coverage/coverage.query';
import { EventLog } from './support/event-log';
import { createReadModelDatabase, type ReadModelDatabase } from './support/read-model-database';

describe('coverage by kecamatan, occupation, funding source and OPD', () => {
  let db: ReadModelDatabase;
  const log = new EventLog();

  beforeAll(async () => {
    db = await createReadModelDatabase();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const dinkes = log.sponsorRegistered('DINKES');
    const disdag = log.sponsorRegistered('DISDAG');
    const a = log.workerEnrolled({ sponsorId: dinkes, kecamatan: '3374.01', occupation: 'DOMESTIC_HELPER' });
    const b = log.workerEnrolled({ sponsorId: dinkes, kecamatan: '3374.01', occupation: 'PRIVATE_DRIVER' });
    const c = log.workerEnrolled({ sponsorId: disdag, kecamatan: '3374.02', occupation: 'DOMESTIC_HELPER' });
    const d = log.workerEnrolled({ fundingSource: 'APBD', kecamatan: '3374.02', occupation: 'SNACK_VENDOR' });
    log.workerEnrolled({ fundingSource: 'CSR', kecamatan: '3374.02', occupation: 'SNACK_VENDOR' });
    log.premiumPaid(a, { payer: { type: 'ASN_SPONSOR', sponsorId: dinkes }, opdCode: 'DINKES' });
    log.premiumPaid(b, { payer: { type: 'ASN_SPONSOR', sponsorId: dinkes }, opdCode: 'DINKES' });
    log.premiumPaid(d, { payer: { type: 'APBD' } });
    log.coverageLapsed(b);
    log.coverageEnded(c, { cause: 'WITHDRAWN', reason: 'moved away' });
    // The sponsor moves: its workers count under the new OPD.
    log.sponsorTransferred(dinkes, 'DINKES', 'DISDAG');
    await db.apply(log.events);
  });

  afterAll(async () => {
    await db.close();
  });

  it('groups by kecamatan, every funding source included', async () => {
    expect(await readCoverage(db.pool, 'kecamatan')).toEqual([
      { key: '3374.01', registered: 2, active: 1, inactive: 1, byStatus: { PENDING: 0, ACTIVE: 1, LAPSED: 1, ENDED: 0 } },
      { key: '3374.02', registered: 3, active: 1, inactive: 2, byStatus: { PENDING: 1, ACTIVE: 1, LAPSED: 0, ENDED: 1 } },
    ]);
  });

  it('groups by occupation and by funding source', async () => {
    expect(await readCoverage(db.pool, 'occupation')).toEqual([
      { key: 'DOMESTIC_HELPER', registered: 2, active: 1, inactive: 1, byStatus: { PENDING: 0, ACTIVE: 1, LAPSED: 0, ENDED: 1 } },
      { key: 'PRIVATE_DRIVER', registered: 1, active: 0, inactive: 1, byStatus: { PENDING: 0, ACTIVE: 0, LAPSED: 1, ENDED: 0 } },
      { key: 'SNACK_VENDOR', registered: 2, active: 1, inactive: 1, byStatus: { PENDING: 1, ACTIVE: 1, LAPSED: 0, ENDED: 0 } },
    ]);
    expect(await readCoverage(db.pool, 'fundingSource')).toEqual([
      { key: 'APBD', registered: 1, active: 1, inactive: 0, byStatus: { PENDING: 0, ACTIVE: 1, LAPSED: 0, ENDED: 0 } },
      { key: 'ASN_SPONSOR', registered: 3, active: 1, inactive: 2, byStatus: { PENDING: 0, ACTIVE: 1, LAPSED: 1, ENDED: 1 } },
      { key: 'CSR', registered: 1, active: 0, inactive: 1, byStatus: { PENDING: 1, ACTIVE: 0, LAPSED: 0, ENDED: 0 } },
    ]);
  });

  it('groups by the OPD of the current sponsor, with the workers of other funding sources under no OPD (null)', async () => {
    expect(await readCoverage(db.pool, 'opd')).toEqual([
      { key: 'DISDAG', registered: 3, active: 1, inactive: 2, byStatus: { PENDING: 0, ACTIVE: 1, LAPSED: 1, ENDED: 1 } },
      { key: null, registered: 2, active: 1, inactive: 1, byStatus: { PENDING: 1, ACTIVE: 1, LAPSED: 0, ENDED: 0 } },
    ]);
  });

  it('answers the same after the same events are delivered again', async () => {
    const before = await Promise.all((['kecamatan', 'occupation', 'fundingSource', 'opd'] as const).map((g) => readCoverage(db.pool, g)));
    await db.apply(log.events, { batchSize: 2 });
    expect(await Promise.all((['kecamatan', 'occupation', 'fundingSource', 'opd'] as const).map((g) => readCoverage(db.pool, g)))).toEqual(before);
  });
});
