/** Stable error codes of the admin API contract (shared/docs/api.md). */
export type DomainErrorCode =
  | 'NIK_ALREADY_ENROLLED'
  | 'NIP_ALREADY_REGISTERED'
  | 'OPD_ALREADY_REGISTERED'
  | 'PAYMENT_REF_CONFLICT'
  | 'CONCURRENCY_CONFLICT'
  | 'NOT_FOUND'
  | 'AGE_LIMIT_EXCEEDED'
  | 'UNKNOWN_OPD'
  | 'UNKNOWN_SPONSOR'
  | 'SPONSOR_WITHDRAWN'
  | 'INVALID_PAYMENT_PERIOD'
  | 'INVALID_PAYMENT_AMOUNT'
  | 'PAYMENT_DATE_INVALID'
  | 'PREPAY_LIMIT_EXCEEDED'
  | 'COVERAGE_ENDED'
  | 'NOT_REENROLLABLE'
  | 'NIK_MISMATCH'
  | 'VALIDATION_FAILED';

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
