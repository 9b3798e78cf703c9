import type { Sealed } from '../personal-data/sealing';

/** A sponsor as the sponsor-summary read model shows it (the name null once erased). */
export interface SponsorView {
  sponsorId: string;
  fullName: string | null;
  opdCode: string;
  status: 'ACTIVE' | 'WITHDRAWN';
  workersRegistered: number;
  workersActive: number;
  premiumsPaid: number;
  erased: boolean;
}

/** The row as selected: the name still sealed (see withNames). */
export type SponsorViewRow = Omit<SponsorView, 'fullName'> & { personal: Sealed | null };

export const SPONSOR_VIEW_COLUMNS = `sponsor_id AS "sponsorId", personal, erased, opd_code AS "opdCode", status,
  workers_registered AS "workersRegistered", workers_active AS "workersActive", premiums_paid::float8 AS "premiumsPaid"`;
