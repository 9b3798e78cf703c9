import type { Sealed } from '../../src/personal-data/sealing';
import { sponsorSubject } from '../../src/sponsors/sponsor.events';
import { projection, type ProjectedEvent, type ProjectionContext, type ReadModelEvent, type TableDescription } from '../projection';
import { loadRows, upsertRows, type Column } from '../row-batch';
import { applyMemberships, COUNT_WORKERS_PER_SPONSOR, membershipTable, WORKER_MEMBERSHIP_EVENTS } from '../shared/worker-membership';
import type { SponsorStatus } from './sponsor-summary.entity';

/** A sponsor_summary row while a batch is folded. */
export interface SponsorSummaryState {
  sponsor_id: string;
  /** Keyed hash of the NIP, for look-ups; null once erased. */
  nip_hash: string | null;
  /** The sponsor's name, sealed with the sponsor's own data key; null once erased. */
  personal: Sealed | null;
  erased: boolean;
  opd_code: string;
  status: SponsorStatus;
  registered_on: string;
  withdrawn_on: string | null;
  workers_registered: number;
  workers_active: number;
  /** Rupiah, as a decimal string (bigint column). */
  premiums_paid: string;
  last_position: string;
  /** In memory only, while a batch is folded: what the sealed and hashed columns are made from. */
  clear?: { nip: string; fullName: string };
}

export const SPONSOR_SUMMARY_COLUMNS: readonly Column[] = [
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'nip_hash', type: 'text' },
  { name: 'personal', type: 'jsonb' },
  { name: 'erased', type: 'boolean' },
  { name: 'opd_code', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'registered_on', type: 'date' },
  { name: 'withdrawn_on', type: 'date' },
  { name: 'workers_registered', type: 'int' },
  { name: 'workers_active', type: 'int' },
  { name: 'premiums_paid', type: 'bigint' },
  { name: 'last_position', type: 'bigint' },
];

const SPONSOR_ROW_EVENTS = ['SponsorRegistered', 'SponsorTransferred', 'SponsorWithdrawn', 'PremiumPaid', 'PremiumPaymentReversed', 'PersonalDataErased'] as const;

type SponsorSummaryEvent = ProjectedEvent<Extract<ReadModelEvent, { type: (typeof SPONSOR_ROW_EVENTS)[number] }>>;

/** The sponsor an event's row is about: the paying sponsor of a payment or its reversal, the sponsor of a sponsor event; else null. */
const sponsorOf = (event: SponsorSummaryEvent): string | null => {
  if (event.type === 'PremiumPaid' || event.type === 'PremiumPaymentReversed') return payingSponsorOf(event);
  const id = (event.data as { sponsorId?: unknown }).sponsorId;
  return typeof id === 'string' ? id : null;
};

/** The sponsor a PremiumPaid (or its reversal) counts for: the paying ASN sponsor, if an ASN sponsor paid. */
export const payingSponsorOf = (event: ProjectedEvent<Extract<ReadModelEvent, { type: 'PremiumPaid' | 'PremiumPaymentReversed' }>>): string | null =>
  event.data.payer.type === 'ASN_SPONSOR' ? (event.data.payer.sponsorId ?? null) : null;

/** The row after one event; events at or below the row's last position change nothing. */
export function evolveSponsorSummary(row: SponsorSummaryState | undefined, event: SponsorSummaryEvent): SponsorSummaryState | undefined {
  const position = event.position.toString();
  if (event.type === 'SponsorRegistered') {
    if (row) return row;
    const { sponsorId, nip, fullName, opdCode, registeredOn } = event.data;
    return {
      sponsor_id: sponsorId,
      nip_hash: null,
      personal: null,
      erased: false,
      clear: nip !== null && fullName !== null ? { nip, fullName } : undefined,
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
    case 'PremiumPaymentReversed':
      return { ...row, premiums_paid: (BigInt(row.premiums_paid) - BigInt(event.data.amount)).toString(), last_position: position };
    case 'PersonalDataErased':
      return { ...row, nip_hash: null, personal: null, erased: true, clear: undefined, last_position: position };
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
  async handle(events, ctx) {
    const { db, table } = ctx;
    const sponsorEvents = events.filter((e): e is SponsorSummaryEvent => (SPONSOR_ROW_EVENTS as readonly string[]).includes(e.type));
    const keyOf = sponsorOf;
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
    await sealNames(ctx, [...changed].map((key) => rows.get(key)!));
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

/** The name sealed with the sponsor's own key (deterministically: a replay writes the same bytes), and the NIP's keyed hash. */
async function sealNames(ctx: ProjectionContext, rows: readonly SponsorSummaryState[]): Promise<void> {
  for (const row of rows) {
    if (!row.clear) continue;
    const personal = ctx.personal();
    row.personal = await personal.seal(sponsorSubject(row.sponsor_id), { fullName: row.clear.fullName }, { deterministic: true });
    row.nip_hash = personal.digest('nip', row.clear.nip);
    row.clear = undefined;
  }
}
