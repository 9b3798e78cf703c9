import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models stand alone: each projection keeps a checkpoint of its own and its own copies of what it needs
 * from the events (a sponsor's OPD, a worker's sponsor and status) instead of reading another projection's
 * tables. The new tables are filled from the rows they were read from until now, and every projection starts
 * from the shared checkpoint, so no replay is needed.
 */
export class StandaloneReadModels1764100000000 implements MigrationInterface {
  name = 'StandaloneReadModels1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "opd_participation_sponsors" (
        "sponsor_id" uuid NOT NULL,
        "opd_code" varchar(32) NOT NULL,
        "withdrawn" boolean NOT NULL,
        "workers_registered" integer NOT NULL,
        "workers_active" integer NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "opd_participation_sponsors_pkey" PRIMARY KEY ("sponsor_id")
      )`);
    await q.query(`CREATE INDEX "opd_participation_sponsors_opd_code_idx" ON "opd_participation_sponsors" ("opd_code")`);
    for (const table of ['opd_participation_workers', 'sponsor_summary_workers']) {
      await q.query(`
        CREATE TABLE "${table}" (
          "worker_id" uuid NOT NULL,
          "sponsor_id" uuid,
          "status" varchar(8) NOT NULL,
          "last_position" bigint NOT NULL,
          CONSTRAINT "${table}_pkey" PRIMARY KEY ("worker_id")
        )`);
      await q.query(`CREATE INDEX "${table}_sponsor_id_status_idx" ON "${table}" ("sponsor_id", "status")`);
      await q.query(`INSERT INTO "${table}" SELECT worker_id, sponsor_id, status, last_position FROM "worker_status"`);
    }
    await q.query(`
      CREATE TABLE "worker_status_sponsors" (
        "sponsor_id" uuid NOT NULL,
        "opd_code" varchar(32) NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "worker_status_sponsors_pkey" PRIMARY KEY ("sponsor_id")
      )`);
    await q.query(`INSERT INTO "worker_status_sponsors" SELECT sponsor_id, opd_code, last_position FROM "sponsor_summary"`);
    await q.query(`
      INSERT INTO "opd_participation_sponsors"
      SELECT sponsor_id, opd_code, status = 'WITHDRAWN', workers_registered, workers_active, last_position FROM "sponsor_summary"`);

    await q.query(`
      INSERT INTO "projection_checkpoint" ("name", "position", "last_event_at", "updated_at")
      SELECT p.name, c.position, c.last_event_at, now()
        FROM "projection_checkpoint" c
        CROSS JOIN unnest(ARRAY['opd-participation', 'sponsor-summary', 'worker-status', 'monthly-stats', 'contribution-ledger']) AS p(name)
       WHERE c.name = 'read-models'`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" = 'read-models'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO "projection_checkpoint" ("name", "position", "last_event_at", "updated_at")
      SELECT 'read-models', position, last_event_at, now() FROM "projection_checkpoint" ORDER BY position LIMIT 1`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" <> 'read-models'`);
    for (const table of ['worker_status_sponsors', 'sponsor_summary_workers', 'opd_participation_workers', 'opd_participation_sponsors']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
