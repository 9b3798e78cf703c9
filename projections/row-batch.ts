import type { ClientBase } from 'pg';

/**
 * Helpers for projections that fold a batch in memory: load the rows the batch touches in one query,
 * apply the events to them in log order (pure code, guarded by each row's last position), and write the
 * changed rows back in one statement. A batch of thousands of events then costs a handful of round trips.
 */

export interface Column {
  name: string;
  /** PostgreSQL type of the column, for the `unnest` casts. */
  type: 'uuid' | 'text' | 'int' | 'smallint' | 'bigint' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';
}

/** Rows of `table` whose `key` is one of `keys`, by key. Dates come back as `YYYY-MM-DD` text, bigints as text. */
export async function loadRows<R>(
  db: ClientBase,
  table: string,
  columns: readonly Column[],
  key: string,
  keys: Iterable<string>,
): Promise<Map<string, R>> {
  const wanted = [...new Set(keys)];
  const found = new Map<string, R>();
  if (wanted.length === 0) return found;
  const keyType = columns.find((c) => c.name === key)!.type;
  const select = columns.map((c) => (c.type === 'date' || c.type === 'bigint' ? `${c.name}::text AS ${c.name}` : c.name)).join(', ');
  const { rows } = await db.query(`SELECT ${select} FROM ${table} WHERE ${key} = ANY($1::${keyType}[])`, [wanted]);
  for (const row of rows) found.set(String(row[key]), row as R);
  return found;
}

/** Inserts or replaces (every column) the given rows, keyed by `key`, in one statement. */
export async function upsertRows(
  db: ClientBase,
  table: string,
  columns: readonly Column[],
  key: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => c.name);
  const arrays = columns.map((c) => rows.map((row) => toParam(row[c.name])));
  await db.query(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})
     ON CONFLICT (${key}) DO UPDATE SET ${names.filter((n) => n !== key).map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    arrays,
  );
}

function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  // jsonb arrays are passed as text: pg would send a JS array of objects as a PostgreSQL array literal.
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

/** Inserts the given rows in one statement, leaving alone those whose `conflictKey` exists (a replay). */
export async function insertNewRows(
  db: ClientBase,
  table: string,
  columns: readonly Column[],
  conflictKey: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')})
     SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})
     ON CONFLICT (${conflictKey}) DO NOTHING`,
    columns.map((c) => rows.map((row) => toParam(row[c.name]))),
  );
}
