// Selects the EventStoreDB variant of the end-to-end suite (see createTestBackend in test-app.ts).
process.env.ASUH_TEST_EVENT_STORE = 'esdb';
