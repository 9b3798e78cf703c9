/**
 * The mapping from EventStoreDB (commit, prepare) log positions to port positions (esdb-positions.ts):
 * unique, increasing in $all order, below 2^63, resumable from the commit position alone, loud beyond
 * its bounds.
 */
import {
  MAX_COMMIT_POSITION,
  MAX_GROUP_SIZE,
  PositionOutOfRangeError,
  resumePoint,
  toPortPosition,
} from '../../src/event-store/eventstoredb/esdb-positions';

describe('EventStoreDB positions as port positions', () => {
  it('orders a transaction group between its neighbours, each member apart, the last in the group highest', () => {
    const before = toPortPosition(4_000n, 0); // a self-committed event
    const group = [2, 1, 0].map((later) => toPortPosition(4_096n, later)); // three events sharing commit 4096
    const after = toPortPosition(4_200n, 0);
    const all = [before, ...group, after];
    for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1]);
  });

  it('gives a self-committed event the top slot of its commit position, so no transaction member can pass it', () => {
    expect(toPortPosition(1n, 0)).toBe(2n ** 16n + 65_535n);
    expect(toPortPosition(1n, MAX_GROUP_SIZE - 1)).toBe(2n ** 16n);
    expect(toPortPosition(2n, MAX_GROUP_SIZE - 1)).toBeGreaterThan(toPortPosition(1n, 0));
  });

  it('stays within PostgreSQL bigint and the 20 digits parsePosition accepts up to the largest commit position', () => {
    const highest = toPortPosition(MAX_COMMIT_POSITION, 0);
    expect(highest).toBe(2n ** 63n - 1n);
    expect(highest.toString()).toMatch(/^\d{1,20}$/);
  });

  it('resumes from the start of the commit group of any of its positions', () => {
    for (const later of [0, 5, MAX_GROUP_SIZE - 1]) {
      expect(resumePoint(toPortPosition(123_456n, later))).toEqual({ commit: 123_456n, prepare: 0n });
    }
    expect(resumePoint(0n)).toEqual({ commit: 0n, prepare: 0n });
  });

  it('refuses loudly what it cannot map without collisions', () => {
    expect(() => toPortPosition(MAX_COMMIT_POSITION + 1n, 0)).toThrow(PositionOutOfRangeError);
    expect(() => toPortPosition(10n, MAX_GROUP_SIZE)).toThrow(PositionOutOfRangeError);
    expect(() => toPortPosition(-1n, 0)).toThrow(PositionOutOfRangeError);
  });
});
