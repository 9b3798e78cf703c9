/** Metadata carried by every event the service appends (the audit trail of who, when and why). */
export interface EventMetadata {
  /** Event id, the same UUID as the store's event id. */
  eventId: string;
  /**
   * Business time the fact happened (ISO 8601 with zone): the start of the event's `occurredOn` date in the
   * programme's time zone, or the command time for bookkeeping events without a business date.
   */
  occurredAt: string;
  /** When the service recorded it (ISO 8601, UTC). */
  recordedAt: string;
  /** The API key name (principal) that caused it; `system:lapse-check` for scheduled runs. */
  recordedBy: string;
  correlationId: string;
  causationId: string;
  /** The version of this event type's data shape (see event-catalog.ts). */
  schemaVersion: number;
  /** SHA-256 (hex) of the previous event of the same stream (`prevHash`) chained into this event's hash. */
  prevHash: string | null;
  hash: string;
}

/** Who and what caused a command: becomes the metadata of every event it appends. */
export interface CommandContext {
  /** API key name, or `system:…` for scheduled work. */
  principal: string;
  correlationId: string;
  causationId: string;
  now: Date;
  /** Today's date in the programme's time zone. */
  today: string;
  /** Decide only (an import's dry run): every rule and unique key is checked, nothing is appended. */
  dryRun?: boolean;
  /**
   * The OPD the caller is bound to (an OPD-scoped operator key): the command may act only within it
   * (domain.md, "Scope"; see src/scope). Absent: city-wide (admins, unbound operators, system work).
   */
  scope?: { opdCode: string };
}
