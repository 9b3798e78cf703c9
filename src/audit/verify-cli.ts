/**
 * `npm run audit:verify`: the verification of POST /v1/audit/verify from a shell, against the database and
 * event store the environment names (DATABASE_URL / EVENTSTORE_URL; without DATABASE_URL, the embedded
 * PostgreSQL under ASUH_DATA_DIR, reused when the API already runs it).
 *
 *   --json         print the whole report as JSON (default: a summary)
 *   --wait-ms=N    how long to wait for the live read models to reach the head (default 30000); after that
 *                  the comparison is made at the position they have reached
 *
 * Exit status: 0 verified, 1 mismatches or broken hash chains, 2 the verification could not run.
 */
import { Presets, SingleBar } from 'cli-progress';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { readCommonCheckpoint } from '../../projections/checkpoint/checkpoint';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
import { runMigrations } from '../../projections/data-source';
import { LIVE_SCHEMA } from '../../projections/projection';
import { loadConfig } from '../config/config';
import { createEventCodec } from '../event-catalog';
import { openVault } from '../personal-data/open-vault';
import type { PersonalDataVault } from '../personal-data/vault';
import { createEventStore } from '../event-store/event-store.factory';
import type { EventStore } from '../event-store/event-store.port';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../infra/embedded-postgres';
import { verifyReadModels, type VerifyProgress, type VerifyReport } from './verify';

const POLL_MS = 200;

/** Polls the committed live checkpoint: the projector may run in the API process or its own. */
async function waitForLiveCheckpoint(databaseUrl: string, position: bigint, timeoutMs: number): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'asuh-verify' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await readCommonCheckpoint(client, LIVE_SCHEMA, READ_MODEL_PROJECTIONS.map((p) => p.name))).position >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await client.end();
  }
}

function progressBar(): { update(progress: VerifyProgress): void; stop(): void } {
  const bar = new SingleBar(
    { format: '{phase} [{bar}] {percentage}% | {detail}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  let phase = '';
  return {
    update({ phase: next, fraction, detail }) {
      const payload = { phase: next.padEnd(7), detail };
      if (!started) {
        bar.start(1000, 0, payload);
        started = true;
      } else if (next !== phase) {
        bar.update(0, payload);
      }
      phase = next;
      bar.update(Math.round(fraction * 1000), payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function summary(report: VerifyReport): string {
  const lines = [
    `Compared at log position ${report.position} (head ${report.headPosition}${report.liveCaughtUp ? '' : '; the live read models had not reached the head'}).`,
    `Replayed ${report.eventsReplayed} events into scratch read models; hashed ${report.eventsHashed} events in ${report.streamsHashed} streams.`,
    ...report.tables.map((t) => `  ${t.table.padEnd(24)} ${String(t.liveRows).padStart(9)} live ${String(t.replayedRows).padStart(9)} replayed ${String(t.differingRows).padStart(6)} differing`),
  ];
  for (const m of report.mismatches) {
    lines.push(`MISMATCH ${m.table} ${JSON.stringify(m.key)} ${m.column ?? '(row)'}: live ${JSON.stringify(m.live)}, replayed ${JSON.stringify(m.replayed)}`);
  }
  for (const b of report.brokenChains) {
    lines.push(`BROKEN CHAIN ${b.streamId} revision ${b.revision} position ${b.position} event ${b.eventId} (${b.type}): ${b.reason}`);
  }
  for (const c of report.clearTextPersonalData) {
    lines.push(`CLEAR TEXT ${c.streamId} position ${c.position} event ${c.eventId} (${c.type}): ${c.fields.join(', ')} not sealed`);
  }
  for (const subject of report.keysOfErasedSubjects) lines.push(`KEY NOT DESTROYED for erased ${subject}`);
  lines.push(
    report.ok
      ? 'OK: the read models equal a clean replay, every hash chain holds, no personal data in clear text, no erased person’s key left.'
      : 'FAILED: see the differences above.',
  );
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, 'wait-ms': { type: 'string', default: '30000' } } });
  const waitMs = Number(values['wait-ms']);
  if (!Number.isInteger(waitMs) || waitMs < 0) throw new Error('--wait-ms must be a whole number of milliseconds');
  const config = loadConfig(process.env);

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), config.embeddedPostgresPort, (line) => process.stderr.write(`${line}\n`));
    databaseUrl = embedded.url;
  }
  let eventStore: EventStore | undefined;
  let vault: PersonalDataVault | undefined;
  const bar = progressBar();
  try {
    eventStore = await createEventStore({ databaseUrl, eventStoreUrl: config.eventStoreUrl });
    await runMigrations(databaseUrl);
    vault = await openVault(config, databaseUrl, (line) => process.stderr.write(`${line}\n`));
    const url = databaseUrl;
    const report = await verifyReadModels({
      eventStore,
      codec: createEventCodec(config, vault),
      databaseUrl: url,
      waitForLive: (position) => waitForLiveCheckpoint(url, position, waitMs),
      onProgress: (progress) => bar.update(progress),
    });
    bar.stop();
    process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : summary(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    bar.stop();
    await eventStore?.close();
    await vault?.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
