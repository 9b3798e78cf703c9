import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { CLOCK, type Clock } from '../shared/clock';
import { canonicalJson } from '../shared/canonical-json';
import { DomainError } from '../shared/domain-error';
import { EnrolWorkerCommand, type EnrolBody } from '../workers/enrol-worker.handler';
import { RecordPaymentCommand } from '../workers/record-payment.handler';
import { type WorkerEvent, workerStream } from '../workers/worker.events';
import { type FileRow, type ImportFile, type ImportKind, readImportFile } from './import-file';
import { ImportJobsStore, INTERRUPTED, type ImportProgress, type ImportReport, type RejectedRow } from './import-jobs.store';
import { columnOf, readPaymentRow, readWorkerRow, type RowError } from './import-rows';

/** Who asked for an import, as the events its rows append will say (`recordedBy`, correlation id). */
export interface ImportRequester {
  principal: string;
}

/** A started import: its id, and its end (the report once DONE or FAILED). */
export interface StartedImport {
  importId: string;
  rows: number;
  finished: Promise<ImportReport>;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Called after every row (the CLI's progress bar). */
  onRow?: (progress: { processed: number; rows: number }) => void;
}

/** How often a running job writes its counts (the progress a GET shows, and its heartbeat). */
const FLUSH_EVERY_MS = 1000;

/**
 * The errors and the sealed rejected rows are rewritten whole: past this many errors, at most every
 * ERRORS_EVERY_MS while the job runs (the counts still every second), so a file of bad rows costs no more than
 * a good one.
 */
const MANY_ERRORS = 1000;
const ERRORS_EVERY_MS = 10_000;

/** Pauses before each retry of a row that met a transient failure (the database away, a concurrent write). */
const RETRY_PAUSES_MS = [200, 1000, 3000];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure that is no row's fault: the row is retried, and if it persists the job stops (FAILED). */
class TransientFailure extends Error {}

/**
 * Splits the rows into `count` lanes that run side by side, each in file order. Rows that share a NIK, or (payments)
 * a payment reference, are kept in one lane, so what one row decides is settled before a row that depends on it
 * (the second payment of a worker, a reference used twice) is decided: the outcome is the same as one row after
 * the other.
 */
export function lanesOf(rows: readonly FileRow[], count: number, kind: ImportKind): FileRow[][] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression: every key on the way points at the root from now on.
    for (let k = key; k !== root; ) {
      const next = parent.get(k)!;
      parent.set(k, root);
      k = next;
    }
    return root;
  };
  const keysOf = (row: FileRow): string[] => {
    const nik = row.values.nik?.trim();
    const keys = [nik ? `nik:${nik}` : `row:${row.row}`];
    const ref = kind === 'payments' ? row.values.paymentRef?.trim() : undefined;
    if (ref) keys.push(`ref:${ref}`);
    return keys;
  };
  for (const row of rows) {
    const keys = keysOf(row);
    for (const key of keys) if (!parent.has(key)) parent.set(key, key);
    for (const key of keys.slice(1)) {
      const a = find(keys[0]);
      const b = find(key);
      if (a !== b) parent.set(b, a);
    }
  }
  const lanes: FileRow[][] = Array.from({ length: count }, () => []);
  for (const row of rows) lanes[createHash('sha1').update(find(keysOf(row)[0])).digest().readUInt32BE(0) % count].push(row);
  return lanes;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** One job while it runs: its counts, errors and rejected rows, and what its rows found out so far. */
class RunningJob implements ImportProgress {
  processed = 0;
  accepted = 0;
  duplicates = 0;
  rejected = 0;
  errors: RowError[] = [];
  rejectedRows: RejectedRow[] = [];
  position: bigint | null = null;
  failure?: string;
  /** Errors changed since the last write. */
  dirty = true;
  /** Look-ups by NIK and NIP through the unique-key reservations (the write model, never behind). */
  readonly workerByNik = new Map<string, string | null>();
  readonly sponsorByNip = new Map<string, string | null>();
  /** A dry run appends nothing: what its earlier rows would have recorded, to judge later rows of the same file. */
  readonly dryRunSeen = new Map<string, string>();

