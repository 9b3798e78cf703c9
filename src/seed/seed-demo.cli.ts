import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startApplication } from '../bootstrap';
import { ConfigError, loadConfig } from '../config/config';
import { planDemoCity } from './demo-city';
import { seedDemo, SystemNotEmptyError } from './seed-demo';

/** The repository's data/ folder, from src/ (ts) or dist/src/ (built). */
function findDataDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'data', 'semarang-opd.csv'))) return join(dir, 'data');
  }
  throw new Error('data/semarang-opd.csv not found');
}

async function main(): Promise<void> {
  const config = { ...loadConfig({ LOG_LEVEL: 'warn', ...process.env }), runLapseSchedule: false };
  // Reuses the running service's database (DATABASE_URL, or the embedded server `npm start` runs).
  const started = await startApplication(config, { listen: false, announce: () => undefined });
  try {
    const today = started.runtime.clock.today();
    const steps = planDemoCity(today, findDataDir());
    const summary = await seedDemo(started.app, steps, { progress: process.stdout.isTTY });
    process.stdout.write(
      `Seeded a demo Semarang as of ${today}: ${summary.opds} OPDs, ${summary.sponsors} sponsors, ${summary.workers} workers, ` +
        `${summary.payments} payments, ${summary.corrections} corrections, ${summary.reversals} reversal(s); ` +
        `the lapse check recorded ${summary.lapsed} lapses and ${summary.ended} ends.\n`,
    );
  } finally {
    await started.close();
  }
}

main().catch((error) => {
  const expected = error instanceof ConfigError || error instanceof SystemNotEmptyError;
  process.stderr.write(`seed:demo: ${expected ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
