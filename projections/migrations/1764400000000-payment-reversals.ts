import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment reversals. The contribution ledger gets reversal lines (kind, the date each line is booked on, the
 * reversal's date and reason; a payment reference appears once per kind); existing lines are payments booked on
 * their paidOn. Monthly statistics count reversals and their amount, and count lapses and ends in the month the
 * rules date them (CoverageLapsed / CoverageEnded v3): monthly-stats starts again from the beginning of the log.
 */
export class PaymentReversals1764400000000 implements MigrationInterface {
  name = 'PaymentReversals1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "contribution_ledger" ADD COLUMN "kind" varchar(8) NOT NULL DEFAULT 'PAYMENT'`);
    await q.query(`ALTER TABLE "contribution_ledger" ALTER COLUMN "kind" DROP DEFAULT`);
    await q.query(`ALTER TABLE "contribution_ledger" ADD COLUMN "booked_on" date`);
    await q.query(`UPDATE "contribution_ledger" SET "booked_on" = "paid_on"`);
    await q.query(`ALTER TABLE "contribution_ledger" ALTER COLUMN "booked_on" SET NOT NULL`);
    await q.query(`ALTER TABLE "contribution_ledger" ADD COLUMN "reversed_on" date, ADD COLUMN "reason" text`);
    await q.query(`ALTER TABLE "contribution_ledger" DROP CONSTRAINT "contribution_ledger_payment_ref_key"`);
    await q.query(`ALTER TABLE "contribution_ledger" ADD CONSTRAINT "contribution_ledger_payment_ref_kind_key" UNIQUE ("payment_ref", "kind")`);
    await q.query(`DROP INDEX "contribution_ledger_paid_on_idx"`);
    await q.query(`CREATE INDEX "contribution_ledger_booked_on_idx" ON "contribution_ledger" ("booked_on", "position")`);

    await q.query(`TRUNCATE "monthly_stats"`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" = 'monthly-stats'`);
    await q.query(`ALTER TABLE "monthly_stats" ADD COLUMN "reversals" integer NOT NULL, ADD COLUMN "reversed_amount" bigint NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE "monthly_stats"`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" = 'monthly-stats'`);
    await q.query(`ALTER TABLE "monthly_stats" DROP COLUMN "reversals", DROP COLUMN "reversed_amount"`);

    await q.query(`DELETE FROM "contribution_ledger" WHERE "kind" = 'REVERSAL'`);
    await q.query(`DROP INDEX "contribution_ledger_booked_on_idx"`);
    await q.query(`CREATE INDEX "contribution_ledger_paid_on_idx" ON "contribution_ledger" ("paid_on", "position")`);
    await q.query(`ALTER TABLE "contribution_ledger" DROP CONSTRAINT "contribution_ledger_payment_ref_kind_key"`);
    await q.query(`ALTER TABLE "contribution_ledger" ADD CONSTRAINT "contribution_ledger_payment_ref_key" UNIQUE ("payment_ref")`);
    await q.query(`ALTER TABLE "contribution_ledger" DROP COLUMN "kind", DROP COLUMN "booked_on", DROP COLUMN "reversed_on", DROP COLUMN "reason"`);
  }
}
