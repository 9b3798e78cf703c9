import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

const ledger = (db: ReadModelDatabase) =>
  db.rows(
    `SELECT payment_ref AS "paymentRef", worker_id AS "workerId", sponsor_id AS "sponsorId", opd_code AS "opdCode",
            funding_source AS "fundingSource", payer_name AS "payerName", paid_on::text AS "paidOn", months,
            covered_from AS "coveredFrom", covered_through AS "coveredThrough", amount::int AS amount,
            recorded_at AS "recordedAt", recorded_by AS "recordedBy", position::text AS position
       FROM contribution_ledger ORDER BY position`,
  );

describe('contribution ledger projection', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it('records every PremiumPaid with its payer, the OPD of payment time and who recorded it', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const sponsorId = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId });
    const first = log.premiumPaid(workerId, {
      payer: { type: 'ASN_SPONSOR', sponsorId },
      opdCode: 'DINKES',
      paymentRef: 'BPJS-0001',
      months: 3,
      amount: 50_400,
      paidOn: '2026-03-12',
      coveredFrom: '2026-03',
      coveredThrough: '2026-05',
    });
    log.sponsorTransferred(sponsorId, 'DINKES', 'DISDAG');
    const csr = log.record(`worker-${workerId}`, {
      type: 'PremiumPaid',
      data: {
        workerId,
        paymentRef: 'BANK-7781',
        months: 1,
        amount: 16_800,
        paidOn: '2026-06-10',
        payer: { type: 'CSR', name: 'Yayasan Peduli' },
        opdCode: null,
        coveredFrom: '2026-06',
        coveredThrough: '2026-06',
        statusAfter: 'ACTIVE',
      },
    }, { recordedAt: '2026-06-10T03:00:00.000Z', recordedBy: 'bpjs-liaison' });

    await db.apply(log.events);

    expect(await ledger(db)).toEqual([
      {
        paymentRef: 'BPJS-0001',
        workerId,
        sponsorId,
        opdCode: 'DINKES',
        fundingSource: 'ASN_SPONSOR',
        payerName: null,
        paidOn: '2026-03-12',
        months: 3,
        coveredFrom: '2026-03',
        coveredThrough: '2026-05',
        amount: 50_400,
        recordedAt: new Date(first.metadata.recordedAt as string),
        recordedBy: 'operator-1',
        position: first.position.toString(),
      },
      {
        paymentRef: 'BANK-7781',
        workerId,
        sponsorId: null,
        opdCode: null,
        fundingSource: 'CSR',
        payerName: 'Yayasan Peduli',
        paidOn: '2026-06-10',
        months: 1,
        coveredFrom: '2026-06',
        coveredThrough: '2026-06',
        amount: 16_800,
        recordedAt: new Date('2026-06-10T03:00:00.000Z'),
        recordedBy: 'bpjs-liaison',
        position: csr.position.toString(),
      },
    ]);
  });

  it('gives the same rows when the same payments are delivered twice', async () => {
    const log = new EventLog();
    const workerId = log.workerEnrolled({ fundingSource: 'SELF' });
    for (let i = 0; i < 5; i++) log.premiumPaid(workerId, { payer: { type: 'SELF' }, months: 1, amount: 16_800 });

    await db.apply(log.events, { batchSize: 2 });
    const once = await db.snapshot();
    await db.apply(log.events);

    expect(await db.snapshot()).toEqual(once);
    expect(once.contribution_ledger).toHaveLength(5);
  });
});
