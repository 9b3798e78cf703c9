import type { EventSchemas } from '../event-sourcing/event-catalog';
import { withOccurredOnFrom } from '../event-sourcing/upcasters';

/** Events of the sponsor stream `sponsor-{sponsorId}`. Names are part of the public contract. */
export type SponsorRegistered = {
  type: 'SponsorRegistered';
  data: { sponsorId: string; nip: string; fullName: string; opdCode: string; registeredOn: string; occurredOn: string };
};

/** Mutasi: the sponsor moves to another OPD; participation follows from `effectiveOn`. */
export type SponsorTransferred = {
  type: 'SponsorTransferred';
  data: { sponsorId: string; fromOpdCode: string; toOpdCode: string; effectiveOn: string; occurredOn: string };
};

export type SponsorWithdrawn = {
  type: 'SponsorWithdrawn';
  data: { sponsorId: string; reason: string; withdrawnOn: string; occurredOn: string };
};

export type SponsorEvent = SponsorRegistered | SponsorTransferred | SponsorWithdrawn;

/** Reservation of a NIP for one sponsor (stream named by a hash of the NIP). */
export type NipReserved = { type: 'NipReserved'; data: { sponsorId: string } };

export const SPONSOR_EVENT_SCHEMAS: EventSchemas = {
  SponsorRegistered: { version: 2, upcasters: { 1: withOccurredOnFrom('registeredOn') } },
  SponsorTransferred: { version: 2, upcasters: { 1: withOccurredOnFrom('effectiveOn') } },
  SponsorWithdrawn: { version: 2, upcasters: { 1: withOccurredOnFrom('withdrawnOn') } },
  NipReserved: { version: 1 },
};

export const sponsorStream = (sponsorId: string): string => `sponsor-${sponsorId}`;
