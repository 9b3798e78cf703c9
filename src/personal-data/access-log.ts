import type { Pool } from 'pg';

/** Who read a person's unmasked personal data, when, and through which route (UU PDP art. 7 and 32). */
export interface AccessLogEntry {
  at: string;
  principal: string;
  route: string;
}

export const ACCESS_LOG_SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS privacy_log;
CREATE TABLE IF NOT EXISTS privacy_log.personal_data_access (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  principal text NOT NULL,
  route     text NOT NULL,
  subject   text NOT NULL
);
CREATE INDEX IF NOT EXISTS personal_data_access_subject_idx ON privacy_log.personal_data_access (subject, at);
`;

/** The access log: one row per person per answer that carried that person's unmasked personal data. */
export class PersonalDataAccessLog {
  constructor(private readonly pool: Pool) {}

  async record(principal: string, route: string, subjects: readonly string[]): Promise<void> {
    const unique = [...new Set(subjects)];
    if (unique.length === 0) return;
    await this.pool.query(
      `INSERT INTO privacy_log.personal_data_access (principal, route, subject) SELECT $1, $2, unnest($3::text[])`,
      [principal, route, unique],
    );
  }

  async of(subject: string, limit = 500): Promise<AccessLogEntry[]> {
    const { rows } = await this.pool.query<{ at: Date; principal: string; route: string }>(
      `SELECT at, principal, route FROM privacy_log.personal_data_access WHERE subject = $1 ORDER BY at DESC, id DESC LIMIT $2`,
      [subject, limit],
    );
    return rows.map((r) => ({ at: r.at.toISOString(), principal: r.principal, route: r.route }));
  }
}
