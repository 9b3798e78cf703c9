/** Events of the sponsor stream `sponsor-{sponsorId}`. Names are part of the public contract. */
export type SponsorRegistered = {
  type: 'SponsorRegistered';
  data: { sponsorId: string; nip: string; fullName: string; opdCode: string; registeredOn: string };
};

/** Mutasi: the sponsor moves to another OPD; participation follows from `effectiveOn`. */
export type SponsorTransferred = {
  type: 'SponsorTransferred';
  data: { sponsorId: string; fromOpdCode: string; toOpdCode: string; effectiveOn: string };
};

export type SponsorWithdrawn = {
  type: 'SponsorWithdrawn';
  data: { sponsorId: string; reason: string; withdrawnOn: string };
};

export type SponsorEvent = SponsorRegistered | SponsorTransferred | SponsorWithdrawn;

export const sponsorStream = (sponsorId: string): string => `sponsor-${sponsorId}`;
