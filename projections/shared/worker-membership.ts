import type { ClientBase } from 'pg';
import type { WorkerStatus } from '../../src/workers/worker.events';
import type { ProjectedEvent, ReadModelEvent, TableDescription } from '../projection';
import { loadRows, upsertRows, type Column } from '../row-batch';

/**
 * Which sponsor each worker belongs to and its status, as a projection that counts workers per sponsor keeps
 * it in a table of its own (read models stand alone: none reads another's worker table).
 */
export interface WorkerMembership {
  worker_id: string;
  /** The current ASN sponsor; null for workers funded otherwise. */
  sponsor_id: string | null;
  status: WorkerStatus;
  last_position: string;
}

export const WORKER_MEMBERSHIP_COLUMNS: readonly Column[] = [
  { name: 'worker_id', type: 'uuid' },
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'status', type: 'text' },
  { name: 'last_position', type: 'bigint' },
];

export const membershipTable = (name: string): TableDescription => ({ name, columns: WORKER_MEMBERSHIP_COLUMNS });

export const WORKER_MEMBERSHIP_EVENTS = [
  'WorkerEnrolled',
  'PremiumPaid',
  'CoverageLapsed',
  'CoverageEnded',
  'WorkerReenrolled',
  'WorkerSponsorChanged',
  'WorkerFundingChanged',
  'PremiumPaymentReversed',
  'PersonalDataErased',
] as const;

type MembershipEvent = ProjectedEvent<Extract<ReadModelEvent, { type: (typeof WORKER_MEMBERSHIP_EVENTS)[number] }>> & { data: { workerId: string } };

/** A worker event (a PersonalDataErased of a sponsor is not one). */
const isMembershipEvent = (event: ProjectedEvent): event is MembershipEvent =>
  (WORKER_MEMBERSHIP_EVENTS as readonly string[]).includes(event.type) && typeof (event.data as { workerId?: unknown }).workerId === 'string';

/** The membership after one worker event; events at or below the row's last position change nothing. */
export function evolveMembership(row: WorkerMembership | undefined, event: MembershipEvent): WorkerMembership | undefined {
  const position = event.position.toString();
  if (event.type === 'WorkerEnrolled') {
    if (row) return row;
    const d = event.data;
    return { worker_id: d.workerId, sponsor_id: d.fundingSource === 'ASN_SPONSOR' ? (d.sponsorId ?? null) : null, status: 'PENDING', last_position: position };
  }
  if (!row || event.position <= BigInt(row.last_position)) return row;
  switch (event.type) {
    case 'PremiumPaid':
      return { ...row, status: event.data.statusAfter, last_position: position };
    case 'CoverageLapsed':
      return { ...row, status: 'LAPSED', last_position: position };
    case 'CoverageEnded':
      return { ...row, status: 'ENDED', last_position: position };
    case 'WorkerReenrolled':
      return { ...row, status: 'PENDING', last_position: position };
    case 'WorkerSponsorChanged':
      return { ...row, sponsor_id: event.data.fundingSource === 'ASN_SPONSOR' ? event.data.toSponsorId : null, last_position: position };
    case 'WorkerFundingChanged':
      return { ...row, sponsor_id: event.data.toSponsorId, last_position: position };
    case 'PremiumPaymentReversed':
      return { ...row, status: event.data.statusAfter, last_position: position };
    case 'PersonalDataErased':
      // An erased worker is no longer registered: it counts for no sponsor.
      return { ...row, sponsor_id: null, last_position: position };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * Folds the batch's worker events into the membership table `table` and returns the sponsors whose worker
 * counts may have moved (the sponsor before and after every change).
 */
export async function applyMemberships(db: ClientBase, table: string, events: readonly ProjectedEvent[]): Promise<Set<string>> {
  const workerEvents = events.filter(isMembershipEvent);
  const rows = await loadRows<WorkerMembership>(db, table, WORKER_MEMBERSHIP_COLUMNS, 'worker_id', workerEvents.map((e) => e.data.workerId));
  const touchedSponsors = new Set<string>();
  const changed = new Set<string>();
  for (const event of workerEvents) {
    const before = rows.get(event.data.workerId);
    const after = evolveMembership(before, event);
    if (!after || after === before) continue;
    if (before?.sponsor_id) touchedSponsors.add(before.sponsor_id);
    if (after.sponsor_id) touchedSponsors.add(after.sponsor_id);
    rows.set(after.worker_id, after);
    changed.add(after.worker_id);
  }
  await upsertRows(db, table, WORKER_MEMBERSHIP_COLUMNS, 'worker_id', [...changed].map((id) => rows.get(id) as unknown as Record<string, unknown>));
  return touchedSponsors;
}

/** Registered and active workers of each given sponsor, counted from the membership table (index-only). */
export const COUNT_WORKERS_PER_SPONSOR = (membershipTable: string) => `
  SELECT t.sponsor_id,
         count(w.sponsor_id)::int AS registered,
         (count(w.sponsor_id) FILTER (WHERE w.status = 'ACTIVE'))::int AS active
    FROM unnest($1::uuid[]) AS t(sponsor_id) LEFT JOIN ${membershipTable} w ON w.sponsor_id = t.sponsor_id
   GROUP BY t.sponsor_id`;
