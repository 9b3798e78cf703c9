import type { Sealed } from '../../src/personal-data/sealing';
import { type FundingSource, type WorkerStatus, workerSubject } from '../../src/workers/worker.events';
import { projection, type ProjectedEvent, type ProjectionContext, type ReadModelEvent, type TableDescription } from '../projection';
import { insertNewRows, loadRows, upsertRows, type Column } from '../row-batch';
import { maskNik } from './nik-mask';

/** A worker_status row as the projection holds it while folding a batch (column names as in the table). */
export interface WorkerStatusState {
  worker_id: string;
  /** `3374**********01`; null once erased. */
  nik_masked: string | null;
  /** Keyed hash of the NIK, for look-ups; null once erased. */
  nik_hash: string | null;
  /** The worker's name, sealed with the worker's own data key; null once erased. */
  personal: Sealed | null;
  erased: boolean;
  gender: string;
  occupation: string;
  kecamatan: string;
  funding_source: FundingSource;
  sponsor_id: string | null;
  opd_code: string | null;
  status: WorkerStatus;
  enrolled_on: string;
  paid_through: string | null;
  months_contributed: number;
  last_payment_on: string | null;
  last_position: string;
  /**
   * In memory only, while a batch is folded: the clear values the row's sealed and hashed columns are made from
   * (the NIK at enrolment only; a corrected name alone afterwards).
   */
  clear?: { nik?: string; fullName: string };
}

export const WORKER_STATUS_COLUMNS: readonly Column[] = [
  { name: 'worker_id', type: 'uuid' },
  { name: 'nik_masked', type: 'text' },
  { name: 'nik_hash', type: 'text' },
  { name: 'personal', type: 'jsonb' },
  { name: 'erased', type: 'boolean' },
  { name: 'gender', type: 'text' },
  { name: 'occupation', type: 'text' },
  { name: 'kecamatan', type: 'text' },
  { name: 'funding_source', type: 'text' },
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'opd_code', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'enrolled_on', type: 'date' },
  { name: 'paid_through', type: 'text' },
  { name: 'months_contributed', type: 'int' },
  { name: 'last_payment_on', type: 'date' },
  { name: 'last_position', type: 'bigint' },
];

const WORKER_STATUS_EVENTS = [
  'WorkerEnrolled',
  'PremiumPaid',
  'PremiumPaymentReversed',
  'CoverageLapsed',
  'CoverageEnded',
  'WorkerReenrolled',
  'WorkerSponsorChanged',
  'WorkerFundingChanged',
  'WorkerDetailsCorrected',
  'PersonalDataErased',
] as const;

type WorkerStatusEvent = ProjectedEvent<
  Extract<
    ReadModelEvent,
    { type: (typeof WORKER_STATUS_EVENTS)[number] }
  >
> & { data: { workerId: string } };

/**
 * The row after one worker event. Status is what the events say (WorkerEnrolled/WorkerReenrolled →
 * PENDING, PremiumPaid and PremiumPaymentReversed → their statusAfter, CoverageLapsed → LAPSED, CoverageEnded →
 * ENDED), never the wall clock. An event at or below the row's last position was applied already and changes nothing.
 */