  constructor(
    readonly importId: string,
    readonly kind: ImportKind,
    readonly dryRun: boolean,
    readonly rows: number,
  ) {}

  recorded(position: bigint): void {
    this.accepted++;
    if (!this.dryRun && (this.position === null || position > this.position)) this.position = position;
  }

  reject(row: FileRow, errors: RowError[]): void {
    this.rejected++;
    this.errors.push(...errors);
    this.rejectedRows.push({
      row: row.row,
      cells: row.cells,
      field: errors.map((e) => e.field).join('; '),
      code: errors.map((e) => e.code).join('; '),
      message: errors.map((e) => e.message).join('; '),
    });
    this.dirty = true;
  }
}

/**
 * Bulk import (docs/rules.md, "Bulk import"): a CSV file of workers or of payments, each row one ordinary command
 * through the same command handlers as the single-record endpoints (same rules, same events, same error codes).
 * Rows are independent: a bad row is reported with its row number, column and code and the others go on. A row
 * already in the ledger with the same content is a duplicate, so importing a file twice changes nothing the
 * second time. A dry run decides every row and appends nothing. The job's counts are written every second
 * while it runs (progress), and its report stays readable afterwards.
 */
@Injectable()
export class ImportsService implements OnModuleDestroy {
  private readonly logger = new Logger('Imports');
  private readonly running = new Map<string, { job: RunningJob; finished: Promise<ImportReport> }>();

  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CommandRunner,
    private readonly jobs: ImportJobsStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Reads the file (refusing it whole when it is not a CSV of the kind: ImportFileError) and starts its rows. */
  async start(kind: ImportKind, content: Buffer, requester: ImportRequester, options: ImportOptions = {}): Promise<StartedImport> {
    const file = readImportFile(kind, content);
    const importId = randomUUID();
    await this.jobs.create({ importId, kind, dryRun: options.dryRun ?? false, rows: file.rows.length, header: file.header, requestedBy: requester.principal });
    const job = new RunningJob(importId, kind, options.dryRun ?? false, file.rows.length);
    const finished = this.run(job, file, requester, options).finally(() => this.running.delete(importId));
    this.running.set(importId, { job, finished });
    // Nobody may be waiting for the end (the HTTP route answers 202 at once): a failure is logged, never unhandled.
    finished.catch((error) => this.logger.error(`Import ${importId} ended abnormally: ${error instanceof Error ? error.stack : String(error)}`));
    return { importId, rows: file.rows.length, finished };
  }

  report(importId: string): Promise<ImportReport | null> {
    return this.jobs.report(importId);
  }

  rejectedRows(importId: string) {
    return this.jobs.rejectedRows(importId);
  }

  /** On shutdown the running jobs stop after their rows in flight and are recorded FAILED (re-import to finish). */
  async onModuleDestroy(): Promise<void> {
    for (const { job } of this.running.values()) job.failure ??= INTERRUPTED;
    await Promise.allSettled([...this.running.values()].map((r) => r.finished));
  }

