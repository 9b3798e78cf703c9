import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The UCJ target per year (UcjTargetSet), the ucj-targets read model. A new projection with a checkpoint of its
 * own: it starts from the beginning of the log while the others keep serving.
 */
export class UcjTargets1764350000000 implements MigrationInterface {
  name = 'UcjTargets1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "ucj_targets" (
        "year" integer NOT NULL,
        "target" integer NOT NULL,
        "set_on" date NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "ucj_targets_pkey" PRIMARY KEY ("year")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "ucj_targets"`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" = 'ucj-targets'`);
  }
}
