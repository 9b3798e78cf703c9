import { readOpdParticipation } from '../../projections/opd-participation/opd-participation.query';
import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

const opdRow = async (db: ReadModelDatabase, opdCode: string) =>
  (
    await db.rows(
      `SELECT name, kind, pns_headcount AS "pnsHeadcount", headcount_effective_on::text AS "headcountEffectiveOn",
              sponsors_registered AS "sponsorsRegistered", sponsors_active AS "sponsorsActive",
              workers_registered AS "workersRegistered", workers_active AS "workersActive",
              premiums_collected::int AS "premiumsCollected"
         FROM opd_participation WHERE opd_code = $1`,
      [opdCode],
    )
  )[0];

const counts = async (db: ReadModelDatabase, opdCode: string) => {
  const { sponsorsRegistered, sponsorsActive, workersRegistered, workersActive, premiumsCollected } = await opdRow(db, opdCode);
  return { sponsorsRegistered, sponsorsActive, workersRegistered, workersActive, premiumsCollected };
};

describe('OPD participation projection', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it('registers an OPD with its PNS headcount and keeps the headcount history', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES', { name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 420, registeredOn: '2026-01-05' });
    log.opdHeadcountSet('DINKES', 435, 420, '2026-04-01');
    // A back-dated correction is history; it does not replace the later-effective headcount.
    log.opdHeadcountSet('DINKES', 421, 420, '2026-02-01');

    await db.apply(log.events);

    expect(await opdRow(db, 'DINKES')).toMatchObject({ name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 435, headcountEffectiveOn: '2026-04-01' });
    expect(
      await db.rows(
        `SELECT effective_on::text AS "effectiveOn", pns_headcount AS "pnsHeadcount", previous_headcount AS "previousHeadcount", recorded_by AS "recordedBy"
           FROM opd_headcount_history WHERE opd_code = 'DINKES' ORDER BY position`,
      ),
    ).toEqual([
      { effectiveOn: '2026-01-05', pnsHeadcount: 420, previousHeadcount: null, recordedBy: 'operator-1' },
      { effectiveOn: '2026-04-01', pnsHeadcount: 435, previousHeadcount: 420, recordedBy: 'operator-1' },
      { effectiveOn: '2026-02-01', pnsHeadcount: 421, previousHeadcount: 420, recordedBy: 'operator-1' },
    ]);
  });

  it('counts registered sponsors without the withdrawn, and active sponsors as those with an ACTIVE worker', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES', { pnsHeadcount: 200 });
    const active = log.sponsorRegistered('DINKES');
    const pendingOnly = log.sponsorRegistered('DINKES');
    const withdrawn = log.sponsorRegistered('DINKES');
    const paidWorker = log.workerEnrolled({ sponsorId: active });
    log.workerEnrolled({ sponsorId: pendingOnly });
    log.premiumPaid(paidWorker, { payer: { type: 'ASN_SPONSOR', sponsorId: active }, opdCode: 'DINKES', amount: 50_400 });
    log.sponsorWithdrawn(withdrawn);

    await db.apply(log.events);

    expect(await counts(db, 'DINKES')).toEqual({ sponsorsRegistered: 2, sponsorsActive: 1, workersRegistered: 2, workersActive: 1, premiumsCollected: 50_400 });
    expect(await readOpdParticipation(db.pool)).toEqual([
      expect.objectContaining({ opdCode: 'DINKES', pnsHeadcount: 200, participationRate: 0.01, activeParticipationRate: 0.005, participating: true }),
    ]);
  });

  it('updates workersActive and sponsorsActive when a worker lapses, ends, is re-enrolled and pays again', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES');
    const payer = { type: 'ASN_SPONSOR' as const, sponsorId };
    const workerId = log.workerEnrolled({ sponsorId });
    log.premiumPaid(workerId, { payer, opdCode: 'DINKES' });
    const seen: unknown[] = [];

    await db.apply(log.events);
    seen.push(await counts(db, 'DINKES'));
    for (const event of [log.coverageLapsed(workerId), log.coverageEnded(workerId), log.workerReenrolled(workerId), log.premiumPaid(workerId, { payer, opdCode: 'DINKES' })]) {
      await db.apply([event]);
      seen.push(await counts(db, 'DINKES'));
    }

    expect(seen).toMatchObject([
      { workersRegistered: 1, workersActive: 1, sponsorsActive: 1 },
      { workersRegistered: 1, workersActive: 0, sponsorsActive: 0 },
      { workersRegistered: 1, workersActive: 0, sponsorsActive: 0 },
      { workersRegistered: 1, workersActive: 0, sponsorsActive: 0 },
      { workersRegistered: 1, workersActive: 1, sponsorsActive: 1 },
    ]);
  });

  it('moves a transferred sponsor and its workers to the new OPD, while earlier premiums stay with the old one', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISBUDPAR');
    const mover = log.sponsorRegistered('DINKES');
    const stayer = log.sponsorRegistered('DINKES');
    const moverWorker = log.workerEnrolled({ sponsorId: mover });
    log.workerEnrolled({ sponsorId: mover });
    log.workerEnrolled({ sponsorId: stayer });
    log.premiumPaid(moverWorker, { payer: { type: 'ASN_SPONSOR', sponsorId: mover }, opdCode: 'DINKES', amount: 50_400 });
    log.sponsorTransferred(mover, 'DINKES', 'DISBUDPAR');
    // Paid after the transfer: the event carries the sponsor's OPD at payment time.
    log.premiumPaid(moverWorker, { payer: { type: 'ASN_SPONSOR', sponsorId: mover }, opdCode: 'DISBUDPAR', amount: 16_800, months: 1 });

    await db.apply(log.events);

    expect(await counts(db, 'DINKES')).toEqual({ sponsorsRegistered: 1, sponsorsActive: 0, workersRegistered: 1, workersActive: 0, premiumsCollected: 50_400 });
    expect(await counts(db, 'DISBUDPAR')).toEqual({ sponsorsRegistered: 1, sponsorsActive: 1, workersRegistered: 2, workersActive: 1, premiumsCollected: 16_800 });
  });

  it('moves a worker between OPDs when it changes to a sponsor of another OPD', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const from = log.sponsorRegistered('DINKES');
    const to = log.sponsorRegistered('DISDAG');
    const workerId = log.workerEnrolled({ sponsorId: from });
    log.premiumPaid(workerId, { payer: { type: 'ASN_SPONSOR', sponsorId: from }, opdCode: 'DINKES', amount: 50_400 });
    log.workerSponsorChanged(workerId, from, to);

    await db.apply(log.events);

    expect(await counts(db, 'DINKES')).toEqual({ sponsorsRegistered: 1, sponsorsActive: 0, workersRegistered: 0, workersActive: 0, premiumsCollected: 50_400 });
    expect(await counts(db, 'DISDAG')).toEqual({ sponsorsRegistered: 1, sponsorsActive: 1, workersRegistered: 1, workersActive: 1, premiumsCollected: 0 });
  });

  it('leaves workers and premiums of APBD, DBHCHT, CSR and self funding out of every OPD', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.sponsorRegistered('DINKES');
    for (const fundingSource of ['APBD', 'DBHCHT', 'CSR', 'SELF'] as const) {
      const workerId = log.workerEnrolled({ fundingSource });
      log.premiumPaid(workerId, { payer: { type: fundingSource }, opdCode: null });
    }

    await db.apply(log.events);

    expect(await counts(db, 'DINKES')).toEqual({ sponsorsRegistered: 1, sponsorsActive: 0, workersRegistered: 0, workersActive: 0, premiumsCollected: 0 });
    expect((await readOpdParticipation(db.pool))[0]).toMatchObject({ participating: true });
  });

  it('reports an OPD without registered sponsors as not participating (a withdrawn sponsor does not count)', async () => {
    const log = new EventLog();
    log.opdRegistered('BAPPEDA', { pnsHeadcount: 0 });
    log.sponsorWithdrawn(log.sponsorRegistered('BAPPEDA'));

    await db.apply(log.events);

    expect(await readOpdParticipation(db.pool)).toEqual([
      expect.objectContaining({ opdCode: 'BAPPEDA', sponsorsRegistered: 0, participating: false, participationRate: 0 }),
    ]);
  });

  it('renames and re-kinds an OPD with OpdDetailsCorrected, field by field', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES', { name: 'Dinas Kesehatan', kind: 'DINAS' });
    log.opdDetailsCorrected('DINKES', { name: 'Dinas Kesehatan Kota' });
    log.opdDetailsCorrected('DINKES', { kind: 'BADAN' });

    await db.apply(log.events);

    expect(await opdRow(db, 'DINKES')).toMatchObject({ name: 'Dinas Kesehatan Kota', kind: 'BADAN' });
    expect(await readOpdParticipation(db.pool)).toEqual([expect.objectContaining({ opdCode: 'DINKES', name: 'Dinas Kesehatan Kota', kind: 'BADAN' })]);
  });

  it('keeps a retired OPD with its retirement date, and leaves it out of the per-OPD participation', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('KECTUGU', { kind: 'KECAMATAN', pnsHeadcount: 30 });
    const moved = log.sponsorRegistered('KECTUGU');
    log.sponsorTransferred(moved, 'KECTUGU', 'DINKES', '2026-06-01');
    log.opdRetired('KECTUGU', '2026-07-01');

    await db.apply(log.events);

    expect(await db.rows(`SELECT opd_code AS "opdCode", retired_on::text AS "retiredOn", sponsors_registered AS "sponsorsRegistered" FROM opd_participation ORDER BY opd_code`)).toEqual([
      { opdCode: 'DINKES', retiredOn: null, sponsorsRegistered: 1 },
      { opdCode: 'KECTUGU', retiredOn: '2026-07-01', sponsorsRegistered: 0 },
    ]);
    expect((await readOpdParticipation(db.pool)).map((o) => o.opdCode)).toEqual(['DINKES']);
  });

  it('changes nothing for a correction or retirement at or below the row\'s last position', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES', { name: 'Dinas Kesehatan' });
    const renamed = log.opdDetailsCorrected('DINKES', { name: 'Dinas Kesehatan Kota' });
    const retired = log.opdRetired('DINKES', '2026-07-01');
    log.opdDetailsCorrected('DINKES', { name: 'Dinas Kesehatan Semarang' });

    await db.apply(log.events);
    await db.apply([renamed, retired]);

    expect(await db.rows(`SELECT name, retired_on::text AS "retiredOn" FROM opd_participation`)).toEqual([{ name: 'Dinas Kesehatan Semarang', retiredOn: '2026-07-01' }]);
  });

  it('gives the same rows when the same corrections and retirement are delivered twice', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES', { pnsHeadcount: 120 });
    log.opdRegistered('DISDAG');
    const s = log.sponsorRegistered('DINKES');
    log.opdDetailsCorrected('DINKES', { name: 'Dinas Kesehatan Kota' });
    log.opdHeadcountSet('DINKES', 130, 120, '2026-05-01');
    log.sponsorTransferred(s, 'DINKES', 'DISDAG');
    log.opdDetailsCorrected('DINKES', { kind: 'BADAN' });
    log.opdRetired('DINKES', '2026-07-01');
    log.opdDetailsCorrected('DINKES', { name: 'Dinas Kesehatan (lama)' });

    await db.apply(log.events, { batchSize: 3 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 1 });
    await db.apply(log.events.slice(4), { batchSize: 100 });

    expect(await db.snapshot()).toEqual(once);
    expect(once.opd_participation).toEqual([
      expect.objectContaining({ opd_code: 'DINKES', name: 'Dinas Kesehatan (lama)', kind: 'BADAN', pns_headcount: 130, sponsors_registered: 0 }),
      expect.objectContaining({ opd_code: 'DISDAG', retired_on: null, sponsors_registered: 1 }),
    ]);
  });

  it('gives the same rows when the same events are delivered twice', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const a = log.sponsorRegistered('DINKES');
    const b = log.sponsorRegistered('DINKES');
    const w = log.workerEnrolled({ sponsorId: a });
    log.premiumPaid(w, { payer: { type: 'ASN_SPONSOR', sponsorId: a }, opdCode: 'DINKES' });
    log.opdHeadcountSet('DINKES', 150, 100, '2026-05-01');
    log.sponsorTransferred(a, 'DINKES', 'DISDAG');
    log.premiumPaid(w, { payer: { type: 'ASN_SPONSOR', sponsorId: a }, opdCode: 'DISDAG' });
    log.workerSponsorChanged(w, a, b);
    log.sponsorWithdrawn(b);

    await db.apply(log.events, { batchSize: 4 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 1 });
    await db.apply(log.events.slice(3), { batchSize: 100 });

    expect(await db.snapshot()).toEqual(once);
  });
});
