import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

/** The sponsor's row, its sealed name opened with the key store. */
const sponsorRow = async (db: ReadModelDatabase, sponsorId: string): Promise<Record<string, any> | undefined> => {
  const [row] = await db.rows<Record<string, any> & { personal: unknown }>(
    `SELECT personal, opd_code AS "opdCode", status, registered_on::text AS "registeredOn",
            withdrawn_on::text AS "withdrawnOn", workers_registered AS "workersRegistered",
            workers_active AS "workersActive", premiums_paid::int AS "premiumsPaid"
       FROM sponsor_summary WHERE sponsor_id = $1`,
    [sponsorId],
  );
  if (!row) return row;
  const { personal, ...rest } = row;
  return { fullName: ((await db.vault.open(personal)) as { fullName?: string } | null)?.fullName ?? null, ...rest };
};

describe('sponsor summary projection', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it('keeps the name sealed and the NIP as a keyed hash, and forgets both when the sponsor is erased', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES', { fullName: 'Budi Santoso' });
    await db.apply(log.events);
    const [stored] = await db.rows<{ row: string; nip_hash: string }>(`SELECT row_to_json(s)::text AS row, nip_hash FROM sponsor_summary s WHERE sponsor_id = $1`, [sponsorId]);
    expect(stored.row).not.toMatch(/Budi|Santoso|198501012010011001/);
    expect(stored.nip_hash).toBe(db.vault.digest('nip', '198501012010011001'));

    const mark = log.events.length;
    log.sponsorWithdrawn(sponsorId);
    log.sponsorPersonalDataErased(sponsorId);
    await db.apply(log.since(mark));
    expect(await sponsorRow(db, sponsorId)).toMatchObject({ fullName: null, status: 'WITHDRAWN' });
    expect(await db.rows(`SELECT nip_hash, personal, erased FROM sponsor_summary WHERE sponsor_id = $1`, [sponsorId])).toEqual([{ nip_hash: null, personal: null, erased: true }]);
  });

  it('registers a sponsor ACTIVE in its OPD with no workers yet', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES', { fullName: 'Budi Santoso', registeredOn: '2026-02-03' });

    await db.apply(log.events);

    expect(await sponsorRow(db, sponsorId)).toEqual({
      fullName: 'Budi Santoso',
      opdCode: 'DINKES',
      status: 'ACTIVE',
      registeredOn: '2026-02-03',
      withdrawnOn: null,
      workersRegistered: 0,
      workersActive: 0,
      premiumsPaid: 0,
    });
  });

  it('counts its workers and the ACTIVE ones, following every status change', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES');
    const payer = { type: 'ASN_SPONSOR' as const, sponsorId };
    const paid = log.workerEnrolled({ sponsorId });
    log.workerEnrolled({ sponsorId });
    const lapsing = log.workerEnrolled({ sponsorId });
    log.premiumPaid(paid, { payer, opdCode: 'DINKES' });
    log.premiumPaid(lapsing, { payer, opdCode: 'DINKES' });
    await db.apply(log.events);
    const bothPaid = await sponsorRow(db, sponsorId);

    await db.apply([log.coverageLapsed(lapsing)]);
    const oneLapsed = await sponsorRow(db, sponsorId);
    await db.apply([log.coverageEnded(lapsing), log.coverageEnded(paid, { cause: 'WITHDRAWN', reason: 'died' })]);
    const bothEnded = await sponsorRow(db, sponsorId);
    await db.apply([log.workerReenrolled(paid), log.premiumPaid(paid, { payer, opdCode: 'DINKES', paidOn: '2026-10-02' })]);

    expect(bothPaid).toMatchObject({ workersRegistered: 3, workersActive: 2 });
    expect(oneLapsed).toMatchObject({ workersRegistered: 3, workersActive: 1 });
    expect(bothEnded).toMatchObject({ workersRegistered: 3, workersActive: 0 });
    expect(await sponsorRow(db, sponsorId)).toMatchObject({ workersRegistered: 3, workersActive: 1 });
  });

  it('moves a worker’s counts to the new sponsor when the worker changes sponsor', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const from = log.sponsorRegistered('DINKES');
    const to = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId: from });
    log.workerEnrolled({ sponsorId: from });
    log.premiumPaid(workerId, { payer: { type: 'ASN_SPONSOR', sponsorId: from }, opdCode: 'DINKES', amount: 50_400 });
    log.workerSponsorChanged(workerId, from, to);

    await db.apply(log.events);

    expect(await sponsorRow(db, from)).toMatchObject({ workersRegistered: 1, workersActive: 0, premiumsPaid: 50_400 });
    expect(await sponsorRow(db, to)).toMatchObject({ workersRegistered: 1, workersActive: 1, premiumsPaid: 0 });
  });

  it('sums the premiums the sponsor paid itself, not those other funders paid for its workers', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId });
    log.premiumPaid(workerId, { payer: { type: 'ASN_SPONSOR', sponsorId }, opdCode: 'DINKES', months: 3, amount: 50_400 });
    log.premiumPaid(workerId, { payer: { type: 'CSR', name: 'Yayasan Peduli' }, months: 12, amount: 201_600 });
    log.premiumPaid(workerId, { payer: { type: 'ASN_SPONSOR', sponsorId }, opdCode: 'DINKES', months: 1, amount: 16_800 });

    await db.apply(log.events);

    expect((await sponsorRow(db, sponsorId))?.premiumsPaid).toBe(67_200);
  });

  it('keeps its workers and premiums through a transfer, and is WITHDRAWN after withdrawal', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const sponsorId = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId });
    log.premiumPaid(workerId, { payer: { type: 'ASN_SPONSOR', sponsorId }, opdCode: 'DINKES', amount: 50_400 });
    log.sponsorTransferred(sponsorId, 'DINKES', 'DISDAG');
    await db.apply(log.events);
    const transferred = await sponsorRow(db, sponsorId);

    await db.apply([log.sponsorWithdrawn(sponsorId, '2026-07-01')]);

    expect(transferred).toMatchObject({ opdCode: 'DISDAG', status: 'ACTIVE', workersRegistered: 1, workersActive: 1, premiumsPaid: 50_400 });
    expect(await sponsorRow(db, sponsorId)).toMatchObject({ opdCode: 'DISDAG', status: 'WITHDRAWN', withdrawnOn: '2026-07-01', premiumsPaid: 50_400 });
  });

  it('gives the same rows when the same events are delivered twice', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    log.opdRegistered('DISDAG');
    const a = log.sponsorRegistered('DINKES');
    const b = log.sponsorRegistered('DISDAG');
    const w = log.workerEnrolled({ sponsorId: a });
    log.premiumPaid(w, { payer: { type: 'ASN_SPONSOR', sponsorId: a }, opdCode: 'DINKES' });
    log.workerSponsorChanged(w, a, b);
    log.premiumPaid(w, { payer: { type: 'ASN_SPONSOR', sponsorId: b }, opdCode: 'DISDAG' });
    log.sponsorTransferred(a, 'DINKES', 'DISDAG');
    log.sponsorWithdrawn(a);

    await db.apply(log.events, { batchSize: 2 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 3 });

    expect(await db.snapshot()).toEqual(once);
    expect(once.sponsor_summary).toHaveLength(2);
  });
});
