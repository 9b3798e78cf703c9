import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data leaves the read models' clear text: names are kept sealed with each person's own key, NIK and
 * NIP as keyed hashes for look-ups, names searchable through keyed trigram hashes. The clear names are dropped;
 * worker-status and sponsor-summary start again from the beginning of the log (their checkpoints reset), the
 * other read models keep serving.
 */
const GROUPING_INDEXES: [string, string][] = [
  ['worker_status_status_idx', '"status"'],
  ['worker_status_opd_code_status_idx', '"opd_code", "status"'],
  ['worker_status_sponsor_id_status_idx', '"sponsor_id", "status"'],
  ['worker_status_kecamatan_status_idx', '"kecamatan", "status"'],
  ['worker_status_occupation_status_idx', '"occupation", "status"'],
  ['worker_status_funding_source_status_idx', '"funding_source", "status"'],
];

export class PersonalDataSealed1764200000000 implements MigrationInterface {
  name = 'PersonalDataSealed1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE "worker_status", "worker_status_counts", "worker_status_sponsors", "sponsor_summary", "sponsor_summary_workers"`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" IN ('worker-status', 'sponsor-summary')`);

    await q.query(`ALTER TABLE "worker_status" DROP COLUMN "full_name"`);
    await q.query(`ALTER TABLE "worker_status" ALTER COLUMN "nik_masked" DROP NOT NULL`);
    await q.query(`ALTER TABLE "worker_status" ADD COLUMN "nik_hash" text, ADD COLUMN "personal" jsonb, ADD COLUMN "erased" boolean NOT NULL`);
    await q.query(`CREATE INDEX "worker_status_nik_hash_idx" ON "worker_status" ("nik_hash")`);
    // Registered workers are the ones not erased: the grouping and list indexes cover only those.
    for (const [name, columns] of GROUPING_INDEXES) {
      await q.query(`DROP INDEX "${name}"`);
      await q.query(`CREATE INDEX "${name}" ON "worker_status" (${columns}) WHERE NOT erased`);
    }
    await q.query(`
      CREATE TABLE "worker_name_trigrams" (
        "worker_id" uuid NOT NULL,
        "trigram" varchar(16) NOT NULL,
        CONSTRAINT "worker_name_trigrams_pkey" PRIMARY KEY ("worker_id", "trigram")
      )`);
    await q.query(`CREATE INDEX "worker_name_trigrams_trigram_idx" ON "worker_name_trigrams" ("trigram")`);

    await q.query(`ALTER TABLE "sponsor_summary" DROP COLUMN "full_name"`);
    await q.query(`ALTER TABLE "sponsor_summary" ADD COLUMN "nip_hash" text, ADD COLUMN "personal" jsonb, ADD COLUMN "erased" boolean NOT NULL`);
    await q.query(`CREATE INDEX "sponsor_summary_nip_hash_idx" ON "sponsor_summary" ("nip_hash")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE "worker_status", "worker_status_counts", "worker_status_sponsors", "sponsor_summary", "sponsor_summary_workers"`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" IN ('worker-status', 'sponsor-summary')`);
    await q.query(`DROP TABLE "worker_name_trigrams"`);
    for (const [name, columns] of GROUPING_INDEXES) {
      await q.query(`DROP INDEX "${name}"`);
      await q.query(`CREATE INDEX "${name}" ON "worker_status" (${columns})`);
    }
    await q.query(`ALTER TABLE "worker_status" DROP COLUMN "nik_hash", DROP COLUMN "personal", DROP COLUMN "erased"`);
    await q.query(`ALTER TABLE "worker_status" ADD COLUMN "full_name" text NOT NULL`);
    await q.query(`ALTER TABLE "sponsor_summary" DROP COLUMN "nip_hash", DROP COLUMN "personal", DROP COLUMN "erased"`);
    await q.query(`ALTER TABLE "sponsor_summary" ADD COLUMN "full_name" text NOT NULL`);
  }
}
