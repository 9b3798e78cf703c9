import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The cryptography of personal data, with Node's own AES-256-GCM and HMAC-SHA-256 (no home-made cipher):
 * - a data key per person (subject: `worker:<id>`, `sponsor:<id>`) seals that person's fields;
 * - data keys are kept wrapped by the master key (ASUH_MASTER_KEY), bound to their subject;
 * - a keyed hash (HMAC) of NIK/NIP names reservation streams and serves look-ups.
 */

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A person's fields as stored: `ct` is the AES-256-GCM ciphertext with its tag appended, base64. */
export interface Sealed {
  /** Format version of the envelope. */
  v: 1;
  /** Whose data key seals it. */
  s: string;
  iv: string;
  ct: string;
  /** The names of the sealed fields (not their values): what reads as erased once the key is gone. */
  f?: string[];
}

export function isSealed(value: unknown): value is Sealed {
  const v = value as Partial<Sealed> | null;
  return typeof v === 'object' && v !== null && v.v === 1 && typeof v.s === 'string' && typeof v.iv === 'string' && typeof v.ct === 'string';
}

const personalAad = (subject: string) => Buffer.from(`asuh:personal:${subject}`, 'utf8');
const wrapAad = (label: string) => Buffer.from(`asuh:key:${label}`, 'utf8');

/**
 * Seals `plaintext` for `subject`. Deterministic sealing takes its IV from an HMAC of the plaintext under the
 * data key (a synthetic IV): the same fields give the same envelope, so rebuilt read models equal live ones
 * byte for byte; it reveals only that two sealed values of one person are equal.
 */
export function seal(dataKey: Buffer, subject: string, plaintext: string, deterministic = false, fields?: readonly string[]): Sealed {
  const iv = deterministic ? createHmac('sha256', dataKey).update('iv\n').update(plaintext).digest().subarray(0, IV_BYTES) : randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(personalAad(subject));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, s: subject, iv: iv.toString('base64'), ct: ct.toString('base64'), ...(fields ? { f: [...fields] } : {}) };
}

/** The plaintext of an envelope; throws when the key is not the subject's or the envelope was altered. */
export function unseal(dataKey: Buffer, sealed: Sealed): string {
  const ct = Buffer.from(sealed.ct, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(personalAad(sealed.s));
  decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
  return Buffer.concat([decipher.update(ct.subarray(0, ct.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** A key wrapped by the master key, bound to its label (`data:<subject>`, `keyring:<name>`): iv ‖ tag ‖ ciphertext. */
export function wrapKey(masterKey: Buffer, label: string, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(wrapAad(label));
  const ct = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

/** Unwraps a key; throws when the master key is not the one it was wrapped with (or the row was altered or moved). */
export function unwrapKey(masterKey: Buffer, label: string, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, IV_BYTES));
  decipher.setAAD(wrapAad(label));
  decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** A key derived from the master key for one purpose (HKDF-SHA-256). */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('asuh'), Buffer.from(purpose), KEY_BYTES));
}

export function keyedHash(secret: Buffer, kind: string, value: string): string {
  return createHmac('sha256', secret).update(`${kind}\n${value}`).digest('hex');
}

export const newDataKey = (): Buffer => randomBytes(KEY_BYTES);

export const newMasterKey = (): string => randomBytes(KEY_BYTES).toString('hex');
