/**
 * Tests run TypeScript through SWC (fast, keeps decorator metadata for Nest). Three projects:
 * everything on the PostgreSQL event store, the end-to-end HTTP suite once more with the event
 * store on the EventStoreDB adapter (the gRPC emulator, or the real server at EVENTSTORE_URL), and the
 * dashboard in headless Chromium (test/browser, *.browser-spec.ts).
 */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      displayName: 'postgres',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/projections', '<rootDir>/test'],
      testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
      transform,
    },
    {
      displayName: 'e2e on EventStoreDB adapter',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/use-esdb-event-store.ts'],
      transform,
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.browser-spec.ts'],
      transform,
    },
  ],
  testTimeout: 60000,
};
