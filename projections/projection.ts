import type { ClientBase } from 'pg';
import type { ApiKeyEvent } from '../src/api-keys/api-key.events';
import type { DecodedEvent } from '../src/event-sourcing/event-codec';
import type { Sealed } from '../src/personal-data/sealing';
import type { JsonObject } from '../src/event-store/event-store.port';
import type { OpdEvent } from '../src/opds/opd.events';
import type { SponsorEvent } from '../src/sponsors/sponsor.events';
import type { UcjEvent } from '../src/ucj/ucj.events';
import type { WorkerEvent } from '../src/workers/worker.events';
import type { Column } from './row-batch';

/**
 * Projections, emmett style: each declares the event types it handles and the tables it owns, and gets, per
 * batch, the events of those types in log order (already in their current shape), inside the batch's
 * transaction. A projection reads only its events and writes only its own tables (it never reads another
 * projection's), and keeps a checkpoint of its own, so one read model can be rebuilt or added while the
 * others keep serving. Every statement names its tables through `ctx.table(...)`, so the same code fills
 * the live schema (`public`) or a scratch schema (rebuild, verify).
 */

export type ReadModelEvent = OpdEvent | SponsorEvent | WorkerEvent | UcjEvent | ApiKeyEvent;
export type ReadModelEventType = ReadModelEvent['type'];

/** A recorded event with its type and data as the read side knows them (upcast). */
export type ProjectedEvent<E extends ReadModelEvent = ReadModelEvent> = DecodedEvent<E>;

/** A read-model table as its projection writes it: the column list shared by the entity and the migration. */
export interface TableDescription {
  name: string;
  columns: readonly Column[];
  /**
   * Its indexes that only the query side reads (never the projection while it applies events): a rebuild
   * replays into its scratch copy without them and builds them once the replay is done, which costs far less
   * than keeping them up to date row by row.
   */
  queryIndexes?: readonly string[];
}

export const CHECKPOINT_TABLE = 'projection_checkpoint';

export const LIVE_SCHEMA = 'public';

/** What a projection may do with personal data: seal it for its rows, and hash identifiers for look-ups. */
export interface PersonalDataPort {
  seal(subject: string, fields: Record<string, unknown>, options: { deterministic: true }): Promise<Sealed>;
  /** The keyed hash the write side names reservations with (`nik`, `nip`). */
  digest(kind: string, value: string): string;
  nameTrigrams(name: string): string[];
}

export interface ProjectionContext {
  /** The connection of the batch transaction. */
  readonly db: ClientBase;
  readonly schema: string;
  /** Schema-qualified, quoted table name for SQL text. */
  table(name: string): string;
  /** The key store, for the projections that keep personal data (sealed); throws when this process has none. */
  personal(): PersonalDataPort;
}

export interface Projection {
  /** Also the name of its checkpoint. */
  readonly name: string;
  readonly canHandle: readonly string[];
  /** The tables it alone writes (a rebuild of this projection replaces exactly these). */
  readonly tables: readonly TableDescription[];
  /** Applies the batch's events of the handled types, in log order. Must be idempotent by position. */
  handle(events: readonly ProjectedEvent[], ctx: ProjectionContext): Promise<void>;
}

type EventOfType<T extends ReadModelEventType> = ProjectedEvent<Extract<ReadModelEvent, { type: T }>>;

export function projection<T extends ReadModelEventType>(definition: {
  name: string;
  canHandle: readonly T[];
  tables: readonly TableDescription[];
  handle(events: readonly EventOfType<T>[], ctx: ProjectionContext): Promise<void>;
}): Projection {
  return definition as unknown as Projection;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new RangeError(`Not a safe schema name: ${schema}`);
  return schema;
}

export function projectionContext(db: ClientBase, schema: string = LIVE_SCHEMA, personal?: PersonalDataPort): ProjectionContext {
  assertSchemaName(schema);
  return {
    db,
    schema,
    table: (name) => `"${schema}"."${name}"`,
    personal: () => {
      if (!personal) throw new Error('This projection keeps personal data and needs the key store (pass the codec with its vault)');
      return personal;
    },
  };
}

/** The tables of the given projections, checkpoint table first. */
export function tablesOf(projections: readonly Projection[]): string[] {
  return [CHECKPOINT_TABLE, ...projections.flatMap((p) => p.tables.map((t) => t.name))];
}

/** Audit metadata of an event, with the store's commit time when the writer left it out. */
export function auditOf(event: { metadata: JsonObject; created: Date }): { recordedAt: string; recordedBy: string } {
  const { recordedAt, recordedBy } = event.metadata as { recordedAt?: unknown; recordedBy?: unknown };
  return {
    recordedAt: typeof recordedAt === 'string' ? recordedAt : event.created.toISOString(),
    recordedBy: typeof recordedBy === 'string' ? recordedBy : 'unknown',
  };
}
