import { auditOf, projection } from '../projection';
import { type Column, loadRows, upsertRows } from '../row-batch';

export const API_KEYS_COLUMNS: readonly Column[] = [
  { name: 'key_id', type: 'uuid' },
  { name: 'name', type: 'text' },
  { name: 'role', type: 'text' },
  { name: 'opd_code', type: 'text' },
  { name: 'expires_on', type: 'date' },
  { name: 'secret_hash', type: 'text' },
  { name: 'revoked', type: 'boolean' },
  { name: 'revoked_at', type: 'timestamptz' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'created_by', type: 'text' },
  { name: 'last_position', type: 'bigint' },
];

interface ApiKeyRowData {
  key_id: string;
  name: string;
  role: string;
  opd_code: string | null;
  expires_on: string | null;
  secret_hash: string;
  revoked: boolean;
  revoked_at: Date | string | null;
  created_at: Date | string;
  created_by: string;
  last_position: string;
}

/**
 * One row per managed key: issued (with who issued it and when), then revoked. The batch's keys are loaded
 * once, folded in log order (a row takes only events after its last_position, so the same events twice change
 * nothing), and written back in one statement.
 */
export const apiKeysProjection = projection({
  name: 'api-keys',
  canHandle: ['ApiKeyIssued', 'ApiKeyRevoked'],
  tables: [{ name: 'api_keys', columns: API_KEYS_COLUMNS }],
  async handle(events, { db, table }) {
    const rows = await loadRows<ApiKeyRowData>(db, table('api_keys'), API_KEYS_COLUMNS, 'key_id', events.map((e) => e.data.keyId));
    const changed = new Set<string>();
    for (const event of events) {
      const { keyId } = event.data;
      const row = rows.get(keyId);
      if (row && BigInt(row.last_position) >= event.position) continue;
      const { recordedAt, recordedBy } = auditOf(event);
      const position = event.position.toString();
      if (event.type === 'ApiKeyIssued') {
        const { name, role, opdCode, expiresOn, secretHash } = event.data;
        rows.set(keyId, {
          key_id: keyId,
          name,
          role,
          opd_code: opdCode,
          expires_on: expiresOn,
          secret_hash: secretHash,
          revoked: false,
          revoked_at: null,
          created_at: recordedAt,
          created_by: recordedBy,
          last_position: position,
        });
      } else {
        if (!row || row.revoked) continue;
        rows.set(keyId, { ...row, revoked: true, revoked_at: recordedAt, last_position: position });
      }
      changed.add(keyId);
    }
    await upsertRows(db, table('api_keys'), API_KEYS_COLUMNS, 'key_id', [...changed].map((id) => rows.get(id)! as unknown as Record<string, unknown>));
  },
});
