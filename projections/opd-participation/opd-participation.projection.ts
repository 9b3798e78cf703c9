import { auditOf, projection, type ProjectedEvent, type ReadModelEvent } from '../projection';
import { insertNewRows, loadRows, upsertRows, type Column } from '../row-batch';

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
  last_position: string;
}

const COLUMNS: readonly Column[] = [
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
  { name: 'last_position', type: 'bigint' },
];

const HISTORY_COLUMNS: readonly Column[] = [
  { name: 'opd_code', type: 'text' },
  { name: 'position', type: 'bigint' },
  { name: 'effective_on', type: 'date' },
  { name: 'pns_headcount', type: 'int' },
  { name: 'previous_headcount', type: 'int' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'recorded_by', type: 'text' },
];

type OpdParticipationEvent = ProjectedEvent<Extract<ReadModelEvent, { type: 'OpdRegistered' | 'OpdHeadcountSet' | 'PremiumPaid' }>>;

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
    case 'PremiumPaid':
      return { ...row, premiums_collected: (BigInt(row.premiums_collected) + BigInt(event.data.amount)).toString(), last_position: position };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * OPD identity, current PNS headcount (every headcount kept in opd_headcount_history) and premiums
 * collected: a payment stays with the OPD its paying sponsor belonged to at payment time
 * (PremiumPaid.opdCode; null for other funding sources, which belong to no OPD). The sponsor and worker
 * counts of an OPD are recounted by the participation counters at the end of each batch.
 */
export const opdParticipationProjection = projection({
  name: 'opd-participation',
  canHandle: ['OpdRegistered', 'OpdHeadcountSet', 'PremiumPaid'],
  async handle(events, { db, table }) {
    const keyOf = (event: OpdParticipationEvent): string | null => event.data.opdCode ?? null;
    const rows = await loadRows<OpdParticipationState>(
      db,
      table('opd_participation'),
      COLUMNS,
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
    await upsertRows(db, table('opd_participation'), COLUMNS, 'opd_code', [...changed].map((key) => rows.get(key) as unknown as Record<string, unknown>));
    await insertNewRows(db, table('opd_headcount_history'), HISTORY_COLUMNS, 'opd_code, position', history);
  },
});
