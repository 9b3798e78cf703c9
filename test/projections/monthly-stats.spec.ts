import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

const months = (db: ReadModelDatabase) =>
  db.rows(`SELECT month, enrolments, payments, amount::int AS amount, lapses, ends FROM monthly_stats ORDER BY month`);

describe('monthly stats projection', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it('counts enrolments and re-enrolments by enrolment month, payments by payment month, lapses and ends by as-of month', async () => {
    const log = new EventLog();
    const a = log.workerEnrolled({ fundingSource: 'APBD', enrolledOn: '2026-03-10' });
    const b = log.workerEnrolled({ fundingSource: 'SELF', enrolledOn: '2026-03-31' });
    log.premiumPaid(a, { payer: { type: 'APBD' }, paidOn: '2026-03-12', months: 3, amount: 50_400 });
    log.premiumPaid(b, { payer: { type: 'SELF' }, paidOn: '2026-04-01', months: 1, amount: 16_800 });
    log.coverageLapsed(b, '2026-05-16');
    log.coverageEnded(b, { asOf: '2026-08-16' });
    log.coverageEnded(a, { asOf: '2026-08-20', cause: 'WITHDRAWN', reason: 'moved away' });
    log.workerReenrolled(b, '2026-09-01');

    await db.apply(log.events);

    expect(await months(db)).toEqual([
      { month: '2026-03', enrolments: 2, payments: 1, amount: 50_400, lapses: 0, ends: 0 },
      { month: '2026-04', enrolments: 0, payments: 1, amount: 16_800, lapses: 0, ends: 0 },
      { month: '2026-05', enrolments: 0, payments: 0, amount: 0, lapses: 1, ends: 0 },
      { month: '2026-08', enrolments: 0, payments: 0, amount: 0, lapses: 0, ends: 2 },
      { month: '2026-09', enrolments: 1, payments: 0, amount: 0, lapses: 0, ends: 0 },
    ]);
  });

  it('gives the same rows when events come twice, also in batches mixing applied and new events', async () => {
    const log = new EventLog();
    const workers = [1, 2, 3, 4].map(() => log.workerEnrolled({ fundingSource: 'CSR', enrolledOn: '2026-03-02' }));
    for (const workerId of workers) log.premiumPaid(workerId, { payer: { type: 'CSR', name: 'PT Sejahtera' }, paidOn: '2026-03-20' });
    log.coverageLapsed(workers[0], '2026-06-16');

    await db.apply(log.events.slice(0, 5));
    // The second delivery overlaps the first: the month rows must take only the events they have not seen.
    await db.apply(log.events.slice(2), { batchSize: 10 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 3 });

    expect(await db.snapshot()).toEqual(once);
    expect(await months(db)).toEqual([
      { month: '2026-03', enrolments: 4, payments: 4, amount: 4 * 50_400, lapses: 0, ends: 0 },
      { month: '2026-06', enrolments: 0, payments: 0, amount: 0, lapses: 1, ends: 0 },
    ]);
  });
});
