/** Layer boundaries of shared/docs/architecture.md and style.md, checked in CI (npm run lint:deps). */
module.exports = {
  forbidden: [
    {
      name: 'eventstoredb-client-only-in-its-adapter',
      comment: 'Only src/event-store/eventstoredb may import @eventstore/db-client.',
      severity: 'error',
      from: { pathNot: '^src/event-store/eventstoredb/' },
      to: { path: '@eventstore/db-client' },
    },
    {
      name: 'deciders-are-pure',
      comment: 'Deciders and shared domain values import no framework, database or event-store client.',
      severity: 'error',
      from: { path: '(\\.decider\\.ts$|^src/shared/(year-month|identity|policy|domain-error)\\.ts$)' },
      to: { path: '(@nestjs|typeorm|^pg$|node_modules/pg/|@eventstore|src/event-store/)' },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'The gRPC emulator and test support never ship.',
      severity: 'error',
      from: { path: '^(src|projections)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
