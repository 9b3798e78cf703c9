import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../support/test-database';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('PostgresEventStore', async () => {
  const db = await createTestDatabase();
  const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 200 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
});
