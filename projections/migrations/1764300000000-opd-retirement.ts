import type { MigrationInterface, QueryRunner } from 'typeorm';
import { opdKindOf } from '../../src/opds/opd.events';

/**
 * OPDs can be retired (OpdRetired): opd_participation keeps the effective date, null while the OPD is current.
 * No event recorded so far retires an OPD, so the new column starts null everywhere and no replay is needed.
 *
 * OpdRegistered v3 reads a stored free-text kind as one of the OPD kinds (the upcaster in opds/opd.events.ts).
 * Rows projected before hold the kind as it was stored; they are brought to what a replay would give now with
 * the same mapping, in place, instead of replaying the whole log into opd-participation. Going down keeps the
 * mapped kinds.
 */
export class OpdRetirement1764300000000 implements MigrationInterface {
  name = 'OpdRetirement1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "opd_participation" ADD COLUMN "retired_on" date`);
    const rows: { opd_code: string; kind: string }[] = await q.query(`SELECT "opd_code", "kind" FROM "opd_participation"`);
    for (const { opd_code, kind } of rows) {
      const mapped = opdKindOf(kind);
      if (mapped !== kind) await q.query(`UPDATE "opd_participation" SET "kind" = $1 WHERE "opd_code" = $2`, [mapped, opd_code]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "opd_participation" DROP COLUMN "retired_on"`);
  }
}
