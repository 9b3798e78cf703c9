import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's data/ folder (reference CSVs), found upwards from src/ (ts) or dist/src/ (built). */
export function findDataFile(file: string, from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'data', file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`data/${file} not found above ${from}`);
}
