import { projection, type ProjectedEvent, type ReadModelEvent, type TableDescription } from '../projection';
import { loadRows, upsertRows, type Column } from '../row-batch';
import { applyMemberships, COUNT_WORKERS_PER_SPONSOR, membershipTable, WORKER_MEMBERSHIP_EVENTS } from '../shared/worker-membership';
import type { SponsorStatus } from './sponsor-summary.entity';

/** A sponsor_summary row while a batch is folded. */
export interface SponsorSummaryState {
  sponsor_id: string;
  full_name: string;
  opd_code: string;
  status: SponsorStatus;
  registered_on: string;
  withdrawn_on: string | null;
  workers_registered: number;
  workers_active: number;
  /** Rupiah, as a decimal string (bigint column). */
  premiums_paid: string;
  last_position: string;
}

export const SPONSOR_SUMMARY_COLUMNS: readonly Column[] = [
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'full_name', type: 'text' },
  { name: 'opd_code', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'registered_on', type: 'date' },
  { name: 'withdrawn_on', type: 'date' },
  { name: 'workers_registered', type: 'int' },
  { name: 'workers_active', type: 'int' },
  { name: 'premiums_paid', type: 'bigint' },
  { name: 'last_position', type: 'bigint' },
];

const SPONSOR_ROW_EVENTS = ['SponsorRegistered', 'SponsorTransferred', 'SponsorWithdrawn', 'PremiumPaid'] as const;

type SponsorSummaryEvent = ProjectedEvent<Extract<ReadModelEvent, { type: (typeof SPONSOR_ROW_EVENTS)[number] }>>;

/** The sponsor a PremiumPaid counts for: the paying ASN sponsor, if an ASN sponsor paid. */
export const payingSponsorOf = (event: ProjectedEvent<Extract<ReadModelEvent, { type: 'PremiumPaid' }>>): string | null =>
  event.data.payer.type === 'ASN_SPONSOR' ? (event.data.payer.sponsorId ?? null) : null;

/** The row after one event; events at or below the row's last position change nothing. */
export function evolveSponsorSummary(row: SponsorSummaryState | undefined, event: SponsorSummaryEvent): SponsorSummaryState | undefined {
  const position = event.position.toString();
  if (event.type === 'SponsorRegistered') {
    if (row) return row;
    const { sponsorId, fullName, opdCode, registeredOn } = event.data;
    return {
      sponsor_id: sponsorId,
      full_name: fullName,
      opd_code: opdCode,
      status: 'ACTIVE',
      registered_on: registeredOn,
      withdrawn_on: null,
      workers_registered: 0,
      workers_active: 0,
      premiums_paid: '0',
      last_position: position,
    };
  }
  if (!row || event.position <= BigInt(row.last_position)) return row;
  switch (event.type) {
    case 'SponsorTransferred':
      return { ...row, opd_code: event.data.toOpdCode, last_position: position };
    case 'SponsorWithdrawn':
      return { ...row, status: 'WITHDRAWN', withdrawn_on: event.data.withdrawnOn, last_position: position };
    case 'PremiumPaid':
      return { ...row, premiums_paid: (BigInt(row.premiums_paid) + BigInt(event.data.amount)).toString(), last_position: position };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

const SPONSOR_SUMMARY: TableDescription = { name: 'sponsor_summary', columns: SPONSOR_SUMMARY_COLUMNS };
/** Each worker's current sponsor and status, this projection's own copy for counting workers per sponsor. */
const SPONSOR_SUMMARY_WORKERS = membershipTable('sponsor_summary_workers');

/**
 * Sponsor identity, current OPD (follows transfers), status, the premiums the sponsor paid, and its workers
 * (registered, active), counted from this projection's own table of worker memberships.
 */
export const sponsorSummaryProjection = projection({
  name: 'sponsor-summary',
  canHandle: ['SponsorRegistered', 'SponsorTransferred', 'SponsorWithdrawn', ...WORKER_MEMBERSHIP_EVENTS],
  tables: [SPONSOR_SUMMARY, SPONSOR_SUMMARY_WORKERS],
  async handle(events, { db, table }) {
    const sponsorEvents = events.filter((e): e is SponsorSummaryEvent => (SPONSOR_ROW_EVENTS as readonly string[]).includes(e.type));
    const keyOf = (event: SponsorSummaryEvent): string | null => (event.type === 'PremiumPaid' ? payingSponsorOf(event) : event.data.sponsorId);
    const rows = await loadRows<SponsorSummaryState>(
      db,
      table('sponsor_summary'),
      SPONSOR_SUMMARY_COLUMNS,
      'sponsor_id',
      sponsorEvents.map(keyOf).filter((key): key is string => key !== null),
    );
    const changed = new Set<string>();
    for (const event of sponsorEvents) {
      const key = keyOf(event);
      if (key === null) continue;
      const before = rows.get(key);
      const after = evolveSponsorSummary(before, event);
      if (after && after !== before) {
        rows.set(key, after);
        changed.add(key);
      }
    }
    await upsertRows(db, table('sponsor_summary'), SPONSOR_SUMMARY_COLUMNS, 'sponsor_id', [...changed].map((key) => rows.get(key) as unknown as Record<string, unknown>));

    const touched = await applyMemberships(db, table('sponsor_summary_workers'), events);
    if (touched.size === 0) return;
    await db.query(
      `WITH counts AS (${COUNT_WORKERS_PER_SPONSOR(table('sponsor_summary_workers'))})
       UPDATE ${table('sponsor_summary')} s SET workers_registered = c.registered, workers_active = c.active
         FROM counts c
        WHERE s.sponsor_id = c.sponsor_id AND (s.workers_registered, s.workers_active) IS DISTINCT FROM (c.registered, c.active)`,
      [[...touched]],
    );
  },
});
