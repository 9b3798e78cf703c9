/**
 * Port positions for EventStoreDB log positions.
 *
 * The problem. EventStoreDB orders `$all` by (commit, prepare) positions, byte offsets into its
 * transaction log. Events appended over gRPC are self-committed: commit == prepare, one position per
 * event. Events written by a legacy explicit transaction (TCP API; old servers wrote every multi-event
 * write that way) share the commit position of the transaction's commit record and differ only by
 * prepare position, which lies before it and may lie before other events' positions (transactions
 * interleave). The read side keeps one number per position (PostgreSQL `bigint` checkpoints, up to 20
 * decimal digits through `parsePosition`) and skips `position <= checkpoint`, so the commit position
 * alone would silently skip all but the first event of such a transaction, and the prepare position is
 * not ordered like `$all`.
 *
 * The mapping. position = commit × 2^16 + (2^16 − 1 − later), where `later` is the number of events of
 * the same commit group with a greater prepare position (0 for every self-committed event, whose group
 * is itself). Within a group, later events have smaller `later`, so positions grow with the prepare
 * position; across groups, commit₁ < commit₂ gives commit₁ × 2^16 + 65535 < commit₂ × 2^16. So the
 * mapping is strictly increasing in `$all` order, and unique. It is computed from the event's own
 * (commit, prepare) plus, for a transaction's events only, one read of the rest of its group (the group
 * is committed at once, so whoever sees one of its events can read all the later ones). Counting the
 * later events, not the earlier ones, keeps positions stable under scavenging: the server removes a
 * stream's events oldest first ($maxCount, $maxAge, $tb) or all of them (deletion), and a transaction
 * writes one stream, so a scavenge only ever removes earlier members of a group.
 * The decoding needs only the commit position: a reader resumes from (position >> 16, prepare 0), which
 * is the start of a record and precedes every event of that group, then skips what is <= the position.
 *
 * The bound. Positions stay below 2^63 (PostgreSQL bigint) while commit < 2^47 (a 128 TiB transaction
 * log: at roughly 600 bytes per event on disk, about 2 × 10^11 events, two centuries at the planning
 * scale of a billion events a year) and a single legacy transaction holds at most 65 536 events. Beyond
 * either bound the adapter fails loudly (`PositionOutOfRangeError`) instead of handing out a position
 * that could collide: it never drops or repeats an event silently.
 */

const GROUP_BITS = 16n;
const GROUP_SLOTS = 1n << GROUP_BITS;
/** Largest commit position that maps below 2^63. */
export const MAX_COMMIT_POSITION = (1n << (63n - GROUP_BITS)) - 1n;
/** Largest number of events sharing one commit position that the mapping can tell apart. */
export const MAX_GROUP_SIZE = Number(GROUP_SLOTS);

export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

export class PositionOutOfRangeError extends Error {
  constructor(message: string) {
    super(`${message}; see the position mapping in src/event-store/eventstoredb/esdb-positions.ts`);
    this.name = 'PositionOutOfRangeError';
  }
}

/** @param later events of the same commit group after this one (0 for self-committed events). */
export function toPortPosition(commit: bigint, later: number): bigint {
  if (commit < 0n || commit > MAX_COMMIT_POSITION) {
    throw new PositionOutOfRangeError(`EventStoreDB commit position ${commit} is beyond 2^47`);
  }
  if (later < 0 || later >= MAX_GROUP_SIZE) {
    throw new PositionOutOfRangeError(`More than ${MAX_GROUP_SIZE} events share EventStoreDB commit position ${commit}`);
  }
  return commit * GROUP_SLOTS + (GROUP_SLOTS - 1n - BigInt(later));
}

/** Where a reader resumes after a port position: the start of that position's commit group. */
export function resumePoint(portPosition: bigint): LogPosition {
  return { commit: portPosition < 0n ? 0n : portPosition >> GROUP_BITS, prepare: 0n };
}

export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}
