import { apbdImportFiles } from '../../src/seed/apbd-import-files';
import type { ImportReport } from '../../src/imports/import-jobs.store';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The city's 7,217 APBD/DBHCHT-funded workers arrive as two files: the workers, then a year of monthly payments
 * (86,604 rows), each with malformed rows mixed in. Imported through the job API, every good row is recorded
 * and every bad one reported with its row, column and code; the figures are the rules' exactly. Imported a
 * second time, nothing new is recorded.
 */
type Report = ImportReport;

/** A budget, not an assertion: about 190,000 commands run in this file. */
jest.setTimeout(900_000);

const YEAR = 2026;
const files = apbdImportFiles({ workers: 7217, year: YEAR, months: 12, monthlyPremium: 16800, malformed: true });

describe('importing the APBD/DBHCHT workers and a year of their payments', () => {
  let t: TestApp;
  let last = '0';

  const importFile = async (kind: 'workers' | 'payments', csv: string): Promise<Report> => {
    const { importId } = (await t.as('admin').post('/v1/imports').query({ kind }).set('Content-Type', 'text/csv').send(Buffer.from(csv)).expect(202)).body;
    for (;;) {
      const report = (await t.as('admin').get(`/v1/imports/${importId}`).expect(200)).body as Report;
      if (report.status !== 'RUNNING') {
        if (report.position && BigInt(report.position) > BigInt(last)) last = report.position;
        return report;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const read = async (path: string, query: Record<string, string> = {}) => (await t.as('analyst').get(path).query({ ...query, minPosition: last }).expect(200)).body;
  const rejections = (report: Report) => report.errors.map(({ row, field, code }) => ({ row, field, code }));

  beforeAll(async () => {
    t = await createTestApp({ today: `${YEAR}-12-20` });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('records every good worker and reports the malformed rows', async () => {
    const report = await importFile('workers', files.workersCsv);
    expect(report).toMatchObject({ status: 'DONE', rows: files.goodWorkers + files.rejectedWorkers.length, accepted: files.goodWorkers, duplicates: 0 });
    expect(report.rejected).toBe(files.rejectedWorkers.length);
    expect(rejections(report)).toEqual(files.rejectedWorkers);
  });

  it('records every good payment and reports the malformed rows', async () => {
    const report = await importFile('payments', files.paymentsCsv);
    expect(report).toMatchObject({ status: 'DONE', rows: files.goodPayments + files.rejectedPayments.length, accepted: files.goodPayments, duplicates: 0 });
    expect(rejections(report)).toEqual(files.rejectedPayments);
  });

  it('leaves the figures the rules say: every worker ACTIVE, a year of premiums, split by funding source', async () => {
    const summary = await read('/v1/stats/summary');
    expect(summary).toMatchObject({
      workersRegistered: 7217,
      workersActive: 7217,
      workersByStatus: { PENDING: 0, ACTIVE: 7217, LAPSED: 0, ENDED: 0 },
      premiumsCollected: 7217 * 12 * 16800,
    });
    const ucj = await read('/v1/stats/ucj', { year: String(YEAR) });
    expect(ucj).toMatchObject({ covered: 7217, bySource: { ...files.bySource, ASN_SPONSOR: 0, CSR: 0, SELF: 0 } });
    const monthly = await read('/v1/stats/monthly', { from: `${YEAR}-01`, to: `${YEAR}-12` });
    expect(monthly.items).toHaveLength(12);
    for (const month of monthly.items) expect(month).toMatchObject({ payments: 7217, amount: 7217 * 16800 });
    expect(monthly.items[0]).toMatchObject({ month: `${YEAR}-01`, enrolments: 7217 });
  });

  it('imported a second time, both files record nothing new: every good row is a duplicate', async () => {
    const head = await t.started.runtime.eventStore.headPosition();
    const workers = await importFile('workers', files.workersCsv);
    expect(workers).toMatchObject({ status: 'DONE', accepted: 0, duplicates: files.goodWorkers, rejected: files.rejectedWorkers.length });
    const payments = await importFile('payments', files.paymentsCsv);
    expect(payments).toMatchObject({ status: 'DONE', accepted: 0, duplicates: files.goodPayments, rejected: files.rejectedPayments.length });
    expect(await t.started.runtime.eventStore.headPosition()).toBe(head);
  });
});
