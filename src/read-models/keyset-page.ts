import type { DataSource } from 'typeorm';
import { DomainError } from '../shared/domain-error';
import { decodeCursor, encodeCursor, type Page } from './read-query.dto';

const UUID_CURSOR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id a cursor this API gave out points after; anything else is a 400, never a database error. */
export function afterId(cursor: string | undefined): string | null {
  const key = decodeCursor(cursor);
  if (key !== null && !UUID_CURSOR.test(key)) throw new DomainError('VALIDATION_FAILED', 'cursor is not one this API gave out', 'cursor');
  return key;
}

export interface KeysetSource {
  /** Select list of the page's columns (with their answer names). */
  select: string;
  table: string;
  /** Key column the pages are ordered and cut by (a uuid). */
  key: string;
  /** Name of the key in the answer rows. */
  idField: string;
}

/** A condition of a page query; `param(value)` adds a parameter and gives its placeholder. */
export type Condition = (param: (value: unknown) => string) => string;

/** `column = value`, left out when the value is undefined. */
export const equals =
  (column: string, value: unknown): Condition | undefined =>
    value === undefined ? undefined : (param) => `${column} = ${param(value)}`;

export interface KeysetOptions<T> {
  conditions?: (Condition | undefined)[];
  /**
   * Keeps the rows that pass a test SQL cannot make (a name inside a sealed column): pages are then read on
   * until `limit` rows pass or the table ends.
   */
  keep?: (rows: T[]) => Promise<T[]>;
}

/** Keyset pagination by id: stable under concurrent inserts, no OFFSET scans. */
export async function keysetPage<T extends Record<string, unknown>>(
  db: DataSource,
  source: KeysetSource,
  options: KeysetOptions<T>,
  cursor: string | undefined,
  limit: number,
): Promise<Page<T>> {
  const kept: T[] = [];
  let after = afterId(cursor);
  let exhausted = false;
  while (kept.length <= limit && !exhausted) {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = (options.conditions ?? []).filter((c): c is Condition => c !== undefined).map((condition) => condition(param));
    if (after) where.push(`${source.key} > ${param(after)}`);
    const want = options.keep ? Math.max(limit + 1, 100) : limit + 1;
    const rows: T[] = await db.query(
      `SELECT ${source.select} FROM ${source.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${source.key} LIMIT ${param(want)}`,
      params,
    );
    exhausted = rows.length < want;
    if (rows.length > 0) after = String(rows[rows.length - 1][source.idField]);
    kept.push(...(options.keep ? await options.keep(rows) : rows));
  }
  const more = kept.length > limit;
  const items = more ? kept.slice(0, limit) : kept;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(String(last[source.idField])) : null };
}
