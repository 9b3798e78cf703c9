/** Stable error codes of the admin API contract that business rules raise, with their HTTP status. */
export const DOMAIN_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  OUT_OF_SCOPE: 403,
  NOT_FOUND: 404,
  NIK_ALREADY_ENROLLED: 409,
  NIP_ALREADY_REGISTERED: 409,
  OPD_ALREADY_REGISTERED: 409,
  PAYMENT_REF_CONFLICT: 409,
  CONCURRENCY_CONFLICT: 409,
  AGE_LIMIT_EXCEEDED: 422,
  UNKNOWN_OPD: 422,
  UNKNOWN_SPONSOR: 422,
  SPONSOR_WITHDRAWN: 422,
  INVALID_PAYMENT_PERIOD: 422,
  INVALID_PAYMENT_AMOUNT: 422,
  PAYMENT_DATE_INVALID: 422,
  PREPAY_LIMIT_EXCEEDED: 422,
  COVERAGE_ENDED: 422,
  NOT_REENROLLABLE: 422,
  NIK_MISMATCH: 422,
  ERASURE_NOT_ALLOWED: 422,
  REVERSAL_NOT_LATEST: 422,
  OPD_HAS_SPONSORS: 422,
  OPD_RETIRED: 422,
} as const;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_STATUS;

/** Thrown by deciders (and command handlers) for a broken business rule; the edge maps the code to HTTP. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    /** Extra members of the problem answer (e.g. the `workerId` already holding a NIK). */
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
