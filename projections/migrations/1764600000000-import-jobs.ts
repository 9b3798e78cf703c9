import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports (POST /v1/imports): one row per job with its counts, its row errors and, sealed with a data key
 * of its own, the rejected rows for errors.csv. Not a read model: no event makes it and no rebuild touches it;
 * the events the rows produced are the record.
 */
export class ImportJobs1764600000000 implements MigrationInterface {
  name = 'ImportJobs1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "import_jobs" (
        "import_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "dry_run" boolean NOT NULL,
        "status" text NOT NULL,
        "requested_by" text NOT NULL,
        "header" jsonb NOT NULL,
        "rows" integer NOT NULL,
        "processed" integer NOT NULL DEFAULT 0,
        "accepted" integer NOT NULL DEFAULT 0,
        "duplicates" integer NOT NULL DEFAULT 0,
        "rejected" integer NOT NULL DEFAULT 0,
        "errors" jsonb NOT NULL DEFAULT '[]',
        "rejected_rows" jsonb,
        "failure" text,
        "position" bigint,
        "started_at" timestamptz NOT NULL,
        "finished_at" timestamptz,
        "heartbeat_at" timestamptz NOT NULL,
        CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("import_id"),
        CONSTRAINT "import_jobs_kind" CHECK ("kind" IN ('workers', 'payments')),
        CONSTRAINT "import_jobs_status" CHECK ("status" IN ('RUNNING', 'DONE', 'FAILED'))
      )`);
    await q.query(`CREATE INDEX "import_jobs_started_at" ON "import_jobs" ("started_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "import_jobs"`);
  }
}
