/**
 * A projector process for the crash test: the real projections plus one that, on the given position,
 * announces it is inside the batch transaction and then waits there until the process is killed.
 */
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { projection } from '../../projections/projection';
import { Projector } from '../../projections/projector/projector';
import { testCodec } from '../support/codec';
import { PersonalDataVault } from '../../src/personal-data/vault';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  const stallAt = BigInt(process.env.STALL_AT_POSITION!);
  const eventStore = await PostgresEventStore.connect(databaseUrl);
  const stall = projection({
    name: 'crash-test-stall',
    canHandle: ['PremiumPaid'],
    tables: [],
    async handle(events, ctx) {
      if (!events.some((e) => e.position === stallAt)) return;
      // The server notices the killed client within 100 ms even in the middle of the sleep, as it
      // would notice any crashed projector, and rolls the open batch back.
      await ctx.db.query(`SET LOCAL client_connection_check_interval = 100`);
      process.stdout.write('MID_BATCH\n');
      await ctx.db.query('SELECT pg_sleep(600)');
    },
  });
  const projector = new Projector({ eventStore, codec: testCodec(await PersonalDataVault.open(databaseUrl, process.env.MASTER_KEY!)), databaseUrl, projections: [...READ_MODEL_PROJECTIONS, stall], batchSize: 200 });
  await projector.start();
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
