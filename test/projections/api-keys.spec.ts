import { EventLog } from './support/event-log';
import { type ReadModelDatabase, useReadModelDatabase } from './support/read-model-database';

const keys = (db: ReadModelDatabase) =>
  db.rows(
    `SELECT name, role, opd_code AS "opdCode", to_char(expires_on, 'YYYY-MM-DD') AS "expiresOn", secret_hash AS "secretHash", revoked,
            revoked_at AS "revokedAt", created_at AS "createdAt", created_by AS "createdBy"
       FROM api_keys ORDER BY name`,
  );

describe('api-keys projection', () => {
  let db: ReadModelDatabase;
  useReadModelDatabase((created) => (db = created));

  it('keeps each issued key with its role, OPD, expiry, secret hash, and who issued it when', async () => {
    const log = new EventLog();
    log.apiKeyIssued('dinkes-coordinator', { opdCode: 'DINKES', expiresOn: '2027-06-30', secretHash: 'ab'.repeat(32), recordedBy: 'admin-key' });
    log.apiKeyIssued('bpk-auditor', { role: 'auditor', secretHash: 'cd'.repeat(32) });

    await db.apply(log.events);

    expect(await keys(db)).toEqual([
      {
        name: 'bpk-auditor',
        role: 'auditor',
        opdCode: null,
        expiresOn: null,
        secretHash: 'cd'.repeat(32),
        revoked: false,
        revokedAt: null,
        createdAt: new Date(log.events[1].metadata.recordedAt as string),
        createdBy: 'operator-1',
      },
      {
        name: 'dinkes-coordinator',
        role: 'operator',
        opdCode: 'DINKES',
        expiresOn: '2027-06-30',
        secretHash: 'ab'.repeat(32),
        revoked: false,
        revokedAt: null,
        createdAt: new Date(log.events[0].metadata.recordedAt as string),
        createdBy: 'admin-key',
      },
    ]);
  });

  it('marks a revoked key with the time the revocation was recorded, whatever the batch size', async () => {
    const log = new EventLog();
    const keyId = log.apiKeyIssued('old-key');
    log.apiKeyIssued('kept-key');
    const revoked = log.apiKeyRevoked(keyId);

    await db.apply(log.events, { batchSize: 1 });

    expect((await keys(db)).map((k) => ({ name: k.name, revoked: k.revoked, revokedAt: k.revokedAt }))).toEqual([
      { name: 'kept-key', revoked: false, revokedAt: null },
      { name: 'old-key', revoked: true, revokedAt: new Date(revoked.metadata.recordedAt as string) },
    ]);
  });

  it('gives the same rows when events come twice, also in batches mixing applied and new events', async () => {
    const log = new EventLog();
    const first = log.apiKeyIssued('first-key');
    log.apiKeyIssued('second-key');
    log.apiKeyRevoked(first);

    await db.apply(log.events.slice(0, 2));
    await db.apply(log.events.slice(1), { batchSize: 1 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 2 });
    await db.apply(log.events.slice(0, 1));

    expect(await db.snapshot()).toEqual(once);
    expect((await keys(db)).map((k) => [k.name, k.revoked])).toEqual([
      ['first-key', true],
      ['second-key', false],
    ]);
  });
});
