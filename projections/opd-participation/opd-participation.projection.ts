import type { ClientBase } from 'pg';
import { auditOf, projection, type ProjectedEvent, type ReadModelEvent, type TableDescription } from '../projection';
import { insertNewRows, loadRows, upsertRows, type Column } from '../row-batch';
import { applyMemberships, COUNT_WORKERS_PER_SPONSOR, membershipTable, WORKER_MEMBERSHIP_EVENTS } from '../shared/worker-membership';

/** An opd_participation row while a batch is folded. */
export interface OpdParticipationState {
  opd_code: string;
  name: string;
  kind: string;
  registered_on: string;
  pns_headcount: number;
  headcount_effective_on: string;
  sponsors_registered: number;
  sponsors_active: number;
  workers_registered: number;
  workers_active: number;
  /** Rupiah, as a decimal string (bigint column). */
  premiums_collected: string;
  /** Effective date of the OPD's retirement; null while current. */
  retired_on: string | null;
  last_position: string;
}

export const OPD_PARTICIPATION_COLUMNS: readonly Column[] = [
  { name: 'opd_code', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'registered_on', type: 'date' },
  { name: 'pns_headcount', type: 'int' },
  { name: 'headcount_effective_on', type: 'date' },
  { name: 'sponsors_registered', type: 'int' },
  { name: 'sponsors_active', type: 'int' },
  { name: 'workers_registered', type: 'int' },
  { name: 'workers_active', type: 'int' },
  { name: 'premiums_collected', type: 'bigint' },
  { name: 'retired_on', type: 'date' },
  { name: 'last_position', type: 'bigint' },
];

export const OPD_HEADCOUNT_HISTORY_COLUMNS: readonly Column[] = [
  { name: 'opd_code', type: 'text' },
  { name: 'position', type: 'bigint' },
  { name: 'effective_on', type: 'date' },
  { name: 'pns_headcount', type: 'int' },
  { name: 'previous_headcount', type: 'int' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'recorded_by', type: 'text' },
];

const OPD_ROW_EVENTS = ['OpdRegistered', 'OpdHeadcountSet', 'OpdDetailsCorrected', 'OpdRetired', 'PremiumPaid', 'PremiumPaymentReversed'] as const;
type OpdParticipationEvent = ProjectedEvent<Extract<ReadModelEvent, { type: (typeof OPD_ROW_EVENTS)[number] }>>;

/** A sponsor as this projection counts it: its current OPD, whether withdrawn, its workers. */
export interface OpdSponsorState {
  sponsor_id: string;
  opd_code: string;
  withdrawn: boolean;
  workers_registered: number;
  workers_active: number;
  last_position: string;
}

export const OPD_PARTICIPATION_SPONSORS_COLUMNS: readonly Column[] = [
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'opd_code', type: 'text' },
  { name: 'withdrawn', type: 'boolean' },
  { name: 'workers_registered', type: 'int' },
  { name: 'workers_active', type: 'int' },
  { name: 'last_position', type: 'bigint' },
];

const SPONSOR_EVENTS = ['SponsorRegistered', 'SponsorTransferred', 'SponsorWithdrawn'] as const;
type SponsorEventOfOpd = ProjectedEvent<Extract<ReadModelEvent, { type: (typeof SPONSOR_EVENTS)[number] }>>;

/** The sponsor after one of its events; events at or below the row's last position change nothing. */
export function evolveOpdSponsor(row: OpdSponsorState | undefined, event: SponsorEventOfOpd): OpdSponsorState | undefined {
  const position = event.position.toString();
  if (event.type === 'SponsorRegistered') {
    if (row) return row;
    return { sponsor_id: event.data.sponsorId, opd_code: event.data.opdCode, withdrawn: false, workers_registered: 0, workers_active: 0, last_position: position };
  }
  if (!row || event.position <= BigInt(row.last_position)) return row;
  if (event.type === 'SponsorTransferred') return { ...row, opd_code: event.data.toOpdCode, last_position: position };
  return { ...row, withdrawn: true, last_position: position };
}

