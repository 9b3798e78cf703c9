/**
 * Anything that runs SQL: a pg Pool or Client (answers `{ rows }`) or a TypeORM DataSource, EntityManager or
 * QueryRunner (answers the rows). Lets the read-side queries serve the Nest query handlers and the tests alike.
 */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export async function selectRows<T>(db: SqlRunner, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, params);
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** A ratio as a fraction rounded to 4 decimals (domain.md); 0 when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}
