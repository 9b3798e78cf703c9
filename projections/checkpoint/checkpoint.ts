import type { ClientBase } from 'pg';
import { CHECKPOINT_TABLE, projectionContext } from '../projection';

/** How far one projection has applied the log; written in the same transaction as its rows. */
export interface Checkpoint {
  /** Position of the last event the projection has seen; 0n before the first. */
  position: bigint;
  /** Store commit time of that event. */
  lastEventAt: Date | null;
}

const NONE: Checkpoint = { position: 0n, lastEventAt: null };

/** The checkpoints of the named projections (a projection without a row yet starts from the beginning). */
export async function readCheckpoints(
  db: ClientBase,
  schema: string,
  names: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<Map<string, Checkpoint>> {
  const { table } = projectionContext(db, schema);
  const { rows } = await db.query<{ name: string; position: string; last_event_at: Date | null }>(
    `SELECT name, position, last_event_at FROM ${table(CHECKPOINT_TABLE)} WHERE name = ANY($1::text[])${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [names],
  );
  const found = new Map(rows.map((r) => [r.name, { position: BigInt(r.position), lastEventAt: r.last_event_at }]));
  return new Map(names.map((name) => [name, found.get(name) ?? NONE]));
}

/** Where the named projections all are: the least advanced one's checkpoint. */
export async function readCommonCheckpoint(db: ClientBase, schema: string, names: readonly string[]): Promise<Checkpoint> {
  return leastOf([...(await readCheckpoints(db, schema, names)).values()]);
}

export function leastOf(checkpoints: readonly Checkpoint[]): Checkpoint {
  return checkpoints.reduce<Checkpoint | null>((least, c) => (least === null || c.position < least.position ? c : least), null) ?? NONE;
}

export async function writeCheckpoints(db: ClientBase, schema: string, checkpoints: ReadonlyMap<string, Checkpoint>): Promise<void> {
  if (checkpoints.size === 0) return;
  const { table } = projectionContext(db, schema);
  const entries = [...checkpoints];
  await db.query(
    `INSERT INTO ${table(CHECKPOINT_TABLE)} (name, position, last_event_at, updated_at)
     SELECT n, p, t, now() FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) AS c(n, p, t)
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, last_event_at = EXCLUDED.last_event_at, updated_at = now()`,
    [entries.map(([name]) => name), entries.map(([, c]) => c.position.toString()), entries.map(([, c]) => c.lastEventAt)],
  );
}
