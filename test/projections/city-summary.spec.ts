import { readCitySummary } from '../../projections/city-summary/city-summary.query';
import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

describe('city summary', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it('is all zeros before anything happened', async () => {
    expect(await readCitySummary(db.pool)).toEqual({
      pnsHeadcount: 0,
      sponsorsRegistered: 0,
      sponsorsActive: 0,
      participationRate: 0,
      activeParticipationRate: 0,
      opdsTotal: 0,
      opdsParticipating: 0,
      opdsNotParticipating: 0,
      workersRegistered: 0,
      workersActive: 0,
      workersInactive: 0,
      workersByStatus: { PENDING: 0, ACTIVE: 0, LAPSED: 0, ENDED: 0 },
      premiumsCollected: 0,
    });
  });

  it('derives the city figures: participation over all OPDs, workers of every funding source, every premium', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES', { pnsHeadcount: 400 });
    log.opdRegistered('DISDAG', { pnsHeadcount: 250 });
    log.opdRegistered('BAPPEDA', { pnsHeadcount: 80 });
    log.opdHeadcountSet('BAPPEDA', 90, 80, '2026-04-01');
    const s1 = log.sponsorRegistered('DINKES');
    const s2 = log.sponsorRegistered('DINKES');
    const s3 = log.sponsorRegistered('DISDAG');
    const s4 = log.sponsorRegistered('BAPPEDA');
    log.sponsorWithdrawn(s4);
    const w1 = log.workerEnrolled({ sponsorId: s1 });
    const w2 = log.workerEnrolled({ sponsorId: s3 });
    log.workerEnrolled({ sponsorId: s2 });
    const w4 = log.workerEnrolled({ fundingSource: 'APBD' });
    log.premiumPaid(w1, { payer: { type: 'ASN_SPONSOR', sponsorId: s1 }, opdCode: 'DINKES', amount: 50_400 });
    log.premiumPaid(w2, { payer: { type: 'ASN_SPONSOR', sponsorId: s3 }, opdCode: 'DISDAG', amount: 50_400 });
    log.premiumPaid(w4, { payer: { type: 'APBD' }, amount: 201_600, months: 12 });
    log.coverageLapsed(w2);

    await db.apply(log.events);

    expect(await readCitySummary(db.pool)).toEqual({
      pnsHeadcount: 740,
      sponsorsRegistered: 3,
      sponsorsActive: 1,
      participationRate: 0.0041,
      activeParticipationRate: 0.0014,
      opdsTotal: 3,
      opdsParticipating: 2,
      opdsNotParticipating: 1,
      workersRegistered: 4,
      workersActive: 2,
      workersInactive: 2,
      workersByStatus: { PENDING: 1, ACTIVE: 2, LAPSED: 1, ENDED: 0 },
      premiumsCollected: 302_400,
    });
  });

  it('leaves a retired OPD out of opdsTotal, pnsHeadcount, opdsParticipating and opdsNotParticipating', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES', { pnsHeadcount: 400 });
    log.opdRegistered('BAPPEDA', { pnsHeadcount: 80 });
    log.opdRegistered('KECTUGU', { kind: 'KECAMATAN', pnsHeadcount: 30 });
    log.opdRegistered('SETWAN', { kind: 'SEKRETARIAT', pnsHeadcount: 20 });
    log.sponsorRegistered('DINKES');
    const moved = log.sponsorRegistered('KECTUGU');
    log.sponsorTransferred(moved, 'KECTUGU', 'DINKES', '2026-06-01');
    log.opdRetired('KECTUGU', '2026-07-01');
    log.opdRetired('SETWAN', '2026-07-01');

    await db.apply(log.events);
    const summary = await readCitySummary(db.pool);
    await db.apply(log.events);

    expect(summary).toMatchObject({
      pnsHeadcount: 480,
      sponsorsRegistered: 2,
      participationRate: 0.0042,
      opdsTotal: 2,
      opdsParticipating: 1,
      opdsNotParticipating: 1,
    });
    expect(await readCitySummary(db.pool)).toEqual(summary);
  });
});
