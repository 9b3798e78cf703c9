import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import type { ImportKind } from './import-file';
import type { RowError } from './import-rows';

export type ImportStatus = 'RUNNING' | 'DONE' | 'FAILED';

/** What GET /v1/imports/{importId} answers , plus `failure` when a job could not finish. */
export interface ImportReport {
  importId: string;
  kind: ImportKind;
  dryRun: boolean;
  status: ImportStatus;
  rows: number;
  processed: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RowError[];
  startedAt: string;
  finishedAt: string | null;
  /** The log position of the job's last recorded row: a read with `minPosition` set to it sees every row. */
  position?: string;
  failure?: string;
}

/** A rejected row as errors.csv gives it back: its fields as they were in the file, and why it was rejected. */
export interface RejectedRow {
  row: number;
  cells: string[];
  field: string;
  code: string;
  message: string;
}

export interface ImportProgress {
  processed: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RowError[];
  rejectedRows: RejectedRow[];
  /** Highest log position a row appended at (none yet: null). */
  position: bigint | null;
}

/**
 * A job still RUNNING whose heartbeat is older than this was cut off (its process stopped or died): it is
 * reported FAILED. The running process beats every second.
 */
export const STALE_AFTER_SECONDS = 30;

export const INTERRUPTED =
  'The import was interrupted (the service stopped while it ran). Import the file again: rows already recorded count as duplicates.';

const subjectOf = (importId: string) => `import:${importId}`;

type JobRow = {
  import_id: string;
  kind: ImportKind;
  dry_run: boolean;
  status: ImportStatus;
  rows: number;
  processed: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RowError[];
  failure: string | null;
  position: string | null;
  started_at: Date;
  finished_at: Date | null;
};

/**
 * The import jobs' table (`import_jobs`). The rejected rows hold personal data (NIK, names): they are kept
 * sealed with a data key of the job's own, never in clear text; the row errors hold codes and messages only.
 */
@Injectable()
export class ImportJobsStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async create(job: { importId: string; kind: ImportKind; dryRun: boolean; rows: number; header: string[]; requestedBy: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO import_jobs (import_id, kind, dry_run, status, requested_by, header, rows, started_at, heartbeat_at)
       VALUES ($1, $2, $3, 'RUNNING', $4, $5, $6, now(), now())`,
      [job.importId, job.kind, job.dryRun, job.requestedBy, JSON.stringify(job.header), job.rows],
    );
  }

  /** Writes the counts (and, when they changed, the errors and the sealed rejected rows); `final` ends the job. */
  async save(importId: string, progress: ImportProgress, final?: { status: 'DONE' | 'FAILED'; failure?: string }, errorsChanged = true): Promise<void> {
    const sealed = errorsChanged && progress.rejectedRows.length ? await this.vault.seal(subjectOf(importId), { rows: progress.rejectedRows }) : null;
    await this.db.query(
      `UPDATE import_jobs SET processed = $2, accepted = $3, duplicates = $4, rejected = $5,
              errors = CASE WHEN $6::boolean THEN $7::jsonb ELSE errors END,
              rejected_rows = CASE WHEN $6::boolean THEN $8::jsonb ELSE rejected_rows END,
              heartbeat_at = now(), position = $11,
              status = coalesce($9, status), failure = coalesce($10, failure),
              finished_at = CASE WHEN $9::text IS NULL THEN finished_at ELSE now() END
        WHERE import_id = $1`,
      [
        importId,
        progress.processed,
        progress.accepted,
        progress.duplicates,
        progress.rejected,
        errorsChanged,
        JSON.stringify([...progress.errors].sort((a, b) => a.row - b.row)),
        sealed ? JSON.stringify(sealed) : null,
        final?.status ?? null,
        final?.failure ?? null,
        progress.position === null ? null : progress.position.toString(),
      ],
    );
  }

  /** The job's report; a RUNNING job nobody has beaten for STALE_AFTER_SECONDS is recorded FAILED first. */
  async report(importId: string): Promise<ImportReport | null> {
    await this.db.query(
      `UPDATE import_jobs SET status = 'FAILED', failure = $2, finished_at = heartbeat_at
        WHERE import_id = $1 AND status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $3)`,
      [importId, INTERRUPTED, STALE_AFTER_SECONDS],
    );
    const [row]: JobRow[] = await this.db.query(
      `SELECT import_id, kind, dry_run, status, rows, processed, accepted, duplicates, rejected, errors, failure, position, started_at, finished_at
         FROM import_jobs WHERE import_id = $1`,
      [importId],
    );
    if (!row) return null;
    return {
      importId: row.import_id,
      kind: row.kind,
      dryRun: row.dry_run,
      status: row.status,
      rows: row.rows,
      processed: row.processed,
      accepted: row.accepted,
      duplicates: row.duplicates,
      rejected: row.rejected,
      errors: row.errors,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
      ...(row.position !== null ? { position: row.position } : {}),
      ...(row.failure ? { failure: row.failure } : {}),
    };
  }

  /** The file's header and the rejected rows so far, unsealed; null for an unknown job. */
  async rejectedRows(importId: string): Promise<{ header: string[]; rows: RejectedRow[] } | null> {
    const [row]: { header: string[]; rejected_rows: unknown }[] = await this.db.query(
      `SELECT header, rejected_rows FROM import_jobs WHERE import_id = $1`,
      [importId],
    );
    if (!row) return null;
    const opened = row.rejected_rows ? await this.vault.open(row.rejected_rows) : null;
    return { header: row.header, rows: (opened?.rows as RejectedRow[] | undefined) ?? [] };
  }
}
