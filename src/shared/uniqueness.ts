import { createHash } from 'node:crypto';

/** Reservation stream names: a hash of the key, so identifiers never appear in stream names. */
const keyHash = (kind: string, value: string) => createHash('sha256').update(`${kind}:${value}`).digest('hex').slice(0, 40);

export const nikReservationStream = (nik: string) => `unique-nik-${keyHash('nik', nik)}`;
export const nipReservationStream = (nip: string) => `unique-nip-${keyHash('nip', nip)}`;
export const paymentRefReservationStream = (paymentRef: string) => `unique-payment-ref-${keyHash('payment-ref', paymentRef)}`;
