/** Metadata carried by every event the service appends (the audit trail of who, when and why). */
export interface EventMetadata {
  /** Event id, the same UUID as the store's event id. */
  eventId: string;
  /** Business time the fact happened (ISO 8601 with zone): the paidOn/enrolledOn day at 00:00 Asia/Jakarta, or the command time. */
  occurredAt: string;
  /** When the service recorded it (ISO 8601, UTC). */
  recordedAt: string;
  /** The API key name (principal) that caused it; `system:lapse-check` for scheduled runs. */
  recordedBy: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  /** SHA-256 (hex) of the previous event of the same stream (`prevHash`) chained into this event's hash. */
  prevHash: string | null;
  hash: string;
}

export const CURRENT_SCHEMA_VERSION = 1;
