import { createHash } from 'node:crypto';

/**
 * Uniqueness in the write model (one NIK, one NIP, one payment reference, one API key name) rests on one reservation stream
 * per key. Its name carries a hash of the key, never the key itself.
 */
export type UniqueKeyKind = 'nik' | 'nip' | 'payment-ref' | 'api-key-name';

export interface KeyHasher {
  /** A stable digest of `value` (hex), the same for the same key in every process of the deployment. */
  digest(kind: UniqueKeyKind, value: string): string;
}

/** Plain SHA-256, as the first release named its reservation streams. */
export class Sha256KeyHasher implements KeyHasher {
  digest(kind: UniqueKeyKind, value: string): string {
    return createHash('sha256').update(`${kind}:${value}`).digest('hex').slice(0, 40);
  }
}

export const RESERVATION_STREAM_PREFIX = 'unique-';

export const reservationStream = (hasher: KeyHasher, kind: UniqueKeyKind, value: string): string =>
  `${RESERVATION_STREAM_PREFIX}${kind}-${hasher.digest(kind, value)}`;

/** Nest token of the deployment's KeyHasher. */
export const KEY_HASHER = Symbol('KEY_HASHER');
