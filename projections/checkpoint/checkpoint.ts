import type { ClientBase } from 'pg';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { projectionContext } from '../projection';

/** The read models share one checkpoint: they are applied together, batch by batch. */
export const READ_MODELS_CHECKPOINT = 'read-models';

export interface Checkpoint {
  /** Position of the last applied event; 0n before the first. */
  position: bigint;
  /** Store commit time of that event. */
  lastEventAt: Date | null;
}

export async function ensureCheckpoint(db: ClientBase, schema: string): Promise<void> {
  const { table } = projectionContext(db, schema);
  await db.query(
    `INSERT INTO ${table('projection_checkpoint')} (name, position, last_event_at, updated_at)
     VALUES ($1, 0, NULL, now()) ON CONFLICT (name) DO NOTHING`,
    [READ_MODELS_CHECKPOINT],
  );
}

export async function readCheckpoint(db: ClientBase, schema: string, options: { forUpdate?: boolean } = {}): Promise<Checkpoint> {
  const { table } = projectionContext(db, schema);
  const { rows } = await db.query<{ position: string; last_event_at: Date | null }>(
    `SELECT position, last_event_at FROM ${table('projection_checkpoint')} WHERE name = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [READ_MODELS_CHECKPOINT],
  );
  if (rows.length === 0) return { position: 0n, lastEventAt: null };
  return { position: BigInt(rows[0].position), lastEventAt: rows[0].last_event_at };
}

export async function writeCheckpoint(db: ClientBase, schema: string, last: Pick<RecordedEvent, 'position' | 'created'>): Promise<void> {
  const { table } = projectionContext(db, schema);
  await db.query(
    `INSERT INTO ${table('projection_checkpoint')} (name, position, last_event_at, updated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, last_event_at = EXCLUDED.last_event_at, updated_at = now()`,
    [READ_MODELS_CHECKPOINT, last.position.toString(), last.created],
  );
}
