import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Workers per status, kept by the worker-status projection, so the city summary does not count every worker. */
export class WorkerStatusCounts1764000000000 implements MigrationInterface {
  name = 'WorkerStatusCounts1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "worker_status_counts" (
        "status" varchar(8) NOT NULL,
        "workers" integer NOT NULL,
        CONSTRAINT "worker_status_counts_pkey" PRIMARY KEY ("status")
      )`);
    await q.query(`INSERT INTO "worker_status_counts" ("status", "workers") SELECT "status", count(*) FROM "worker_status" GROUP BY "status"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "worker_status_counts"`);
  }
}
