/**
 * Layer boundaries, checked in CI (npm run lint:deps). Layers point one way:
 *
 *   shared (pure domain values)  <-  config  <-  event-store (port, adapters), personal-data (key store, sealing)
 *   <-  event-sourcing (codec, command shell, unique keys)  <-  features (opds, sponsors, workers, coverage, …)
 *
 * http/auth/health/read-models/infra are the edge and plumbing the features use; the projections read
 * only events, the shared domain values and the event-sourcing read path of src/.
 */
const FEATURES = '(opds|sponsors|workers|coverage|stats|audit|seed|dashboard|reference|imports|api-keys|ucj|scope)';
const FOUNDATION = '^src/(shared|config|event-store|personal-data|event-sourcing|infra)/';

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
      comment: 'Deciders and event definitions import no framework, database or event-store client.',
      severity: 'error',
      from: { path: '(\\.decider\\.ts$|\\.events\\.ts$)' },
      to: { path: '(@nestjs|typeorm|^pg$|node_modules/pg/|@eventstore|src/event-store/)' },
    },
    {
      name: 'shared-is-pure',
      comment: 'src/shared holds pure domain values and rules: it imports nothing but itself (and Node built-ins).',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: '^src/shared/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'config-is-a-foundation',
      comment: 'Configuration depends on the shared domain values only (roles, policy), never on auth or features.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(config|shared)/' },
    },
    {
      name: 'event-store-is-below-event-sourcing',
      comment: 'The event-store port and adapters know nothing of codecs, commands or features.',
      severity: 'error',
      from: { path: '^src/event-store/' },
      to: { path: '^(src|projections)/', pathNot: '^src/(event-store|shared)/' },
    },
    {
      name: 'personal-data-is-a-foundation',
      comment: 'The key store and sealing know nothing of events, commands or features.',
      severity: 'error',
      from: { path: '^src/personal-data/', pathNot: '\\.cli\\.ts$' },
      to: { path: '^(src|projections)/', pathNot: '^src/(personal-data|shared|config)/' },
    },
    {
      name: 'event-sourcing-is-below-the-features',
      comment: 'The command shell, codec and unique keys serve every feature and import none.',
      severity: 'error',
      from: { path: '^src/event-sourcing/' },
      to: { path: '^(src|projections)/', pathNot: '^src/(event-sourcing|event-store|personal-data|shared|config)/' },
    },
    {
      name: 'foundations-import-no-feature',
      comment: 'Lower layers never reach up into a feature, the edge or the read side (command-line entry points excepted).',
      severity: 'error',
      from: { path: FOUNDATION, pathNot: '\\.cli\\.ts$' },
      to: { path: `^(src/(${FEATURES.slice(1, -1)}|http|auth|health|read-models)/|projections/)` },
    },
    {
      name: 'no-feature-imports-another-features-dtos',
      comment:
        'A DTO is the HTTP shape of one feature; other features have their own. Except the bulk import\'s row reader: ' +
        'an import row is the single-record request (enrolment, payment) and is checked by that very DTO.',
      severity: 'error',
      from: { path: `^src/${FEATURES}/`, pathNot: '^src/imports/import-rows\\.ts$' },
      to: { path: `^src/${FEATURES}/[^/]+\\.(dto|responses)\\.ts$`, pathNot: '^src/$1/' },
    },
    {
      name: 'projections-read-only-events',
      comment:
        'The read side depends on event definitions, the shared domain values, the event-store port and the read path of ' +
        'event-sourcing; never on handlers, controllers, deciders or the HTTP edge (composition roots excepted).',
      severity: 'error',
      from: { path: '^projections/', pathNot: '^projections/(main|rebuild-cli|runtime)\\.ts$' },
      to: {
        path: '^src/',
        pathNot: '^src/(shared/|event-store/event-store\\.port\\.ts$|event-sourcing/|personal-data/sealing\\.ts$|[^/]+/[^/]+\\.events\\.ts$)',
      },
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