  private async run(job: RunningJob, file: ImportFile, requester: ImportRequester, options: ImportOptions): Promise<ImportReport> {
    const lanes = lanesOf(file.rows, this.config.importConcurrency, job.kind);
    let writing: Promise<void> = Promise.resolve();
    let errorsWrittenAt = 0;
    const write = (final?: { status: 'DONE' | 'FAILED'; failure?: string }) => {
      writing = writing
        .then(async () => {
          const due = job.errors.length <= MANY_ERRORS || Date.now() - errorsWrittenAt >= ERRORS_EVERY_MS;
          const errorsChanged = final !== undefined || (job.dirty && due);
          if (errorsChanged) {
            job.dirty = false;
            errorsWrittenAt = Date.now();
          }
          await this.jobs.save(job.importId, job, final, errorsChanged);
        })
        .catch((error) => {
          job.dirty = true;
          this.logger.warn(`Import ${job.importId}: progress not written (${error instanceof Error ? error.message : String(error)})`);
        });
      return writing;
    };
    const timer = setInterval(() => void write(), FLUSH_EVERY_MS);
    try {
      await Promise.all(
        lanes.map(async (rows) => {
          for (const row of rows) {
            if (job.failure) return;
            try {
              await this.withRetries(() => (job.kind === 'workers' ? this.workerRow(job, row, requester) : this.paymentRow(job, row, requester)));
            } catch (error) {
              job.failure ??= `The import stopped at row ${row.row}: ${error instanceof Error ? error.message : String(error)}. Rows before it are recorded; import the file again once the cause is fixed (recorded rows count as duplicates).`;
              return;
            }
            job.processed++;
            options.onRow?.({ processed: job.processed, rows: job.rows });
          }
        }),
      );
    } finally {
      clearInterval(timer);
    }
    await write(job.failure ? { status: 'FAILED', failure: job.failure } : { status: 'DONE' });
    const report = await this.jobs.report(job.importId);
    this.logger.log(
      `Import ${job.importId} (${job.kind}${job.dryRun ? ', dry run' : ''}) ${report?.status}: ${job.processed}/${job.rows} rows, ` +
        `${job.accepted} accepted, ${job.duplicates} duplicates, ${job.rejected} rejected`,
    );
    return report!;
  }

