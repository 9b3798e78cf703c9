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

/** Keyset pagination by id: stable under concurrent inserts, no OFFSET scans. Filters with an undefined value are left out. */
export async function keysetPage<T extends Record<string, unknown>>(
  db: DataSource,
  source: KeysetSource,
  filters: [string, unknown][],
  cursor: string | undefined,
  limit: number,
): Promise<Page<T>> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  const after = afterId(cursor);
  if (after) {
    params.push(after);
    where.push(`${source.key} > $${params.length}`);
  }
  params.push(limit + 1);
  const rows: T[] = await db.query(
    `SELECT ${source.select} FROM ${source.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${source.key} LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(String(last[source.idField])) : null };
}
