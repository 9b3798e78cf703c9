import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

/** The worker's row, its sealed name opened with the key store (the row itself holds no name in clear). */
const workerRow = async (db: ReadModelDatabase, workerId: string): Promise<Record<string, any> | undefined> => {
  const [row] = await db.rows<Record<string, any> & { personal: unknown }>(
    `SELECT worker_id AS "workerId", nik_masked AS "nikMasked", personal, gender, occupation, kecamatan,
            funding_source AS "fundingSource", sponsor_id AS "sponsorId", opd_code AS "opdCode", status,
            enrolled_on::text AS "enrolledOn", paid_through AS "paidThrough", months_contributed AS "monthsContributed",
            last_payment_on::text AS "lastPaymentOn", last_position::text AS "lastPosition"
       FROM worker_status WHERE worker_id = $1`,
    [workerId],
  );
  if (!row) return row;
  const { personal, ...rest } = row;
  return { ...rest, fullName: ((await db.vault.open(personal)) as { fullName?: string } | null)?.fullName ?? null };
};

describe('worker status projection', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it('enrols a sponsored worker PENDING in its sponsor’s OPD, with the NIK masked', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId, nik: '3374015505800001', fullName: 'Siti Aminah', kecamatan: '3374.05', enrolledOn: '2026-03-10' });

    await db.apply(log.events);

    expect(await workerRow(db, workerId)).toEqual({
      workerId,
      nikMasked: '3374**********01',
      fullName: 'Siti Aminah',
      gender: 'F',
      occupation: 'DOMESTIC_HELPER',
      kecamatan: '3374.05',
      fundingSource: 'ASN_SPONSOR',
      sponsorId,
      opdCode: 'DINKES',
      status: 'PENDING',
      enrolledOn: '2026-03-10',
      paidThrough: null,
      monthsContributed: 0,
      lastPaymentOn: null,
      lastPosition: log.events[2].position.toString(),
    });
    const [stored] = await db.rows<{ row: string; nik_hash: string }>(`SELECT row_to_json(w)::text AS row, nik_hash FROM worker_status w WHERE worker_id = $1`, [workerId]);
    expect(stored.row).not.toMatch(/Siti|Aminah|3374015505800001/);
    expect(stored.nik_hash).toBe(db.vault.digest('nik', '3374015505800001'));
  });

  it('forgets an erased worker’s personal data and stops counting it as registered, keeping its coverage record', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId, fullName: 'Siti Aminah' });
    const kept = log.workerEnrolled({ sponsorId, fullName: 'Budi Santoso', nik: '3374011505800002' });
    log.coverageEnded(workerId, { cause: 'WITHDRAWN', reason: 'moved away' });
    log.personalDataErased(workerId);

    await db.apply(log.events);

    expect(await workerRow(db, workerId)).toMatchObject({ nikMasked: null, fullName: null, status: 'ENDED' });
    expect(await db.rows(`SELECT nik_hash, personal, erased FROM worker_status WHERE worker_id = $1`, [workerId])).toEqual([{ nik_hash: null, personal: null, erased: true }]);
    expect(await db.rows(`SELECT count(*)::int AS n FROM worker_name_trigrams WHERE worker_id = $1`, [workerId])).toEqual([{ n: 0 }]);
    expect(await db.rows(`SELECT status, workers FROM worker_status_counts ORDER BY status`)).toEqual([{ status: 'PENDING', workers: 1 }]);
    expect((await workerRow(db, kept))?.fullName).toBe('Budi Santoso');
  });

  it('puts a worker funded by APBD, DBHCHT, CSR or itself in no OPD', async () => {
    const log = new EventLog();
    const workerId = log.workerEnrolled({ fundingSource: 'DBHCHT' });
    log.premiumPaid(workerId, { payer: { type: 'DBHCHT' }, opdCode: null });

    await db.apply(log.events);

    expect(await workerRow(db, workerId)).toMatchObject({ fundingSource: 'DBHCHT', sponsorId: null, opdCode: null, status: 'ACTIVE' });
  });

  it('follows payments: status after the payment, paid-through month, months contributed, last payment date', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId });
    log.premiumPaid(workerId, { payer: { type: 'ASN_SPONSOR', sponsorId }, opdCode: 'DINKES', months: 3, paidOn: '2026-03-12', coveredThrough: '2026-05' });
    log.premiumPaid(workerId, {
      payer: { type: 'ASN_SPONSOR', sponsorId },
      opdCode: 'DINKES',
      months: 1,
      paidOn: '2026-06-20',
      coveredFrom: '2026-06',
      coveredThrough: '2026-06',
      statusAfter: 'LAPSED',
    });

    await db.apply(log.events);

    expect(await workerRow(db, workerId)).toMatchObject({ status: 'LAPSED', paidThrough: '2026-06', monthsContributed: 4, lastPaymentOn: '2026-06-20' });
  });

  it('moves through LAPSED and ENDED, and back to PENDING in a new period on re-enrolment', async () => {
    const log = new EventLog();
    const workerId = log.workerEnrolled({ fundingSource: 'SELF', enrolledOn: '2026-03-10' });
    log.premiumPaid(workerId, { payer: { type: 'SELF' }, months: 3 });
    const states: unknown[] = [];

    await db.apply(log.events);
    states.push(await workerRow(db, workerId));
    await db.apply([log.coverageLapsed(workerId)]);
    states.push(await workerRow(db, workerId));
    await db.apply([log.coverageEnded(workerId, { cause: 'WITHDRAWN', reason: 'moved away' })]);
    states.push(await workerRow(db, workerId));
    await db.apply([log.workerReenrolled(workerId, '2026-10-01')]);
    states.push(await workerRow(db, workerId));

    expect(states).toMatchObject([
      { status: 'ACTIVE', enrolledOn: '2026-03-10', paidThrough: '2026-05', monthsContributed: 3 },
      { status: 'LAPSED', paidThrough: '2026-05' },
      { status: 'ENDED', paidThrough: '2026-05' },
      { status: 'PENDING', enrolledOn: '2026-10-01', paidThrough: null, monthsContributed: 3, lastPaymentOn: '2026-03-12' },
    ]);
  });

  it('moves the workers with their sponsor when the sponsor is transferred', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISBUDPAR');
    const sponsorId = log.sponsorRegistered('DINKES');
    const other = log.sponsorRegistered('DINKES');
    const first = log.workerEnrolled({ sponsorId });
    const second = log.workerEnrolled({ sponsorId });
    const untouched = log.workerEnrolled({ sponsorId: other });
    log.sponsorTransferred(sponsorId, 'DINKES', 'DISBUDPAR');

    await db.apply(log.events);

    expect((await workerRow(db, first))?.opdCode).toBe('DISBUDPAR');
    expect((await workerRow(db, second))?.opdCode).toBe('DISBUDPAR');
    expect((await workerRow(db, untouched))?.opdCode).toBe('DINKES');
  });

  it('takes the new sponsor and its OPD when the sponsor changes, also from APBD funding', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const from = log.sponsorRegistered('DINKES');
    const to = log.sponsorRegistered('DISDAG');
    const sponsored = log.workerEnrolled({ sponsorId: from });
    const apbd = log.workerEnrolled({ fundingSource: 'APBD' });
    log.workerSponsorChanged(sponsored, from, to);
    log.workerSponsorChanged(apbd, null, to);

    await db.apply(log.events);

    expect(await workerRow(db, sponsored)).toMatchObject({ sponsorId: to, opdCode: 'DISDAG', fundingSource: 'ASN_SPONSOR' });
    expect(await workerRow(db, apbd)).toMatchObject({ sponsorId: to, opdCode: 'DISDAG', fundingSource: 'ASN_SPONSOR' });
  });

  it('gives the same rows when the same events are delivered twice, whatever the batches', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const a = log.sponsorRegistered('DINKES');
    const b = log.sponsorRegistered('DISDAG');
    const w1 = log.workerEnrolled({ sponsorId: a });
    const w2 = log.workerEnrolled({ sponsorId: b });
    log.premiumPaid(w1, { payer: { type: 'ASN_SPONSOR', sponsorId: a }, opdCode: 'DINKES' });
    log.premiumPaid(w2, { payer: { type: 'ASN_SPONSOR', sponsorId: b }, opdCode: 'DISDAG' });
    log.sponsorTransferred(a, 'DINKES', 'DISDAG');
    log.workerSponsorChanged(w2, b, a);
    log.coverageLapsed(w1);
    log.workerReenrolled(w1);

    await db.apply(log.events, { batchSize: 3 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 4 });
    await db.apply(log.events.slice(5), { batchSize: 1 });

    expect(await db.snapshot()).toEqual(once);
    expect(once.worker_status).toHaveLength(2);
  });
});
