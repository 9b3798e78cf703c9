import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Role } from '../shared/roles';

/** A managed key as admins see it: never its secret, nor the secret's hash. */
export interface ApiKeyView {
  keyId: string;
  name: string;
  role: Role;
  opdCode: string | null;
  expiresOn: string | null;
  revoked: boolean;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
}

export class ListApiKeysQuery extends Query<{ items: ApiKeyView[] }> {}

/** Every managed key, oldest first (a city has tens of them: one list, no pages). Keys of ASUH_API_KEYS are not listed. */
@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(): Promise<{ items: ApiKeyView[] }> {
    const rows: (Omit<ApiKeyView, 'createdAt' | 'lastUsedAt'> & { createdAt: Date; lastUsedAt: Date | null })[] = await this.db.query(
      `SELECT k.key_id AS "keyId", k.name, k.role, k.opd_code AS "opdCode", to_char(k.expires_on, 'YYYY-MM-DD') AS "expiresOn",
              k.revoked, k.created_at AS "createdAt", k.created_by AS "createdBy", u.last_used_at AS "lastUsedAt"
         FROM api_keys k LEFT JOIN api_key_last_use u USING (key_id)
        ORDER BY k.created_at, k.key_id`,
    );
    return {
      items: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null })),
    };
  }
}
