import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Managed API keys. `api_keys` is the read model of ApiKeyIssued / ApiKeyRevoked (the api-keys projection, with a
 * checkpoint of its own: it starts from the beginning of the log while the others keep serving); the guard finds
 * a presented secret through its keyed hash (unique index). `api_key_last_use` is not a read model: the API writes
 * when each key was last used (at most once a minute per key), a fact the log does not hold, so it stays out of
 * rebuilds and verify-by-replay, which would otherwise wipe it or report it as a difference.
 */
export class ApiKeys1764500000000 implements MigrationInterface {
  name = 'ApiKeys1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "api_keys" (
        "key_id" uuid NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "opd_code" text,
        "expires_on" date,
        "secret_hash" text NOT NULL,
        "revoked" boolean NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_by" text NOT NULL,
        "last_position" bigint NOT NULL,
        CONSTRAINT "api_keys_pkey" PRIMARY KEY ("key_id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" ("secret_hash")`);
    await q.query(`
      CREATE TABLE "api_key_last_use" (
        "key_id" uuid NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "api_key_last_use_pkey" PRIMARY KEY ("key_id")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_key_last_use"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DELETE FROM "projection_checkpoint" WHERE "name" = 'api-keys'`);
  }
}
