import type { Sealed } from '../personal-data/sealing';
import type { WorkerStatus } from './worker.events';

/** A worker as the worker-status read model shows it (NIK masked; personal fields null once erased). */
export interface WorkerView {
  workerId: string;
  nikMasked: string | null;
  fullName: string | null;
  /** The worker's personal data has been erased (no longer counted as registered). */
  erased: boolean;
  gender: string;
  occupation: string;
  kecamatan: string;
  fundingSource: string;
  sponsorId: string | null;
  opdCode: string | null;
  status: WorkerStatus;
  enrolledOn: string;
  paidThrough: string | null;
  monthsContributed: number;
  lastPaymentOn: string | null;
}

/** The row as selected: the name still sealed (see withNames). */
export type WorkerViewRow = Omit<WorkerView, 'fullName'> & { personal: Sealed | null };

export const WORKER_VIEW_COLUMNS = `worker_id AS "workerId", nik_masked AS "nikMasked", personal, erased, gender, occupation, kecamatan,
  funding_source AS "fundingSource", sponsor_id AS "sponsorId", opd_code AS "opdCode", status,
  to_char(enrolled_on, 'YYYY-MM-DD') AS "enrolledOn", paid_through AS "paidThrough", months_contributed AS "monthsContributed",
  to_char(last_payment_on, 'YYYY-MM-DD') AS "lastPaymentOn"`;
