import type { ClientBase } from 'pg';
import { assertSchemaName } from '../../projections/projection';

/** One difference between a live read-model row and the same row of a clean replay. */
export interface Mismatch {
  table: string;
  /** Primary key of the row, column → value. */
  key: Record<string, unknown>;
  /** The differing column; null when the whole row exists on one side only. */
  column: string | null;
  /** The live value (or row); null when the live side lacks the row. */
  live: unknown;
  /** The replayed value (or row); null when the replay lacks the row. */
  replayed: unknown;
}

export interface TableComparison {
  table: string;
  liveRows: number;
  replayedRows: number;
  /** Rows that differ in any column or exist on one side only. */
  differingRows: number;
}

export interface ReadModelDiff {
  tables: TableComparison[];
  /** The first differences, table by table in primary-key order, at most `limit`. */
  mismatches: Mismatch[];
}

interface ColumnInfo {
  name: string;
  type: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function columnsOf(db: ClientBase, schema: string, table: string): Promise<ColumnInfo[]> {
  const { rows } = await db.query<ColumnInfo>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  return rows;
}

async function primaryKeyOf(db: ClientBase, schema: string, table: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [`${ident(schema)}.${ident(table)}`],
  );
  return rows.map((r) => r.name);
}

/**
 * A column's value for the report, as JSON: exact integers beyond 2^53 (positions, money) as decimal
 * strings, everything else as PostgreSQL renders it in JSON.
 */
function reported(alias: string, column: ColumnInfo): string {
  const ref = `${alias}.${ident(column.name)}`;
  return ['bigint', 'numeric'].includes(column.type) ? `to_jsonb(${ref}::text)` : `to_jsonb(${ref})`;
}

const rowObject = (alias: string, columns: ColumnInfo[]) =>
  `jsonb_build_object(${columns.map((c) => `'${c.name}', ${reported(alias, c)}`).join(', ')})`;

/**
 * Compares one table of the live schema with the same table of a replayed schema, by primary key, column
 * by column, with each column's own type's equality (`IS DISTINCT FROM`), in the database: neither side
 * is loaded into memory, only the first `limit` differing rows come back.
 */
async function compareTable(db: ClientBase, liveSchema: string, replayedSchema: string, table: string, limit: number): Promise<{ comparison: TableComparison; mismatches: Mismatch[] }> {
  const columns = await columnsOf(db, liveSchema, table);
  const replayedColumns = await columnsOf(db, replayedSchema, table);
  const signature = (cs: ColumnInfo[]) => cs.map((c) => `${c.name}:${c.type}`).join(',');
  if (signature(columns) !== signature(replayedColumns)) {
    throw new Error(`${table}: the live and replayed tables have different columns (${signature(columns)} vs ${signature(replayedColumns)})`);
  }
  const key = await primaryKeyOf(db, liveSchema, table);
  if (key.length === 0) throw new Error(`${table} has no primary key to compare rows by`);
  const keyColumns = columns.filter((c) => key.includes(c.name)).sort((a, b) => key.indexOf(a.name) - key.indexOf(b.name));
  const valueColumns = columns.filter((c) => !key.includes(c.name));

  const live = `${ident(liveSchema)}.${ident(table)}`;
  const replayed = `${ident(replayedSchema)}.${ident(table)}`;
  const join = keyColumns.map((c) => `l.${ident(c.name)} = r.${ident(c.name)}`).join(' AND ');
  const firstKey = ident(keyColumns[0].name);
  const differs = valueColumns.map((c) => `l.${ident(c.name)} IS DISTINCT FROM r.${ident(c.name)}`);
  const differing = valueColumns.length
    ? `array_remove(ARRAY[${valueColumns.map((c) => `CASE WHEN l.${ident(c.name)} IS DISTINCT FROM r.${ident(c.name)} THEN '${c.name}' END`).join(', ')}]::text[], NULL)`
    : `ARRAY[]::text[]`;
  const { rows } = await db.query<{
    key: Record<string, unknown>;
    live_row: Record<string, unknown> | null;
    replayed_row: Record<string, unknown> | null;
    differing: string[];
    total: string;
  }>(
    `SELECT CASE WHEN l.${firstKey} IS NOT NULL THEN ${rowObject('l', keyColumns)} ELSE ${rowObject('r', keyColumns)} END AS key,
            CASE WHEN l.${firstKey} IS NOT NULL THEN ${rowObject('l', columns)} END AS live_row,
            CASE WHEN r.${firstKey} IS NOT NULL THEN ${rowObject('r', columns)} END AS replayed_row,
            ${differing} AS differing,
            count(*) OVER ()::text AS total
       FROM ${live} l FULL JOIN ${replayed} r ON ${join}
      WHERE l.${firstKey} IS NULL OR r.${firstKey} IS NULL${differs.length ? ` OR ${differs.join(' OR ')}` : ''}
      ORDER BY ${keyColumns.map((c) => `coalesce(l.${ident(c.name)}, r.${ident(c.name)})`).join(', ')}
      LIMIT $1`,
    [limit],
  );
  const counts = await db.query<{ live: string; replayed: string }>(
    `SELECT (SELECT count(*) FROM ${live})::text AS live, (SELECT count(*) FROM ${replayed})::text AS replayed`,
  );
  const mismatches: Mismatch[] = [];
  for (const row of rows) {
    if (!row.live_row || !row.replayed_row) {
      mismatches.push({ table, key: row.key, column: null, live: row.live_row, replayed: row.replayed_row });
      continue;
    }
    for (const column of row.differing) {
      mismatches.push({ table, key: row.key, column, live: row.live_row[column], replayed: row.replayed_row[column] });
    }
  }
  return {
    comparison: {
      table,
      liveRows: Number(counts.rows[0].live),
      replayedRows: Number(counts.rows[0].replayed),
      differingRows: rows.length ? Number(rows[0].total) : 0,
    },
    mismatches,
  };
}

/**
 * Compares every given table of `liveSchema` with its replayed copy in `replayedSchema`. Every column
 * counts, bookkeeping ones (`last_position`) included: the projections are deterministic functions of the
 * log prefix, so live tables that applied the same prefix as the replay must equal it exactly.
 */
export async function compareReadModels(
  db: ClientBase,
  liveSchema: string,
  replayedSchema: string,
  tables: readonly string[],
  options: { limit?: number; onTable?: (index: number, table: string) => void } = {},
): Promise<ReadModelDiff> {
  assertSchemaName(liveSchema);
  assertSchemaName(replayedSchema);
  const limit = options.limit ?? 50;
  const result: ReadModelDiff = { tables: [], mismatches: [] };
  for (const [index, table] of tables.entries()) {
    options.onTable?.(index, table);
    const remaining = limit - result.mismatches.length;
    const { comparison, mismatches } = await compareTable(db, liveSchema, replayedSchema, table, Math.max(remaining, 1));
    result.tables.push(comparison);
    result.mismatches.push(...mismatches.slice(0, Math.max(remaining, 0)));
  }
  return result;
}
