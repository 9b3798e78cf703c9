/** A sponsor as the sponsor-summary read model shows it. */
export interface SponsorView {
  sponsorId: string;
  fullName: string;
  opdCode: string;
  status: 'ACTIVE' | 'WITHDRAWN';
  workersRegistered: number;
  workersActive: number;
  premiumsPaid: number;
}

export const SPONSOR_VIEW_COLUMNS = `sponsor_id AS "sponsorId", full_name AS "fullName", opd_code AS "opdCode", status,
  workers_registered AS "workersRegistered", workers_active AS "workersActive", premiums_paid::float8 AS "premiumsPaid"`;
