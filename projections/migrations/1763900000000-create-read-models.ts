import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The read models of the first release. Indexes and constraints carry explicit names shared with the entities. */
export class CreateReadModels1763900000000 implements MigrationInterface {
  name = 'CreateReadModels1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "projection_checkpoint" (
        "name" text NOT NULL,
        "position" bigint NOT NULL,
        "last_event_at" timestamptz,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "projection_checkpoint_pkey" PRIMARY KEY ("name")
      )`);

    await q.query(`
      CREATE TABLE "opd_participation" (
        "opd_code" varchar(32) NOT NULL,
        "name" text NOT NULL,
        "kind" text NOT NULL,
        "registered_on" date NOT NULL,
        "pns_headcount" integer NOT NULL,
        "headcount_effective_on" date NOT NULL,
        "sponsors_registered" integer NOT NULL,
        "sponsors_active" integer NOT NULL,
        "workers_registered" integer NOT NULL,
        "workers_active" integer NOT NULL,
        "premiums_collected" bigint NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "opd_participation_pkey" PRIMARY KEY ("opd_code")
      )`);

    await q.query(`
      CREATE TABLE "opd_headcount_history" (
        "opd_code" varchar(32) NOT NULL,
        "position" bigint NOT NULL,
        "effective_on" date NOT NULL,
        "pns_headcount" integer NOT NULL,
        "previous_headcount" integer,
        "recorded_at" timestamptz NOT NULL,
        "recorded_by" text NOT NULL,
        CONSTRAINT "opd_headcount_history_pkey" PRIMARY KEY ("opd_code", "position")
      )`);

    await q.query(`
      CREATE TABLE "sponsor_summary" (
        "sponsor_id" uuid NOT NULL,
        "full_name" text NOT NULL,
        "opd_code" varchar(32) NOT NULL,
        "status" varchar(10) NOT NULL,
        "registered_on" date NOT NULL,
        "withdrawn_on" date,
        "workers_registered" integer NOT NULL,
        "workers_active" integer NOT NULL,
        "premiums_paid" bigint NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "sponsor_summary_pkey" PRIMARY KEY ("sponsor_id"),
        CONSTRAINT "sponsor_summary_status_check" CHECK ("status" IN ('ACTIVE', 'WITHDRAWN'))
      )`);
    await q.query(`CREATE INDEX "sponsor_summary_opd_code_status_idx" ON "sponsor_summary" ("opd_code", "status")`);

    await q.query(`
      CREATE TABLE "worker_status" (
        "worker_id" uuid NOT NULL,
        "nik_masked" varchar(16) NOT NULL,
        "full_name" text NOT NULL,
        "gender" varchar(1) NOT NULL,
        "occupation" varchar(32) NOT NULL,
        "kecamatan" varchar(16) NOT NULL,
        "funding_source" varchar(16) NOT NULL,
        "sponsor_id" uuid,
        "opd_code" varchar(32),
        "status" varchar(8) NOT NULL,
        "enrolled_on" date NOT NULL,
        "paid_through" varchar(7),
        "months_contributed" integer NOT NULL,
        "last_payment_on" date,
        "last_position" bigint NOT NULL,
        CONSTRAINT "worker_status_pkey" PRIMARY KEY ("worker_id"),
        CONSTRAINT "worker_status_status_check" CHECK ("status" IN ('PENDING', 'ACTIVE', 'LAPSED', 'ENDED'))
      )`);
    // Every coverage grouping (and the per-OPD / per-sponsor recounts) is an index-only scan on one of these.
    await q.query(`CREATE INDEX "worker_status_status_idx" ON "worker_status" ("status")`);
    await q.query(`CREATE INDEX "worker_status_opd_code_status_idx" ON "worker_status" ("opd_code", "status")`);
    await q.query(`CREATE INDEX "worker_status_sponsor_id_status_idx" ON "worker_status" ("sponsor_id", "status")`);
    await q.query(`CREATE INDEX "worker_status_kecamatan_status_idx" ON "worker_status" ("kecamatan", "status")`);
    await q.query(`CREATE INDEX "worker_status_occupation_status_idx" ON "worker_status" ("occupation", "status")`);
    await q.query(`CREATE INDEX "worker_status_funding_source_status_idx" ON "worker_status" ("funding_source", "status")`);

    await q.query(`
      CREATE TABLE "monthly_stats" (
        "month" varchar(7) NOT NULL,
        "enrolments" integer NOT NULL,
        "payments" integer NOT NULL,
        "amount" bigint NOT NULL,
        "lapses" integer NOT NULL,
        "ends" integer NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "monthly_stats_pkey" PRIMARY KEY ("month")
      )`);

    await q.query(`
      CREATE TABLE "contribution_ledger" (
        "position" bigint NOT NULL,
        "payment_ref" text NOT NULL,
        "worker_id" uuid NOT NULL,
        "sponsor_id" uuid,
        "opd_code" varchar(32),
        "funding_source" varchar(16) NOT NULL,
        "payer_name" text,
        "paid_on" date NOT NULL,
        "months" smallint NOT NULL,
        "covered_from" varchar(7) NOT NULL,
        "covered_through" varchar(7) NOT NULL,
        "amount" bigint NOT NULL,
        "recorded_at" timestamptz NOT NULL,
        "recorded_by" text NOT NULL,
        CONSTRAINT "contribution_ledger_pkey" PRIMARY KEY ("position"),
        CONSTRAINT "contribution_ledger_payment_ref_key" UNIQUE ("payment_ref")
      )`);
    await q.query(`CREATE INDEX "contribution_ledger_paid_on_idx" ON "contribution_ledger" ("paid_on", "position")`);
    await q.query(`CREATE INDEX "contribution_ledger_worker_id_idx" ON "contribution_ledger" ("worker_id", "position")`);
    await q.query(`CREATE INDEX "contribution_ledger_sponsor_id_idx" ON "contribution_ledger" ("sponsor_id", "position")`);
    await q.query(`CREATE INDEX "contribution_ledger_opd_code_idx" ON "contribution_ledger" ("opd_code", "position")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'contribution_ledger',
      'monthly_stats',
      'worker_status',
      'sponsor_summary',
      'opd_headcount_history',
      'opd_participation',
      'projection_checkpoint',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