  /** A transient failure is tried again a few times; then it stops the job. */
  private async withRetries(attempt: () => Promise<void>): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (error) {
        if (i >= RETRY_PAUSES_MS.length) throw error;
        await pause(RETRY_PAUSES_MS[i]);
      }
    }
  }

  private context(job: RunningJob, requester: ImportRequester, row: FileRow): CommandContext {
    return {
      principal: requester.principal,
      correlationId: job.importId,
      causationId: `${job.importId}:${row.row}`,
      now: this.clock.now(),
      today: this.clock.today(),
      ...(job.dryRun ? { dryRun: true } : {}),
    };
  }

  /**
   * Runs a command; a broken rule rejects the row (or, for `duplicate`, counts it as one); a concurrent write
   * that outlasted the shell's own retries, or any other failure, is transient (retried, then fatal).
   */
  private async decide<R>(job: RunningJob, row: FileRow, run: () => Promise<R>, duplicate?: (error: DomainError) => Promise<boolean>): Promise<R | undefined> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'CONCURRENCY_CONFLICT') throw new TransientFailure(error instanceof Error ? error.message : String(error));
      if (duplicate && (await duplicate(error))) {
        job.duplicates++;
        return undefined;
      }
      job.reject(row, [{ row: row.row, field: columnOf(job.kind, error.field), code: error.code, message: error.message }]);
      return undefined;
    }
  }

  private async workerRow(job: RunningJob, row: FileRow, requester: ImportRequester): Promise<void> {
    const read = readWorkerRow(row);
    if ('errors' in read) return job.reject(row, read.errors);
    const { nik, sponsorNip, body } = read.ok;
    let sponsorId: string | undefined;
    if (sponsorNip !== undefined) {
      sponsorId = (await this.sponsorIdByNip(job, sponsorNip)) ?? undefined;
      if (!sponsorId) {
        return job.reject(row, [{ row: row.row, field: 'sponsorNip', code: 'UNKNOWN_SPONSOR', message: 'No sponsor is registered with this NIP' }]);
      }
    }
    const enrolment: EnrolBody = { ...body, ...(sponsorId ? { sponsorId } : {}) };
    if (job.dryRun) {
      const earlier = job.dryRunSeen.get(nik);
      if (earlier !== undefined) {
        if (earlier === canonicalJson(enrolment)) job.duplicates++;
        else job.reject(row, [{ row: row.row, field: 'nik', code: 'NIK_ALREADY_ENROLLED', message: 'This NIK is enrolled by an earlier row of the file with other details' }]);
        return;
      }
    }
    let accepted = false;
    await this.decide(
      job,
      row,
      async () => {
        const { position } = await this.commands.execute(new EnrolWorkerCommand(enrolment, this.context(job, requester, row)));
        job.recorded(position);
        accepted = true;
      },
      async (error) => error.code === 'NIK_ALREADY_ENROLLED' && !!error.details?.workerId && (await this.enrolledAlike(error.details.workerId, enrolment)),
    );
    if (job.dryRun && accepted) job.dryRunSeen.set(nik, canonicalJson(enrolment));
  }

  /** Whether the worker holding the NIK was enrolled with the row's details (the same row imported before). */
  private async enrolledAlike(workerId: string, row: EnrolBody): Promise<boolean> {
    const history = await this.runner.read<WorkerEvent>(workerStream(workerId));
    return history.some(({ type, data }) => {
      if (type !== 'WorkerEnrolled') return false;
      const e = data as Extract<WorkerEvent, { type: 'WorkerEnrolled' }>['data'];
      return (
        e.nik === row.nik &&
        e.fullName === row.fullName &&
        e.birthDate === row.birthDate &&
        e.gender === row.gender &&
        e.occupation === row.occupation &&
        e.kecamatan === row.kecamatan &&
        e.fundingSource === row.fundingSource &&
        same(e.sponsorId, row.sponsorId) &&
        (row.enrolledOn === undefined || e.enrolledOn === row.enrolledOn) &&
        (row.address === undefined || same(e.address, row.address)) &&
        (row.phone === undefined || same(e.phone, row.phone))
      );
    });
  }

  private async paymentRow(job: RunningJob, row: FileRow, requester: ImportRequester): Promise<void> {
    const read = readPaymentRow(row);
    if ('errors' in read) return job.reject(row, read.errors);
    const { nik, payerSponsorNip, body } = read.ok;
    const workerId = await this.workerIdByNik(job, nik);
    if (!workerId) return job.reject(row, [{ row: row.row, field: 'nik', code: 'NOT_FOUND', message: 'No worker is enrolled with this NIK' }]);
    if (payerSponsorNip !== undefined) {
      const sponsorId = await this.sponsorIdByNip(job, payerSponsorNip);
      if (!sponsorId) return job.reject(row, [{ row: row.row, field: 'payerSponsorNip', code: 'UNKNOWN_SPONSOR', message: 'No sponsor is registered with this NIP' }]);
      body.payer = { ...body.payer, sponsorId };
    }
    if (job.dryRun) {
      const earlier = job.dryRunSeen.get(body.paymentRef);
      if (earlier !== undefined) {
        if (earlier === canonicalJson({ workerId, body })) job.duplicates++;
        else job.reject(row, [{ row: row.row, field: 'paymentRef', code: 'PAYMENT_REF_CONFLICT', message: `Payment reference ${body.paymentRef} is used by an earlier row of the file with other content` }]);
        return;
      }
    }
    const answer = await this.decide(job, row, () => this.commands.execute(new RecordPaymentCommand(workerId, body, this.context(job, requester, row))));
    if (!answer) return;
    if (answer.replayed) job.duplicates++;
    else {
      job.recorded(answer.position);
      if (job.dryRun) job.dryRunSeen.set(body.paymentRef, canonicalJson({ workerId, body }));
    }
  }

  private async workerIdByNik(job: RunningJob, nik: string): Promise<string | null> {
    if (!job.workerByNik.has(nik)) {
      const holder = await this.runner.reservationHolder('nik', nik);
      job.workerByNik.set(nik, typeof holder?.workerId === 'string' ? holder.workerId : null);
    }
    return job.workerByNik.get(nik)!;
  }

  private async sponsorIdByNip(job: RunningJob, nip: string): Promise<string | null> {
    if (!job.sponsorByNip.has(nip)) {
      const holder = await this.runner.reservationHolder('nip', nip);
      job.sponsorByNip.set(nip, typeof holder?.sponsorId === 'string' ? holder.sponsorId : null);
    }
    return job.sponsorByNip.get(nip)!;
  }
}