export function evolveWorkerStatus(
  row: WorkerStatusState | undefined,
  event: WorkerStatusEvent,
  opdOfSponsor: (sponsorId: string) => string | null,
): WorkerStatusState | undefined {
  const position = event.position.toString();
  if (event.type === 'WorkerEnrolled') {
    if (row) return row;
    const d = event.data;
    const sponsorId = d.fundingSource === 'ASN_SPONSOR' ? (d.sponsorId ?? null) : null;
    const clear = d.nik !== null && d.fullName !== null ? { nik: d.nik, fullName: d.fullName } : undefined;
    return {
      worker_id: d.workerId,
      nik_masked: clear ? maskNik(clear.nik) : null,
      nik_hash: null,
      personal: null,
      erased: false,
      clear,
      gender: d.gender,
      occupation: d.occupation,
      kecamatan: d.kecamatan,
      funding_source: d.fundingSource,
      sponsor_id: sponsorId,
      opd_code: sponsorId ? opdOfSponsor(sponsorId) : null,
      status: 'PENDING',
      enrolled_on: d.enrolledOn,
      paid_through: null,
      months_contributed: 0,
      last_payment_on: null,
      last_position: position,
    };
  }
  if (!row || event.position <= BigInt(row.last_position)) return row;
  switch (event.type) {
    case 'PremiumPaid': {
      const d = event.data;
      return {
        ...row,
        status: d.statusAfter,
        paid_through: d.coveredThrough,
        months_contributed: row.months_contributed + d.months,
        last_payment_on: row.last_payment_on && row.last_payment_on > d.paidOn ? row.last_payment_on : d.paidOn,
        last_position: position,
      };
    }
    case 'PremiumPaymentReversed': {
      const d = event.data;
      return {
        ...row,
        status: d.statusAfter,
        paid_through: d.paidThroughAfter,
        months_contributed: row.months_contributed - d.months,
        last_payment_on: d.lastPaymentOnAfter,
        last_position: position,
      };
    }
    case 'CoverageLapsed':
      return { ...row, status: 'LAPSED', last_position: position };
    case 'CoverageEnded':
      return { ...row, status: 'ENDED', last_position: position };
    case 'WorkerReenrolled':
      // A new membership period with nothing paid in it yet; monthsContributed counts the whole history.
      return { ...row, status: 'PENDING', enrolled_on: event.data.enrolledOn, paid_through: null, last_position: position };
    case 'WorkerSponsorChanged': {
      const { toSponsorId, fundingSource } = event.data;
      return {
        ...row,
        sponsor_id: toSponsorId,
        funding_source: fundingSource,
        opd_code: fundingSource === 'ASN_SPONSOR' ? opdOfSponsor(toSponsorId) : null,
        last_position: position,
      };
    }
    case 'WorkerFundingChanged': {
      const { toSponsorId, toFundingSource } = event.data;
      return {
        ...row,
        sponsor_id: toSponsorId,
        funding_source: toFundingSource,
        opd_code: toSponsorId ? opdOfSponsor(toSponsorId) : null,
        last_position: position,
      };
    }
    case 'WorkerDetailsCorrected': {
      const { fullName, gender, occupation, kecamatan } = event.data;
      // A name sealed in the log reads as null once the worker's data key is destroyed: nothing to re-seal then.
      const renamed = typeof fullName === 'string' && !row.erased ? { ...row.clear, fullName } : row.clear;
      return {
        ...row,
        gender: gender ?? row.gender,
        occupation: occupation ?? row.occupation,
        kecamatan: kecamatan ?? row.kecamatan,
        clear: renamed,
        last_position: position,
      };
    }
    case 'PersonalDataErased':
      // No longer a registered worker; what stays is the coverage record of the archive.
      return { ...row, nik_masked: null, nik_hash: null, personal: null, erased: true, clear: undefined, last_position: position };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const WORKER_STATUS_COUNTS_COLUMNS: readonly Column[] = [
  { name: 'status', type: 'text' },
  { name: 'workers', type: 'int' },
];

/** Each sponsor's current OPD, this projection's own copy (a worker belongs to the OPD of its sponsor). */
export const WORKER_STATUS_SPONSORS_COLUMNS: readonly Column[] = [
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'opd_code', type: 'text' },
  { name: 'last_position', type: 'bigint' },
];

/** Keyed hashes of the trigrams of each worker's name: searching by name without keeping it in clear. */
export const WORKER_NAME_TRIGRAM_COLUMNS: readonly Column[] = [
  { name: 'worker_id', type: 'uuid' },
  { name: 'trigram', type: 'text' },
];

const TABLES: readonly TableDescription[] = [
  {
    name: 'worker_status',
    columns: WORKER_STATUS_COLUMNS,
    // The look-ups and the coverage groupings; the projection reads worker_status by its key only.
    queryIndexes: [
      'worker_status_nik_hash_idx',
      'worker_status_status_idx',
      'worker_status_opd_code_status_idx',
      'worker_status_funding_source_status_idx',
      'worker_status_occupation_status_idx',
      'worker_status_kecamatan_status_idx',
      'worker_status_sponsor_id_status_idx',
    ],
  },
  { name: 'worker_status_counts', columns: WORKER_STATUS_COUNTS_COLUMNS },
  { name: 'worker_status_sponsors', columns: WORKER_STATUS_SPONSORS_COLUMNS },
  { name: 'worker_name_trigrams', columns: WORKER_NAME_TRIGRAM_COLUMNS, queryIndexes: ['worker_name_trigrams_trigram_idx'] },
];

interface SponsorOpd {
  sponsor_id: string;
  opd_code: string;
  last_position: string;
}

/**
 * One row per worker. A worker belongs to the OPD of its current sponsor, so its opd_code follows the
 * sponsor's registration and transfers, which this projection keeps in its own worker_status_sponsors. The
 * batch is applied in log order, so every worker ends the batch in its sponsor's OPD as of the batch's end.
 */
export const workerStatusProjection = projection({
  name: 'worker-status',
  canHandle: [...WORKER_STATUS_EVENTS, 'SponsorRegistered', 'SponsorTransferred'],
  tables: TABLES,
  async handle(events, ctx) {
    const { db, table } = ctx;
    const workerIds = new Set<string>();
    const sponsorIds = new Set<string>();
    for (const event of events) {
      if (event.type === 'SponsorRegistered' || event.type === 'SponsorTransferred') {
        sponsorIds.add(event.data.sponsorId);
        continue;
      }
      const workerId = workerIdOf(event);
      if (workerId === null) continue;
      workerIds.add(workerId);
      if (event.type === 'WorkerEnrolled' && event.data.sponsorId) sponsorIds.add(event.data.sponsorId);
      if (event.type === 'WorkerSponsorChanged') sponsorIds.add(event.data.toSponsorId);
      if (event.type === 'WorkerFundingChanged' && event.data.toSponsorId) sponsorIds.add(event.data.toSponsorId);
    }
    const rows = await loadRows<WorkerStatusState>(db, table('worker_status'), WORKER_STATUS_COLUMNS, 'worker_id', workerIds);
    /** What each worker counted as before the batch: its status, or nothing once erased (not registered). */
    const countedBefore = new Map([...rows.values()].map((row) => [row.worker_id, row.erased ? null : (row.status as string)]));
    const sponsors = await loadRows<SponsorOpd>(db, table('worker_status_sponsors'), WORKER_STATUS_SPONSORS_COLUMNS, 'sponsor_id', sponsorIds);
    const changedSponsors = new Set<string>();
    const opdOfSponsor = (sponsorId: string) => sponsors.get(sponsorId)?.opd_code ?? null;

    const changed = new Set<string>();
    /** The last transfer of each sponsor in the batch: the OPD its workers end the batch in. */
    const lastTransfer = new Map<string, { toOpdCode: string; position: string }>();
    for (const event of events) {
      if (event.type === 'SponsorRegistered' || event.type === 'SponsorTransferred') {
        const { sponsorId } = event.data;
        const known = sponsors.get(sponsorId);
        const position = event.position.toString();
        if (event.type === 'SponsorRegistered') {
          if (!known) {
            sponsors.set(sponsorId, { sponsor_id: sponsorId, opd_code: event.data.opdCode, last_position: position });
            changedSponsors.add(sponsorId);
          }
          continue;
        }
        if (!known || event.position <= BigInt(known.last_position)) continue;
        const { toOpdCode } = event.data;
        sponsors.set(sponsorId, { ...known, opd_code: toOpdCode, last_position: position });
        changedSponsors.add(sponsorId);
        lastTransfer.set(sponsorId, { toOpdCode, position });
        for (const row of rows.values()) {
          if (row.sponsor_id === sponsorId && row.funding_source === 'ASN_SPONSOR' && event.position > BigInt(row.last_position)) {
            rows.set(row.worker_id, { ...row, opd_code: toOpdCode, last_position: position });
            changed.add(row.worker_id);
          }
        }
        continue;
      }
      const workerId = workerIdOf(event);
      if (workerId === null) continue;
      const before = rows.get(workerId);
      const after = evolveWorkerStatus(before, event as WorkerStatusEvent, opdOfSponsor);
      if (after && after !== before) {
        rows.set(after.worker_id, after);
        changed.add(after.worker_id);
      }
    }
    await upsertRows(db, table('worker_status_sponsors'), WORKER_STATUS_SPONSORS_COLUMNS, 'sponsor_id', [...changedSponsors].map((id) => sponsors.get(id) as unknown as Record<string, unknown>));
    if (lastTransfer.size > 0) {
      // The transferred sponsors' workers that no event of the batch touched: only the last transfer counts.
      const transfers = [...lastTransfer];
      await db.query(
        `UPDATE ${table('worker_status')} w SET opd_code = t.to_opd_code, last_position = t.position
           FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS t(sponsor_id, to_opd_code, position)
          WHERE w.sponsor_id = t.sponsor_id AND w.funding_source = 'ASN_SPONSOR' AND w.last_position < t.position
            AND w.worker_id <> ALL($4::uuid[])`,
        [transfers.map(([id]) => id), transfers.map(([, t]) => t.toOpdCode), transfers.map(([, t]) => t.position), [...rows.keys()]],
      );
    }
    await applyPersonalColumns(ctx, [...changed].map((id) => rows.get(id)!));
    await upsertRows(db, table('worker_status'), WORKER_STATUS_COLUMNS, 'worker_id', [...changed].map((id) => rows.get(id) as unknown as Record<string, unknown>));

    // Registered workers per status, moved by this batch: the city summary reads these four rows.
    const delta = new Map<string, number>();
    for (const id of changed) {
      const before = countedBefore.get(id) ?? null;
      const row = rows.get(id)!;
      const after = row.erased ? null : row.status;
      if (before === after) continue;
      if (before) delta.set(before, (delta.get(before) ?? 0) - 1);
      if (after) delta.set(after, (delta.get(after) ?? 0) + 1);
    }
    const moved = [...delta].filter(([, n]) => n !== 0);
    if (moved.length > 0) {
      await db.query(
        `INSERT INTO ${table('worker_status_counts')} AS c (status, workers)
         SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (status) DO UPDATE SET workers = c.workers + EXCLUDED.workers`,
        [moved.map(([status]) => status), moved.map(([, n]) => n)],
      );
      // No row for a status without workers: the table then equals a GROUP BY of worker_status (and a replay).
      await db.query(`DELETE FROM ${table('worker_status_counts')} WHERE workers = 0`);
    }
  },
});

/** The worker an event is about; null for a sponsor's erasure (a PersonalDataErased in a sponsor stream). */
const workerIdOf = (event: ProjectedEvent): string | null => {
  const id = (event.data as { workerId?: unknown }).workerId;
  return typeof id === 'string' ? id : null;
};

/**
 * The personal columns of the rows the batch enrolled, renamed or erased: the name sealed with the worker's own
 * key (deterministically, so a replay writes the same bytes), the keyed hash of the NIK, and the keyed hashes of
 * the name's trigrams for searching by name (worker_name_trigrams, replaced on a rename). An erased worker keeps
 * none of them.
 */
async function applyPersonalColumns(ctx: ProjectionContext, rows: readonly WorkerStatusState[]): Promise<void> {
  const { db, table } = ctx;
  const named = rows.filter((row) => row.clear);
  const dropTrigrams = rows.filter((row) => row.erased || row.clear).map((row) => row.worker_id);
  if (dropTrigrams.length > 0) await db.query(`DELETE FROM ${table('worker_name_trigrams')} WHERE worker_id = ANY($1::uuid[])`, [dropTrigrams]);
  if (named.length === 0) return;
  const personal = ctx.personal();
  const trigrams: Record<string, unknown>[] = [];
  for (const row of named) {
    const { nik, fullName } = row.clear!;
    row.personal = await personal.seal(workerSubject(row.worker_id), { fullName }, { deterministic: true });
    if (nik !== undefined) row.nik_hash = personal.digest('nik', nik);
    for (const trigram of personal.nameTrigrams(fullName)) trigrams.push({ worker_id: row.worker_id, trigram });
    row.clear = undefined;
  }
  await insertNewRows(db, table('worker_name_trigrams'), WORKER_NAME_TRIGRAM_COLUMNS, 'worker_id, trigram', trigrams);
}
