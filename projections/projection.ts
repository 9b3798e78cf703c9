import type { ClientBase } from 'pg';
import type { JsonObject, RecordedEvent } from '../src/event-store/event-store.port';
import type { OpdEvent } from '../src/opds/opd.events';
import type { SponsorEvent } from '../src/sponsors/sponsor.events';
import type { WorkerEvent } from '../src/workers/worker.events';

/**
 * Projections, emmett style: each declares the event types it handles and gets, per batch, the events of
 * those types in log order, inside the batch's transaction. Every statement names its tables through
 * `ctx.table(...)`, so the same code fills the live schema (`public`) or a scratch schema (rebuild, verify).
 */

export type ReadModelEvent = OpdEvent | SponsorEvent | WorkerEvent;
export type ReadModelEventType = ReadModelEvent['type'];

/** A recorded event with its type and data as the read side knows them. */
export type ProjectedEvent<E extends ReadModelEvent = ReadModelEvent> = Omit<RecordedEvent, 'type' | 'data'> & E;

/** Tables of the read side; all of them are swapped together by a blue-green rebuild. */
export const READ_MODEL_TABLES = [
  'projection_checkpoint',
  'opd_participation',
  'opd_headcount_history',
  'sponsor_summary',
  'worker_status',
  'worker_status_counts',
  'monthly_stats',
  'contribution_ledger',
] as const;
export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

export const LIVE_SCHEMA = 'public';

export interface ProjectionContext {
  /** The connection of the batch transaction. */
  readonly db: ClientBase;
  readonly schema: string;
  /** Schema-qualified, quoted table name for SQL text. */
  table(name: ReadModelTable): string;
}

export interface Projection {
  readonly name: string;
  readonly canHandle: readonly string[];
  /** Applies the batch's events of the handled types, in log order. Must be idempotent by position. */
  handle(events: readonly ProjectedEvent[], ctx: ProjectionContext): Promise<void>;
}

type EventOfType<T extends ReadModelEventType> = ProjectedEvent<Extract<ReadModelEvent, { type: T }>>;

export function projection<T extends ReadModelEventType>(definition: {
  name: string;
  canHandle: readonly T[];
  handle(events: readonly EventOfType<T>[], ctx: ProjectionContext): Promise<void>;
}): Projection {
  return definition as unknown as Projection;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new RangeError(`Not a safe schema name: ${schema}`);
  return schema;
}

export function projectionContext(db: ClientBase, schema: string = LIVE_SCHEMA): ProjectionContext {
  assertSchemaName(schema);
  return { db, schema, table: (name) => `"${schema}"."${name}"` };
}

/** Hands each projection, in the given order, the events of the batch it handles. */
export async function applyProjections(
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
  ctx: ProjectionContext,
): Promise<void> {
  for (const p of projections) {
    const handled = events.filter((e) => p.canHandle.includes(e.type));
    if (handled.length > 0) await p.handle(handled as unknown as ProjectedEvent[], ctx);
  }
}

/** Audit metadata of an event, with the store's commit time when the writer left it out. */
export function auditOf(event: { metadata: JsonObject; created: Date }): { recordedAt: string; recordedBy: string } {
  const { recordedAt, recordedBy } = event.metadata as { recordedAt?: unknown; recordedBy?: unknown };
  return {
    recordedAt: typeof recordedAt === 'string' ? recordedAt : event.created.toISOString(),
    recordedBy: typeof recordedBy === 'string' ? recordedBy : 'unknown',
  };
}
