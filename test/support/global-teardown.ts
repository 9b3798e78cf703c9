import { rmSync } from 'node:fs';
import type { EmbeddedDatabase } from '../../src/infra/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __asuhEmbedded?: { db: EmbeddedDatabase; dataDir: string } }).__asuhEmbedded;
  if (!embedded) return;
  await embedded.db.stop();
  rmSync(embedded.dataDir, { recursive: true, force: true });
}
