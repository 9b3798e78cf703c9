import type { ValueTransformer } from 'typeorm';

/**
 * `bigint` columns come back from pg as strings. Money sums in rupiah stay far below 2^53 for a city (and a
 * country), so they are read as numbers, but a value that is not a safe integer is an error, never rounded.
 */
export const safeIntegerTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : toSafeInteger(value)),
};

export function toSafeInteger(value: string | number | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not a safe integer: ${String(value)}`);
  return n;
}