/** The row after one event; events at or below the row's last position change nothing. */
export function evolveOpdParticipation(row: OpdParticipationState | undefined, event: OpdParticipationEvent): OpdParticipationState | undefined {
  const position = event.position.toString();
  if (event.type === 'OpdRegistered') {
    if (row) return row;
    const { opdCode, name, kind, pnsHeadcount, registeredOn } = event.data;
    return {
      opd_code: opdCode,
      name,
      kind,
      registered_on: registeredOn,
      pns_headcount: pnsHeadcount,
      headcount_effective_on: registeredOn,
      sponsors_registered: 0,
      sponsors_active: 0,
      workers_registered: 0,
      workers_active: 0,
      premiums_collected: '0',
      retired_on: null,
      last_position: position,
    };
  }
  if (!row || event.position <= BigInt(row.last_position)) return row;
  switch (event.type) {
    case 'OpdHeadcountSet': {
      // A back-dated correction goes into the history without replacing a later-effective headcount.
      const { pnsHeadcount, effectiveOn } = event.data;
      const current = effectiveOn >= row.headcount_effective_on;
      return {
        ...row,
        pns_headcount: current ? pnsHeadcount : row.pns_headcount,
        headcount_effective_on: current ? effectiveOn : row.headcount_effective_on,
        last_position: position,
      };
    }
    case 'OpdDetailsCorrected':
      return { ...row, name: event.data.name ?? row.name, kind: event.data.kind ?? row.kind, last_position: position };
    case 'OpdRetired':
      return { ...row, retired_on: event.data.effectiveOn, last_position: position };
    case 'PremiumPaid':
      return { ...row, premiums_collected: (BigInt(row.premiums_collected) + BigInt(event.data.amount)).toString(), last_position: position };
    case 'PremiumPaymentReversed':
      // The OPD the payment was credited to gives it back.
      return { ...row, premiums_collected: (BigInt(row.premiums_collected) - BigInt(event.data.amount)).toString(), last_position: position };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

const OPD_PARTICIPATION: TableDescription = { name: 'opd_participation', columns: OPD_PARTICIPATION_COLUMNS };
const OPD_HEADCOUNT_HISTORY: TableDescription = { name: 'opd_headcount_history', columns: OPD_HEADCOUNT_HISTORY_COLUMNS };
const OPD_PARTICIPATION_SPONSORS: TableDescription = { name: 'opd_participation_sponsors', columns: OPD_PARTICIPATION_SPONSORS_COLUMNS };
const OPD_PARTICIPATION_WORKERS = membershipTable('opd_participation_workers');

const isOfTypes =
  <T extends string>(types: readonly T[]) =>
  (event: ProjectedEvent): boolean =>
    (types as readonly string[]).includes(event.type);

/**
 * Per OPD: identity, current PNS headcount (every headcount kept in opd_headcount_history), premiums collected
 * (a payment stays with the OPD its paying sponsor belonged to at payment time: PremiumPaid.opdCode), and the
 * participation counts. For the counts it keeps its own copies of what it needs from the events: each
 * sponsor's OPD and worker counts (opd_participation_sponsors) and each worker's sponsor and status
 * (opd_participation_workers). At the end of each batch it recounts the sponsors whose workers moved and the
 * OPDs whose sponsors moved, from those tables, so the counts always equal a GROUP BY and replays are harmless.
 * Name and kind follow OpdDetailsCorrected; OpdRetired sets retired_on (the row stays, flagged).
 */
export const opdParticipationProjection = projection({
  name: 'opd-participation',
  canHandle: [...OPD_ROW_EVENTS, ...SPONSOR_EVENTS, ...WORKER_MEMBERSHIP_EVENTS],
  tables: [OPD_PARTICIPATION, OPD_HEADCOUNT_HISTORY, OPD_PARTICIPATION_SPONSORS, OPD_PARTICIPATION_WORKERS],
  async handle(events, { db, table }) {
    await applyOpdRows(db, table, events.filter(isOfTypes(OPD_ROW_EVENTS)) as OpdParticipationEvent[]);
    const touchedOpds = await applySponsorRows(db, table, events.filter(isOfTypes(SPONSOR_EVENTS)) as SponsorEventOfOpd[]);

    const touchedSponsors = await applyMemberships(db, table('opd_participation_workers'), events);
    if (touchedSponsors.size > 0) {
      const moved = await db.query<{ opd_code: string }>(
        `WITH counts AS (${COUNT_WORKERS_PER_SPONSOR(table('opd_participation_workers'))})
         UPDATE ${table('opd_participation_sponsors')} s SET workers_registered = c.registered, workers_active = c.active
           FROM counts c
          WHERE s.sponsor_id = c.sponsor_id AND (s.workers_registered, s.workers_active) IS DISTINCT FROM (c.registered, c.active)
        RETURNING s.opd_code`,
        [[...touchedSponsors]],
      );
      for (const row of moved.rows) touchedOpds.add(row.opd_code);
    }
    if (touchedOpds.size === 0) return;
    // A worker belongs to the OPD of its sponsor, so an OPD's worker counts are the sums of its sponsors' counts.
    await db.query(
      `WITH counts AS (
         SELECT t.opd_code,
                (count(s.sponsor_id) FILTER (WHERE NOT s.withdrawn))::int AS sponsors_registered,
                (count(s.sponsor_id) FILTER (WHERE NOT s.withdrawn AND s.workers_active > 0))::int AS sponsors_active,
                coalesce(sum(s.workers_registered), 0)::int AS workers_registered,
                coalesce(sum(s.workers_active), 0)::int AS workers_active
           FROM unnest($1::text[]) AS t(opd_code) LEFT JOIN ${table('opd_participation_sponsors')} s ON s.opd_code = t.opd_code
          GROUP BY t.opd_code)
       UPDATE ${table('opd_participation')} o
          SET sponsors_registered = c.sponsors_registered, sponsors_active = c.sponsors_active,
              workers_registered = c.workers_registered, workers_active = c.workers_active
         FROM counts c
        WHERE o.opd_code = c.opd_code
          AND (o.sponsors_registered, o.sponsors_active, o.workers_registered, o.workers_active)
              IS DISTINCT FROM (c.sponsors_registered, c.sponsors_active, c.workers_registered, c.workers_active)`,
      [[...touchedOpds]],
    );
  },
});

async function applyOpdRows(db: ClientBase, table: (name: string) => string, events: readonly OpdParticipationEvent[]): Promise<void> {
  const keyOf = (event: OpdParticipationEvent): string | null => event.data.opdCode ?? null;
  const rows = await loadRows<OpdParticipationState>(
    db,
    table('opd_participation'),
    OPD_PARTICIPATION_COLUMNS,
    'opd_code',
    events.map(keyOf).filter((key): key is string => key !== null),
  );
  const changed = new Set<string>();
  const history: Record<string, unknown>[] = [];
  for (const event of events) {
    const key = keyOf(event);
    if (key === null) continue;
    const before = rows.get(key);
    const after = evolveOpdParticipation(before, event);
    if (after && after !== before) {
      rows.set(key, after);
      changed.add(key);
    }
    if (event.type === 'OpdRegistered' || event.type === 'OpdHeadcountSet') {
      const { recordedAt, recordedBy } = auditOf(event);
      history.push({
        opd_code: key,
        position: event.position,
        effective_on: event.type === 'OpdRegistered' ? event.data.registeredOn : event.data.effectiveOn,
        pns_headcount: event.data.pnsHeadcount,
        previous_headcount: event.type === 'OpdRegistered' ? null : event.data.previousHeadcount,
        recorded_at: recordedAt,
        recorded_by: recordedBy,
      });
    }
  }
  await upsertRows(db, table('opd_participation'), OPD_PARTICIPATION_COLUMNS, 'opd_code', [...changed].map((key) => rows.get(key) as unknown as Record<string, unknown>));
  await insertNewRows(db, table('opd_headcount_history'), OPD_HEADCOUNT_HISTORY_COLUMNS, 'opd_code, position', history);
}

/** Folds the sponsor events; returns the OPDs whose sponsor counts may have moved. */
async function applySponsorRows(db: ClientBase, table: (name: string) => string, events: readonly SponsorEventOfOpd[]): Promise<Set<string>> {
  const touched = new Set<string>();
  if (events.length === 0) return touched;
  const rows = await loadRows<OpdSponsorState>(db, table('opd_participation_sponsors'), OPD_PARTICIPATION_SPONSORS_COLUMNS, 'sponsor_id', events.map((e) => e.data.sponsorId));
  const changed = new Set<string>();
  for (const event of events) {
    const before = rows.get(event.data.sponsorId);
    const after = evolveOpdSponsor(before, event);
    if (!after || after === before) continue;
    if (before) touched.add(before.opd_code);
    touched.add(after.opd_code);
    rows.set(after.sponsor_id, after);
    changed.add(after.sponsor_id);
  }
  await upsertRows(db, table('opd_participation_sponsors'), OPD_PARTICIPATION_SPONSORS_COLUMNS, 'sponsor_id', [...changed].map((id) => rows.get(id) as unknown as Record<string, unknown>));
  return touched;
}
