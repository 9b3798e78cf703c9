import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import type { DomainEvent } from '../../src/shared/domain-event';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { runMigrations } from '../../projections/data-source';
import { CHECKPOINT_TABLE, tablesOf } from '../../projections/projection';
import { Projector } from '../../projections/projector/projector';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
import { dropScratchSchema, replayIntoScratchSchema } from '../../projections/rebuild';
import { testCodec } from '../support/codec';
import type { EventCodec } from '../../src/event-sourcing/event-codec';
import { newMasterKey } from '../../src/personal-data/sealing';
import { PersonalDataVault } from '../../src/personal-data/vault';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const context = { principal: 'crash-test', correlationId: 'c', causationId: 'c', now: new Date('2026-11-23T03:00:00Z'), today: '2026-11-23' };
const masterKey = newMasterKey();
let codec: EventCodec;
const encode = (events: DomainEvent[]) => codec.encode(events, context, null);
const READ_MODEL_TABLES = tablesOf(READ_MODEL_PROJECTIONS).filter((table) => table !== CHECKPOINT_TABLE);

/** A small city written straight to the store: 2 OPDs, 10 sponsors, 150 workers with 4 payments each. */
async function writeCity(store: PostgresEventStore): Promise<bigint[]> {
  const paymentPositions: bigint[] = [];
  for (const code of ['DINKES', 'DISDAG']) {
    await store.appendToStream(`opd-${code}`, await encode([{ type: 'OpdRegistered', data: { opdCode: code, name: code, kind: 'DINAS', pnsHeadcount: 100, registeredOn: '2026-01-02', occurredOn: '2026-01-02' } }]), 'no_stream');
  }
  const sponsors = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
  for (const [i, sponsorId] of sponsors.entries()) {
    const data = { sponsorId, nip: syntheticNip('1980-01-01', 'M', i + 1), fullName: `S${i}`, opdCode: i % 2 ? 'DINKES' : 'DISDAG', registeredOn: '2026-01-02', occurredOn: '2026-01-02' };
    await store.appendToStream(`sponsor-${sponsorId}`, await encode([{ type: 'SponsorRegistered', data }]), 'no_stream');
  }
  for (let w = 0; w < 150; w++) {
    const workerId = `10000000-0000-4000-8000-${String(w + 1).padStart(12, '0')}`;
    const sponsorId = sponsors[w % sponsors.length];
    const events = [
      {
        type: 'WorkerEnrolled',
        data: { workerId, nik: syntheticNik('1990-02-02', 'F', w + 1), fullName: `W${w}`, birthDate: '1990-02-02', gender: 'F', occupation: 'OTHER', kecamatan: '3374.01', fundingSource: 'ASN_SPONSOR', sponsorId, enrolledOn: '2026-01-05', occurredOn: '2026-01-05' },
      },
      ...Array.from({ length: 4 }, (_, p) => ({
        type: 'PremiumPaid',
        data: {
          workerId, paymentRef: `R-${w}-${p}`, months: 3, amount: 50400, paidOn: `2026-${String(1 + p * 3).padStart(2, '0')}-06`, occurredOn: `2026-${String(1 + p * 3).padStart(2, '0')}-06`,
          payer: { type: 'ASN_SPONSOR', sponsorId }, opdCode: w % 2 ? 'DISDAG' : 'DINKES',
          coveredFrom: `2026-${String(1 + p * 3).padStart(2, '0')}`, coveredThrough: `2026-${String(3 + p * 3).padStart(2, '0')}`, statusAfter: 'ACTIVE',
        },
      })),
    ];
    const appended = await store.appendToStream(`worker-${workerId}`, await encode(events), 'no_stream');
    paymentPositions.push(appended.position);
  }
  return paymentPositions;
}

async function rows(db: Client, schema: string, table: string): Promise<string[]> {
  const { rows } = await db.query(`SELECT to_jsonb(t) - 'updated_at' AS row FROM "${schema}"."${table}" t`);
  return rows.map((r) => JSON.stringify(r.row)).sort();
}

describe('projector killed in the middle of a batch', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let vault: PersonalDataVault;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await PostgresEventStore.connect(db.url);
    await runMigrations(db.url);
    vault = await PersonalDataVault.open(db.url, masterKey);
    codec = testCodec(vault);
  });

  afterAll(async () => {
    await vault.close();
    await store.close();
    await db.drop();
  });

  it('leaves no partial batch, and after a restart the read models equal a clean replay', async () => {
    const paymentPositions = await writeCity(store);
    const stallAt = paymentPositions[100];

    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'projector-child.ts')], {
      env: { ...process.env, DATABASE_URL: db.url, STALL_AT_POSITION: stallAt.toString(), MASTER_KEY: masterKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('MID_BATCH') && resolve());
      child.on('exit', (code) => reject(new Error(`projector child exited (${code}) before the batch: ${stderr}`)));
    });
    // Rows of this batch have been written inside its open transaction: kill the process, no clean stop.
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows: cp } = await client.query(`SELECT min(position)::text AS position, count(*)::int AS n FROM projection_checkpoint`);
      const checkpoint = cp[0].n ? BigInt(cp[0].position) : 0n;
      expect(checkpoint).toBeLessThan(stallAt);
      // Nothing beyond the checkpoint is visible: every ledger row belongs to a committed batch.
      const { rows: beyond } = await client.query(`SELECT count(*)::int AS n FROM contribution_ledger WHERE position > $1`, [checkpoint.toString()]);
      expect(beyond[0].n).toBe(0);

      const projector = new Projector({ eventStore: store, codec, databaseUrl: db.url, lockRetryMs: 50 });
      await projector.start();
      expect(await projector.waitForPosition(await store.headPosition(), 60_000)).toBe(true);
      await projector.stop();

      const replay = await replayIntoScratchSchema({ eventStore: store, codec, databaseUrl: db.url, prefix: 'crashcheck' });
      try {
        for (const table of READ_MODEL_TABLES) {
          expect({ table, rows: await rows(client, 'public', table) }).toEqual({ table, rows: await rows(client, replay.schema, table) });
        }
        const { rows: ledger } = await client.query(`SELECT count(*)::int AS n FROM contribution_ledger`);
        expect(ledger[0].n).toBe(600);
      } finally {
        await dropScratchSchema(db.url, replay.schema);
      }
    } finally {
      await client.end();
    }
  });
});
