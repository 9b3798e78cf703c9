/**
 * PostgreSQL advisory locks of the read side, as (namespace, key) pairs. Keys are per database, so every
 * read-model database has its own projector.
 *
 * - PROJECTOR (session): held by the one active projector for its whole life; a second instance waits.
 * - READ_MODEL_WRITE (transaction): taken first by every transaction that writes the live read models:
 *   each projector batch, and the blue-green swap of a rebuild. It is what makes the swap safe even if two
 *   projectors ever overlapped: each batch re-reads the checkpoint under it.
 * - REBUILD (session): one rebuild at a time.
 * - MIGRATIONS (session): one migration run at a time (API and projector may start together).
 */
export const LOCK_NAMESPACE = 0x41535548; // 'ASUH'

export const LockKey = {
  PROJECTOR: 1,
  READ_MODEL_WRITE: 2,
  REBUILD: 3,
  MIGRATIONS: 4,
} as const;
export type LockKey = (typeof LockKey)[keyof typeof LockKey];
