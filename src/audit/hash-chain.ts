import { formatPosition, type EventStore, type RecordedEvent } from '../event-store/event-store.port';
import { eventHash } from '../event-sourcing/event-hash';

export type BrokenLinkReason =
  /** The event carries no `hash` (every event the service writes has one). */
  | 'MISSING_HASH'
  /** Its `prevHash` is not the hash of the stream's previous event (an event removed, inserted or re-chained). */
  | 'PREV_HASH_MISMATCH'
  /** Its type, data or metadata no longer hash to its `hash`: the event was altered after it was written. */
  | 'HASH_MISMATCH'
  /** Its revision does not follow the previous event's (an event of the stream is missing). */
  | 'REVISION_GAP';

/** The first event of a stream where the hash chain breaks. */
export interface BrokenLink {
  streamId: string;
  /** Revision in the stream (decimal string). */
  revision: string;
  /** Log position (decimal string). */
  position: string;
  eventId: string;
  type: string;
  reason: BrokenLinkReason;
}

interface StreamTip {
  revision: bigint;
  hash: string | null;
}

/**
 * Walks events in log order and checks every stream's hash chain (see `shared/event-hash.ts`): each event's
 * `prevHash` must be the hash of its stream's previous event (null for the first) and its type, data and
 * metadata must hash to its own `hash`. Keeps one tip per stream, and the first break of each stream.
 * After a break the stream is followed from the stored hash, so one altered event is named once rather than
 * taking every later link with it.
 */
export class HashChainChecker {
  private readonly tips = new Map<string, StreamTip>();
  private readonly broken: BrokenLink[] = [];
  private readonly brokenStreams = new Set<string>();
  eventsChecked = 0;

  check(event: RecordedEvent): void {
    this.eventsChecked++;
    const tip = this.tips.get(event.streamId);
    const stored = event.metadata.hash;
    const hash = typeof stored === 'string' ? stored : null;
    this.tips.set(event.streamId, { revision: event.revision, hash });
    const reason = this.breakOf(event, tip, hash);
    if (reason && !this.brokenStreams.has(event.streamId)) {
      this.brokenStreams.add(event.streamId);
      this.broken.push({
        streamId: event.streamId,
        revision: event.revision.toString(10),
        position: formatPosition(event.position),
        eventId: event.id,
        type: event.type,
        reason,
      });
    }
  }

  private breakOf(event: RecordedEvent, tip: StreamTip | undefined, hash: string | null): BrokenLinkReason | null {
    if (hash === null) return 'MISSING_HASH';
    const expectedRevision = tip ? tip.revision + 1n : 0n;
    if (event.revision !== expectedRevision) return 'REVISION_GAP';
    const expectedPrev = tip ? tip.hash : null;
    if ((event.metadata.prevHash ?? null) !== expectedPrev) return 'PREV_HASH_MISMATCH';
    if (eventHash(expectedPrev, event.type, event.data, event.metadata) !== hash) return 'HASH_MISMATCH';
    return null;
  }

  get streamsChecked(): number {
    return this.tips.size;
  }

  /** First broken link of each broken stream, in the log order of the breaks. */
  brokenLinks(): readonly BrokenLink[] {
    return this.broken;
  }
}

export interface ChainWalkResult {
  eventsChecked: number;
  streamsChecked: number;
  /** Through this position (the log head when the walk began). */
  position: bigint;
  brokenChains: BrokenLink[];
  /** Broken streams in all, when more than the `limit` listed. */
  brokenStreams: number;
}

export interface ChainWalkOptions {
  pageSize?: number;
  /** Most broken links listed (default 50). */
  limit?: number;
  /** Called with every event walked, for checks that ride along (personal data in clear text). */
  inspect?: (event: RecordedEvent) => void;
  /** After each page: `startPosition` is the first event's, for a progress bar over the span of the log. */
  onProgress?: (progress: { startPosition: bigint; position: bigint; headPosition: bigint; eventsChecked: number }) => void;
}

/** Reads the whole log, page by page, up to its head as of the start, and checks every stream's chain. */
export async function walkHashChains(store: EventStore, options: ChainWalkOptions = {}): Promise<ChainWalkResult> {
  const pageSize = options.pageSize ?? 2000;
  const headPosition = await store.headPosition();
  const checker = new HashChainChecker();
  // The first page from the very start (not `after: 0n`): an adapter may put an event at position 0.
  let after: bigint | undefined;
  let startPosition: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    const within = page.filter((event) => event.position <= headPosition);
    for (const event of within) {
      checker.check(event);
      options.inspect?.(event);
    }
    if (within.length === 0) break;
    startPosition ??= within[0].position;
    after = within[within.length - 1].position;
    options.onProgress?.({ startPosition, position: after, headPosition, eventsChecked: checker.eventsChecked });
    if (within.length < page.length || after >= headPosition) break;
  }
  const broken = checker.brokenLinks();
  return {
    eventsChecked: checker.eventsChecked,
    streamsChecked: checker.streamsChecked,
    position: headPosition,
    brokenChains: broken.slice(0, options.limit ?? 50),
    brokenStreams: broken.length,
  };
}
