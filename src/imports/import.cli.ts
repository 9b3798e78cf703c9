/**
 * `npm run import -- workers|payments FILE [--dry-run] [--errors=PATH]`: a bulk import from a shell, the same job
 * as POST /v1/imports (same rows, rules, duplicates and report), against the database and event store the
 * environment names (DATABASE_URL / EVENTSTORE_URL; without DATABASE_URL, the embedded PostgreSQL under
 * ASUH_DATA_DIR). A progress bar on a terminal; then the summary, the first row errors, and the rejected rows
 * written to PATH (default FILE.errors.csv) when there are any. The job stays readable at GET /v1/imports/{id}.
 *
 * Exit status: 0 every row recorded or a duplicate, 2 some rows rejected, 1 the file was refused or the job failed.
 */
import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startApplication } from '../bootstrap';
import { ConfigError, loadConfig } from '../config/config';
import { importErrorsCsv } from './import-errors-csv';
import { IMPORT_KINDS, ImportFileError, type ImportKind } from './import-file';
import { ImportsService } from './imports.service';

const USAGE = 'usage: npm run import -- workers|payments FILE [--dry-run] [--errors=PATH]';

/** Shown errors before the rest are left to the errors file. */
const SHOWN_ERRORS = 20;

class UsageError extends Error {}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, errors: { type: 'string' } },
  });
  const [kind, file] = positionals;
  if (positionals.length !== 2 || !(IMPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(USAGE);
  const config = { ...loadConfig({ LOG_LEVEL: 'warn', ...process.env }), runLapseSchedule: false };
  const size = (await stat(file)).size;
  if (size > config.importMaxBytes) {
    throw new UsageError(`${file} is ${size} bytes, more than ASUH_IMPORT_MAX_BYTES (${config.importMaxBytes}): split it into smaller files`);
  }
  const content = await readFile(file);
  const started = await startApplication(config, { listen: false, announce: () => undefined });
  try {
    const imports = started.app.get(ImportsService);
    const bar = process.stderr.isTTY
      ? new SingleBar({ format: `${kind} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left`, hideCursor: true, stream: process.stderr }, Presets.shades_classic)
      : null;
    let job;
    try {
      job = await imports.start(kind as ImportKind, content, { principal: 'cli:import' }, { dryRun: values['dry-run'], onRow: ({ processed }) => bar?.update(processed) });
    } catch (error) {
      if (error instanceof ImportFileError) {
        process.stderr.write(`import: ${file} refused: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    bar?.start(job.rows, 0);
    const report = await job.finished;
    bar?.stop();
    process.stdout.write(
      `Import ${report.importId} (${report.kind}${report.dryRun ? ', dry run: nothing recorded' : ''}): ${report.status}; ${report.rows} rows, ` +
        `${report.processed} processed: ${report.accepted} ${report.dryRun ? 'would be recorded' : 'recorded'}, ${report.duplicates} duplicates, ${report.rejected} rejected.\n`,
    );
    if (report.failure) process.stdout.write(`${report.failure}\n`);
    for (const e of report.errors.slice(0, SHOWN_ERRORS)) process.stdout.write(`  row ${e.row} ${e.field}: ${e.code} ${e.message}\n`);
    if (report.errors.length > SHOWN_ERRORS) process.stdout.write(`  … and ${report.errors.length - SHOWN_ERRORS} more\n`);
    if (report.rejected > 0) {
      const rejected = await imports.rejectedRows(report.importId);
      const path = values.errors ?? `${file}.errors.csv`;
      await writeFile(path, importErrorsCsv(rejected!.header, rejected!.rows));
      process.stdout.write(`The rejected rows, with why, are in ${path}: fix them there and import that file.\n`);
    }
    if (report.status !== 'DONE') return 1;
    return report.rejected > 0 ? 2 : 0;
  } finally {
    await started.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const expected = error instanceof ConfigError || error instanceof UsageError || (error as NodeJS.ErrnoException).code === 'ENOENT';
    process.stderr.write(`import: ${expected ? (error as Error).message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
