import type { EventSchemas } from '../event-sourcing/event-catalog';
import type { PersonalDataErasedData } from '../shared/personal-data-erased';
import { sealedFromNowOn, withOccurredOnFrom } from '../event-sourcing/upcasters';

/**
 * Events of the sponsor stream `sponsor-{sponsorId}`. Names are part of the public contract. A sponsor's NIP
 * and full name are personal data, stored sealed with the sponsor's own data key (v3); null once erased.
 */
export type SponsorRegistered = {
  type: 'SponsorRegistered';
  data: { sponsorId: string; nip: string | null; fullName: string | null; opdCode: string; registeredOn: string; occurredOn: string };
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

/** The sponsor's personal data erased on request; only allowed once the sponsor has withdrawn. */
export type SponsorPersonalDataErased = { type: 'PersonalDataErased'; data: PersonalDataErasedData & { sponsorId: string } };

export type SponsorEvent = SponsorRegistered | SponsorTransferred | SponsorWithdrawn | SponsorPersonalDataErased;

/** Reservation of a NIP for one sponsor (stream named by a hash of the NIP). */
export type NipReserved = { type: 'NipReserved'; data: { sponsorId: string } };

export const SPONSOR_EVENT_SCHEMAS: EventSchemas = {
  SponsorRegistered: {
    version: 3,
    upcasters: { 1: withOccurredOnFrom('registeredOn'), 2: sealedFromNowOn },
    personal: { subject: (d) => sponsorSubject(String(d.sponsorId)), fields: ['nip', 'fullName'], sealedFrom: 3 },
  },
  SponsorTransferred: { version: 2, upcasters: { 1: withOccurredOnFrom('effectiveOn') } },
  SponsorWithdrawn: { version: 2, upcasters: { 1: withOccurredOnFrom('withdrawnOn') } },
  NipReserved: { version: 1 },
};

export const sponsorStream = (sponsorId: string): string => `sponsor-${sponsorId}`;

/** Whose data key seals a sponsor's personal data. */
export const sponsorSubject = (sponsorId: string): string => `sponsor:${sponsorId}`;
